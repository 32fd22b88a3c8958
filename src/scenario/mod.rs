//! Scenarios: the folder of CSV files a modeler writes (scenarios/README.md, "File format"), read into raw
//! rows (`csvfile`), validated into the typed [`Scenario`] (`load`), changed by
//! `KEY=VALUE` settings (`settings`) and written back in canonical form (`write`).
//!
//! Everything is kept in a canonical order (states by id, pairs by state index,
//! issues by id, policies by their fields), so the order of rows in the input files
//! never changes a result.

mod check;
mod csvfile;
pub mod error;
pub mod key;
mod load;
pub mod params;
mod settings;
mod write;

use std::path::PathBuf;

pub use check::POWER_LIMIT;
pub use error::{InputError, ScenarioError};
pub use key::{PairKey, SettingKey};
pub use params::Params;
pub use settings::{Setting, SettingError};

/// The range of a state's power: a positive minimum, so that shares and weights stay
/// normal numbers, and a maximum far below overflow.
pub(crate) const POWER_RANGE: (f64, f64, &str) = (1e-12, 1e12, "[1e-12, 1e12]");
/// The range of a state's growth per month: it may not halve or double its power.
pub(crate) const GROWTH_RANGE: (f64, f64, &str) = (-0.5, 0.5, "(-0.5, 0.5)");
/// The range of a state's shares and propensities (revisionism, hardliners, hedging).
pub(crate) const UNIT_RANGE: (f64, f64, &str) = (0.0, 1.0, "[0, 1]");

/// Whether `x` lies in `range`, open or closed at each end as its text says
/// (`(` or `[`, `)` or `]`).
pub(crate) fn within(x: f64, (lo, hi, text): (f64, f64, &str)) -> bool {
    let above = if text.starts_with('(') {
        x > lo
    } else {
        x >= lo
    };
    let below = if text.ends_with(')') { x < hi } else { x <= hi };
    above && below
}
/// The columns of `states.csv`, in canonical order.
pub(crate) const STATE_COLUMNS: [&str; 7] = [
    "id",
    "name",
    "power",
    "growth",
    "revisionism",
    "hardliners",
    "hedging",
];

/// A state: an agent and a node of the network.
#[derive(Clone, Debug, PartialEq)]
pub struct StateSpec {
    /// Short code such as `USA`: upper-case letters, digits and `_` (at most 16).
    pub id: String,
    /// The state's full name (e.g. `United States`), for display only.
    pub name: String,
    /// Relative material capability P in [1e-12, 1e12] (e.g. a CINC share).
    pub power: f64,
    /// Relative change of power per month: a step of length dt multiplies power by
    /// (1 + growth)^(dt/period) (docs/model.md §2.9–2.10).
    pub growth: f64,
    /// Revisionism r in [0, 1].
    pub revisionism: f64,
    /// Weight of the domestic hardline constituency h in [0, 1] at the start.
    pub hardliners: f64,
    /// Hedging g in [0, 1]: how far the state keeps its ties out of the camps'
    /// pull (multi-alignment); the balance pressure on its ties is scaled by 1 − g.
    pub hedging: f64,
}

/// The initial alignment and the interest of an unordered pair `a < b` (state indices).
#[derive(Clone, Debug, PartialEq)]
pub struct AlignmentSpec {
    /// The smaller state index of the pair.
    pub a: usize,
    /// The larger state index of the pair.
    pub b: usize,
    /// The initial alignment a_ab in [−1, 1].
    pub alignment: f64,
    /// The alignment the pair's conflicts would settle at with its issues open.
    pub interest: f64,
}

/// A conflict of interest on a pair.
#[derive(Clone, Debug, PartialEq)]
pub struct IssueSpec {
    /// Its id in `issues.csv`, unique; issues are kept in order of id.
    pub id: String,
    /// The smaller state index of the issue's pair.
    pub a: usize,
    /// The larger state index of the issue's pair.
    pub b: usize,
    /// Salience in (0, 1]: how much resolving the issue raises the pair's interest
    /// (times `interest_gain_core` or `interest_gain_peripheral`), and which open issue
    /// an offer of a class addresses first.
    pub salience: f64,
    /// A core security concern (of the weaker side) rather than a peripheral one.
    pub core: bool,
}

