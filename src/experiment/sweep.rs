//! Running a sweep: every run of this shard on every core, reduced as it goes,
//! checkpointed so that a killed sweep resumes where it stopped.
//!
//! Runs go in batches, in run order. Within a batch rayon runs them in parallel;
//! each worker folds its runs' trajectories into its own exact partial aggregate;
//! rows come back in run order. Between batches, when a checkpoint is due, the
//! partials are merged into the sweep's aggregates and everything done so far is
//! written atomically to `OUT/.progress/checkpoint.bin`. Because the aggregates are
//! exact integers, neither the thread count nor a resume changes any byte.

use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::aggregate::{AddScratch, Trajectories, CELL_BYTES, MEMORY_BUDGET};
use super::codec;
use super::manifest::{ConfigLayout, Layout, Manifest, ShardInfo};
use super::progress::{Progress, ProgressMode};
use super::spec::{Shard, SweepSpec};
use crate::engine::{Model, Observer, RunId, RunMetrics, Simulation};
use crate::files::write_file_atomic;

/// One row of `runs.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    /// The run's number, `config × reps + rep`.
    pub run: u64,
    /// The configuration's index, from 0, in configuration order.
    pub config: usize,
    /// The replication's index within the configuration, from 0.
    pub rep: u64,
    /// The sweep's seed (the same in every row).
    pub seed: u64,
    /// Why the run failed; its metrics are then all NaN.
    pub error: Option<String>,
    /// One value per metric column of the layout (NaN where the configuration has
    /// no such metric).
    pub values: Vec<f64>,
}

/// What a sweep (or shard) has done so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepState {
    /// The id of the sweep (the manifest's `sweep_id`), checked on resume.
    pub sweep_id: String,
    /// The shard whose runs these are ([`Shard::WHOLE`] for a whole sweep), checked
    /// on resume.
    pub shard: Shard,
    /// Every run below `next` that this shard owns is done.
    pub next: u64,
    /// The rows of the runs done, in run order.
    pub rows: Vec<RunRow>,
    /// The trajectory aggregates of the runs done, one per configuration of the
    /// layout (no runs in a configuration without tracked pairs).
    pub trajectories: Vec<Trajectories>,
}

impl SweepState {
    /// The state before any run of `shard`: no rows, and an empty aggregate per
    /// configuration of the manifest's layout.
    pub fn new(manifest: &Manifest, shard: Shard) -> Self {
        SweepState {
            sweep_id: manifest.sweep_id.clone(),
            shard,
            next: 0,
            rows: Vec::new(),
            trajectories: manifest
                .layout
                .configs
                .iter()
                .map(|c| Trajectories::new(c.steps, c.pairs.len()))
                .collect(),
        }
    }

    fn save(&self, path: &Path) -> io::Result<()> {
        codec::write_file(path, CHECKPOINT, self)
    }

    fn load(path: &Path) -> io::Result<Self> {
        codec::read_file(path, CHECKPOINT)
    }
}

const CHECKPOINT: &str = "entente-checkpoint";
const AGGREGATES: &str = "entente-aggregates";

/// How to run a sweep.
#[derive(Clone, Debug)]
pub struct SweepOptions {
    /// The output folder; the checkpoint is kept in `OUT/.progress/`.
    pub out: PathBuf,
    /// Worker threads (`--threads`, at most [`MAX_THREADS`]; `None`: rayon's
    /// default, one per core), never more than the runs left to do.
    pub threads: Option<usize>,
    /// Which runs this process does (`--shard I/N`; [`Shard::WHOLE`] for all).
    pub shard: Shard,
    /// `--resume`: continue from the checkpoint in `OUT/.progress/`, if any, when it
    /// is this sweep's and shard's; without it a checkpoint there is refused.
    pub resume: bool,
    /// How progress is shown: a bar, plain lines or nothing.
    pub progress: ProgressMode,
    /// Seconds between checkpoints (0: after every batch).
    pub checkpoint_every: Duration,
}

