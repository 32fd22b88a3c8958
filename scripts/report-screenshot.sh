#!/usr/bin/env bash
# Renders OUT_DIR/report.html in headless Chromium and saves a PNG screenshot, to
# look at a report as a reader would. Exits non-zero if the page cannot be rendered
# or the PNG is missing or nearly empty.
#
#   scripts/report-screenshot.sh OUT_DIR PNG [WIDTH,HEIGHT]
#
# Needs Debian's chromium (`apt-get install -y chromium`; installed here when
# missing and running as root). The page is opened from the file system with every
# network feature off, so a report that needs the network shows up broken.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 OUT_DIR PNG [WIDTH,HEIGHT]" >&2
  exit 2
fi
out_dir=$1
png=$2
size=${3:-1280,2400}
report="$out_dir/report.html"
if [[ ! -f "$report" ]]; then
  echo "error: $report not found (run \`entente report $out_dir\` first)" >&2
  exit 1
fi

browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [[ -z "$browser" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium…" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
    browser=chromium
  else
    echo "error: no chromium found; install it with: apt-get install -y chromium" >&2
    exit 1
  fi
fi

abs_report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
mkdir -p "$(dirname "$png")"
abs_png=$(cd "$(dirname "$png")" && pwd)/$(basename "$png")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$abs_png"

timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$abs_png" --window-size="$size" "file://$abs_report" \
  >"$profile/chromium.log" 2>&1 || {
  echo "error: chromium failed; its log:" >&2
  tail -n 20 "$profile/chromium.log" >&2
  exit 1
}

if [[ ! -s "$abs_png" ]]; then
  echo "error: no screenshot written to $abs_png" >&2
  tail -n 20 "$profile/chromium.log" >&2
  exit 1
fi
bytes=$(wc -c <"$abs_png")
# A blank 1280×2400 page compresses to a few KB; a rendered report is far larger.
if (( bytes < 20000 )); then
  echo "error: $abs_png is only $bytes bytes: the page looks empty" >&2
  exit 1
fi
echo "$abs_png ($bytes bytes)"
