//! The compiled model: a validated scenario with its network and the look-up
//! tables a run needs, built once and shared (read-only) by every replication.

use crate::dynamics::issues::interest_gain;
use crate::engine::params::{Params, Topology};
use crate::network::Network;
use crate::scenario::Scenario;

/// No pair: the entry of `pair_at` for two states that do not evolve together.
pub(crate) const NO_PAIR: u32 = u32::MAX;

/// A list per state (or pair) as CSR: offsets into one flat vector of entries.
pub(crate) type Csr<T> = (Vec<u32>, Vec<T>);

/// A scenario compiled for simulation.
#[derive(Clone, Debug)]
pub struct Model {
    pub scenario: Scenario,
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
    /// The pairs named in the scenario (alignments, issues, policies): the pairs
    /// whose trajectories a sweep aggregates.
    pub key_pairs: Vec<usize>,
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
        let k = match &self.state_ties {
            Some(ties) => tie_pair(ties, i, j)?,
            None => self.pair_at[i * self.state_count() + j],
        };
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
