//! `entente sweep DIR --reps N …`: configurations × grids × replications on every
//! core, resumable, shardable; and `entente merge SHARD_DIR… --out OUT`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use entente::experiment::manifest::{Layout, Manifest};
use entente::experiment::merge::{merge, read_folder};
use entente::experiment::progress::ProgressMode;
use entente::experiment::spec::{read_configs, GridAxis, Shard, SweepSpec};
use entente::experiment::sweep::{
    checkpoint_path, clear_progress, execute, SweepOptions, SweepState,
};
use entente::output::sweep::write_sweep;

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
    pub track: Vec<String>,
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
    /// Run only shard I of N (0 ≤ I < N) [default: from SLURM_ARRAY_TASK_ID and
    /// SLURM_ARRAY_TASK_COUNT when set].
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Continue an interrupted sweep in OUT without redoing finished runs.
    #[arg(long)]
    pub resume: bool,
    /// Output folder [default: outputs/<scenario>/<command>-<name or sweep id>/, e.g.
    /// sweep-3f2a9c1e/ or compare-3f2a9c1e/; with --shard, in it shard-I-of-N/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Name of the sweep, for the default output folder.
    #[arg(long)]
    pub name: Option<String>,
    /// A plain progress line every few seconds instead of a bar.
    #[arg(long)]
    pub quiet: bool,
    /// Seconds between checkpoints [default: 5; explore: 60].
    #[arg(long, hide = true)]
    pub checkpoint_every: Option<f64>,
}

/// A finished sweep: where it is, what it ran and its state.
pub struct Finished {
    pub out: PathBuf,
    pub manifest: Manifest,
    pub state: SweepState,
    pub seconds: f64,
    /// Whether the folder held the finished sweep already (`--resume` had nothing to do).
    pub already_complete: bool,
}

/// Sets up, runs and writes a sweep; shared by `sweep`, `compare` and `claims`.
pub fn run_sweep(
    spec: SweepSpec,
    grid: &[GridAxis],
    run: &SweepRunArgs,
    kind: &str,
) -> Result<Finished> {
    let shard = match run.shard {
        Some(s) => s,
        None => Shard::from_slurm_env()
            .map_err(anyhow::Error::msg)?
            .unwrap_or(Shard::WHOLE),
    };
    let models = spec.models()?;
    let layout = Layout::new(&spec, &models);
    let grid_text: Vec<String> = grid.iter().map(|g| g.to_string()).collect();
    let manifest = Manifest::new(&spec, layout, &grid_text, shard);
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
    let start = Instant::now();
    if run.resume && !checkpoint_path(&out).exists() && out.join("manifest.json").exists() {
        // A finished sweep (or shard) resumed, e.g. a requeued Slurm task: nothing to do.
        if let Ok((done, state)) = read_folder(&out) {
            if done.sweep_id == manifest.sweep_id
                && (done.shard.index, done.shard.count) == (shard.index, shard.count)
            {
                return Ok(Finished {
                    out,
                    manifest: done,
                    state,
                    seconds: 0.0,
                    already_complete: true,
                });
            }
        }
    }
    let state = execute(&spec, &models, &manifest, &opts)?;
    write_sweep(&manifest, &state, &out)
        .and_then(|()| clear_progress(&out))
        .with_context(|| format!("writing the sweep into {}", out.display()))?;
    Ok(Finished {
        out,
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
    let mut spec = SweepSpec::new(base, &args.scenario.set, configs, &args.grid, args.reps)?;
    if !args.track.is_empty() {
        spec = spec.with_track(args.track.clone())?;
    }
    let done = run_sweep(spec, &args.grid, &args.run, "sweep")?;
    entente::output::plot::write_sweep_plots(&done.out)
        .with_context(|| format!("drawing the plots of {}", done.out.display()))?;
    if done.already_complete {
        println!(
            "{} already holds this finished sweep ({} runs); nothing to resume",
            done.out.display(),
            done.state.rows.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
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

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The shard folders of one sweep.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Where to write the merged sweep.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn merge_shards(args: MergeArgs) -> Result<ExitCode> {
    let (manifest, state) = merge(&args.shards)?;
    write_sweep(&manifest, &state, &args.out)
        .with_context(|| format!("writing the merged sweep into {}", args.out.display()))?;
    if super::explore::after_merge(&args.shards, &args.out)? {
        println!(
            "merged {} shards, {} runs → {}",
            args.shards.len(),
            state.rows.len(),
            args.out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    entente::output::plot::write_sweep_plots(&args.out)
        .with_context(|| format!("drawing the plots of {}", args.out.display()))?;
    println!(
        "merged {} shards, {} runs → {}",
        args.shards.len(),
        state.rows.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
