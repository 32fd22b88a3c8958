//! Running a sweep: every run of this shard on every core, reduced as it goes,
//! checkpointed so that a killed sweep resumes where it stopped.
//!
//! Runs go in batches, in run order. Within a batch rayon runs them in parallel;
//! each worker folds its runs' trajectories into its own exact partial aggregate;
//! rows come back in run order. Between batches, when a checkpoint is due, the
//! partials are merged into the sweep's aggregates and everything done so far is
//! written atomically to `OUT/.progress/checkpoint.bin`. Because the aggregates are
//! exact integers, neither the thread count nor a resume changes any byte.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::aggregate::{Trajectories, CELL_BYTES};
use super::codec::{Decoder, Encoder};
use super::manifest::{ConfigLayout, Layout, Manifest, ShardInfo};
use super::progress::{Progress, ProgressMode};
use super::spec::{Shard, SweepSpec};
use crate::engine::{Model, Observer, RunId, RunMetrics, Simulation};
use crate::files::write_file_atomic;

/// One row of `runs.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRow {
    pub run: u64,
    pub config: usize,
    pub rep: u64,
    pub seed: u64,
    /// Why the run failed; its metrics are then all NaN.
    pub error: Option<String>,
    /// One value per metric column of the layout (NaN where the configuration has
    /// no such metric).
    pub values: Vec<f64>,
}

/// What a sweep (or shard) has done so far.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepState {
    pub sweep_id: String,
    pub shard: Shard,
    /// Every run below `next` that this shard owns is done.
    pub next: u64,
    pub rows: Vec<RunRow>,
    pub trajectories: Vec<Trajectories>,
}

impl SweepState {
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

    pub(crate) fn encode<W: Write>(&self, e: &mut Encoder<W>) -> io::Result<()> {
        e.str("entente-checkpoint-1")?;
        e.str(&self.sweep_id)?;
        e.u64(self.shard.index)?;
        e.u64(self.shard.count)?;
        e.u64(self.next)?;
        e.u64(self.rows.len() as u64)?;
        for r in &self.rows {
            e.u64(r.run)?;
            e.u64(r.config as u64)?;
            e.u64(r.rep)?;
            e.u64(r.seed)?;
            e.str(r.error.as_deref().unwrap_or(""))?;
            e.u64(r.values.len() as u64)?;
            for &v in &r.values {
                e.f64(v)?;
            }
        }
        e.u64(self.trajectories.len() as u64)?;
        for t in &self.trajectories {
            t.encode(e)?;
        }
        e.str("end")
    }

    pub(crate) fn decode<R: io::Read>(d: &mut Decoder<R>) -> io::Result<Self> {
        d.expect("entente-checkpoint-1")?;
        let sweep_id = d.str()?;
        let shard = Shard {
            index: d.u64()?,
            count: d.u64()?,
        };
        let next = d.u64()?;
        let n = d.u64()?;
        let mut rows = Vec::new();
        for _ in 0..n {
            let (run, config, rep, seed) = (d.u64()?, d.u64()? as usize, d.u64()?, d.u64()?);
            let error = Some(d.str()?).filter(|e| !e.is_empty());
            let k = d.u64()?;
            let values = (0..k).map(|_| d.f64()).collect::<io::Result<Vec<f64>>>()?;
            rows.push(RunRow {
                run,
                config,
                rep,
                seed,
                error,
                values,
            });
        }
        let c = d.u64()?;
        let trajectories = (0..c)
            .map(|_| Trajectories::decode(d))
            .collect::<io::Result<Vec<_>>>()?;
        d.expect("end")?;
        Ok(SweepState {
            sweep_id,
            shard,
            next,
            rows,
            trajectories,
        })
    }

    fn save(&self, path: &Path) -> io::Result<()> {
        let mut buf = Vec::new();
        self.encode(&mut Encoder(&mut buf))?;
        write_file_atomic(path, &buf)
    }

    fn load(path: &Path) -> io::Result<Self> {
        SweepState::decode(&mut Decoder(BufReader::new(File::open(path)?)))
    }
}

/// How to run a sweep.
#[derive(Clone, Debug)]
pub struct SweepOptions {
    pub out: PathBuf,
    pub threads: Option<usize>,
    pub shard: Shard,
    pub resume: bool,
    pub progress: ProgressMode,
    /// Seconds between checkpoints (0: after every batch).
    pub checkpoint_every: Duration,
}

/// Most worker threads a sweep may ask for (more only waste memory and time).
pub const MAX_THREADS: usize = 1024;

/// Most memory the trajectory aggregates may take (the sweep's own and the
/// workers' partial ones): 4 GiB.
pub const MEMORY_BUDGET: u64 = 4 << 30;

