//! The compiled model: a validated scenario with its network and the look-up
//! tables a run needs, built once and shared (read-only) by every replication.

use crate::dynamics::balance;
use crate::dynamics::issues::interest_gain;
use crate::dynamics::time::{step_factor, StepRates};
use crate::network::Network;
use crate::scenario::params::{Params, Topology};
use crate::scenario::{PairKey, Scenario};

/// No pair: the entry of `pair_at` for two states that do not evolve together.
pub(crate) const NO_PAIR: u32 = u32::MAX;

/// A list per state (or pair) as CSR: offsets into one flat vector of entries.
pub(crate) type Csr<T> = (Vec<u32>, Vec<T>);

/// A scenario compiled for simulation.
#[derive(Clone, Debug)]
pub struct Model {
    /// The validated scenario, with its parameters.
    pub scenario: Scenario,
    /// The network of states and evolving pairs, topology resolved.
    pub network: Network,
    /// The evolving pairs (a < b), in edge order of the network.
    pub pairs: Vec<(u32, u32)>,
    /// Positions of (i, j) and (j, i) of each pair in the column-major n×n matrix.
    pub(crate) pair_cells: Vec<(u32, u32)>,
    /// Complete topology: pair index of (i, j) at `i * n + j`, or `NO_PAIR`;
    /// empty for listed, whose pairs are found in `state_ties`.
    pub(crate) pair_at: Vec<u32>,
    /// Listed topology: the common neighbours m of each pair (i, j) with the pair
    /// indices of (i, m) and (j, m), as CSR.
    pub(crate) common: Option<Csr<[u32; 3]>>,
    /// Listed topology: each state's ties as (other state, pair), other states in
    /// increasing order, as CSR offsets and entries; what the per-state scans of a
    /// step read instead of a row of the n×n matrix.
    pub(crate) state_ties: Option<Csr<(u32, u32)>>,
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
    /// whose trajectories a sweep aggregates and whose final ties a run reports,
    /// in pair order. [`Model::rank_key_pairs`] orders them for display.
    pub key_pairs: Vec<usize>,
    /// For each pair, the first policy (either direction) about it, if any.
    pub(crate) policy_of_pair: Vec<Option<usize>>,
}

/// The pair of states `i` and `j` among the listed ties, by binary search in i's.
fn tie_pair(ties: &Csr<(u32, u32)>, i: usize, j: usize) -> Option<u32> {
    let (offsets, entries) = ties;
    let own = &entries[offsets[i] as usize..offsets[i + 1] as usize];
    own.binary_search_by_key(&(j as u32), |t| t.0)
        .ok()
        .map(|k| own[k].1)
}

