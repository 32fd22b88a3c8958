//! docs/model.md §2.8: third-party reactions. When j reciprocates i, each partner m of j that is
//! i's rival (\[a_jm]⁺\[−a_im]⁺ > 0) may answer: pull away from j (abandonment fear,
//! probability `abandonment`) or make j a counter-offer to bind it closer
//! (probability `counter_offer`), or let it pass.

use nalgebra::DMatrix;

use super::pos;
use crate::scenario::params::Params;

/// A third party's answer to a reciprocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reaction {
    /// The partner pulls away from the target (a_jm lowered by `abandonment_cost`).
    Abandonment,
    /// The partner makes the target a counter-offer of size `counter_offer_size`.
    CounterOffer,
    /// The partner lets the reciprocation pass.
    Nothing,
}

/// The third parties that may react when j reciprocates i, in index order.
pub fn reacting_partners(a: &DMatrix<f64>, i: usize, j: usize) -> impl Iterator<Item = usize> + '_ {
    (0..a.nrows()).filter(move |&m| m != i && m != j && pos(a[(j, m)]) * pos(-a[(i, m)]) > 0.0)
}

/// The reaction that a uniform draw `u` in [0, 1) selects.
pub fn reaction(p: &Params, u: f64) -> Reaction {
    if u < p.abandonment {
        Reaction::Abandonment
    } else if u < p.abandonment + p.counter_offer {
        Reaction::CounterOffer
    } else {
        Reaction::Nothing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_of_the_target_that_are_rivals_of_the_actor() {
        // 0 = USA, 1 = RUS, 2 = CHN (RUS partner, USA rival), 3 = IND (friend of both)
        let mut a = DMatrix::zeros(4, 4);
        for &(x, y, v) in &[
            (0, 1, -0.5),
            (1, 2, 0.6),
            (0, 2, -0.5),
            (0, 3, 0.3),
            (1, 3, 0.4),
        ] {
            a[(x, y)] = v;
            a[(y, x)] = v;
        }
        assert_eq!(reacting_partners(&a, 0, 1).collect::<Vec<_>>(), vec![2]);
        // if China were friendly with the U.S. nobody reacts
        a[(0, 2)] = 0.1;
        a[(2, 0)] = 0.1;
        assert_eq!(reacting_partners(&a, 0, 1).count(), 0);
    }

    #[test]
    fn draws_partition_the_unit_interval() {
        let p = Params {
            abandonment: 0.2,
            counter_offer: 0.3,
            ..Params::default()
        };
        assert_eq!(reaction(&p, 0.1), Reaction::Abandonment);
        assert_eq!(reaction(&p, 0.2), Reaction::CounterOffer);
        assert_eq!(reaction(&p, 0.49), Reaction::CounterOffer);
        assert_eq!(reaction(&p, 0.5), Reaction::Nothing);
    }
}
