//! entente — an agent-based model of the geopolitical alignment network.
//!
//! The pipeline, one module each, every module importing only from the floors
//! below it (the README's Architecture section draws them):
//!
//! 1. [`scenario`] — a folder of CSV files → a validated, typed [`scenario::Scenario`],
//!    with every model parameter ([`scenario::params`]);
//! 2. [`network`] — the petgraph network of states and signed, weighted ties, with a
//!    dense nalgebra view, camps and the balance index;
//! 3. [`dynamics`] — the mechanisms of one step (docs/model.md §2), one module each;
//! 4. [`engine`] — seeded generators, the compiled [`engine::Model`], the synchronous
//!    step loop ([`engine::Simulation`]) and run metrics;
//! 5. [`experiment`] — sweeps, comparisons, the claims and the exploration, with
//!    the design and statistics of [`analysis`];
//! 6. [`output`] — tidy CSV files, plots and the report, written through [`files`]
//!    (atomic files, marked output folders, cleanup after interruption);
//! 7. `cli` (in the binary) — a thin layer of clap commands over the above.
//!
//! Under them all lie [`files`] and [`format`](mod@format) (numbers as every output spells them).
//!
//! ```
//! use entente::{engine::{Model, RunId, Simulation, RunMetrics}, scenario::Scenario};
//! let scenario = Scenario::load("scenarios/triangle").unwrap();
//! let model = Model::new(scenario);
//! let mut sim = Simulation::new(&model, RunId::new(1, 0, 0));
//! let mut metrics = RunMetrics::new(&model);
//! sim.run(&mut metrics);
//! let summary = metrics.finish(&sim);
//! assert!(summary.iter().any(|m| m.name == "balance_index"));
//! ```

#![warn(missing_docs)]

pub mod analysis;
pub mod dynamics;
pub mod engine;
pub mod experiment;
pub mod files;
pub mod format;
pub mod network;
pub mod output;
pub mod scenario;
