//! docs/model.md §2.5: reciprocation of an offer. When actor i offers a concession of size c on
//! an issue to target j, j reciprocates with probability p = σ(U),
//!
//! U = base + concession·c·(core_multiplier if core) − loyalty·L + wedge·W
//!     + common_enemy·E + common_friend·F + trend·T − mistrust·M − hardliners·h_j
//!
//! where, over third states m with weights ŵ_m = P_m / ΣP:
//! L = Σ ŵ \[a_jm]⁺\[−a_im]⁺ (j's partners that are i's rivals),
//! W = Σ ŵ \[−a_jm]⁺\[a_im]⁺ (j's rivals that are i's partners),
//! E = Σ ŵ \[−a_jm]⁺\[−a_im]⁺ and F = Σ ŵ \[a_jm]⁺\[a_im]⁺ (common enemies, friends).

use nalgebra::DMatrix;

use super::{logistic, pos};
use crate::scenario::params::Params;

/// What an offer puts on the table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Offer {
    /// State index of i, the state that makes the offer.
    pub actor: usize,
    /// State index of j, the state the offer is made to.
    pub target: usize,
    /// Concession size c in (0, 1].
    pub size: f64,
    /// Whether the issue is a core concern of the target.
    pub core: bool,
}

/// The target's circumstances that are not in the alignment matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetContext {
    /// T: the decline of the target's power share per month (positive when trends
    /// move against it).
    pub trend: f64,
    /// The memory of the actor's recent hardline actions against the target.
    pub hardline_memory: f64,
    /// h_j, the target's hardliners.
    pub hardliners: f64,
}

/// Each term of U, unweighted, and U itself: what an analyst needs to see why.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Utility {
    /// L: the target's partners that are the actor's rivals, power-weighted, in [0, 1].
    pub loyalty: f64,
    /// W: the target's rivals that are the actor's partners, power-weighted, in [0, 1].
    pub wedge: f64,
    /// E: enemies common to actor and target, power-weighted, in [0, 1].
    pub common_enemy: f64,
    /// F: friends common to actor and target, power-weighted, in [0, 1].
    pub common_friend: f64,
    /// T: the decline of the target's power share per month.
    pub trend: f64,
    /// M = \[−a_ij]⁺ plus the memory of the actor's recent hardline actions against the
    /// target.
    pub mistrust: f64,
    /// h_j: the target's hardliners, in [0, 1].
    pub hardliners: f64,
    /// c·(core_multiplier if core else 1).
    pub concession: f64,
    /// U.
    pub total: f64,
}

impl Utility {
    /// p = σ(U).
    pub fn probability(&self) -> f64 {
        logistic(self.total)
    }
}

/// The triad terms L, W, E, F of an offer from i to j.
///
/// # Arguments
/// * `a` — the symmetric alignment matrix; `share` — ŵ, the power shares (sum 1).
///
/// # Complexity
/// O(n).
pub fn triad_terms(a: &DMatrix<f64>, share: &[f64], i: usize, j: usize) -> [f64; 4] {
    let (mut l, mut w, mut e, mut f) = (0.0, 0.0, 0.0, 0.0);
    let (ci, cj) = (a.column(i), a.column(j));
    for m in 0..share.len() {
        if m == i || m == j {
            continue;
        }
        let (aim, ajm, s) = (ci[m], cj[m], share[m]);
        l += s * pos(ajm) * pos(-aim);
        w += s * pos(-ajm) * pos(aim);
        e += s * pos(-ajm) * pos(-aim);
        f += s * pos(ajm) * pos(aim);
    }
    [l, w, e, f]
}

/// U of an offer, term by term.
pub fn utility(
    p: &Params,
    a: &DMatrix<f64>,
    share: &[f64],
    offer: Offer,
    ctx: TargetContext,
) -> Utility {
    let Offer {
        actor: i,
        target: j,
        size,
        core,
    } = offer;
    let [l, w, e, f] = triad_terms(a, share, i, j);
    let concession = size * if core { p.core_multiplier } else { 1.0 };
    let mistrust = pos(-a[(i, j)]) + ctx.hardline_memory;
    let total = p.base + p.concession * concession - p.loyalty * l
        + p.wedge * w
        + p.common_enemy * e
        + p.common_friend * f
        + p.trend * ctx.trend
        - p.mistrust * mistrust
        - p.hardliners * ctx.hardliners;
    Utility {
        loyalty: l,
        wedge: w,
        common_enemy: e,
        common_friend: f,
        trend: ctx.trend,
        mistrust,
        hardliners: ctx.hardliners,
        concession,
        total,
    }
}