/// Most worker threads a sweep may ask for (more only waste memory and time).
pub const MAX_THREADS: usize = 1024;

/// Why a sweep stopped.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// `OUT/.progress/`, its manifest or the checkpoint cannot be written.
    #[error("writing the sweep into {path}")]
    Write {
        /// The output folder.
        path: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// A manifest or the checkpoint of the output folder cannot be read or is
    /// damaged.
    #[error("reading {path}")]
    Read {
        /// The file.
        path: String,
        /// The OS error, or what is damaged.
        #[source]
        source: io::Error,
    },
    /// The folder holds a checkpoint and `--resume` was not given.
    #[error("{path} holds an unfinished sweep: add --resume to continue it, or --force to start it over")]
    Unfinished {
        /// The output folder.
        path: String,
    },
    /// `--resume` on a folder that holds another sweep, another shard of it, or
    /// another command's output.
    #[error("cannot resume: {path} holds a different sweep (id {found}; this command's is {expected}): rerun it with that sweep's arguments, or use another --out")]
    OtherSweep {
        /// The output folder.
        path: String,
        /// The sweep id the folder holds, with its shard or command where they
        /// differ from this one's.
        found: String,
        /// This command's sweep id (with its shard where the shards differ).
        expected: String,
    },
    /// `--threads` above [`MAX_THREADS`].
    #[error("--threads {0} is more than the {MAX_THREADS} a sweep may use")]
    TooManyThreads(usize),
    /// rayon cannot start the worker pool (its error).
    #[error("cannot start the thread pool: {0}")]
    Threads(String),
    /// The trajectory aggregates would take more than [`MEMORY_BUDGET`].
    #[error("the trajectory aggregates would need {gib:.1} GiB of memory ({configs} configuration(s) × {steps} steps × {pairs} tracked pairs × {CELL_BYTES} bytes, plus one more configuration's worth per worker thread), more than the 4 GiB budget: use fewer --steps, --track fewer pairs, fewer configurations or fewer --threads (--shard does not help: every shard holds every configuration's aggregates)")]
    TooMuchMemory {
        /// The memory they would need, in GiB (2³⁰ bytes).
        gib: f64,
        /// The number of configurations.
        configs: usize,
        /// Rows of the largest configuration's trajectory (its steps + 1).
        steps: usize,
        /// Tracked pairs of the largest configuration.
        pairs: usize,
    },
}

/// Checks that the trajectory aggregates fit in [`MEMORY_BUDGET`] before any is
/// allocated: the sweep's own per configuration, and per worker a partial one and
/// the trajectory of the run it is doing (8 bytes a cell).
fn check_memory(layout: &Layout, threads: usize) -> Result<(), SweepError> {
    let cells = |c: &ConfigLayout| c.steps as u128 * c.pairs.len() as u128;
    let all: u128 = layout.configs.iter().map(cells).sum();
    let Some(largest) = layout.configs.iter().max_by_key(|c| cells(c)) else {
        return Ok(());
    };
    let bytes =
        all * CELL_BYTES as u128 + threads as u128 * (CELL_BYTES as u128 + 8) * cells(largest);
    if bytes <= MEMORY_BUDGET as u128 {
        return Ok(());
    }
    Err(SweepError::TooMuchMemory {
        gib: bytes as f64 / (1u64 << 30) as f64,
        configs: layout.configs.len(),
        steps: largest.steps,
        pairs: largest.pairs.len(),
    })
}

