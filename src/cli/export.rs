//! `entente export OUT [--step S] [--format graphml|dot] [--output FILE]`: the
//! network of a run at one step as GraphML or Graphviz DOT.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use entente::output::atomic::write_file_atomic;
use entente::output::export::{read_network, to_dot_with, to_graphml, DOT_MIN_ABS};

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
    out: PathBuf,
    /// The step to export [default: the final step].
    #[arg(long)]
    step: Option<u64>,
    #[arg(long, value_enum, default_value = "graphml")]
    format: Format,
    /// The file to write [default: OUT/network-<step>.graphml or .dot].
    #[arg(long)]
    output: Option<PathBuf>,
    /// DOT only: leave out ties with |alignment| below this (0 keeps all).
    #[arg(long, default_value_t = DOT_MIN_ABS)]
    min_abs: f64,
}

pub fn run(args: ExportArgs) -> Result<ExitCode> {
    if !(args.min_abs.is_finite() && args.min_abs >= 0.0) {
        anyhow::bail!("--min-abs {} is not a number ≥ 0", args.min_abs);
    }
    let net = read_network(&args.out, args.step)
        .with_context(|| format!("reading the run in {}", args.out.display()))?;
    let text = match args.format {
        Format::Graphml => to_graphml(&net),
        Format::Dot => to_dot_with(&net, args.min_abs),
    };
    let path = args.output.unwrap_or_else(|| {
        args.out
            .join(format!("network-{}.{}", net.step, args.format.extension()))
    });
    write_file_atomic(&path, text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}
