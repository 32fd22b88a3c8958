//! docs/model.md §2.6: issues and interest: open issues hold a pair's interest down; a deal that
//! resolves one raises it durably by interest_gain × salience; a breach reopens it,
//! with probability breach + breach_hostility·[−a_ij]⁺ per step, so a
//! deteriorating relationship can break the deals it made.

use super::pos;
use crate::scenario::params::Params;
use crate::scenario::IssueSpec;

/// How much resolving `issue` raises its pair's interest.
pub fn interest_gain(p: &Params, issue: &IssueSpec) -> f64 {
    issue.salience
        * if issue.core {
            p.interest_gain_core
        } else {
            p.interest_gain_peripheral
        }
}

/// The interest of a pair: its base (with all issues open) plus the gains of its
/// resolved issues, within [−1, 1].
pub fn interest(base: f64, resolved_gains: impl IntoIterator<Item = f64>) -> f64 {
    (base + resolved_gains.into_iter().sum::<f64>()).clamp(-1.0, 1.0)
}

/// The probability per step that a resolved issue of a pair with alignment `a`
/// is breached: a base rate plus a rise with the pair's hostility, at most 1.
pub fn breach_probability(p: &Params, a: f64) -> f64 {
    (p.breach + p.breach_hostility * pos(-a)).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deals_raise_interest_by_gain_times_salience() {
        let p = Params::default();
        let core = IssueSpec {
            id: "ukraine".into(),
            a: 0,
            b: 1,
            salience: 0.5,
            core: true,
        };
        let arms = IssueSpec {
            id: "arms".into(),
            a: 0,
            b: 1,
            salience: 0.8,
            core: false,
        };
        assert_eq!(interest(-0.5, []), -0.5);
        let both = interest(-0.5, [interest_gain(&p, &core), interest_gain(&p, &arms)]);
        assert!((both - (-0.5 + 0.3 * 0.5 + 0.1 * 0.8)).abs() < 1e-12);
    }

    #[test]
    fn hostility_raises_the_breach_probability() {
        let mut p = Params {
            breach: 0.002,
            breach_hostility: 0.01,
            ..Params::default()
        };
        // friendly or neutral pairs breach at the base rate
        assert_eq!(breach_probability(&p, 0.4), 0.002);
        assert_eq!(breach_probability(&p, 0.0), 0.002);
        // hostile ones more, linearly in [−a]⁺
        assert!((breach_probability(&p, -0.5) - 0.007).abs() < 1e-15);
        assert!((breach_probability(&p, -1.0) - 0.012).abs() < 1e-15);
        // a probability still
        p.breach = 0.9;
        p.breach_hostility = 1.0;
        assert_eq!(breach_probability(&p, -1.0), 1.0);
        // 0 keeps breaches blind to the relationship
        p.breach = 0.002;
        p.breach_hostility = 0.0;
        assert_eq!(breach_probability(&p, -1.0), 0.002);
    }
}
