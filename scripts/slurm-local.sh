#!/usr/bin/env bash
# End-to-end test of examples/slurm/ on a one-node Slurm cluster on this machine.
#
#   cargo build --release && bash scripts/slurm-local.sh        # as root, from the repo root
#
# It installs Debian's slurm-wlm if needed, starts munged, slurmctld and slurmd directly (no
# systemd) with a configuration in a temporary folder (nothing in /etc is changed), submits
# the sweep job array and its dependent merge job with examples/slurm/submit.sh, waits for the
# merge, and checks that the merged runs.csv, summary.csv and trajectories.csv are the bytes of
# the same sweep run unsharded. It prints `slurm-local: PASS` or `slurm-local: FAIL: why`,
# exits non-zero on failure, and always stops the daemons it started.
#
# Settings (environment): ENTENTE [target/release/entente], SCENARIO [scenarios/world-2024],
# CONFIGS [$SCENARIO/triangles.csv], REPS [40], SHARDS [4], EXTRA_ARGS [none],
# TIMEOUT seconds for the jobs [180], KEEP=1 to keep the temporary folder,
# SLURMCTLD_PORT/SLURMD_PORT [6817/6818].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

ENTENTE=${ENTENTE:-$repo/target/release/entente}
SCENARIO=${SCENARIO:-scenarios/world-2024}
if [[ -z "${CONFIGS+set}" && -f "$SCENARIO/triangles.csv" ]]; then
    CONFIGS=$SCENARIO/triangles.csv
fi
CONFIGS=${CONFIGS:-}
REPS=${REPS:-40}
SHARDS=${SHARDS:-4}
EXTRA_ARGS=${EXTRA_ARGS:-}
TIMEOUT=${TIMEOUT:-180}
KEEP=${KEEP:-0}

start_time=$SECONDS
log() { echo "slurm-local: [$((SECONDS - start_time))s] $*" >&2; }
fail() {
    echo "slurm-local: FAIL: $*"
    exit 1
}

