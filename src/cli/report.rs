//! `entente report DIR [--out FILE] [--plots FORMATS]`: one self-contained HTML
//! page with the tables and plots of an output folder (a run, sweep, compare or
//! claims folder).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use entente::files::require_marker;
use entente::output::report::write_report;

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The output folder of `entente run`, `sweep`, `merge`, `compare` or `claims`.
    pub dir: PathBuf,
    /// Where to write the page [default: DIR/report.html].
    #[arg(long, alias = "output", short_alias = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub plots: super::PlotsArg,
}

pub fn run(args: ReportArgs) -> Result<ExitCode> {
    // Any command's finished folder; its kind comes from what it holds.
    require_marker(&args.dir, &[])?;
    let (path, kind) = write_report(&args.dir, args.out.as_deref(), args.plots.plots)
        .with_context(|| format!("building the report of {}", args.dir.display()))?;
    println!("{} report → {}", kind.as_str(), path.display());
    Ok(ExitCode::SUCCESS)
}
