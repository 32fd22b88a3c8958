//! The rule for `dt`: what a step of length dt does, so that `dt` is an accuracy
//! setting and not a parameter of the model.
//!
//! - The continuous part (balance, relaxation, noise) integrates in model time:
//!   dt·drift and noise·√dt per step (`update`).
//! - Events (offers, deals, rebuffs, hardline actions, reactions, breaches) keep
//!   their full effect per event, whatever dt.
//! - What the spec gives "per step" — the probabilities of breaches and revisionist
//!   actions, the survival of an approach under backlash (`commitment`), the decay
//!   of the mistrust and concession memories, hardliners' relaxation, states'
//!   growth and the trend T — is quoted per **period** of [`PERIOD`] = 0.1 time
//!   units (one month in the bundled scenarios: one step at the default dt) and
//!   converted to a step of s = dt / PERIOD periods: a probability q becomes
//!   1 − (1 − q)^s, a factor f (survival, decay, 1 + growth) f^s, and T is a
//!   decline per period.
//! - What is counted in steps stays in steps: `steps`, `trend_window` and the
//!   policies' `start`, `end` and `every`. Halving dt needs them doubled to model
//!   the same calendar (`tests/time_step.rs` does so).
//!
//! At the default dt (s = 1) every conversion is the identity, bit for bit.

use crate::scenario::params::Params;

/// The model time of one period: the default dt, one month in the bundled scenarios.
pub const PERIOD: f64 = 0.1;

/// s = dt / PERIOD: the periods one step lasts (1 at the default dt).
pub fn periods(p: &Params) -> f64 {
    p.dt / PERIOD
}

/// The probability that an event of probability `q` per period happens in a step
/// of `s` periods: 1 − (1 − q)^s (exactly `q` when s = 1).
pub fn step_probability(q: f64, s: f64) -> f64 {
    if s == 1.0 {
        q
    } else {
        -(s * (-q).ln_1p()).exp_m1()
    }
}

/// A factor `f` per period (a survival probability, a decay, 1 + growth) over a
/// step of `s` periods: f^s (exactly `f` when s = 1).
pub fn step_factor(f: f64, s: f64) -> f64 {
    if s == 1.0 {
        f
    } else {
        f.powf(s)
    }
}

/// The per-step values of the per-period parameters, computed once per model.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRates {
    /// s = dt / PERIOD.
    pub periods: f64,
    /// Probability that an approach under backlash survives a step.
    pub commitment: f64,
    /// Decay per step of the mistrust and concession memories.
    pub memory_keep: f64,
    /// Share of the hardliners' excess over their baseline kept over a step.
    pub hardliner_keep: f64,
}

impl StepRates {
    /// The step values of the parameters `p` at its `dt`.
    pub fn new(p: &Params) -> StepRates {
        let s = periods(p);
        StepRates {
            periods: s,
            commitment: step_factor(p.commitment, s),
            memory_keep: step_factor(p.memory_decay, s),
            hardliner_keep: step_factor(1.0 - p.hardliner_relaxation, s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_step_is_one_period_and_changes_nothing() {
        let p = Params::default();
        assert_eq!(periods(&p), 1.0);
        let r = StepRates::new(&p);
        assert_eq!(r.memory_keep.to_bits(), p.memory_decay.to_bits());
        assert_eq!(r.commitment.to_bits(), p.commitment.to_bits());
        assert_eq!(step_probability(0.3, 1.0), 0.3);
        assert_eq!(step_factor(0.97, 1.0), 0.97);
    }

    #[test]
    fn two_half_steps_make_one_period() {
        for q in [0.0, 1e-6, 0.002, 0.05, 0.5, 0.99, 1.0] {
            let half = step_probability(q, 0.5);
            // the event fails to happen in both halves with probability 1 − q
            let both = 1.0 - (1.0 - half) * (1.0 - half);
            assert!((both - q).abs() < 1e-12, "q {q}: {both}");
            // and over two periods: 1 − (1 − q)²
            assert!((step_probability(q, 2.0) - (1.0 - (1.0 - q).powi(2))).abs() < 1e-12);
        }
        // small probabilities keep their digits
        assert!((step_probability(1e-12, 0.5) - 5e-13).abs() < 1e-24);
        for f in [0.0, 0.5, 0.9, 1.0, 1.003] {
            let half = step_factor(f, 0.5);
            assert!((half * half - f).abs() < 1e-12, "f {f}");
        }
        let p = Params {
            dt: 0.05,
            memory_decay: 0.81,
            hardliner_relaxation: 0.19,
            ..Params::default()
        };
        let r = StepRates::new(&p);
        assert!((r.periods - 0.5).abs() < 1e-15);
        assert!((r.memory_keep - 0.9).abs() < 1e-12);
        assert!((r.hardliner_keep - 0.9).abs() < 1e-12);
    }
}