/// Why a sweep stopped.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("writing the sweep into {path}")]
    Write {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("reading {path}")]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path} holds an unfinished sweep: add --resume to continue it, or --force to start it over")]
    Unfinished { path: String },
    #[error("cannot resume: {path} holds a different sweep (id {found}; this command's is {expected}): rerun it with that sweep's arguments, or use another --out")]
    OtherSweep {
        path: String,
        found: String,
        expected: String,
    },
    #[error("--threads {0} is more than the {MAX_THREADS} a sweep may use")]
    TooManyThreads(usize),
    #[error("cannot start the thread pool: {0}")]
    Threads(String),
    #[error("the trajectory aggregates would need {gib:.1} GiB of memory ({configs} configuration(s) × {steps} steps × {pairs} tracked pairs × {CELL_BYTES} bytes, plus one more configuration's worth per worker thread), more than the 4 GiB budget: use fewer --steps, --track fewer pairs, fewer configurations or fewer --threads (--shard does not help: every shard holds every configuration's aggregates)")]
    TooMuchMemory {
        gib: f64,
        configs: usize,
        steps: usize,
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
struct KeyPairRecorder {
    values: Vec<f64>,
}

impl Observer for KeyPairRecorder {
    fn observe(&mut self, sim: &Simulation) {
        let model = sim.model();
        self.values
            .extend(model.key_pairs.iter().map(|&k| sim.alignment(k)));
    }
}

/// One run: its row and its trajectory (none if it failed).
pub fn run_one(
    model: &Model,
    layout_columns: &[usize],
    width: usize,
    run: u64,
    config: usize,
    id: RunId,
) -> (RunRow, Option<Vec<f64>>) {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let steps = model.params().steps as usize + 1;
        let mut recorder = KeyPairRecorder {
            values: Vec::with_capacity(steps * model.key_pairs.len()),
        };
        let mut metrics = RunMetrics::new(model);
        let mut sim = Simulation::new(model, id);
        sim.run(&mut (&mut recorder, &mut metrics));
        if let Some(pos) = recorder.values.iter().position(|x| !x.is_finite()) {
            let step = pos / model.key_pairs.len().max(1);
            return Err(format!("non-finite alignment at step {step}"));
        }
        Ok((metrics.finish(&sim), recorder.values))
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
        Ok(Ok((metrics, trajectory))) => {
            for (m, &col) in metrics.iter().zip(layout_columns) {
                row.values[col] = m.value;
            }
            (row, Some(trajectory))
        }
        Ok(Err(e)) => {
            row.error = Some(e);
            (row, None)
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown".into());
            row.error = Some(format!("run panicked: {msg}"));
            (row, None)
        }
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
    // One partial aggregate per worker and configuration, merged at checkpoints.
    let partials: Vec<Mutex<HashMap<usize, Trajectories>>> = (0..threads + 1)
        .map(|_| Mutex::new(HashMap::new()))
        .collect();
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
        if chunk.is_empty() {
            break;
        }
        let rows: Vec<RunRow> = pool.install(|| {
            chunk
                .par_iter()
                .map(|&run| {
                    let (config, id) = spec.run_id(run);
                    let (row, trajectory) = run_one(
                        &models[config],
                        &layout.configs[config].columns,
                        width,
                        run,
                        config,
                        id,
                    );
                    // A layout without pairs aggregates no trajectories.
                    let kept = !layout.configs[config].pairs.is_empty();
                    if let Some(t) = trajectory.filter(|_| kept) {
                        let slot = rayon::current_thread_index().unwrap_or(threads);
                        let mut map = partials[slot].lock().expect("a worker's own partial");
                        map.entry(config)
                            .or_insert_with(|| {
                                let c = &layout.configs[config];
                                Trajectories::new(c.steps, c.pairs.len())
                            })
                            .add(&t);
                    }
                    progress.inc();
                    row
                })
                .collect()
        });
        state.rows.extend(rows);
        state.next = chunk.last().expect("chunks are not empty") + 1;
        progress.tick();
        if last_save.elapsed() >= opts.checkpoint_every {
            merge_partials(&mut state, &partials);
            state.save(&checkpoint).map_err(write)?;
            last_save = Instant::now();
            saves += 1;
            if abort_after.is_some_and(|n| saves >= n) {
                std::process::abort();
            }
        }
    }
    merge_partials(&mut state, &partials);
    state.next = total;
    state.save(&checkpoint).map_err(write)?;
    progress.finish();
    Ok(state)
}

fn merge_partials(state: &mut SweepState, partials: &[Mutex<HashMap<usize, Trajectories>>]) {
    for p in partials {
        let mut map = p.lock().expect("no worker runs now");
        let mut configs: Vec<usize> = map.keys().copied().collect();
        configs.sort_unstable();
        for c in configs {
            state.trajectories[c].merge(&map[&c]);
        }
        map.clear();
    }
}

/// Writes `aggregates.bin`: the exact trajectory aggregates, for `entente merge`.
pub fn write_aggregates(state: &SweepState, path: &Path) -> io::Result<()> {
    let mut buf = Vec::new();
    let mut e = Encoder(&mut buf);
    e.str("entente-aggregates-1")?;
    e.u64(state.trajectories.len() as u64)?;
    for t in &state.trajectories {
        t.encode(&mut e)?;
    }
    write_file_atomic(path, &buf)
}

/// Reads `aggregates.bin`.
pub fn read_aggregates(path: &Path) -> io::Result<Vec<Trajectories>> {
    let mut d = Decoder(BufReader::new(File::open(path)?));
    d.expect("entente-aggregates-1")?;
    let n = d.u64()?;
    (0..n).map(|_| Trajectories::decode(&mut d)).collect()
}
