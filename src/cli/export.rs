//! `entente export RUN_DIR [--step S] [--format graphml|dot] [--out FILE]`: the
//! network of a run at one step as GraphML or Graphviz DOT.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use entente::files::{add_file, require_marker};
use entente::output::export::{read_network, to_dot_with, to_graphml, DOT_MIN_ABS};

use super::StepArg;

/// The file format of an export.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// GraphML (Gephi, yEd, networkx, igraph): every tie kept.
    Graphml,
    /// Graphviz DOT, drawn with `neato -Tsvg`: ties coloured by sign.
    Dot,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Graphml => "graphml",
            Format::Dot => "dot",
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// A run's output folder (written by `entente run`).
    #[arg(value_name = "RUN_DIR")]
    dir: PathBuf,
    /// The step to export: a number, `initial` (0) or `final`.
    #[arg(long, default_value = "final")]
    step: StepArg,
    #[arg(long, value_enum, default_value = "graphml")]
    format: Format,
    /// The file to write [default: RUN_DIR/network-<step>.graphml or .dot].
    #[arg(long, alias = "output", value_name = "FILE")]
    out: Option<PathBuf>,
    /// DOT only: leave out ties with |alignment| below this (0 keeps all).
    #[arg(long, default_value_t = DOT_MIN_ABS, value_parser = non_negative)]
    min_abs: f64,
}

/// A finite number ≥ 0.
fn non_negative(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("{text} is not a number ≥ 0")),
    }
}

pub fn run(args: ExportArgs) -> Result<ExitCode> {
    require_marker(&args.dir, &["run"])?;
    let step = match args.step {
        StepArg::Initial => Some(0),
        StepArg::Final => None,
        StepArg::At(n) => Some(n),
    };
    let net = read_network(&args.dir, step)
        .with_context(|| format!("reading the run in {}", args.dir.display()))?;
    let text = match args.format {
        Format::Graphml => to_graphml(&net),
        Format::Dot => to_dot_with(&net, args.min_abs),
    };
    let path = args.out.unwrap_or_else(|| {
        args.dir
            .join(format!("network-{}.{}", net.step, args.format.extension()))
    });
    // Its errors name the file.
    add_file(&path, text.as_bytes(), &[&args.dir])?;
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}
