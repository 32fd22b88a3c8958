//! docs/model.md §2.9: revisionist actions. Each state with rivals takes a hardline action
//! against one of them with probability q = σ(aggression_base +
//! aggression_revisionism·r + emboldening·C) per month, C the concessions it
//! received recently: 1 − (1 − q)^s in a step of s months (`time`). The rival is
//! drawn with weight [−a_jm]⁺.

use nalgebra::DMatrix;

use super::{logistic, pos, ties};
use crate::scenario::params::Params;

/// The probability per month q that a state of revisionism `r`, having recently
/// received concessions at rate `c`, acts against a rival.
pub fn aggression_probability(p: &Params, revisionism: f64, concessions: f64) -> f64 {
    logistic(
        p.aggression_base + p.aggression_revisionism * revisionism + p.emboldening * concessions,
    )
}

/// The utility logged with an aggression: the logit ln(p / (1 − p)) of its
/// probability `prob`, or, where p rounds to 0 or 1 and the logit is infinite, the
/// argument of σ it came from (the same number, computed without the rounding).
pub fn aggression_utility(p: &Params, revisionism: f64, concessions: f64, prob: f64) -> f64 {
    let logit = (prob / (1.0 - prob)).ln();
    if logit.is_finite() {
        logit
    } else {
        p.aggression_base + p.aggression_revisionism * revisionism + p.emboldening * concessions
    }
}

/// Whether state j has a rival (a negative tie).
pub fn has_rival(a: &DMatrix<f64>, j: usize) -> bool {
    ties(a, j).iter().any(|&x| x < 0.0)
}

/// Total rivalry Σ_m [−a_jm]⁺ of state j (0 when it has no rival).
pub fn rivalry(a: &DMatrix<f64>, j: usize) -> f64 {
    ties(a, j).iter().map(|&x| pos(-x)).sum()
}

/// The rival that a uniform draw `u` in [0, 1) picks, with weight [−a_jm]⁺.
pub fn pick_rival(a: &DMatrix<f64>, j: usize, u: f64) -> Option<usize> {
    pick_rival_among(ties(a, j).iter().copied().enumerate(), u)
}

/// [`pick_rival`] among state j's ties given as (m, a_jm) in increasing m (the
/// listed topology's ties; ties left out are 0 and would weigh nothing).
pub fn pick_rival_among(ties: impl Iterator<Item = (usize, f64)> + Clone, u: f64) -> Option<usize> {
    let total: f64 = ties.clone().map(|(_, x)| pos(-x)).sum();
    if total <= 0.0 {
        return None;
    }
    let mut left = u * total;
    let mut last = None;
    for (m, x) in ties {
        let w = pos(-x);
        if w > 0.0 {
            last = Some(m);
            if left < w {
                return Some(m);
            }
            left -= w;
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emboldening_raises_aggression_only_when_switched_on() {
        let mut p = Params {
            aggression_base: -3.0,
            aggression_revisionism: 2.0,
            ..Params::default()
        };
        let base = aggression_probability(&p, 0.5, 1.0);
        assert!((base - logistic(-2.0)).abs() < 1e-15);
        p.emboldening = 1.0;
        assert!((aggression_probability(&p, 0.5, 1.0) - logistic(-1.0)).abs() < 1e-15);
    }

    #[test]
    fn the_logged_utility_stays_finite_when_p_rounds_to_one() {
        let p = Params {
            aggression_base: 50.0,
            ..Params::default()
        };
        let prob = aggression_probability(&p, 1.0, 0.0);
        assert_eq!(prob, 1.0);
        assert_eq!(aggression_utility(&p, 1.0, 0.0, prob), 52.0);
        let q = Params::default();
        let prob = aggression_probability(&q, 0.5, 0.0);
        let u = aggression_utility(&q, 0.5, 0.0, prob);
        assert!((u - (-3.0)).abs() < 1e-12, "{u}");
    }

    #[test]
    fn rivals_are_drawn_by_enmity() {
        let mut a = DMatrix::zeros(3, 3);
        for &(x, y, v) in &[(0, 1, -0.25), (0, 2, -0.75)] {
            a[(x, y)] = v;
            a[(y, x)] = v;
        }
        assert_eq!(pick_rival(&a, 0, 0.0), Some(1));
        assert_eq!(pick_rival(&a, 0, 0.24), Some(1));
        assert_eq!(pick_rival(&a, 0, 0.26), Some(2));
        assert_eq!(pick_rival(&a, 0, 0.999), Some(2));
        assert_eq!(pick_rival(&a, 1, 0.5), Some(0));
        a[(0, 1)] = 0.1;
        a[(1, 0)] = 0.1;
        assert_eq!(pick_rival(&a, 1, 0.5), None);
    }
}
