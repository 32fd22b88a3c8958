//! docs/model.md §2.4: the alignment update, in two parts:
//!
//! c = clamp(a + dt·[G·(1 − a²)·B + relaxation·R] + noise·N(0,1)·√dt, −A, A),
//! a ← (c + d) / (1 + c·d),
//!
//! G = balance·(1 − g_i)(1 − g_j) the pair's balance gain (g: hedging, see
//! `balance::gain`), d the step's events combined ([`kick`]), A = [`LIMIT`].
//!
//! The tie is a latent x with a = tanh(x): the continuous part is dx/dt =
//! G·B + …, which is the (1 − a²)·B of Kułakowski et al. 2005 written for a; an
//! event adds atanh(d) to x, which is the velocity addition above for a. So an
//! event moves a by d at a = 0 and by less near ±1, and no event puts a tie at
//! ±1, where (1 − a²) = 0 would hold it against any balance pressure for ever.
//! The clamp at ±A (|x| ≤ 10.7) only catches what a coarse step or a large
//! shock overshoots; from there balance moves a tie back.

use crate::dynamics::{balance, relaxation};
use crate::scenario::params::Params;

/// A = 1 − 10⁻⁹: the largest |a| of a tie after a step.
pub const LIMIT: f64 = 1.0 - 1e-9;

/// d₁ ⊕ d₂ = (d₁ + d₂) / (1 + d₁·d₂): two kicks of the latent tie in one (tanh
/// of the sum of their atanh). Commutative and associative; 0 is neutral, bit for
/// bit, and |d₁|, |d₂| < 1 give |d₁ ⊕ d₂| < 1.
#[inline]
pub fn kick(d1: f64, d2: f64) -> f64 {
    (d1 + d2) / (1.0 + d1 * d2)
}

/// The new alignment of a pair.
///
/// # Arguments
/// * `gain` — the pair's weight of balance G ([`balance::gain`]);
/// * `a` — alignment at the start of the step; `b_term` — B_ij; `r_term` — R_ij;
/// * `events` — the step's events combined by [`kick`] (deals, rebuffs, hardline
///   actions, reactions); `shock` — noise·√dt times a standard normal draw (see
///   [`shock_scale`]).
#[inline]
pub fn updated_alignment(
    p: &Params,
    gain: f64,
    a: f64,
    b_term: f64,
    r_term: f64,
    events: f64,
    shock: f64,
) -> f64 {
    let drift = gain * (1.0 - a * a) * b_term + p.relaxation * r_term;
    let c = (a + p.dt * drift + shock).clamp(-LIMIT, LIMIT);
    kick(c, events).clamp(-LIMIT, LIMIT)
}

/// The inputs of [`update_pairs`], one value per pair each, in pair order.
pub struct PairTerms<'a> {
    /// a: each pair's alignment at the start of the step, in [−1, 1].
    pub alignments: &'a [f64],
    /// Σ_k w_k a_ik a_kj and Σ_{k≠i,j} w_k: B = sum / third (see `balance`).
    pub sums: &'a [f64],
    /// Σ_{k≠i,j} w_k, the weight of the third states, each pair's normalizer of B.
    pub thirds: &'a [f64],
    /// G = balance·(1 − g_i)(1 − g_j), the weight of B on each pair.
    pub gains: &'a [f64],
    /// b: each pair's interest, toward which relaxation pulls its alignment.
    pub interests: &'a [f64],
    /// Standard normal draws, scaled here by [`shock_scale`].
    pub normals: &'a [f64],
}

/// [`updated_alignment`] of every pair: `events` holds each pair's combined event
/// kicks on the way in and its new alignment on the way out.
///
/// One straight loop over equal-length slices, in 256-bit registers where the
/// processor has AVX (the same operations on each pair either way, so the same
/// bits).
pub fn update_pairs(p: &Params, terms: PairTerms, events: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: the processor has AVX, checked just above.
        unsafe { avx::update_pairs(p, terms, events) };
        return;
    }
    update_pairs_portable(p, terms, events);
}

#[cfg(target_arch = "x86_64")]
mod avx {
    #[target_feature(enable = "avx")]
    pub(super) fn update_pairs(p: &super::Params, terms: super::PairTerms, events: &mut [f64]) {
        super::update_pairs_portable(p, terms, events);
    }
}

