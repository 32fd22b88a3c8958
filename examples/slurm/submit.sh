#!/usr/bin/env bash
# Submit a sharded entente sweep: the job array of sweep.sbatch, then merge.sbatch to run once
# every task of the array has succeeded.
#
#   examples/slurm/submit.sh [sbatch option…]        # e.g. --partition=short --account=proj42
#
# The options are given to both sbatch calls. Settings by environment variable, exported to the
# jobs (defaults as in sweep.sbatch):
#   ENTENTE SCENARIO CONFIGS REPS EXTRA_ARGS   what to run
#   OUT        the sweep folder, on a filesystem every node sees [outputs/<scenario>/slurm-<date>]
#   SHARDS     the number of array tasks = shards [4]
#   CPUS       CPUs (= entente threads) per task [2]
#   TIME       time limit per task [01:00:00]
# It prints `array_job=ID` and `merge_job=ID`; logs go to OUT/logs/, the result to OUT/merged/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ -z "${ENTENTE:-}" ]]; then
    ENTENTE=$(command -v entente || echo target/release/entente)
fi
# Absolute, so the jobs find it whatever their working directory.
[[ "$ENTENTE" == */* ]] && ENTENTE=$(cd "$(dirname "$ENTENTE")" && pwd)/$(basename "$ENTENTE")
SCENARIO=${SCENARIO:-scenarios/world-2024}
if [[ -z "${CONFIGS+set}" && -f "$SCENARIO/triangles.csv" ]]; then
    CONFIGS=$SCENARIO/triangles.csv
fi
CONFIGS=${CONFIGS:-}
REPS=${REPS:-40}
EXTRA_ARGS=${EXTRA_ARGS:-}
OUT=${OUT:-outputs/$(basename "$SCENARIO")/slurm-$(date +%Y%m%d-%H%M%S)}
SHARDS=${SHARDS:-4}
CPUS=${CPUS:-2}
TIME=${TIME:-01:00:00}
export ENTENTE SCENARIO CONFIGS REPS EXTRA_ARGS OUT

if [[ ! -x "$ENTENTE" ]] && ! command -v "$ENTENTE" >/dev/null; then
    echo "error: no entente binary at '$ENTENTE' (cargo build --release, or set ENTENTE)" >&2
    exit 1
fi
if ! [[ "$SHARDS" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: SHARDS must be a positive integer, not '$SHARDS'" >&2
    exit 1
fi

# Slurm does not create the folders of --output: they must exist before the jobs start.
mkdir -p "$OUT/logs"
# Absolute paths, so that the jobs find them whatever their working directory (--chdir).
OUT=$(cd "$OUT" && pwd)
[[ -d "$SCENARIO" ]] && SCENARIO=$(cd "$SCENARIO" && pwd)
[[ -n "$CONFIGS" && -f "$CONFIGS" ]] && CONFIGS=$(cd "$(dirname "$CONFIGS")" && pwd)/$(basename "$CONFIGS")

# --parsable prints "jobid" or "jobid;cluster".
array_job=$(sbatch --parsable "$@" \
    --array="0-$((SHARDS - 1))" --cpus-per-task="$CPUS" --time="$TIME" \
    --output="$OUT/logs/sweep-%A_%a.log" \
    "$here/sweep.sbatch")
array_job=${array_job%%;*}

merge_job=$(sbatch --parsable "$@" \
    --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
    --output="$OUT/logs/merge-%j.log" \
    "$here/merge.sbatch")
merge_job=${merge_job%%;*}

echo "submitted $SHARDS shards of '$SCENARIO' (reps $REPS) as array job $array_job," \
    "merge job $merge_job → $OUT/merged" >&2
echo "array_job=$array_job"
echo "merge_job=$merge_job"
