//! What happens in a step besides the continuous drift: offers and their outcome,
//! deals, breaches, hardline actions, third-party reactions, approaches ended.

/// The kind of an event (the `kind` column of `events.csv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// A policy's offer; outcome reciprocated or rebuffed.
    Offer,
    /// An issue resolved by a reciprocated offer.
    Deal,
    /// A resolved issue reopened.
    Breach,
    /// A hardline action of a policy.
    Hardline,
    /// A revisionist hardline action against a rival (docs/model.md §2.9).
    Aggression,
    /// A partner of the target pulls away after a reciprocation (docs/model.md §2.8).
    Abandonment,
    /// A partner of the target makes it a counter-offer (docs/model.md §2.8); outcome as an offer.
    CounterOffer,
    /// A less-hardline approach ended by domestic backlash.
    ApproachEnd,
}

impl EventKind {
    /// The `kind` column's spelling (`offer`, `counter_offer`, `approach_end`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Offer => "offer",
            EventKind::Deal => "deal",
            EventKind::Breach => "breach",
            EventKind::Hardline => "hardline",
            EventKind::Aggression => "aggression",
            EventKind::Abandonment => "abandonment",
            EventKind::CounterOffer => "counter_offer",
            EventKind::ApproachEnd => "approach_end",
        }
    }
}

/// How an offer ended; `None` for events that are not offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Not an offer.
    None,
    /// The target reciprocated.
    Reciprocated,
    /// The target rebuffed the offer.
    Rebuffed,
}

impl Outcome {
    /// The `outcome` column's spelling (`reciprocated`, `rebuffed`; empty for `None`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::None => "",
            Outcome::Reciprocated => "reciprocated",
            Outcome::Rebuffed => "rebuffed",
        }
    }
}

/// One event: who did what to whom, on which issue, and the U and p that decided it
/// (NaN when no draw decided it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    /// The step in which it happened, from 1.
    pub step: u64,
    /// What happened.
    pub kind: EventKind,
    /// The state index of who acted: the offerer, the aggressor, the partner that pulls
    /// away, the first state of a breached issue's pair.
    pub actor: u32,
    /// The state index of whom it was done to (the other state of a breached issue's
    /// pair).
    pub target: u32,
    /// The index of the issue offered on, resolved or breached; `None` for other events.
    pub issue: Option<u32>,
    /// U, the logit of the draw that decided the event (NaN when none did).
    pub utility: f64,
    /// p, the probability of that draw, in [0, 1] (NaN when none did).
    pub probability: f64,
    /// How an offer or counter-offer ended; [`Outcome::None`] for other events.
    pub outcome: Outcome,
}
