//! §2.3 The alignment update:
//! a ← clamp(a + dt·[G·(1 − a²)·B + relaxation·R] + policy effects + noise·N(0,1)·√dt, −1, 1),
//! G = balance·(1 − g_i)(1 − g_j) the pair's balance gain (g: hedging, see `balance::gain`).
//! The (1 − a²) factor (Kułakowski et al. 2005) keeps a inside [−1, 1] smoothly;
//! the clamp only catches the jumps of events and noise.

use crate::dynamics::{balance, relaxation};
use crate::engine::params::Params;

/// The new alignment of a pair.
///
/// # Arguments
/// * `gain` — the pair's weight of balance G ([`balance::gain`]);
/// * `a` — alignment at the start of the step; `b_term` — B_ij; `r_term` — R_ij;
/// * `events` — the summed changes of this step's events (deals, rebuffs, hardline
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
    (a + p.dt * drift + events + shock).clamp(-1.0, 1.0)
}

/// The inputs of [`update_pairs`], one value per pair each, in pair order.
pub struct PairTerms<'a> {
    pub alignments: &'a [f64],
    /// Σ_k w_k a_ik a_kj and Σ_{k≠i,j} w_k: B = sum / third (see `balance`).
    pub sums: &'a [f64],
    pub thirds: &'a [f64],
    /// G = balance·(1 − g_i)(1 − g_j), the weight of B on each pair.
    pub gains: &'a [f64],
    pub interests: &'a [f64],
    /// Standard normal draws, scaled here by [`shock_scale`].
    pub normals: &'a [f64],
}

/// [`updated_alignment`] of every pair: `events` holds each pair's summed event
/// changes on the way in and its new alignment on the way out.
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
        events[k] = updated_alignment(
            p,
            gains[k],
            a,
            b_term,
            r_term,
            events[k],
            scale * normals[k],
        );
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
        // 0.2 + 0.1·(2·0.96·0.5 + 0.5·(−0.4)) + 0.05 + 0.3·1.5·√0.1
        let expected =
            0.2 + 0.1 * (2.0 * 0.96 * 0.5 + 0.5 * -0.4) + 0.05 + 0.3 * 1.5 * 0.1f64.sqrt();
        let got = updated_alignment(&p, p.balance, 0.2, 0.5, -0.4, 0.05, 1.5 * shock_scale(&p));
        assert!((got - expected).abs() < 1e-15);
    }

    #[test]
    fn stays_in_bounds() {
        let p = Params::default();
        assert_eq!(
            updated_alignment(&p, p.balance, 0.99, 1.0, 0.0, 0.5, 0.3),
            1.0
        );
        assert_eq!(
            updated_alignment(&p, p.balance, -0.99, -1.0, 0.0, -0.5, -0.3),
            -1.0
        );
        // at ±1 the balance term vanishes
        let q = Params {
            noise: 0.0,
            relaxation: 0.0,
            ..Params::default()
        };
        assert_eq!(
            updated_alignment(&q, q.balance, 1.0, -1.0, 0.0, 0.0, 0.0),
            1.0
        );
    }
}
