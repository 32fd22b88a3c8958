//! Plots of runs and sweeps, written into `<dir>/plots/` as `NAME.svg` (for the
//! HTML report and for papers) and/or `NAME.png` (for a quick look), as
//! [`Formats`] asks: SVG alone by default, which is what the report embeds.
//!
//! One file per figure, each drawn from plain data so that any caller can use
//! it, on any plotters backend ([`figure::Figure`]):
//!
//! - [`trajectories`]: alignment over steps, one line per pair; with a p05–p95
//!   band over replications when the data come from a sweep; one panel per
//!   configuration (small multiples sharing their axes and legend);
//! - [`heatmap`]: one metric over a grid of two keys (the reciprocation heatmap
//!   over RUS-CHN × USA-CHN), a sequential colour scale with a colour bar and the
//!   value printed in each cell;
//! - [`network`]: the signed network: camps coloured (camp 0 on the left arc,
//!   camp 1 on the right), node area ∝ power, edges green (allies) or red
//!   (enemies) with width ∝ |a_ij|.
//!
//! [`run`] writes a run's figures from its data — in memory for `entente run`,
//! read back from the folder (by [`crate::output::read`]) for `entente report`;
//! [`sweep`] writes a sweep's and a claims folder's from their files. They keep
//! at most [`MAX_PAIRS`] key pairs per panel, the first by the model's key-pair
//! rule, and return errors rather than panic on damaged input.
//!
//! Every SVG carries its figure's `<title>` and a `<desc>` caption that says what
//! is shown and from which file, so that the report (and a screen reader) can
//! describe a figure found on disk. Text is drawn with an embedded DejaVu Sans
//! (Bitstream Vera licence, free to redistribute), so PNGs look the same on every
//! machine without system fonts.

pub mod explore;
pub mod figure;
pub mod heatmap;
pub mod network;
pub mod run;
pub mod style;
pub mod sweep;
pub mod trajectories;

use std::io;
use std::path::{Path, PathBuf};

pub use figure::Formats;
pub use run::{write_run_plots, RunPlotData};
pub use style::{short_number, slug};
pub use sweep::{write_claims_plots, write_sweep_plots};

use crate::output::read::ReadError;

/// At most this many pairs are drawn in one trajectory panel.
pub const MAX_PAIRS: usize = 8;
/// At most this many configurations are drawn in one figure of small multiples.
pub const PANELS_PER_FIGURE: usize = 16;
/// At most this many figures of small multiples are written for one sweep.
pub const MAX_TRAJECTORY_FIGURES: usize = 4;
/// Edges weaker than this are left out of the network plot.
pub const MIN_EDGE: f64 = 0.1;

/// The label of the step axis.
pub const STEP_LABEL: &str = "step (month)";
/// The label of the alignment axis.
pub const ALIGNMENT_LABEL: &str = "alignment a_ij (−1 enemy … +1 ally)";

/// What can go wrong while plotting.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// An output file the plot is drawn from is missing or malformed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A figure file cannot be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The figure file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// plotters failed to draw a figure.
    #[error("drawing {}: {message}", path.display())]
    Draw {
        /// The figure file being drawn.
        path: PathBuf,
        /// plotters' error.
        message: String,
    },
    /// The data hold nothing to draw; the message says what is missing.
    #[error("nothing to plot: {0}")]
    Empty(String),
    /// The embedded font cannot be registered.
    #[error("{0}")]
    Font(String),
}

/// The result of drawing a figure.
pub type Result<T> = std::result::Result<T, PlotError>;

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> PlotError + '_ {
    move |source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `dir/plots/`, created when missing.
fn plots_dir(dir: &Path) -> Result<PathBuf> {
    let out = dir.join("plots");
    std::fs::create_dir_all(&out).map_err(io_err(&out))?;
    Ok(out)
}

/// Removes the figure files of `plots` whose names start with one of `stems`
/// and that were not just `written` (left by an earlier sweep into the same
/// folder, they would show configurations this sweep does not have; or in a
/// format not asked for this time).
fn prune_stale(plots: &Path, stems: &[&str], written: &[PathBuf]) -> Result<()> {
    let entries = std::fs::read_dir(plots).map_err(io_err(plots))?;
    for entry in entries {
        let path = entry.map_err(io_err(plots))?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ours = stems.iter().any(|s| name.starts_with(s))
            && (name.ends_with(".svg") || name.ends_with(".png"));
        if ours && !written.contains(&path) {
            std::fs::remove_file(&path).map_err(io_err(&path))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_sweep_plots_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for f in [
            "trajectories-2.svg",
            "trajectories-2.png",
            "heatmap-x.svg",
            "heatmap-y.png",
            "network.svg",
            "mine.svg",
            "trajectories.svg",
        ] {
            std::fs::write(p.join(f), "x").unwrap();
        }
        let written = [p.join("trajectories.svg"), p.join("heatmap-x.svg")];
        prune_stale(p, &["trajectories", "heatmap-"], &written).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "heatmap-x.svg",
                "mine.svg",
                "network.svg",
                "trajectories.svg"
            ]
        );
    }
}
