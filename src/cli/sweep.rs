//! `entente sweep DIR --reps N …`: configurations × grids × replications on every
//! core, resumable, shardable (shards are joined by `entente merge`, in `merge.rs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use entente::experiment::manifest::{Layout, Manifest};
use entente::experiment::merge::read_folder;
use entente::experiment::progress::ProgressMode;
use entente::experiment::spec::{read_configs, GridAxis, Shard, SweepSpec};
use entente::experiment::sweep::{checkpoint_path, execute, SweepError, SweepOptions, SweepState};
use entente::files::{check_name, read_marker, OutDir, Output};
use entente::output::sweep::write_sweep;
use entente::scenario::PairKey;

use super::ScenarioArgs;

#[derive(clap::Args, Debug)]
pub struct SweepArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Replications per configuration (at most 10 million runs in all).
    #[arg(long)]
    pub reps: u64,
    /// Named configurations: a CSV whose first column `config` names each row and
    /// whose other columns are parameter keys or pairs (`RUS-CHN`).
    #[arg(long, value_name = "FILE.csv")]
    pub configs: Option<PathBuf>,
    /// A grid axis, COUNT values from LO to HI; several axes (and configurations)
    /// multiply. Example: `--grid RUS-CHN=-0.5:0.7:4`.
    #[arg(long, value_name = "KEY=LO:HI:COUNT")]
    pub grid: Vec<GridAxis>,
    /// Aggregate the trajectories of these pairs only (comma-separated `A-B`)
    /// [default: the pairs the scenario names]. Each pair costs about 340 KB per
    /// configuration for 400 steps, and again per thread; a sweep whose aggregates
    /// would exceed 4 GiB is refused.
    #[arg(long, value_delimiter = ',', value_name = "A-B,…")]
    pub track: Vec<PairKey>,
    #[command(flatten)]
    pub run: SweepRunArgs,
}

/// How a sweep runs (shared with `compare` and `claims`).
#[derive(clap::Args, Debug, Clone)]
pub struct SweepRunArgs {
    /// Worker threads, at most 1024 and no more than the runs to do [default: one
    /// per core].
    #[arg(long)]
    pub threads: Option<usize>,
    /// Run only shard I of N (0 ≤ I < N) [default: in a Slurm job array
    /// --array=MIN-MAX:STEP, task ID is shard (ID − MIN)/STEP of its task count].
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Continue an interrupted sweep in OUT without redoing finished runs.
    #[arg(long)]
    pub resume: bool,
    /// Replace an output folder that holds another experiment (another command or
    /// sweep id), or start an unfinished one over; files entente did not write
    /// are never replaced.
    #[arg(long)]
    pub force: bool,
    /// Output folder [default: outputs/<scenario>/<command>-<name or the first 8
    /// characters of the sweep id>/, e.g. sweep-3f2a9c1e/, compare-demo/ or
    /// claims-2024-reps60/; with --shard, in it shard-I-of-N/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Name of the sweep, for the default output folder (a name, not a path).
    #[arg(long)]
    pub name: Option<String>,
    /// A plain progress line every few seconds instead of a bar.
    #[arg(long)]
    pub quiet: bool,
    /// Seconds between checkpoints [default: 5; explore: 60].
    #[arg(long, hide = true)]
    pub checkpoint_every: Option<f64>,
    #[command(flatten)]
    pub plots: super::PlotsArg,
}

/// A finished sweep: where it goes, what it ran and its state. Its outputs are in
/// a temporary folder ([`Finished::path`]), where the command adds its own files,
/// until [`Finished::commit`] moves them into place.
pub struct Finished {
    pub out: PathBuf,
    dir: Option<OutDir>,
    pub manifest: Manifest,
    pub state: SweepState,
    pub seconds: f64,
    /// Whether the folder held the finished sweep already (`--resume` had nothing to do).
    pub already_complete: bool,
}

impl Finished {
    /// Where the command writes its files now.
    pub fn path(&self) -> &Path {
        self.dir.as_ref().map_or(&self.out, |d| d.path())
    }

    /// Writes the marker and moves the folder into place.
    pub fn commit(&mut self) -> Result<()> {
        if let Some(dir) = self.dir.take() {
            dir.commit()
                .with_context(|| format!("writing the sweep into {}", self.out.display()))?;
        }
        Ok(())
    }
}

/// The marker id of a sweep's output: its sweep id, and the shard if it is one.
fn marker_id(manifest: &Manifest) -> String {
    let s = &manifest.shard;
    if s.count == 1 {
        manifest.sweep_id.clone()
    } else {
        format!("{} shard {}/{}", manifest.sweep_id, s.index, s.count)
    }
}

