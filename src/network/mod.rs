//! The alignment network: a petgraph graph whose nodes are states and whose edges
//! are the pairs that evolve, each carrying its alignment and interest; and the
//! dense nalgebra view of the alignments that the balance term and the camps use.
//!
//! Edge `k` of the graph is pair `k` of the simulation: pairs are in canonical order
//! (by first state index, then second), so an edge index is a stable pair index.

pub mod balance;
pub mod camps;
pub mod landscape;
pub mod similarity;

use nalgebra::DMatrix;
use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};

use crate::scenario::params::{Topology, COMPLETE_LIMIT};
use crate::scenario::Scenario;

/// A pair's alignment a and interest b.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tie {
    /// The pair's alignment a, in [−1, 1].
    pub alignment: f64,
    /// The pair's interest b, in [−1, 1]: where relaxation pulls the alignment.
    pub interest: f64,
}

/// The states and the pairs that evolve.
#[derive(Clone, Debug)]
pub struct Network {
    /// Node weights are state indices of the scenario; edge weights the ties.
    pub graph: UnGraph<usize, Tie>,
    /// `Complete` or `Listed`, never `Auto`.
    pub topology: Topology,
}

impl Network {
    /// Builds the network of a scenario with its topology resolved: `complete` has an
    /// edge for every pair; `listed` only for the pairs named in alignments, issues
    /// or policies. Unlisted pairs start at alignment and interest 0.
    pub fn from_scenario(s: &Scenario) -> Network {
        let n = s.states.len();
        let topology = match s.params.topology {
            Topology::Auto if n <= COMPLETE_LIMIT => Topology::Complete,
            Topology::Auto => Topology::Listed,
            t => t,
        };
        let mut pairs: Vec<(usize, usize)> = match topology {
            Topology::Complete => (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .collect(),
            _ => s
                .alignments
                .iter()
                .map(|r| (r.a, r.b))
                .chain(s.issues.iter().map(|i| (i.a, i.b)))
                .chain(
                    s.policies
                        .iter()
                        .map(|p| (p.actor.min(p.target), p.actor.max(p.target))),
                )
                .collect(),
        };
        pairs.sort_unstable();
        pairs.dedup();
        let mut graph = UnGraph::with_capacity(n, pairs.len());
        for i in 0..n {
            graph.add_node(i);
        }
        for (a, b) in pairs {
            let tie = match s.alignment(a, b) {
                Some(r) => Tie {
                    alignment: r.alignment,
                    interest: r.interest,
                },
                None => Tie {
                    alignment: 0.0,
                    interest: 0.0,
                },
            };
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), tie);
        }
        Network { graph, topology }
    }

    /// The number of states (nodes).
    pub fn state_count(&self) -> usize {
        self.graph.node_count()
    }

    /// The number of evolving pairs (edges).
    pub fn pair_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The two state indices of pair `k`, smaller first.
    pub fn pair(&self, k: usize) -> (usize, usize) {
        let (a, b) = self
            .graph
            .edge_endpoints(EdgeIndex::new(k))
            .expect("pair index in range");
        (a.index().min(b.index()), a.index().max(b.index()))
    }

    /// The symmetric n×n matrix of alignments, zero on the diagonal and for pairs
    /// that are not edges. O(n²) memory but O(edges) work: the dense kernel of the
    /// `complete` topology reads it whole, the `listed` one only at its ties.
    pub fn dense_alignment(&self) -> DMatrix<f64> {
        let n = self.state_count();
        // Zeroed memory from the allocator: pages are mapped as ties are written,
        // so a sparse network of many states does not touch all n² cells.
        let mut m = DMatrix::from_vec(n, n, vec![0.0; n * n]);
        for e in self.graph.edge_indices() {
            let (a, b) = self.pair(e.index());
            let x = self.graph[e].alignment;
            m[(a, b)] = x;
            m[(b, a)] = x;
        }
        m
    }
}

/// The symmetric n×n alignment matrix with the given ties (i, j, a_ij), zero
/// elsewhere: the dense view of a small hand-written network (tests, examples).
pub fn symmetric(n: usize, ties: &[(usize, usize, f64)]) -> DMatrix<f64> {
    let mut m = DMatrix::zeros(n, n);
    for &(i, j, x) in ties {
        m[(i, j)] = x;
        m[(j, i)] = x;
    }
    m
}
