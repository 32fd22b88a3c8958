//! Exploratory analysis over the model's uncertain mechanism weights, in the
//! manner of RAND's robust decision making and the EMA Workbench:
//!
//! - [`ranges`] — the plausible range of every uncertain weight (and a CSV that
//!   overrides it);
//! - [`design`] — a Latin hypercube over those ranges, deterministic in the seed;
//! - [`prim`] — scenario discovery: PRIM (Friedman & Fisher 1999) with peeling,
//!   pasting and the coverage–density trajectory, as the EMA Workbench runs it;
//! - [`sobol`] — sensitivity: first-order Sobol' indices from the given design
//!   points, and the Saltelli/Jansen estimators for a Saltelli design.
//!
//! Everything here is pure: numbers in, numbers out.

pub mod design;
pub mod prim;
pub mod ranges;
pub mod sobol;