/// The sweep id and shard a folder holds, from its manifest (the unfinished one
/// first), if it has one.
fn held_sweep(out: &Path) -> Result<Option<(String, Shard)>, SweepError> {
    for path in [
        out.join(".progress").join("manifest.json"),
        out.join("manifest.json"),
    ] {
        if !path.exists() {
            continue;
        }
        // Only the identity is read: any sweep's manifest has it.
        #[derive(serde::Deserialize)]
        struct Held {
            sweep_id: String,
            shard: ShardInfo,
        }
        let held: Held = std::fs::read_to_string(&path)
            .and_then(|text| serde_json::from_str(&text).map_err(io::Error::from))
            .map_err(|source| SweepError::Read {
                path: path.display().to_string(),
                source,
            })?;
        let shard = Shard {
            index: held.shard.index,
            count: held.shard.count,
        };
        return Ok(Some((held.sweep_id, shard)));
    }
    Ok(None)
}

/// Records the alignment of every key pair at every step.
struct KeyPairRecorder<'a> {
    values: &'a mut Vec<f64>,
}

impl Observer for KeyPairRecorder<'_> {
    fn observe(&mut self, sim: &Simulation) {
        let model = sim.model();
        self.values
            .extend(model.key_pairs.iter().map(|&k| sim.alignment(k)));
    }
}

/// One run: its row, and its trajectory in `trajectory` (`values[step * pairs +
/// pair]`, the buffer reused from run to run) unless it failed: then the row's
/// error says why and the result is false.
pub fn run_one(
    model: &Model,
    layout_columns: &[usize],
    width: usize,
    run: u64,
    config: usize,
    id: RunId,
    trajectory: &mut Vec<f64>,
) -> (RunRow, bool) {
    trajectory.clear();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut recorder = KeyPairRecorder {
            values: &mut *trajectory,
        };
        let mut metrics = RunMetrics::new(model);
        let mut sim = Simulation::new(model, id);
        sim.run(&mut (&mut recorder, &mut metrics));
        if let Some(pos) = recorder.values.iter().position(|x| !x.is_finite()) {
            let step = pos / model.key_pairs.len().max(1);
            return Err(format!("non-finite alignment at step {step}"));
        }
        Ok(metrics.finish(&sim))
    }));
    let mut row = RunRow {
        run,
        config,
        rep: id.rep,
        seed: id.seed,
        error: None,
        values: vec![f64::NAN; width],
    };
    match result {
        Ok(Ok(metrics)) => {
            for (m, &col) in metrics.iter().zip(layout_columns) {
                row.values[col] = m.value;
            }
            (row, true)
        }
        Ok(Err(e)) => {
            row.error = Some(e);
            (row, false)
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown".into());
            row.error = Some(format!("run panicked: {msg}"));
            (row, false)
        }
    }
}

/// What one worker thread keeps from run to run: allocated on its first run
/// and reused, so that a sweep's memory is the sweep's aggregates plus, per
/// worker, one configuration's aggregate and one run's trajectory.
#[derive(Default)]
struct Worker {
    /// The aggregate of its runs of one configuration since it last handed
    /// them on to the sweep's.
    partial: Option<(usize, Trajectories)>,
    trajectory: Vec<f64>,
    /// [`Trajectories::add_with`]'s buffers.
    scratch: AddScratch,
}

impl Worker {
    /// Adds the trajectory of a run of `config`, first handing on the runs of
    /// another configuration (or all of them, at a checkpoint, with `None`).
    fn hand_on(&mut self, totals: &[Mutex<Trajectories>], config: Option<usize>) {
        if let Some((held, partial)) = &mut self.partial {
            if Some(*held) != config {
                totals[*held]
                    .lock()
                    .expect("a worker panicked while merging")
                    .merge(partial);
                partial.clear();
                if let Some(c) = config {
                    *held = c;
                }
            }
        }
    }

    fn add(&mut self, totals: &[Mutex<Trajectories>], layout: &Layout, config: usize) {
        self.hand_on(totals, Some(config));
        let c = &layout.configs[config];
        let shape = (c.steps, c.pairs.len());
        match &mut self.partial {
            Some((_, p)) if (p.steps, p.pairs) == shape => {}
            // first run, or a configuration of another shape (other --steps)
            slot => *slot = Some((config, Trajectories::new(shape.0, shape.1))),
        }
        let (_, partial) = self.partial.as_mut().expect("just set");
        partial.add_with(&self.trajectory, &mut self.scratch);
    }
}

