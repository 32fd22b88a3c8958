//! `entente explore DIR [--samples N] [--reps R] [--ranges FILE.csv] …`: the
//! claims over a Latin hypercube of the uncertain mechanism weights, run as one
//! sweep; the EMA Workbench's `experiments.csv` / `outcomes.csv`, the share of the
//! space per verdict, PRIM boxes where each claim fails, sensitivity, plots.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use entente::analysis::{design, ranges};
use entente::experiment::claims::Cast;
use entente::experiment::explore::{
    self, analyse, box_sentence, ExploreRecord, RangeRecord, DEFAULT_REPS, RECORD_FORMAT,
};
use entente::experiment::manifest::Manifest;
use entente::experiment::spec::SweepSpec;
use entente::experiment::sweep::RunRow;
use entente::files::write_file_atomic;
use entente::scenario::{PairKey, Scenario, Setting, Stance};

use super::sweep::{run_sweep, SweepRunArgs};
use super::ScenarioArgs;

#[derive(clap::Args, Debug)]
pub struct ExploreArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Experiments: points of the Latin hypercube over the weights' ranges (the
    /// design is fixed by --seed).
    #[arg(long, default_value_t = 200)]
    samples: usize,
    /// Replications of each claim's experiment (both arms) at each point.
    #[arg(long, default_value_t = DEFAULT_REPS)]
    reps: u64,
    /// Plausible ranges that replace or add to the built-in table: a CSV
    /// `key,low,high[,scale]` (scale `linear` or `log`). `--set KEY=V` fixes a
    /// weight instead and takes it out of the design.
    #[arg(long, value_name = "FILE.csv")]
    ranges: Option<PathBuf>,
    /// The state that reaches out.
    #[arg(long, default_value = "USA")]
    actor: String,
    /// The state it reaches out to.
    #[arg(long, default_value = "RUS")]
    target: String,
    /// The third power of the triangle.
    #[arg(long, default_value = "CHN")]
    third: String,
    #[command(flatten)]
    run: SweepRunArgs,
}

/// Checks the cast as `entente claims` does.
fn check_cast(base: &Scenario, cast: &Cast) -> Result<()> {
    let mut states = Vec::new();
    for id in [&cast.actor, &cast.target, &cast.third] {
        let Some(i) = base.state_index(id) else {
            bail!(
                "state `{id}` is not in {} (choose the cast with --actor, --target, --third)",
                base.dir.display()
            );
        };
        states.push(i);
    }
    if states[0] == states[1] || states[1] == states[2] || states[0] == states[2] {
        bail!(
            "--actor {}, --target {} and --third {} must be three different states",
            cast.actor,
            cast.target,
            cast.third
        );
    }
    if !base.has_policy(states[0], states[1], Stance::LessHardline) {
        bail!(
            "{} has no less-hardline policy from {} to {} (policies.csv): the claims \
             test how {} answers that approach",
            base.dir.display(),
            cast.actor,
            cast.target,
            cast.target
        );
    }
    Ok(())
}