[[ $EUID -eq 0 ]] || fail "run as root (it starts munged, slurmctld and slurmd)"
[[ -x "$ENTENTE" ]] || fail "no entente binary at $ENTENTE (cargo build --release first)"
[[ "$ENTENTE" == /* ]] || ENTENTE=$repo/$ENTENTE
# The sweeps of this script must not pick up shard variables of an enclosing Slurm job.
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_COUNT SLURM_JOB_ID SLURM_CONF

# --- 1. Slurm and munge from Debian --------------------------------------------------------
missing=0
for cmd in sbatch squeue sinfo scontrol slurmctld slurmd munged mungekey; do
    command -v "$cmd" >/dev/null || missing=1
done
if ((missing)); then
    log "installing slurm-wlm (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q slurm-wlm >/tmp/slurm-local-apt.log 2>&1; then
        log "apt-get install failed; apt-get update and retry"
        apt-get update -q >>/tmp/slurm-local-apt.log 2>&1 || true
        apt-get install -y -q slurm-wlm >>/tmp/slurm-local-apt.log 2>&1 ||
            { tail -20 /tmp/slurm-local-apt.log >&2; fail "apt-get install slurm-wlm failed"; }
    fi
fi
log "$(slurmd -V), $(munged --version 2>&1 | head -1)"

# --- 2. A temporary cluster ------------------------------------------------------------------
work=$(mktemp -d /tmp/slurm-local.XXXXXX)
# munged refuses a socket whose parent folders are not searchable by all.
chmod 755 "$work"
mkdir -p "$work"/{munge,state,spool,log,out}

pids=()
daemon_names=()
jobs_submitted=""
cleanup() {
    local status=$?
    set +e
    if [[ -n "$jobs_submitted" ]]; then
        # shellcheck disable=SC2086 # two job ids, split on purpose
        scancel $jobs_submitted 2>/dev/null
        for _ in $(seq 1 20); do
            [[ -z "$(squeue -h -j "${jobs_submitted// /,}" 2>/dev/null)" ]] && break
            sleep 0.5
        done
    fi
    # Each slurmstepd (one per running job step) has a socket in the spool folder until it
    # exits; give them a moment to finish so that none outlives slurmd.
    for _ in $(seq 1 20); do
        [[ -z "$(find "$work/spool" -type s 2>/dev/null)" ]] && break
        sleep 0.5
    done
    # Stop in reverse order of start: slurmd, slurmctld, munged; by pid, never by name.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill "${pids[i]}" 2>/dev/null
    done
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        for _ in $(seq 1 50); do
            kill -0 "${pids[i]}" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "${pids[i]}" 2>/dev/null; then
            log "${daemon_names[i]} (pid ${pids[i]}) did not stop; SIGKILL"
            kill -9 "${pids[i]}" 2>/dev/null
        fi
        wait "${pids[i]}" 2>/dev/null
    done
    if ((status != 0)); then
        for f in "$work"/log/* "$work"/out/logs/*.log; do
            [[ -s "$f" ]] || continue
            # A daemon's stderr repeats its log file; show it only when the log is empty.
            [[ "$f" == *.stderr && -s "${f%.stderr}.log" ]] && continue
            echo "----- $f (last 30 lines)" >&2
            tail -30 "$f" >&2
        done
    fi
    if [[ "$KEEP" == 1 ]]; then
        log "kept $work"
    else
        rm -rf "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_daemon() { # NAME COMMAND…: run in the foreground of a background job, remember its pid
    local name=$1
    shift
    "$@" >>"$work/log/$name.stderr" 2>&1 &
    pids+=($!)
    daemon_names+=("$name")
}

# munge: our own key and socket, so a system munged (if any) is left alone.
if ! mungekey --create --keyfile="$work/munge/munge.key" 2>>"$work/log/munged.log"; then
    if command -v create-munge-key >/dev/null; then
        create-munge-key -f -k "$work/munge/munge.key"   # older munge
    else
        dd if=/dev/urandom of="$work/munge/munge.key" bs=1 count=1024 status=none
    fi
fi
chmod 600 "$work/munge/munge.key"
socket=$work/munge/munge.socket
start_daemon munged munged --foreground --socket="$socket" \
    --key-file="$work/munge/munge.key" --pid-file="$work/munge/munged.pid" \
    --seed-file="$work/munge/munged.seed" --log-file="$work/log/munged.log"
for _ in $(seq 1 50); do
    [[ -S "$socket" ]] && break
    sleep 0.1
done
munge -n -S "$socket" | unmunge -S "$socket" >/dev/null || fail "munged does not answer on $socket"

# slurm.conf: this node as it is (slurmd -C), reached on 127.0.0.1 so that no name resolution
# is needed; processes tracked without cgroups (containers, gVisor and CI rarely allow them).
node=$(hostname -s)
node_hw=$(slurmd -C | head -1 | sed -e 's/^NodeName=[^ ]* //' -e 's/ *UpTime=.*//')
ctld_port=${SLURMCTLD_PORT:-6817}
slurmd_port=${SLURMD_PORT:-6818}
for port in "$ctld_port" "$slurmd_port"; do
    # A Slurm already listening there (another cluster, or a run killed with SIGKILL) would
    # answer our sinfo/sbatch in place of ours.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        fail "port $port is in use (a Slurm daemon still running?); set SLURMCTLD_PORT/SLURMD_PORT"
    fi
done
export SLURM_CONF=$work/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=entente-local
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node $node_hw State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
log "slurm.conf: NodeName=$node $node_hw"

# -D: stay in the foreground (of a background job), so that the pid is the daemon's own.
start_daemon slurmctld slurmctld -D -i -f "$SLURM_CONF"
start_daemon slurmd slurmd -D -f "$SLURM_CONF"

state=""
for _ in $(seq 1 120); do
    for ((i = 0; i < ${#pids[@]}; i++)); do
        kill -0 "${pids[i]}" 2>/dev/null || fail "${daemon_names[i]} exited (see its log above)"
    done
    state=$(sinfo -h -N -n "$node" -o '%t' 2>/dev/null || true)
    [[ "$state" == idle ]] && break
    sleep 0.5
done
[[ "$state" == idle ]] || fail "node $node is not idle after 60 s (sinfo: '${state:-no answer}')"
log "node $node idle: $(sinfo -h -o '%P %a %D %t %C')"

# --- 3. The sweep: Slurm array + merge, and unsharded ------------------------------------------
out=$work/out
submitted=$(ENTENTE=$ENTENTE SCENARIO=$SCENARIO CONFIGS=$CONFIGS REPS=$REPS SHARDS=$SHARDS \
    EXTRA_ARGS=$EXTRA_ARGS OUT=$out CPUS=1 TIME=00:10:00 \
    bash examples/slurm/submit.sh) || fail "examples/slurm/submit.sh failed"
array_job=$(sed -n 's/^array_job=//p' <<<"$submitted")
merge_job=$(sed -n 's/^merge_job=//p' <<<"$submitted")
[[ -n "$array_job" && -n "$merge_job" ]] || fail "submit.sh printed no job ids: $submitted"
jobs_submitted="$array_job $merge_job"
deadline=$((SECONDS + TIMEOUT))
log "submitted array job $array_job ($SHARDS tasks) and merge job $merge_job"

# The unsharded reference, with the arguments sweep.sbatch gives each shard (minus --out).
ref_args=(sweep "$SCENARIO" --reps "$REPS")
[[ -n "$CONFIGS" ]] && ref_args+=(--configs "$CONFIGS")
read -r -a extra <<<"$EXTRA_ARGS"
ref_args+=("${extra[@]}" --out "$work/unsharded" --threads 1 --quiet)
log "unsharded: entente ${ref_args[*]}"
"$ENTENTE" "${ref_args[@]}" >"$work/log/unsharded.log" 2>&1 || fail "the unsharded sweep failed"

while [[ -n "$(squeue -h -j "$array_job,$merge_job" -o '%i' 2>/dev/null)" ]]; do
    ((SECONDS < deadline)) || fail "jobs still queued or running after ${TIMEOUT}s: $(squeue -h -o '%i %j %T %R')"
    sleep 1
done
jobs_submitted=""

job_state() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | tr '\n' ' '; }
log "array job: $(job_state "$array_job")| merge job: $(job_state "$merge_job")"
[[ "$(job_state "$array_job")" == "JobState=COMPLETED " ]] || fail "a task of the array job did not complete"
[[ "$(job_state "$merge_job")" == "JobState=COMPLETED " ]] || fail "the merge job did not complete"

# --- 4. Compare ---------------------------------------------------------------------------
shards=$(find "$out" -maxdepth 1 -name 'shard-*' -type d | wc -l)
((shards == SHARDS)) || fail "$shards shard folders in $out, expected $SHARDS"
for f in runs.csv summary.csv trajectories.csv; do
    [[ -s "$out/merged/$f" ]] || fail "no merged $f"
    cmp "$work/unsharded/$f" "$out/merged/$f" >&2 || fail "merged $f differs from the unsharded sweep's"
done
runs=$(($(wc -l <"$out/merged/runs.csv") - 1))
echo "slurm-local: PASS: $SHARDS-task job array + merge = unsharded sweep ($runs runs;" \
    "runs.csv, summary.csv, trajectories.csv identical) in $((SECONDS - start_time))s"