impl Model {
    /// Compiles `scenario`: builds its network and the look-up tables of a run.
    pub fn new(scenario: Scenario) -> Model {
        let network = Network::from_scenario(&scenario);
        let n = scenario.states.len();
        let pairs: Vec<(u32, u32)> = (0..network.pair_count())
            .map(|k| {
                let (a, b) = network.pair(k);
                (a as u32, b as u32)
            })
            .collect();
        let listed = network.topology == Topology::Listed;
        let mut pair_at = vec![NO_PAIR; if listed { 0 } else { n * n }];
        if !listed {
            for (k, &(a, b)) in pairs.iter().enumerate() {
                pair_at[a as usize * n + b as usize] = k as u32;
                pair_at[b as usize * n + a as usize] = k as u32;
            }
        }
        let state_ties = (network.topology == Topology::Listed).then(|| {
            let mut lists: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
            for (k, &(a, b)) in pairs.iter().enumerate() {
                lists[a as usize].push((b, k as u32));
                lists[b as usize].push((a, k as u32));
            }
            let mut offsets = vec![0u32];
            let mut entries = Vec::with_capacity(2 * pairs.len());
            for mut list in lists {
                list.sort_unstable();
                entries.extend(list);
                offsets.push(entries.len() as u32);
            }
            (offsets, entries)
        });
        // Each common neighbour m of pair (i, j) with the pairs (i, m) and (j, m): the
        // balance sums read the alignments in pair order, never the n×n matrix.
        let common = state_ties.as_ref().map(|ties: &Csr<(u32, u32)>| {
            let own =
                |i: u32| &ties.1[ties.0[i as usize] as usize..ties.0[i as usize + 1] as usize];
            let mut offsets = vec![0u32];
            let mut ids = Vec::new();
            for &(a, b) in &pairs {
                let (x, y) = (own(a), own(b));
                let (mut p, mut q) = (0, 0);
                while p < x.len() && q < y.len() {
                    match x[p].0.cmp(&y[q].0) {
                        std::cmp::Ordering::Less => p += 1,
                        std::cmp::Ordering::Greater => q += 1,
                        std::cmp::Ordering::Equal => {
                            ids.push([x[p].0, x[p].1, y[q].1]);
                            p += 1;
                            q += 1;
                        }
                    }
                }
                offsets.push(ids.len() as u32);
            }
            (offsets, ids)
        });
        let find = |a: usize, b: usize| -> u32 {
            match &state_ties {
                Some(ties) => tie_pair(ties, a, b).unwrap_or(NO_PAIR),
                None => pair_at[a * n + b],
            }
        };
        let issue_pair: Vec<u32> = scenario.issues.iter().map(|i| find(i.a, i.b)).collect();
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
            .map(|(a, b)| find(a, b) as usize)
            .collect();
        key_pairs.sort_unstable();
        key_pairs.dedup();
        let mut policy_of_pair = vec![None; pairs.len()];
        for (k, p) in scenario.policies.iter().enumerate() {
            policy_of_pair[find(p.actor.min(p.target), p.actor.max(p.target)) as usize]
                .get_or_insert(k);
        }
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
            state_ties,
            issue_pair,
            issue_gain,
            pair_issues: (offsets, ids),
            participant,
            balance_gain,
            rates,
            growth_factor,
            key_pairs,
            policy_of_pair,
        }
    }

    /// The key pairs in the order a reader shows them, the one rule every figure
    /// and table follows: the pairs of policies first (in the order of the
    /// scenario's policies), then the strongest ties
    /// between powers at the end of the run, by |a_ij|·√(s_i s_j) (the weight of a
    /// tie in power-weighted balance, so that USA-CHN outranks as strong a tie
    /// between two small states), ties in pair order. `alignments` are the pairs'
    /// final alignments, `shares` the states' final power shares. Written into a
    /// run's `summary.csv` as `key_pair` rows (value: the rank, 1 first).
    pub fn rank_key_pairs(&self, alignments: &[f64], shares: &[f64]) -> Vec<usize> {
        let mut ranked = self.key_pairs.clone();
        rank_pairs(
            &mut ranked,
            |&k| self.policy_of_pair[k],
            |&k| {
                let (a, b) = self.pairs[k];
                tie_strength(alignments[k], shares[a as usize] * shares[b as usize])
            },
        );
        ranked
    }

    /// The scenario's parameters.
    pub fn params(&self) -> &Params {
        &self.scenario.params
    }

    /// The number of states n.
    pub fn state_count(&self) -> usize {
        self.scenario.states.len()
    }

    /// The pair index of two states, if they evolve together.
    pub fn pair_index(&self, i: usize, j: usize) -> Option<usize> {
        let k = match &self.state_ties {
            Some(ties) => tie_pair(ties, i, j)?,
            None => self.pair_at[i * self.state_count() + j],
        };
        (k != NO_PAIR).then_some(k as usize)
    }

    /// The states of pair `k`, by their ids.
    pub fn pair_key(&self, k: usize) -> PairKey {
        let (a, b) = self.pairs[k];
        self.scenario.pair_key(a as usize, b as usize)
    }

    pub(crate) fn issues_of_pair(&self, k: usize) -> &[u32] {
        let (offsets, ids) = &self.pair_issues;
        &ids[offsets[k] as usize..offsets[k + 1] as usize]
    }

    /// Listed topology: the ties of state `i` as (other state, pair), others in
    /// increasing order; `None` for the complete topology.
    pub(crate) fn state_ties(&self, i: usize) -> Option<&[(u32, u32)]> {
        let (offsets, entries) = self.state_ties.as_ref()?;
        Some(&entries[offsets[i] as usize..offsets[i + 1] as usize])
    }

    /// The common neighbours of pair `k` as (m, pair (i, m), pair (j, m)).
    pub(crate) fn common_neighbours(&self, k: usize) -> &[[u32; 3]] {
        match &self.common {
            Some((offsets, ids)) => &ids[offsets[k] as usize..offsets[k + 1] as usize],
            None => &[],
        }
    }
}

/// The strength of a tie in the key-pair rule: |alignment|·√(share product),
/// the product's root counting 1 when undefined and the strength 0 when
/// undefined.
pub fn tie_strength(alignment: f64, share_product: f64) -> f64 {
    let w = share_product.sqrt();
    let x = alignment.abs() * if w.is_finite() { w } else { 1.0 };
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// Orders `pairs` by the key-pair rule of [`Model::rank_key_pairs`]: those with
/// a `priority` first, by it, then the others by `strength` (a
/// [`tie_strength`]) from the strongest, stably. Also ranks a sweep's pairs
/// (its policies' and varied pairs first, then by their strongest mean tie over
/// its configurations).
pub fn rank_pairs<T: Clone>(
    pairs: &mut [T],
    priority: impl Fn(&T) -> Option<usize>,
    strength: impl Fn(&T) -> f64,
) {
    // (priority, or none as usize::MAX; strength, 0 for the prioritised; place)
    let mut keyed: Vec<(usize, f64, usize)> = pairs
        .iter()
        .enumerate()
        .map(|(k, t)| match priority(t) {
            Some(p) => (p, 0.0, k),
            None => (usize::MAX, strength(t), k),
        })
        .collect();
    keyed.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)));
    let ranked: Vec<T> = keyed.iter().map(|&(_, _, k)| pairs[k].clone()).collect();
    pairs.clone_from_slice(&ranked);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_come_first_in_their_order_then_the_strongest_ties() {
        // (name, priority, alignment, share product)
        let mut pairs = vec![
            ("weak", None, 0.1, 1.0),
            ("policy-2", Some(2), 0.0, 1.0),
            ("strong-between-powers", None, 0.5, 0.25),
            ("strong-between-minnows", None, 0.9, 0.01),
            ("policy-1", Some(1), -0.9, 1.0),
            ("undefined", None, f64::NAN, 1.0),
            ("no-shares", None, 0.3, f64::NAN),
        ];
        rank_pairs(&mut pairs, |p| p.1, |p| tie_strength(p.2, p.3));
        let names: Vec<&str> = pairs.iter().map(|p| p.0).collect();
        assert_eq!(
            names,
            [
                "policy-1",
                "policy-2",
                "no-shares",
                "strong-between-powers",
                "weak",
                "strong-between-minnows",
                "undefined"
            ]
        );
        assert_eq!(tie_strength(-0.5, 0.25), 0.25);
    }
}
