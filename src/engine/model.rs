//! The compiled model: a validated scenario with its network and the look-up
//! tables a run needs, built once and shared (read-only) by every replication.

use crate::dynamics::balance;
use crate::dynamics::issues::interest_gain;
use crate::dynamics::time::{step_factor, StepRates};
use crate::engine::params::{Params, Topology};
use crate::network::Network;
use crate::scenario::Scenario;

/// No pair: the entry of `pair_at` for two states that do not evolve together.
pub(crate) const NO_PAIR: u32 = u32::MAX;

/// A scenario compiled for simulation.
#[derive(Clone, Debug)]
pub struct Model {
    pub scenario: Scenario,
    pub network: Network,
    /// The evolving pairs (a < b), in edge order of the network.
    pub pairs: Vec<(u32, u32)>,
    /// Positions of (i, j) and (j, i) of each pair in the column-major n×n matrix.
    pub(crate) pair_cells: Vec<(u32, u32)>,
    /// Pair index of (i, j) at `i * n + j`, or `NO_PAIR`.
    pub(crate) pair_at: Vec<u32>,
    /// Listed topology: the common neighbours of each pair, as CSR offsets and ids.
    pub(crate) common: Option<(Vec<u32>, Vec<u32>)>,
    /// The pair of each issue.
    pub(crate) issue_pair: Vec<u32>,
    /// The interest gain of each issue when resolved.
    pub(crate) issue_gain: Vec<f64>,
    /// The issues of each pair, as CSR offsets and issue indices.
    pub(crate) pair_issues: (Vec<u32>, Vec<u32>),
    /// States that take part whatever their ties: parties to issues and policies.
    pub(crate) participant: Vec<bool>,
    /// balance·(1 − g_i)(1 − g_j) of each pair (g: the states' hedging): the
    /// weight of structural balance on its alignment.
    pub(crate) balance_gain: Vec<f64>,
    /// The per-step values of the parameters quoted per month (`dynamics::time`).
    pub(crate) rates: StepRates,
    /// (1 + growth)^(dt / period) of each state: its power's factor per step.
    pub(crate) growth_factor: Vec<f64>,
    /// The pairs named in the scenario (alignments, issues, policies): the pairs
    /// whose trajectories a sweep aggregates.
    pub key_pairs: Vec<usize>,
}

impl Model {
    pub fn new(scenario: Scenario) -> Model {
        let network = Network::from_scenario(&scenario);
        let n = scenario.states.len();
        let pairs: Vec<(u32, u32)> = (0..network.pair_count())
            .map(|k| {
                let (a, b) = network.pair(k);
                (a as u32, b as u32)
            })
            .collect();
        let mut pair_at = vec![NO_PAIR; n * n];
        for (k, &(a, b)) in pairs.iter().enumerate() {
            pair_at[a as usize * n + b as usize] = k as u32;
            pair_at[b as usize * n + a as usize] = k as u32;
        }
        let common = (network.topology == Topology::Listed).then(|| {
            let mut neighbours: Vec<Vec<u32>> = vec![Vec::new(); n];
            for &(a, b) in &pairs {
                neighbours[a as usize].push(b);
                neighbours[b as usize].push(a);
            }
            for list in &mut neighbours {
                list.sort_unstable();
            }
            let mut offsets = vec![0u32];
            let mut ids = Vec::new();
            for &(a, b) in &pairs {
                let (x, y) = (&neighbours[a as usize], &neighbours[b as usize]);
                let (mut p, mut q) = (0, 0);
                while p < x.len() && q < y.len() {
                    match x[p].cmp(&y[q]) {
                        std::cmp::Ordering::Less => p += 1,
                        std::cmp::Ordering::Greater => q += 1,
                        std::cmp::Ordering::Equal => {
                            ids.push(x[p]);
                            p += 1;
                            q += 1;
                        }
                    }
                }
                offsets.push(ids.len() as u32);
            }
            (offsets, ids)
        });
        let issue_pair: Vec<u32> = scenario
            .issues
            .iter()
            .map(|i| pair_at[i.a * n + i.b])
            .collect();
        let issue_gain = scenario
            .issues
            .iter()
            .map(|i| interest_gain(&scenario.params, i))
            .collect();
        let mut by_pair: Vec<Vec<u32>> = vec![Vec::new(); pairs.len()];
        for (k, &p) in issue_pair.iter().enumerate() {
            by_pair[p as usize].push(k as u32);
        }
        let mut offsets = vec![0u32];
        let mut ids = Vec::new();
        for list in by_pair {
            ids.extend(list);
            offsets.push(ids.len() as u32);
        }
        let mut participant = vec![false; n];
        for i in &scenario.issues {
            participant[i.a] = true;
            participant[i.b] = true;
        }
        for p in &scenario.policies {
            participant[p.actor] = true;
            participant[p.target] = true;
        }
        let mut key_pairs: Vec<usize> = scenario
            .alignments
            .iter()
            .map(|r| (r.a, r.b))
            .chain(scenario.issues.iter().map(|i| (i.a, i.b)))
            .chain(
                scenario
                    .policies
                    .iter()
                    .map(|p| (p.actor.min(p.target), p.actor.max(p.target))),
            )
            .map(|(a, b)| pair_at[a * n + b] as usize)
            .collect();
        key_pairs.sort_unstable();
        key_pairs.dedup();
        let balance_gain = pairs
            .iter()
            .map(|&(a, b)| {
                let g = |i: u32| scenario.states[i as usize].hedging;
                balance::gain(&scenario.params, g(a), g(b))
            })
            .collect();
        let rates = StepRates::new(&scenario.params);
        let growth_factor = scenario
            .states
            .iter()
            .map(|x| step_factor(1.0 + x.growth, rates.periods))
            .collect();
        let pair_cells = pairs
            .iter()
            .map(|&(a, b)| (a + b * n as u32, b + a * n as u32))
            .collect();
        Model {
            scenario,
            network,
            pair_cells,
            pairs,
            pair_at,
            common,
            issue_pair,
            issue_gain,
            pair_issues: (offsets, ids),
            participant,
            balance_gain,
            rates,
            growth_factor,
            key_pairs,
        }
    }

    pub fn params(&self) -> &Params {
        &self.scenario.params
    }

    pub fn state_count(&self) -> usize {
        self.scenario.states.len()
    }

    /// The pair index of two states, if they evolve together.
    pub fn pair_index(&self, i: usize, j: usize) -> Option<usize> {
        let k = self.pair_at[i * self.state_count() + j];
        (k != NO_PAIR).then_some(k as usize)
    }

    /// `A-B` for pair `k`.
    pub fn pair_key(&self, k: usize) -> String {
        let (a, b) = self.pairs[k];
        self.scenario.pair_key(a as usize, b as usize)
    }

    pub(crate) fn issues_of_pair(&self, k: usize) -> &[u32] {
        let (offsets, ids) = &self.pair_issues;
        &ids[offsets[k] as usize..offsets[k + 1] as usize]
    }

    pub(crate) fn common_neighbours(&self, k: usize) -> &[u32] {
        match &self.common {
            Some((offsets, ids)) => &ids[offsets[k] as usize..offsets[k + 1] as usize],
            None => &[],
        }
    }
}
