//! `entente run DIR`: one run, its outputs, and a short summary on the terminal.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use entente::engine::metrics::{Metric, Subject};
use entente::engine::{Model, RunId};
use entente::output::run::{find, run_output, run_size, write_run_watched};
use std::io::IsTerminal;

use super::ScenarioArgs;

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Output folder [default: outputs/<scenario>/run-<seed>/, or
    /// run-<seed>-rep-<K>/ with --replication].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Go ahead where entente would refuse to: replace an output folder that holds
    /// another command's output (a run replaces a run without it; files entente did
    /// not write are never replaced), and run when the estimated output or memory
    /// is above its limit.
    #[arg(long)]
    force: bool,
    /// Run replication K of a sweep on its own (runs.csv's `rep`): with the
    /// sweep's `--set`, `--seed` and `--steps` it gives that row's metrics exactly.
    #[arg(long, value_name = "K", default_value_t = 0)]
    replication: u64,
    /// With --replication: the sweep's configuration, counted from 0 in the order
    /// of runs.csv (its `run` is C × reps + K); give the configuration's settings
    /// with --set.
    #[arg(long, value_name = "C", default_value_t = 0)]
    config_index: u64,
    /// Write the rows of alignments.csv and states.csv every K steps only (and at
    /// step 0 and the last step); events.csv keeps every step.
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    every: u64,
    #[command(flatten)]
    plots: super::PlotsArg,
}

/// Shows the steps of a long run on a progress bar (drawn on a terminal only).
struct StepBar(indicatif::ProgressBar);

impl entente::engine::Observer for StepBar {
    fn observe(&mut self, sim: &entente::engine::Simulation) {
        self.0.set_position(sim.step_count());
    }
}

pub fn run(args: RunArgs) -> Result<ExitCode> {
    let scenario = args.scenario.load()?;
    let seed = scenario.params.seed;
    let id = RunId::new(seed, args.config_index, args.replication);
    let out = args.out.unwrap_or_else(|| {
        let mut name = format!("run-{seed}");
        if args.config_index != 0 {
            name += &format!("-config-{}", args.config_index);
        }
        if (args.config_index, args.replication) != (0, 0) {
            name += &format!("-rep-{}", args.replication);
        }
        PathBuf::from("outputs").join(&scenario.name).join(name)
    });
    let model = Model::new(scenario);
    let size = run_size(&model, args.every);
    if let Some(why) = size.refusal(args.every).filter(|_| !args.force) {
        anyhow::bail!("{}: {why}", model.scenario.dir.display());
    }
    // A bar when the run will take more than a few seconds (drawn on a terminal only).
    let bar = if size.seconds > 3.0 && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(model.params().steps);
        bar.set_style(
            indicatif::ProgressStyle::with_template("run {wide_bar} step {pos}/{len} · ETA {eta}")
                .expect("a valid template"),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut watch = StepBar(bar);
    let output = run_output(&model, id).force(args.force);
    let formats = args.plots.plots;
    let report = write_run_watched(&model, id, &out, &output, args.every, formats, &mut watch)
        .with_context(|| format!("writing the run into {}", out.display()))?;
    watch.0.finish_and_clear();
    println!(
        "{} → {}",
        super::validate::summary_line(&model),
        report.out.display()
    );
    print!("{}", human_summary(&model, &report.metrics));
    Ok(ExitCode::SUCCESS)
}

/// Camps, balance index, and the reciprocation of each policy's target.
pub fn human_summary(model: &Model, metrics: &[Metric]) -> String {
    let s = &model.scenario;
    let mut text = String::new();
    let camp_of = |i: usize| find(metrics, "camp", Subject::State(i as u32)).unwrap_or(0.0);
    let members = |c: f64| {
        (0..s.states.len())
            .filter(|&i| camp_of(i) == c)
            .map(|i| s.states[i].id.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (zero, one) = (members(0.0), members(1.0));
    if one.is_empty() {
        text += &format!("camps:         one camp {{{zero}}}\n");
    } else {
        text += &format!("camps:         {{{zero}}} vs {{{one}}}\n");
    }
    let bi = find(metrics, "balance_index", Subject::Network).unwrap_or(f64::NAN);
    text += &format!("balance index: {bi:.3} (share of balanced triads, weighted)\n");
    for m in metrics.iter().filter(|m| m.name == "reciprocation_rate") {
        let Subject::Directed(i, j) = m.subject else {
            continue;
        };
        let offers = find(metrics, "offers", m.subject).unwrap_or(0.0);
        let mean_p = find(metrics, "mean_p", m.subject).unwrap_or(f64::NAN);
        let (target, actor) = (&s.states[j as usize].id, &s.states[i as usize].id);
        text += &if offers == 0.0 {
            format!("reciprocation: {target} to {actor}: no offers made\n")
        } else {
            format!(
                "reciprocation: {target} to {actor}: {:.2} of {offers} offers (mean p {mean_p:.2})\n",
                m.value
            )
        };
    }
    let made = find(metrics, "deals_made", Subject::Network).unwrap_or(0.0);
    let alive = find(metrics, "deals_alive", Subject::Network).unwrap_or(0.0);
    text += &format!("deals:         {made} made, {alive} alive at the end\n");
    text
}
