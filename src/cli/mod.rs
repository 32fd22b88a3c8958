//! The command line: clap types here, one file per subcommand.

mod claims;
mod compare;
mod explore;
mod export;
mod landscape;
mod merge;
mod params;
mod report;
mod run;
mod sweep;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use entente::scenario::Setting;

/// entente — an agent-based model of the geopolitical alignment network.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run one simulation of a scenario and write its outputs.
    Run(run::RunArgs),
    /// Check a scenario folder; print `ok` and a summary, or every error.
    Validate(validate::ValidateArgs),
    /// Run configurations × grids × replications on every core (resumable, shardable).
    Sweep(sweep::SweepArgs),
    /// Merge the shard folders of one sweep into the outputs of the whole sweep.
    Merge(merge::MergeArgs),
    /// Compare configurations side by side: key metrics with 95% CIs and differences.
    Compare(compare::CompareArgs),
    /// Test the brief's claims: effect sizes with 95% CIs, null checks, verdicts.
    Claims(claims::ClaimsArgs),
    /// The claims over a Latin hypercube of the uncertain weights: where each fails (PRIM), what drives it.
    Explore(explore::ExploreArgs),
    /// The Axelrod–Bennett landscape of a scenario: minima, basins, vs the dynamics.
    Landscape(landscape::LandscapeArgs),
    /// Export a run's network at one step as GraphML or DOT.
    Export(export::ExportArgs),
    /// Write one self-contained HTML page with the tables and plots of an output folder.
    Report(report::ReportArgs),
    /// Print the parameter table (key, default, range, meaning) as Markdown.
    Params,
}

/// `--plots`, for every command that draws figures.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct PlotsArg {
    /// Which figure files to write into OUT/plots/ (`report`: only when it has
    /// none). The HTML report embeds the SVGs, or the PNGs when there are no SVGs.
    #[arg(long, value_enum, default_value = "svg", value_name = "FORMATS")]
    pub plots: entente::output::plot::Formats,
}

/// Settings shared by every command that runs a scenario.
#[derive(clap::Args, Debug, Clone)]
pub struct ScenarioArgs {
    /// The scenario folder (states.csv, alignments.csv, …).
    pub dir: PathBuf,
    /// Override a parameter or a pair: `--set loyalty=2`, `--set RUS-CHN=0.2` (sets the
    /// pair's alignment and interest). Repeatable; applied in order.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<Setting>,
    /// Number of steps (same as `--set steps=N`).
    #[arg(long)]
    pub steps: Option<u64>,
    /// Seed of the random draws (same as `--set seed=S`).
    #[arg(long)]
    pub seed: Option<u64>,
}

impl ScenarioArgs {
    /// Loads the scenario and applies `--set`, then `--steps` and `--seed`; each
    /// error names the option it comes from.
    pub fn load(&self) -> Result<entente::scenario::Scenario> {
        let mut scenario = entente::scenario::Scenario::load(&self.dir)?;
        if let Some((first, second)) = Setting::first_repeat(&self.set) {
            anyhow::bail!("--set {first} and --set {second} set the same key: set each key once");
        }
        scenario.apply_all(&self.set).context("--set")?;
        for (option, key, value) in [
            ("--steps", "steps", self.steps),
            ("--seed", "seed", self.seed),
        ] {
            let Some(value) = value else { continue };
            if self.set.iter().any(|s| s.key == key) {
                anyhow::bail!("{option} and --set {key}=… both set the {key}: give one");
            }
            let setting = Setting {
                key: key.into(),
                value: value.to_string(),
            };
            scenario
                .apply_all(std::slice::from_ref(&setting))
                .context(option)?;
        }
        Ok(scenario)
    }

    /// `--set`, then `--steps` and `--seed` as the settings `steps=…` and `seed=…`:
    /// what a sweep checks its configurations and grid axes against.
    pub fn settings(&self) -> Vec<Setting> {
        let mut all = self.set.clone();
        for (key, value) in [("steps", self.steps), ("seed", self.seed)] {
            if let Some(v) = value {
                all.push(Setting {
                    key: key.into(),
                    value: v.to_string(),
                });
            }
        }
        all
    }
}

/// A step of a run, in `export --step` and `landscape --step`: a number,
/// `initial` (step 0) or `final` (the last step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepArg {
    Initial,
    Final,
    At(u64),
}

impl std::str::FromStr for StepArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "initial" => Ok(StepArg::Initial),
            "final" => Ok(StepArg::Final),
            n => n
                .parse()
                .map(StepArg::At)
                .map_err(|_| format!("{n} is not a step: give a number, `initial` or `final`")),
        }
    }
}

pub fn main() -> Result<ExitCode> {
    let cli = Cli::parse();
    // Ctrl-C or a kill removes the temporaries of the command (not a sweep's
    // checkpoint, which --resume needs).
    entente::files::cleanup::remove_temporaries_on_signals()
        .context("installing the handler of SIGINT and SIGTERM")?;
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Validate(args) => validate::validate(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Merge(args) => merge::merge_shards(args),
        Command::Compare(args) => compare::run(args),
        Command::Claims(args) => claims::run(args),
        Command::Explore(args) => explore::run(args),
        Command::Landscape(args) => landscape::run(args),
        Command::Export(args) => export::run(args),
        Command::Report(args) => report::run(args),
        Command::Params => params::params(),
    }
}