/// Path of the checkpoint of an output folder.
pub fn checkpoint_path(out: &Path) -> PathBuf {
    out.join(".progress").join("checkpoint.bin")
}

/// Runs the runs of `opts.shard` that are not done yet, checkpointing as it goes,
/// and returns the finished state. The caller writes the outputs.
pub fn execute(
    spec: &SweepSpec,
    models: &[Model],
    manifest: &Manifest,
    opts: &SweepOptions,
) -> Result<SweepState, SweepError> {
    let layout: &Layout = &manifest.layout;
    let out = opts.out.display().to_string();
    let write = |source| SweepError::Write {
        path: out.clone(),
        source,
    };
    let other = |id: &str, shard: Shard| {
        let with_shard = |id: &str, s: Shard| {
            if shard == opts.shard {
                id.to_string()
            } else {
                format!("{id} shard {s}")
            }
        };
        SweepError::OtherSweep {
            path: out.clone(),
            found: with_shard(id, shard),
            expected: with_shard(&manifest.sweep_id, opts.shard),
        }
    };
    if let Some(t) = opts.threads.filter(|&t| t > MAX_THREADS) {
        return Err(SweepError::TooManyThreads(t));
    }
    if opts.resume {
        // Resuming another sweep would silently start it over, or overwrite it.
        if let Some((id, shard)) = held_sweep(&opts.out)? {
            if id != manifest.sweep_id || shard != opts.shard {
                return Err(other(&id, shard));
            }
        }
    }
    let checkpoint = checkpoint_path(&opts.out);
    let resumed = if checkpoint.exists() {
        if !opts.resume {
            return Err(SweepError::Unfinished { path: out.clone() });
        }
        let s = SweepState::load(&checkpoint).map_err(|source| SweepError::Read {
            path: checkpoint.display().to_string(),
            source,
        })?;
        if s.sweep_id != manifest.sweep_id || s.shard != opts.shard {
            return Err(other(&s.sweep_id, s.shard));
        }
        Some(s)
    } else {
        None
    };

    // Runs are counted, not listed: memory must not grow with the replications.
    let total = spec.run_count();
    let owned_below = |n: u64| (n + opts.shard.count - 1 - opts.shard.index) / opts.shard.count;
    let mine_total = owned_below(total);
    let todo = mine_total - owned_below(resumed.as_ref().map_or(0, |s| s.next));
    // More threads than runs would only idle.
    let threads = opts
        .threads
        .unwrap_or_else(rayon::current_num_threads)
        .clamp(1, todo.max(1) as usize);
    check_memory(layout, threads)?;
    let mut state = resumed.unwrap_or_else(|| SweepState::new(manifest, opts.shard));
    std::fs::create_dir_all(checkpoint.parent().expect("checkpoint has a folder"))
        .map_err(write)?;
    write_file_atomic(
        opts.out.join(".progress").join("manifest.json"),
        manifest.to_json().as_bytes(),
    )
    .map_err(write)?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| SweepError::Threads(e.to_string()))?;
    let label = format!("{} sweep", spec.base.name);
    let mut progress = Progress::new(opts.progress, &label, mine_total, mine_total - todo);
    // The sweep's aggregates, which workers add their partial ones to when they
    // move to another configuration and the main thread at checkpoints.
    let totals: Vec<Mutex<Trajectories>> = std::mem::take(&mut state.trajectories)
        .into_iter()
        .map(Mutex::new)
        .collect();
    let workers: Vec<Mutex<Worker>> = (0..threads + 1).map(|_| Mutex::default()).collect();
    let width = layout.columns.len();
    let batch = (threads * 32).max(16);
    let mut last_save = Instant::now();
    // For the tests: a kill right after the N-th checkpoint, at the same point on
    // every machine (a real kill lands between two checkpoints, which leaves the
    // same files).
    let abort_after: Option<u64> = std::env::var("ENTENTE_ABORT_AFTER_CHECKPOINTS")
        .ok()
        .and_then(|n| n.parse().ok());
    let mut saves = 0;
    let mut runs = (state.next..total).filter(|&r| opts.shard.owns(r));
    loop {
        let chunk: Vec<u64> = runs.by_ref().take(batch).collect();
        let Some(&last) = chunk.last() else {
            break;
        };
        let rows: Vec<RunRow> = pool.install(|| {
            chunk
                .par_iter()
                .map(|&run| {
                    let (config, id) = spec.run_id(run);
                    let slot = rayon::current_thread_index().unwrap_or(threads);
                    let mut worker = workers[slot].lock().expect("a worker's own buffers");
                    let worker = &mut *worker;
                    let (row, ok) = run_one(
                        &models[config],
                        &layout.configs[config].columns,
                        width,
                        run,
                        config,
                        id,
                        &mut worker.trajectory,
                    );
                    // A layout without pairs aggregates no trajectories.
                    if ok && !layout.configs[config].pairs.is_empty() {
                        worker.add(&totals, layout, config);
                    }
                    progress.inc();
                    row
                })
                .collect()
        });
        state.rows.extend(rows);
        state.next = last + 1;
        progress.tick();
        // No checkpoint after the last batch: the outputs are written next.
        if last_save.elapsed() >= opts.checkpoint_every && state.next < total {
            let saved = with_totals(&mut state, &totals, &workers, |s| s.save(&checkpoint));
            saved.map_err(write)?;
            last_save = Instant::now();
            saves += 1;
            if abort_after.is_some_and(|n| saves >= n) {
                std::process::abort();
            }
        }
    }
    hand_on_all(&totals, &workers);
    state.trajectories = totals
        .into_iter()
        .map(|t| t.into_inner().expect("no worker runs now"))
        .collect();
    state.next = total;
    progress.finish();
    Ok(state)
}

