//! Watching a run. The engine calls [`Observer::observe`] once for the initial
//! state (step 0) and once after each step; observers read the simulation and keep
//! what they need (a full record for `entente run`, running metrics for sweeps).
//! `()` observes nothing.

use super::Simulation;

/// What watches a run: given the simulation at step 0 and after every step.
pub trait Observer {
    /// Called with the state after each step, `sim.step_count()` of them so far
    /// (0: the initial state).
    fn observe(&mut self, sim: &Simulation);
}

impl Observer for () {
    #[inline]
    fn observe(&mut self, _sim: &Simulation) {}
}

impl<A: Observer, B: Observer> Observer for (A, B) {
    fn observe(&mut self, sim: &Simulation) {
        self.0.observe(sim);
        self.1.observe(sim);
    }
}

impl<O: Observer + ?Sized> Observer for &mut O {
    fn observe(&mut self, sim: &Simulation) {
        (**self).observe(sim);
    }
}
