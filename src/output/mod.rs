//! Outputs: tidy CSV files ready for pandas or R, written into a temporary folder
//! that is renamed into place only when complete, so no half-written output is
//! ever seen.

pub mod atomic;
pub mod explore_plot;
pub mod explore_report;
pub mod export;
pub mod format;
pub mod plot;
pub mod report;
pub mod run;
pub mod sweep;
pub mod table;

pub use atomic::{write_file_atomic, AtomicDir};
pub use run::{write_run, RunReport};