/// Hands every worker's partial aggregate on to the sweep's.
fn hand_on_all(totals: &[Mutex<Trajectories>], workers: &[Mutex<Worker>]) {
    for w in workers {
        w.lock().expect("no worker runs now").hand_on(totals, None);
    }
}

/// Calls `f` with the whole state, its aggregates up to date, between batches.
fn with_totals<T>(
    state: &mut SweepState,
    totals: &[Mutex<Trajectories>],
    workers: &[Mutex<Worker>],
    f: impl FnOnce(&SweepState) -> T,
) -> T {
    hand_on_all(totals, workers);
    let lock = |t: &Mutex<Trajectories>| {
        std::mem::replace(&mut *t.lock().expect("idle"), Trajectories::new(0, 0))
    };
    state.trajectories = totals.iter().map(lock).collect();
    let result = f(state);
    for (t, back) in totals.iter().zip(state.trajectories.drain(..)) {
        *t.lock().expect("idle") = back;
    }
    result
}

/// Writes `aggregates.bin`: the exact trajectory aggregates, for `entente merge`.
pub fn write_aggregates(state: &SweepState, path: &Path) -> io::Result<()> {
    let owner = (&state.sweep_id, state.shard.index, state.shard.count);
    codec::write_file(path, AGGREGATES, &(owner, &state.trajectories))
}

/// Reads `aggregates.bin`: the sweep id and shard (index, count) that wrote it,
/// and its aggregates.
pub fn read_aggregates(path: &Path) -> io::Result<(AggregatesOwner, Vec<Trajectories>)> {
    codec::read_file(path, AGGREGATES)
}

/// Whose aggregates a file holds: (sweep id, shard index, shard count), so that
/// a shard's `aggregates.bin` copied into another shard's folder is refused.
pub type AggregatesOwner = (String, u64, u64);