pub fn run(mut args: ExploreArgs) -> Result<ExitCode> {
    let base = args.scenario.load()?;
    let cast = Cast {
        actor: args.actor.clone(),
        target: args.target.clone(),
        third: args.third.clone(),
    };
    check_cast(&base, &cast)?;
    if args.samples < 2 {
        bail!("--samples must be at least 2");
    }
    let mut table = match &args.ranges {
        Some(path) => ranges::read_ranges(path)?,
        None => ranges::default_ranges(),
    };
    // A weight set on the command line is fixed, not explored.
    table.retain(|r| !args.scenario.set.iter().any(|s| s.key.trim() == r.key));
    if table.is_empty() {
        bail!("every weight of the ranges is fixed by --set: nothing to explore");
    }
    let points = design::design(&table, args.samples, base.params.seed);
    let record = ExploreRecord {
        format: RECORD_FORMAT.into(),
        samples: args.samples,
        seed: base.params.seed,
        reps: args.reps,
        actor: cast.actor.clone(),
        target: cast.target.clone(),
        third: cast.third.clone(),
        set: applied(&args.scenario),
        ranges: table.iter().map(RangeRecord::from).collect(),
        points,
    };
    let plan = explore::plan(&base, &record).map_err(anyhow::Error::msg)?;
    if args.run.out.is_none() && args.run.name.is_none() {
        args.run.name = Some(format!(
            "{}-n{}-reps{}",
            base.params.seed, args.samples, args.reps
        ));
    }
    // The cast's pairs, as `claims` tracks them, for their final alignments; but
    // no trajectories: 10 000 configurations' bands would say nothing, and their
    // aggregates would not fit in memory.
    let track = [
        (&cast.actor, &cast.target),
        (&cast.target, &cast.third),
        (&cast.actor, &cast.third),
    ]
    .iter()
    .map(|(a, b)| PairKey::new(a, b))
    .collect();
    let spec = SweepSpec::new(base, &[], plan.configs.clone(), &[], args.reps)?
        .without_trajectories()
        .with_track(track)?;
    // A checkpoint rewrites every row done so far (1 KB a run): at a few hundred
    // thousand runs, one every 5 s would cost more than the runs.
    args.run.checkpoint_every.get_or_insert(60.0);
    let mut done = run_sweep(spec, &[], &args.run, "explore", &[])?;
    write_file_atomic(done.path().join("explore.json"), &record_json(&record))?;
    if done.manifest.shard.count > 1 {
        done.commit()?;
        println!(
            "shard {}/{} of the exploration: {} runs → {}; `entente merge` the shard folders to analyse it",
            done.manifest.shard.index,
            done.manifest.shard.count,
            done.state.rows.len(),
            done.out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut rows = done.state.rows.clone();
    rows.sort_by_key(|r| r.run);
    let text = finish(done.path(), &record, &plan, &done.manifest, &rows)?;
    done.commit()?;
    print!("{text}");
    println!(
        "{} experiments × {} configurations × {} reps = {} runs in {:.1}s ({:.0} runs/s) → {}",
        record.points.len(),
        plan.configs.len() / record.points.len().max(1),
        args.reps,
        rows.len(),
        done.seconds,
        rows.len() as f64 / done.seconds.max(1e-9),
        done.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Every setting the base scenario got on the command line, as `load` applied
/// them, so that `merge` can rebuild it.
fn applied(scenario: &ScenarioArgs) -> Vec<String> {
    let mut set: Vec<String> = scenario.set.iter().map(|s| s.to_string()).collect();
    set.extend(scenario.steps.map(|v| format!("steps={v}")));
    set.extend(scenario.seed.map(|v| format!("seed={v}")));
    set
}

fn record_json(record: &ExploreRecord) -> Vec<u8> {
    (serde_json::to_string_pretty(record).expect("an explore record serializes") + "\n")
        .into_bytes()
}

/// Analyses a finished exploration and writes its files; returns what the
/// terminal shows.
fn finish(
    out: &Path,
    record: &ExploreRecord,
    plan: &explore::Plan,
    manifest: &Manifest,
    rows: &[RunRow],
) -> Result<String> {
    let outcomes = explore::outcomes(plan, manifest, rows);
    let analyses = analyse(&record.points, &outcomes);
    let keys = record.keys();
    let files: [(&str, Vec<u8>); 7] = [
        ("experiments.csv", explore::experiments_csv(record)),
        ("outcomes.csv", explore::outcomes_csv(&outcomes)),
        ("verdicts.csv", explore::verdicts_csv(&analyses)),
        ("prim_boxes.csv", explore::prim_boxes_csv(&analyses, &keys)),
        (
            "prim_trajectory.csv",
            explore::prim_trajectory_csv(&analyses),
        ),
        (
            "sensitivity.csv",
            explore::sensitivity_csv(&analyses, &keys),
        ),
        ("explore.json", record_json(record)),
    ];
    for (name, bytes) in files {
        write_file_atomic(out.join(name), &bytes)
            .with_context(|| format!("writing {}", out.join(name).display()))?;
    }
    entente::output::plot::explore::write_explore_plots(out, record, &outcomes, &analyses)
        .with_context(|| format!("drawing the plots of {}", out.display()))?;
    Ok(render(record, &analyses))
}

/// The terminal summary: shares per verdict, where each claim fails, what
/// drives its effect.
fn render(record: &ExploreRecord, analyses: &[explore::ClaimAnalysis]) -> String {
    let keys = record.keys();
    let pct = |s: &explore::Share| {
        format!(
            "{:.0}% [{:.0}, {:.0}]",
            100.0 * s.share,
            100.0 * s.low,
            100.0 * s.high
        )
    };
    let header = [
        "#",
        "supported",
        "holds w/o mechanism",
        "contradicted",
        "inconclusive",
    ];
    let rows: Vec<Vec<String>> = analyses
        .iter()
        .map(|a| {
            let mut r = vec![a.label.clone()];
            r.extend(a.shares.iter().map(pct));
            r
        })
        .collect();
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, x) in width.iter_mut().zip(r) {
            *w = (*w).max(x.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (x, w) in cells.iter().zip(&width) {
            s += x;
            s += &" ".repeat(w - x.chars().count() + 2);
        }
        s.trim_end().to_string() + "\n"
    };
    let mut text = format!(
        "Share of the {} experiments (Latin hypercube over {} weights) per verdict, 95% CI:\n",
        record.points.len(),
        keys.len()
    );
    text += &line(header.to_vec());
    for r in &rows {
        text += &line(r.iter().map(String::as_str).collect());
    }
    text += "\nWhere each claim is not supported (PRIM: the EMA Workbench's first box, less its restrictions of quasi-p > 0.05):\n";
    for a in analyses {
        text += &format!("  {}\n", box_sentence(a, &keys));
    }
    text +=
        "\nWhat drives each claim's effect (first-order Sobol' index, from the design points):\n";
    for a in analyses {
        let mut order: Vec<usize> = (0..keys.len())
            .filter(|&j| a.sensitivity[j].is_finite())
            .collect();
        order.sort_by(|&x, &y| {
            a.sensitivity[y]
                .total_cmp(&a.sensitivity[x])
                .then(x.cmp(&y))
        });
        let top: Vec<String> = order
            .iter()
            .take(3)
            .map(|&j| format!("{} {:.2}", keys[j], a.sensitivity[j]))
            .collect();
        text += &format!(
            "  {} ({}): {}\n",
            a.label,
            a.metric,
            if top.is_empty() {
                "—".into()
            } else {
                top.join(", ")
            }
        );
    }
    text
}

/// After `entente merge`: if the shards are an exploration's, analyse the merged
/// folder. Returns whether they were.
pub fn after_merge(
    shards: &[PathBuf],
    out: &Path,
    manifest: &Manifest,
    state: &entente::experiment::sweep::SweepState,
) -> Result<bool> {
    let Some(first) = shards.first() else {
        return Ok(false);
    };
    let path = first.join("explore.json");
    if !path.exists() {
        return Ok(false);
    }
    let record: ExploreRecord = std::fs::read_to_string(&path)
        .map_err(anyhow::Error::from)
        .and_then(|t| serde_json::from_str(&t).map_err(anyhow::Error::from))
        .with_context(|| format!("reading {}", path.display()))?;
    if record.format != RECORD_FORMAT {
        bail!(
            "{}: format `{}` is not {RECORD_FORMAT}",
            path.display(),
            record.format
        );
    }
    let mut base = Scenario::load(&manifest.scenario_dir).with_context(|| {
        format!(
            "loading the scenario {} the exploration ran on (run merge from the folder explore ran in)",
            manifest.scenario_dir
        )
    })?;
    let set: Vec<Setting> = record
        .set
        .iter()
        .map(|s| s.parse().map_err(anyhow::Error::msg))
        .collect::<Result<_>>()?;
    base.apply_all(&set)?;
    if base.hash() != manifest.scenario_hash {
        bail!(
            "{} has changed since the exploration ran (its hash differs from manifest.json's)",
            manifest.scenario_dir
        );
    }
    let plan = explore::plan(&base, &record).map_err(anyhow::Error::msg)?;
    let text = finish(out, &record, &plan, manifest, &state.rows)?;
    print!("{text}");
    Ok(true)
}