/// Sets up, runs and writes a sweep; shared by `sweep`, `compare` and `claims`.
/// `inputs` are the files it reads besides the scenario (the `--configs` file):
/// the output may not overlap them.
pub fn run_sweep(
    spec: SweepSpec,
    grid: &[GridAxis],
    run: &SweepRunArgs,
    kind: &str,
    inputs: &[&Path],
) -> Result<Finished> {
    let shard = match run.shard {
        Some(s) => s,
        None => Shard::from_slurm_env()
            .map_err(anyhow::Error::msg)?
            .unwrap_or(Shard::WHOLE),
    };
    // compare and claims analyse every run of every configuration; a shard's
    // analysis would be of a part, and merge does not redo it (explore's does).
    if shard != Shard::WHOLE && matches!(kind, "compare" | "claims") {
        let from = if run.shard.is_some() {
            "--shard"
        } else {
            "the Slurm array task (SLURM_ARRAY_TASK_ID)"
        };
        bail!(
            "`entente {kind}` analyses the whole sweep and does not run in shards (shard {shard} from {from}): run it in one job{}",
            if kind == "compare" {
                ", or shard `entente sweep --configs …` and `entente merge` the shards"
            } else {
                ""
            }
        );
    }
    let models = spec.models()?;
    let layout = Layout::new(&spec, &models);
    let grid_text: Vec<String> = grid.iter().map(|g| g.to_string()).collect();
    let manifest = Manifest::new(&spec, layout, &grid_text, shard);
    if let Some(name) = &run.name {
        check_name(name)?;
    }
    let out = run.out.clone().unwrap_or_else(|| {
        let name = run
            .name
            .clone()
            .unwrap_or_else(|| manifest.sweep_id[..8].to_string());
        let dir = PathBuf::from("outputs")
            .join(&spec.base.name)
            .join(format!("{kind}-{name}"));
        if shard == Shard::WHOLE {
            dir
        } else {
            dir.join(format!("shard-{}-of-{}", shard.index, shard.count))
        }
    });
    let checkpoint_every = run.checkpoint_every.unwrap_or(5.0);
    if !(checkpoint_every >= 0.0 && checkpoint_every.is_finite()) {
        bail!("--checkpoint-every must be a number of seconds ≥ 0");
    }
    if run.threads == Some(0) {
        bail!("--threads must be at least 1");
    }
    let opts = SweepOptions {
        out: out.clone(),
        threads: run.threads,
        shard,
        resume: run.resume,
        progress: ProgressMode::detect(run.quiet),
        checkpoint_every: Duration::from_secs_f64(checkpoint_every),
    };
    let mut output = Output::new(kind, marker_id(&manifest))
        .input(&spec.base.dir)
        .force(run.force)
        .keyed()
        .work(".progress");
    for input in inputs {
        output = output.input(input);
    }
    let start = Instant::now();
    let writing = || format!("writing the sweep into {}", out.display());
    let marker = read_marker(&out)?;
    if let Some(m) = marker.filter(|_| run.resume && !run.force) {
        if (m.command.as_str(), m.id.as_str()) != (kind, &output.id) {
            return Err(SweepError::OtherSweep {
                path: out.display().to_string(),
                found: if m.command == kind {
                    m.id
                } else {
                    format!("{}, of `entente {}`", m.id, m.command)
                },
                expected: output.id,
            }
            .into());
        }
        if !checkpoint_path(&out).exists() {
            // A finished sweep (or shard) resumed, e.g. a requeued Slurm task: nothing to do.
            let (done, state) = read_folder(&out)?;
            return Ok(Finished {
                out,
                dir: None,
                manifest: done,
                state,
                seconds: 0.0,
                already_complete: true,
            });
        }
    }
    match output.check(&out) {
        // Another shard of this very sweep (the marker id is `SWEEP_ID shard I/N`):
        // --force would destroy it.
        Err(entente::files::OutputError::Other { id, .. })
            if id.split(" shard ").next() == Some(manifest.sweep_id.as_str()) =>
        {
            bail!(
                "{} holds another shard of this sweep ({id}); give each shard its own --out \
                 (e.g. --out DIR/shard-$SLURM_ARRAY_TASK_ID), or leave --out out to get \
                 shard-I-of-N/ folders, and merge them with `entente merge`",
                out.display()
            );
        }
        checked => checked.with_context(writing)?,
    }
    let progress = out.join(".progress");
    if run.force && !run.resume && progress.exists() {
        std::fs::remove_dir_all(&progress).with_context(writing)?;
    }
    let state = execute(&spec, &models, &manifest, &opts)?;
    let write = || -> std::io::Result<OutDir> {
        let dir = output.begin(&out)?;
        write_sweep(&manifest, &state, dir.path())?;
        Ok(dir)
    };
    let dir = write().with_context(writing)?;
    Ok(Finished {
        out,
        dir: Some(dir),
        manifest,
        state,
        seconds: start.elapsed().as_secs_f64(),
        already_complete: false,
    })
}

pub fn sweep(args: SweepArgs) -> Result<ExitCode> {
    let base = args.scenario.load()?;
    let configs = match &args.configs {
        Some(path) => read_configs(path, &base)?,
        None => Vec::new(),
    };
    let mut spec = SweepSpec::new(
        base,
        &args.scenario.settings(),
        configs,
        &args.grid,
        args.reps,
    )?;
    if !args.track.is_empty() {
        spec = spec.with_track(args.track.clone())?;
    }
    let configs: Vec<&Path> = args.configs.iter().map(PathBuf::as_path).collect();
    let mut done = run_sweep(spec, &args.grid, &args.run, "sweep", &configs)?;
    if done.already_complete {
        println!(
            "{} already holds this finished sweep ({} runs); nothing to resume",
            done.out.display(),
            done.state.rows.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    entente::output::plot::write_sweep_plots(done.path(), args.run.plots.plots)
        .with_context(|| format!("drawing the plots of {}", done.out.display()))?;
    done.commit()?;
    let failed = done.state.rows.iter().filter(|r| r.error.is_some()).count();
    println!(
        "{} runs of {} configuration{} in {:.1}s ({:.0} runs/s){} → {}",
        done.state.rows.len(),
        done.manifest.layout.configs.len(),
        if done.manifest.layout.configs.len() == 1 {
            ""
        } else {
            "s"
        },
        done.seconds,
        done.state.rows.len() as f64 / done.seconds.max(1e-9),
        if failed > 0 {
            format!(", {failed} failed (see the error column of runs.csv)")
        } else {
            String::new()
        },
        done.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
