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

use super::aggregate::Trajectories;
use super::codec::{Decoder, Encoder};
use super::manifest::{Layout, Manifest};
use super::progress::{Progress, ProgressMode};
use super::spec::{Shard, SweepSpec};
use crate::engine::{Model, Observer, RunId, RunMetrics, Simulation};
use crate::output::atomic::write_file_atomic;

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

/// Why a sweep stopped.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("{path} holds an unfinished sweep: add --resume to continue it, or remove the folder")]
    Unfinished { path: String },
    #[error("cannot resume: {path} is the checkpoint of another sweep (its sweep id {found}, this sweep {expected})")]
    OtherSweep {
        path: String,
        found: String,
        expected: String,
    },
    #[error("cannot start the thread pool: {0}")]
    Threads(String),
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
    let checkpoint = checkpoint_path(&opts.out);
    let mut state = if checkpoint.exists() {
        if !opts.resume {
            return Err(SweepError::Unfinished {
                path: opts.out.display().to_string(),
            });
        }
        let s = SweepState::load(&checkpoint)?;
        if s.sweep_id != manifest.sweep_id || s.shard != opts.shard {
            return Err(SweepError::OtherSweep {
                path: checkpoint.display().to_string(),
                found: format!("{} shard {}", s.sweep_id, s.shard),
                expected: format!("{} shard {}", manifest.sweep_id, opts.shard),
            });
        }
        s
    } else {
        SweepState::new(manifest, opts.shard)
    };
    std::fs::create_dir_all(checkpoint.parent().expect("checkpoint has a folder"))?;
    write_file_atomic(
        opts.out.join(".progress").join("manifest.json"),
        manifest.to_json().as_bytes(),
    )?;

    let threads = opts
        .threads
        .unwrap_or_else(rayon::current_num_threads)
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| SweepError::Threads(e.to_string()))?;
    let total = spec.run_count();
    let owned = |r: u64| opts.shard.owns(r);
    let mine_total = (0..total).filter(|&r| owned(r)).count() as u64;
    let todo: Vec<u64> = (state.next..total).filter(|&r| owned(r)).collect();
    let label = format!("{} sweep", spec.base.name);
    let mut progress = Progress::new(
        opts.progress,
        &label,
        mine_total,
        mine_total - todo.len() as u64,
    );
    // One partial aggregate per worker and configuration, merged at checkpoints.
    let partials: Vec<Mutex<HashMap<usize, Trajectories>>> = (0..threads + 1)
        .map(|_| Mutex::new(HashMap::new()))
        .collect();
    let width = layout.columns.len();
    let batch = (threads * 32).max(16);
    let mut last_save = Instant::now();
    for chunk in todo.chunks(batch) {
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
                    if let Some(t) = trajectory {
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
            state.save(&checkpoint)?;
            last_save = Instant::now();
        }
    }
    merge_partials(&mut state, &partials);
    state.next = total;
    state.save(&checkpoint)?;
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

/// Removes the progress folder once the outputs are in place.
pub fn clear_progress(out: &Path) -> io::Result<()> {
    let dir = out.join(".progress");
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    Ok(())
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
