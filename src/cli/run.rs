//! `entente run DIR`: one run, its outputs, and a short summary on the terminal.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use entente::engine::metrics::{Metric, Subject};
use entente::engine::{Model, RunId};
use entente::output::run::{find, write_run_plotted};

use super::ScenarioArgs;

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Output folder [default: outputs/<scenario>/run-<seed>/].
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    plots: super::PlotsArg,
}

pub fn run(args: RunArgs) -> Result<ExitCode> {
    let scenario = args.scenario.load()?;
    let seed = scenario.params.seed;
    let out = args.out.unwrap_or_else(|| {
        PathBuf::from("outputs")
            .join(&scenario.name)
            .join(format!("run-{seed}"))
    });
    let model = Model::new(scenario);
    let report = write_run_plotted(&model, RunId::new(seed, 0, 0), &out, args.plots.plots)
        .with_context(|| format!("writing the run into {}", out.display()))?;
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
