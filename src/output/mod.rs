//! Outputs: tidy CSV files ready for pandas or R, plots and the report, written
//! through [`crate::files`]: into a temporary folder that is renamed into place
//! only when complete (with its marker), so no half-written output is ever seen.

pub mod export;
pub mod plot;
pub mod read;
pub mod report;
pub mod run;
pub mod sweep;
pub mod table;
pub mod xml;

pub use run::{write_run, RunReport};
