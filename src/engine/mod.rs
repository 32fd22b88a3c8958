//! The engine: seeded generators, the compiled model and the step loop.
//!
//! [`Model`] is what does not change during a run (built once per configuration
//! and shared by every replication); [`Simulation`] is one run's state, advanced
//! by [`Simulation::step`] and watched by an [`Observer`].

pub mod events;
pub mod metrics;
pub mod model;
pub mod normal;
pub mod observer;
pub mod rng;
pub mod simulation;

pub use events::{Event, EventKind, Outcome};
pub use metrics::RunMetrics;
pub use model::Model;
pub use observer::Observer;
pub use rng::RunId;
pub use simulation::Simulation;