/// How a policy treats its target: the `stance` column of `policies.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stance {
    /// Offers of concessions, repeated every `every` steps.
    LessHardline,
    /// Coercive actions that lower the alignment, every `every` steps.
    Hardline,
}

/// Which issues an offer may address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IssueClass {
    /// Any open issue of the pair.
    Any,
    /// Only the pair's core issues.
    Core,
    /// Only the pair's peripheral issues.
    Peripheral,
}

/// The issue a policy is about: one issue, or the most salient open one of a class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IssueChoice {
    /// The most salient open issue of the class (ties to the first id).
    Class(IssueClass),
    /// This issue, by index: offers are made while it is open.
    Issue(usize),
}

/// A scheduled stance of an actor toward a target.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicySpec {
    /// The first step it acts in (steps count from 1).
    pub start: u64,
    /// The last step it acts in (inclusive); `None` lasts until the run ends.
    pub end: Option<u64>,
    /// The state index of the state that carries out the policy (i).
    pub actor: usize,
    /// The state index of the state it is aimed at (j).
    pub target: usize,
    /// Offers of concessions or hardline actions.
    pub stance: Stance,
    /// Which issue its offers address (a hardline policy's actions only name a single
    /// issue in the event log).
    pub issue: IssueChoice,
    /// Concession size c in (0, 1] of each offer.
    pub offer: f64,
    /// An offer or action every `every` steps from `start`.
    pub every: u64,
}

/// A validated scenario: typed, canonical order, parameters resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The folder's name, used to name output folders.
    pub name: String,
    /// Where it was read from.
    pub dir: PathBuf,
    /// The states, in order of id; a state's index is its position here.
    pub states: Vec<StateSpec>,
    /// The listed pairs, in order of state indices; unlisted pairs start at 0.
    pub alignments: Vec<AlignmentSpec>,
    /// The issues, in order of id.
    pub issues: Vec<IssueSpec>,
    /// The policies, in canonical order (by their fields).
    pub policies: Vec<PolicySpec>,
    /// Every model parameter: `params.csv` over the defaults, then any settings.
    pub params: Params,
}

impl Scenario {
    /// The index of the state with this id.
    pub fn state_index(&self, id: &str) -> Option<usize> {
        self.states.binary_search_by(|s| s.id.as_str().cmp(id)).ok()
    }

    /// Whether a policy of this stance goes from `actor` to `target`.
    pub fn has_policy(&self, actor: usize, target: usize, stance: Stance) -> bool {
        self.policies
            .iter()
            .any(|p| p.actor == actor && p.target == target && p.stance == stance)
    }

    /// The pair of two state indices, by their ids.
    pub fn pair_key(&self, a: usize, b: usize) -> PairKey {
        PairKey::new(&self.states[a].id, &self.states[b].id)
    }

    /// Puts the policies in canonical order (by start, actor, target, stance, issue,
    /// end, every, offer), the order in which their draws are taken.
    pub fn sort_policies(&mut self) {
        self.policies.sort_by(|x, y| {
            (
                x.start, x.actor, x.target, x.stance, x.issue, x.end, x.every,
            )
                .cmp(&(
                    y.start, y.actor, y.target, y.stance, y.issue, y.end, y.every,
                ))
                .then(x.offer.total_cmp(&y.offer))
        });
    }

    /// The listed alignment row of a pair, if any.
    pub fn alignment(&self, a: usize, b: usize) -> Option<&AlignmentSpec> {
        let key = (a.min(b), a.max(b));
        self.alignments
            .binary_search_by(|r| (r.a, r.b).cmp(&key))
            .ok()
            .map(|i| &self.alignments[i])
    }
}

impl std::fmt::Display for IssueClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            IssueClass::Any => "any",
            IssueClass::Core => "core",
            IssueClass::Peripheral => "peripheral",
        })
    }
}

impl std::fmt::Display for Stance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stance::LessHardline => "less_hardline",
            Stance::Hardline => "hardline",
        })
    }
}

impl Scenario {
    /// Loads and validates the scenario folder `dir`, reporting every problem.
    pub fn load(dir: impl AsRef<std::path::Path>) -> Result<Scenario, ScenarioError> {
        load::load(dir.as_ref())
    }
}