#[inline(always)]
fn update_pairs_portable(p: &Params, terms: PairTerms, events: &mut [f64]) {
    let n = events.len();
    let PairTerms {
        alignments,
        sums,
        thirds,
        gains,
        interests,
        normals,
    } = terms;
    let (alignments, sums, thirds) = (&alignments[..n], &sums[..n], &thirds[..n]);
    let gains = &gains[..n];
    let (interests, normals) = (&interests[..n], &normals[..n]);
    let scale = shock_scale(p);
    for k in 0..n {
        let a = alignments[k];
        let b_term = balance::pressure(sums[k], thirds[k]);
        let r_term = relaxation::relaxation(a, interests[k]);
        let shock = scale * normals[k];
        events[k] = updated_alignment(p, gains[k], a, b_term, r_term, events[k], shock);
    }
}

/// noise·√dt: the standard deviation of one step's shock.
pub fn shock_scale(p: &Params) -> f64 {
    p.noise * p.dt.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_by_term() {
        let p = Params {
            dt: 0.1,
            balance: 2.0,
            relaxation: 0.5,
            noise: 0.3,
            ..Params::default()
        };
        // c = 0.2 + 0.1·(2·0.96·0.5 + 0.5·(−0.4)) + 0.3·1.5·√0.1, then the kick 0.05
        let c = 0.2 + 0.1 * (2.0 * 0.96 * 0.5 + 0.5 * -0.4) + 0.3 * 1.5 * 0.1f64.sqrt();
        let expected = (c + 0.05) / (1.0 + c * 0.05);
        let got = updated_alignment(&p, p.balance, 0.2, 0.5, -0.4, 0.05, 1.5 * shock_scale(&p));
        assert!((got - expected).abs() < 1e-15);
        // without events the update is the Euler–Maruyama step alone, bit for bit
        let plain = updated_alignment(&p, p.balance, 0.2, 0.5, -0.4, 0.0, 1.5 * shock_scale(&p));
        assert_eq!(plain.to_bits(), c.to_bits());
    }

    #[test]
    fn kicks_add_in_the_latent_tie() {
        // tanh(atanh d1 + atanh d2)
        for (d1, d2) in [(0.1, 0.2), (-0.03, 0.5), (0.9, 0.9), (-0.99, 0.3)] {
            let latent = (f64::atanh(d1) + f64::atanh(d2)).tanh();
            assert!((kick(d1, d2) - latent).abs() < 1e-14, "{d1} ⊕ {d2}");
            assert_eq!(kick(d1, d2), kick(d2, d1));
        }
        assert_eq!(kick(0.0, 0.3), 0.3);
        assert_eq!(kick(-0.7, 0.0), -0.7);
        // at a = 0 a kick of d moves a by d; near ±1 by (1 − a²)·d / (1 + a·d)
        let a: f64 = -0.95;
        let moved = kick(a, -0.03) - a;
        assert!((moved - (-0.03 * (1.0 - a * a) / (1.0 + a * -0.03))).abs() < 1e-15);
        assert!(moved.abs() < 0.03 * 0.1);
    }

    #[test]
    fn no_tie_is_pinned_at_the_bounds() {
        let q = Params {
            noise: 0.0,
            relaxation: 0.0,
            ..Params::default()
        };
        // a thousand hardline kicks at an enmity leave it inside (−1, 1) ...
        let mut a = -0.9;
        for _ in 0..1000 {
            a = updated_alignment(&q, q.balance, a, -1.0, 0.0, -0.03, 0.0);
            assert!(a > -1.0);
        }
        assert_eq!(a, -LIMIT);
        // ... and from there balance pressure toward friendship moves it back
        let mut steps = 0;
        while a < 0.0 {
            a = updated_alignment(&q, 1.0, a, 1.0, 0.0, 0.0, 0.0);
            steps += 1;
            assert!(steps < 500, "a = {a} after {steps} steps");
        }
        // shocks and events beyond the bounds are caught at ±A
        let p = Params::default();
        assert_eq!(
            updated_alignment(&p, p.balance, 0.99, 1.0, 0.0, 0.5, 0.3),
            LIMIT
        );
        assert_eq!(
            updated_alignment(&p, p.balance, -0.99, -1.0, 0.0, -0.5, -0.3),
            -LIMIT
        );
        // an initial alignment at exactly 1 is moved off it at the first step
        assert_eq!(
            updated_alignment(&q, q.balance, 1.0, -1.0, 0.0, 0.0, 0.0),
            LIMIT
        );
    }
}
