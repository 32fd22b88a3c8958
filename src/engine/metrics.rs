//! The metrics of a run (docs/model.md §3), reduced as the run goes: offers and their
//! outcome per policy pair, deals, hardline actions, and at the end the camps, the
//! balance index and the final ties. One [`Metric`] list serves `summary.csv` of a
//! run (long form) and a row of a sweep's `runs.csv` (wide form).

use std::fmt;

use super::events::{EventKind, Outcome};
use super::model::Model;
use super::observer::Observer;
use super::simulation::Simulation;
use crate::network::balance::{balance_index, balance_index_of_triads};
use crate::network::camps::{camps, sparse_camps, Camps};
use crate::scenario::params::Topology;
use crate::scenario::Stance;

/// What a metric is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// The whole network.
    Network,
    /// One state, by index.
    State(u32),
    /// An unordered pair, smaller index first.
    Pair(u32, u32),
    /// From actor to target.
    Directed(u32, u32),
}

/// One named value of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// The metric's name, as the CSV files spell it (`balance_index`, `offers`, …).
    pub name: &'static str,
    /// The network, state, pair or policy pair the value is about.
    pub subject: Subject,
    /// NaN when undefined (e.g. a reciprocation rate without offers).
    pub value: f64,
}

impl Metric {
    /// The subject's ids: (a, b), empty when not applicable.
    pub fn ids<'m>(&self, model: &'m Model) -> (&'m str, &'m str) {
        let id = |i: u32| model.scenario.states[i as usize].id.as_str();
        match self.subject {
            Subject::Network => ("", ""),
            Subject::State(i) => (id(i), ""),
            Subject::Pair(a, b) | Subject::Directed(a, b) => (id(a), id(b)),
        }
    }

    /// The column name in a sweep's `runs.csv`: `name`, `name:USA`, `name:RUS-CHN`
    /// (pair) or `name:USA>RUS` (from actor to target).
    pub fn column(&self, model: &Model) -> String {
        let (a, b) = self.ids(model);
        match self.subject {
            Subject::Network => self.name.to_string(),
            Subject::State(_) => format!("{}:{a}", self.name),
            Subject::Pair(..) => format!("{}:{a}-{b}", self.name),
            Subject::Directed(..) => format!("{}:{a}>{b}", self.name),
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct OfferTally {
    offers: u64,
    reciprocated: u64,
    p_sum: f64,
}

/// Running tallies of one run; call [`RunMetrics::finish`] at the end.
#[derive(Clone, Debug)]
pub struct RunMetrics {
    /// The directed pairs of less-hardline policies, sorted, and their tallies.
    policy_pairs: Vec<(u32, u32)>,
    tallies: Vec<OfferTally>,
    counter_offers: OfferTally,
    deals_by_issue: Vec<u64>,
    hardline_actions: u64,
    /// Revisionist actions taken, per state.
    aggressions: Vec<u64>,
    abandonments: u64,
    approaches_ended: u64,
}

impl RunMetrics {
    /// Zeroed tallies for a run of `model`: per directed pair of its less-hardline
    /// policies, per issue and per state.
    pub fn new(model: &Model) -> Self {
        let mut policy_pairs: Vec<(u32, u32)> = model
            .scenario
            .policies
            .iter()
            .filter(|p| p.stance == Stance::LessHardline)
            .map(|p| (p.actor as u32, p.target as u32))
            .collect();
        policy_pairs.sort_unstable();
        policy_pairs.dedup();
        RunMetrics {
            tallies: vec![OfferTally::default(); policy_pairs.len()],
            policy_pairs,
            counter_offers: OfferTally::default(),
            deals_by_issue: vec![0; model.scenario.issues.len()],
            hardline_actions: 0,
            aggressions: vec![0; model.state_count()],
            abandonments: 0,
            approaches_ended: 0,
        }
    }

    /// The metrics of the run that ended in `sim`, in a fixed order.
    pub fn finish(&self, sim: &Simulation) -> Vec<Metric> {
        let model = sim.model();
        let s = &model.scenario;
        let mut out = Vec::new();
        let mut push = |name, subject, value| {
            out.push(Metric {
                name,
                subject,
                value,
            })
        };
        for (&(i, j), t) in self.policy_pairs.iter().zip(&self.tallies) {
            let d = Subject::Directed(i, j);
            let per_offer = |x: f64| {
                if t.offers > 0 {
                    x / t.offers as f64
                } else {
                    f64::NAN
                }
            };
            push("offers", d, t.offers as f64);
            push("reciprocations", d, t.reciprocated as f64);
            push("reciprocation_rate", d, per_offer(t.reciprocated as f64));
            push("mean_p", d, per_offer(t.p_sum));
        }
        let open = sim.open_issues();
        let deals_made: u64 = self.deals_by_issue.iter().sum();
        let deals_alive = self
            .deals_by_issue
            .iter()
            .zip(open)
            .filter(|(d, o)| **d > 0 && !**o)
            .count();
        push("deals_made", Subject::Network, deals_made as f64);
        push("deals_alive", Subject::Network, deals_alive as f64);
        let mut issue_pairs: Vec<(u32, u32)> =
            s.issues.iter().map(|i| (i.a as u32, i.b as u32)).collect();
        issue_pairs.sort_unstable();
        issue_pairs.dedup();
        for &(a, b) in &issue_pairs {
            let on_pair = |k: &usize| (s.issues[*k].a as u32, s.issues[*k].b as u32) == (a, b);
            let made: u64 = (0..s.issues.len())
                .filter(on_pair)
                .map(|k| self.deals_by_issue[k])
                .sum();
            let alive = (0..s.issues.len())
                .filter(on_pair)
                .filter(|&k| self.deals_by_issue[k] > 0 && !open[k])
                .count();
            push("deals_made", Subject::Pair(a, b), made as f64);
            push("deals_alive", Subject::Pair(a, b), alive as f64);
        }
        let co = self.counter_offers;
        push("counter_offers", Subject::Network, co.offers as f64);
        push(
            "counter_offers_reciprocated",
            Subject::Network,
            co.reciprocated as f64,
        );
        push(
            "hardline_actions",
            Subject::Network,
            self.hardline_actions as f64,
        );
        push(
            "aggressions",
            Subject::Network,
            self.aggressions.iter().sum::<u64>() as f64,
        );
        push("abandonments", Subject::Network, self.abandonments as f64);
        push(
            "approaches_ended",
            Subject::Network,
            self.approaches_ended as f64,
        );
        push("balance_index", Subject::Network, balance_index_now(sim));
        let c = camps_now(sim);
        push("camps_eigen", Subject::Network, c.eigen_count as f64);
        push("camps_positive", Subject::Network, c.positive_count as f64);
        for &k in &model.key_pairs {
            let (i, j) = model.pairs[k];
            push("final_alignment", Subject::Pair(i, j), sim.alignment(k));
            push("final_interest", Subject::Pair(i, j), sim.interest(k));
        }
        for i in 0..s.states.len() {
            // Membership, not a label: a sweep averages it into a share of runs.
            push(
                "leader_camp",
                Subject::State(i as u32),
                f64::from(1 - c.eigen[i]),
            );
            push("hardliners", Subject::State(i as u32), sim.hardliners()[i]);
            push("power_share", Subject::State(i as u32), sim.shares()[i]);
            push(
                "aggressions",
                Subject::State(i as u32),
                self.aggressions[i] as f64,
            );
        }
        out
    }
}

/// The camps at the current step of `sim`: from the dense eigendecomposition for
/// the `complete` topology, by power iteration on the listed ties for `listed`
/// (no n×n work); camp 0 is the camp of the most powerful state
/// ([`crate::network::camps`]).
pub fn camps_now(sim: &Simulation) -> Camps {
    let model = sim.model();
    match model.network.topology {
        Topology::Listed => sparse_camps(&model.pairs, sim.pair_alignments(), sim.power()),
        _ => camps(sim.alignments(), sim.power()),
    }
}

/// The balance index at the current step: dense for `complete`, over the triads
/// of listed ties (each once, from the common neighbours of each pair) for `listed`.
pub fn balance_index_now(sim: &Simulation) -> f64 {
    let model = sim.model();
    if model.network.topology != Topology::Listed {
        return balance_index(sim.alignments());
    }
    let v = sim.pair_alignments();
    let triads = model.pairs.iter().enumerate().flat_map(|(k, &(_, j))| {
        model
            .common_neighbours(k)
            .iter()
            .filter(move |t| t[0] > j)
            .map(move |&[_, im, jm]| v[k] * v[im as usize] * v[jm as usize])
    });
    balance_index_of_triads(triads)
}

/// The camp label of each state at the end of a run (`camp` in a run's
/// summary.csv, which colours the network plot); a sweep reports `leader_camp`
/// instead, since an average of labels means nothing.
pub fn camp_labels(sim: &Simulation) -> Vec<Metric> {
    camps_now(sim)
        .eigen
        .iter()
        .enumerate()
        .map(|(i, &c)| Metric {
            name: "camp",
            subject: Subject::State(i as u32),
            value: f64::from(c),
        })
        .collect()
}

impl Observer for RunMetrics {
    fn observe(&mut self, sim: &Simulation) {
        for e in sim.events() {
            match e.kind {
                EventKind::Offer => {
                    if let Ok(k) = self.policy_pairs.binary_search(&(e.actor, e.target)) {
                        let t = &mut self.tallies[k];
                        t.offers += 1;
                        t.reciprocated += u64::from(e.outcome == Outcome::Reciprocated);
                        t.p_sum += e.probability;
                    }
                }
                EventKind::CounterOffer => {
                    let t = &mut self.counter_offers;
                    t.offers += 1;
                    t.reciprocated += u64::from(e.outcome == Outcome::Reciprocated);
                    t.p_sum += e.probability;
                }
                EventKind::Deal => {
                    if let Some(k) = e.issue {
                        self.deals_by_issue[k as usize] += 1;
                    }
                }
                EventKind::Hardline => self.hardline_actions += 1,
                EventKind::Aggression => self.aggressions[e.actor as usize] += 1,
                EventKind::Abandonment => self.abandonments += 1,
                EventKind::ApproachEnd => self.approaches_ended += 1,
                EventKind::Breach => {}
            }
        }
    }
}
