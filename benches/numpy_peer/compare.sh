#!/usr/bin/env bash
# entente's sweep against the NumPy peer (peer.py): same scenario, reps and steps, one
# thread each, whole processes, outputs written by both, alternating rounds.
#
#   benches/numpy_peer/compare.sh [ROUNDS]      (default 5)
#
# Cases (PEER_CASES, default below): SCENARIO:REPS[:BATCH], BATCH the peer's --batch (empty:
# its default, many runs at once; 1: one run at a time). Each round runs entente then the
# peer, the next round the peer first, and so on. Prints every round's wall and CPU (user +
# sys) seconds, then per case the fastest and median of each, their ratios (peer / entente)
# and the median of the rounds' ratios; then check.py on the last round's summaries (are
# the peer's means within a few standard errors of entente's?). Creates the NumPy venv
# (PEER_VENV, default /tmp/peer-venv; needs PyPI) and builds the release binary if missing.
# Timings are for reading, not asserting: nothing here fails on a number.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
venv=${PEER_VENV:-/tmp/peer-venv}
cases=${PEER_CASES:-"world-2024:1000 triangle:10000 world-2024:100:1 triangle:200:1"}
entente=target/release/entente

if ! "$venv/bin/python" -c 'import numpy' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet numpy
fi
[ -x "$entente" ] || cargo build --release
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# timed LOG CMD...: runs CMD with its output in LOG; prints "wall cpu" in seconds.
timed() {
    local log=$1
    shift
    local TIMEFORMAT='%R %U %S'
    { time "$@" >"$log" 2>&1; } 2>"$tmp/time"
    awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$tmp/time"
}

echo "host: $(getconf _NPROCESSORS_ONLN) cores, $(uptime | sed 's/.*load/load/'); $("$venv/bin/python" -c 'import numpy, sys; print("numpy", numpy.__version__, "python", sys.version.split()[0])')"
echo "entente: $(git rev-parse --short HEAD) $("$entente" --version 2>/dev/null || true)"
for case in $cases; do
    IFS=: read -r name reps batch <<<"$case"
    scenario=scenarios/$name
    peer_args=()
    [ -n "${batch:-}" ] && peer_args=(--batch "$batch")
    : >"$tmp/rows"
    for r in $(seq 1 "$rounds"); do
        rm -rf "$tmp/e" "$tmp/p"
        run_entente() {
            timed "$tmp/e.log" "$entente" sweep "$scenario" --reps "$reps" --threads 1 \
                --quiet --plots none --out "$tmp/e"
        }
        run_peer() {
            timed "$tmp/p.log" "$venv/bin/python" benches/numpy_peer/peer.py "$scenario" \
                --reps "$reps" "${peer_args[@]}" --out "$tmp/p"
        }
        if [ $((r % 2)) -eq 1 ]; then
            e=$(run_entente)
            p=$(run_peer)
        else
            p=$(run_peer)
            e=$(run_entente)
        fi
        # the rates each reports for itself (entente: the sweep; peer: simulation and aggregates)
        e_rate=$(grep -o '([0-9.]* runs/s)' "$tmp/e.log" | tr -d '()' | cut -d' ' -f1)
        p_rate=$(grep -o 'aggregates [0-9.]* s: [0-9.]* runs/s' "$tmp/p.log" | cut -d' ' -f4)
        echo "$e $p ${e_rate:-nan} ${p_rate:-nan}" >>"$tmp/rows"
        echo "$name reps $reps batch ${batch:-default} round $r: entente wall ${e% *} s cpu ${e#* } s; peer wall ${p% *} s cpu ${p#* } s"
    done
    python3 - "$tmp/rows" "$name" "$reps" "${batch:-default}" <<'EOF'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
name, reps, batch = sys.argv[2:]
cols = list(zip(*rows))
ew, ec, pw, pc, er, pr = cols
med = statistics.median
print(f"== {name}, {reps} reps, peer batch {batch}, {len(rows)} alternating rounds")
print(f"   entente wall fastest {min(ew):.3f} s median {med(ew):.3f} s; cpu median {med(ec):.3f} s; "
      f"its own rate median {med(er):.0f} runs/s")
print(f"   peer    wall fastest {min(pw):.3f} s median {med(pw):.3f} s; cpu median {med(pc):.3f} s; "
      f"its own rate median {med(pr):.1f} runs/s")
ratios = [p / e for e, p in zip(ew, pw)]
print(f"   peer / entente: fastest {min(pw) / min(ew):.1f}x, medians {med(pw) / med(ew):.1f}x, "
      f"median of the rounds' ratios {med(ratios):.1f}x (range {min(ratios):.1f}-{max(ratios):.1f}); "
      f"cpu medians {med(pc) / med(ec):.1f}x; own rates {med(er) / med(pr):.1f}x")
EOF
    if [ -z "${batch:-}" ]; then
        python3 benches/numpy_peer/check.py "$tmp/e" "$tmp/p" | sed 's/^/   /'
    fi
done
echo "host after: $(uptime | sed 's/.*load/load/')"
