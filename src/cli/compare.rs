//! `entente compare DIR --configs FILE.csv [--reps N]`: key metrics per
//! configuration with 95% CIs and the difference from the first configuration.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use entente::experiment::compare::{compare, compare_csv, ComparisonRow};
use entente::experiment::spec::{read_configs, SweepSpec};
use entente::output::atomic::write_file_atomic;
use entente::output::table::TextTable;

use super::sweep::{run_sweep, SweepRunArgs};
use super::ScenarioArgs;

#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// The configurations to compare (first column `config`); the first is the
    /// reference of the differences.
    #[arg(long, value_name = "FILE.csv")]
    configs: PathBuf,
    /// Replications per configuration.
    #[arg(long, default_value_t = 200)]
    reps: u64,
    #[command(flatten)]
    run: SweepRunArgs,
}

pub fn run(args: CompareArgs) -> Result<ExitCode> {
    let base = args.scenario.load()?;
    let configs = read_configs(&args.configs, &base)?;
    let spec = SweepSpec::new(base, &args.scenario.set, configs, &[], args.reps)?;
    let done = run_sweep(spec, &[], &args.run, "compare")?;
    let mut rows = done.state.rows.clone();
    rows.sort_by_key(|r| r.run);
    let table = compare(&done.manifest, &rows);
    let path = done.out.join("compare.csv");
    write_file_atomic(&path, &compare_csv(&table))
        .with_context(|| format!("writing {}", path.display()))?;
    entente::output::plot::write_sweep_plots(&done.out)?;
    print!("{}", render(&table, &done.manifest.layout.configs[0].name));
    println!(
        "{} runs per configuration → {}",
        args.reps,
        done.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn ci(mean: f64, lo: f64, hi: f64, signed: bool) -> String {
    if signed {
        format!("{mean:+.3} [{lo:+.3}, {hi:+.3}]")
    } else {
        format!("{mean:.3} [{lo:.3}, {hi:.3}]")
    }
}

/// The comparison as an aligned text table.
pub fn render(rows: &[ComparisonRow], reference: &str) -> String {
    let header = [
        "metric".to_string(),
        "config".to_string(),
        "mean [95% CI]".to_string(),
        format!("difference from {reference} [95% CI]"),
    ];
    let mut table = TextTable::new(header);
    let mut last = "";
    for r in rows {
        if !last.is_empty() && r.metric != last {
            table.gap();
        }
        last = &r.metric;
        let s = r.summary;
        let d = if r.diff.0.is_nan() {
            "—".to_string()
        } else {
            ci(r.diff.0, r.diff.1, r.diff.2, true)
        };
        table.row([
            r.metric.clone(),
            r.config.clone(),
            ci(s.mean, s.ci_low, s.ci_high, false),
            d,
        ]);
    }
    table.render()
}
