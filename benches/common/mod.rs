//! Shared builders of the benchmarks: the bundled `world-2024` scenario and a
//! synthetic scenario generator that writes a scenario folder of CSV files into a
//! temporary directory and loads it through [`Scenario::load`], so the benchmarks
//! exercise exactly what a modeler's folder would.
//!
//! The generator is deterministic (its own SplitMix64 stream from `seed`), so two
//! benchmark runs time the same network.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use entente::engine::Model;
use entente::scenario::Scenario;

/// The folder of a bundled scenario.
pub fn bundled(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// `scenarios/world-2024`, compiled.
pub fn world_2024() -> Model {
    let dir = bundled("world-2024");
    let scenario =
        Scenario::load(&dir).unwrap_or_else(|e| panic!("loading {}: {e}", dir.display()));
    Model::new(scenario)
}

/// Which pairs of a synthetic network are listed and evolve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ties {
    /// `topology = complete`, every pair listed in `alignments.csv`.
    Dense,
    /// `topology = listed`: a ring to the two nearest neighbours on each side plus
    /// one random chord per state, i.e. about 5 ties per state.
    Sparse,
    /// `topology = listed`: a ring to the four nearest neighbours on each side plus
    /// one random chord per state, i.e. about 10 ties per state.
    Sparse10,
}

/// A synthetic scenario: `states` states `S000…`, a few issues and policies on the
/// first states (so offers, reactions and hardline actions all happen), default
/// parameters otherwise.
#[derive(Clone, Copy, Debug)]
pub struct Synthetic {
    pub states: usize,
    pub ties: Ties,
    /// Number of issues (round-robin over the first few pairs).
    pub issues: usize,
    /// Number of less-hardline policies (each with a hardline companion).
    pub policies: usize,
    pub steps: u64,
    pub seed: u64,
}

impl Synthetic {
    pub fn new(states: usize, ties: Ties) -> Self {
        Synthetic {
            states,
            ties,
            issues: 6,
            policies: 3,
            steps: 400,
            seed: 7,
        }
    }

    /// Writes the scenario folder (states, alignments, issues, policies, params) into `dir`.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        let n = self.states;
        assert!(n >= 8, "the synthetic generator needs at least 8 states");
        let mut rng = SplitMix(self.seed);
        let id = |i: usize| format!("S{i:03}");

        let mut states = String::from("id,name,power,growth,revisionism,hardliners\n");
        for i in 0..n {
            writeln!(
                states,
                "{},State {i},{:.5},{:.5},{:.3},{:.3}",
                id(i),
                0.001 + 0.02 * rng.unit(),
                0.002 * (rng.unit() - 0.5),
                rng.unit(),
                0.2 + 0.6 * rng.unit(),
            )
            .unwrap();
        }

        let mut pairs: Vec<(usize, usize)> = match self.ties {
            Ties::Dense => (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .collect(),
            Ties::Sparse => {
                let mut v = Vec::with_capacity(3 * n);
                for i in 0..n {
                    v.push((i, (i + 1) % n));
                    v.push((i, (i + 2) % n));
                    let mut j = rng.below(n);
                    while j == i {
                        j = rng.below(n);
                    }
                    v.push((i, j));
                }
                v
            }
            Ties::Sparse10 => {
                let mut v = Vec::with_capacity(5 * n);
                for i in 0..n {
                    v.extend((1..=4).map(|d| (i, (i + d) % n)));
                    let mut j = rng.below(n);
                    while j == i {
                        j = rng.below(n);
                    }
                    v.push((i, j));
                }
                v
            }
        };
        for p in &mut pairs {
            *p = (p.0.min(p.1), p.0.max(p.1));
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut alignments = String::from("a,b,alignment,interest\n");
        for &(a, b) in &pairs {
            let x = 1.6 * rng.unit() - 0.8;
            let y = (x + 0.4 * rng.unit() - 0.2).clamp(-1.0, 1.0);
            writeln!(alignments, "{},{},{x:.3},{y:.3}", id(a), id(b)).unwrap();
        }

        // Issues and policies between S000 and S001..S003 (pairs that also exist in
        // the sparse ring, and in any case are added by listing them).
        let targets = [1usize, 2, 3];
        let mut issues = String::from("id,a,b,salience,core\n");
        for k in 0..self.issues {
            let t = targets[k % targets.len()];
            writeln!(
                issues,
                "issue{k},{},{},{:.2},{}",
                id(0),
                id(t),
                0.3 + 0.7 * rng.unit(),
                k % 2 == 0
            )
            .unwrap();
        }
        let mut policies = String::from("start,actor,target,stance,end,issue,offer,every\n");
        for k in 0..self.policies {
            let t = targets[k % targets.len()];
            let class = if k % 2 == 0 { "peripheral" } else { "any" };
            writeln!(
                policies,
                "{},{},{},less_hardline,,{class},0.5,{}",
                1 + 3 * k,
                id(0),
                id(t),
                4 + k
            )
            .unwrap();
            writeln!(policies, "1,{},{},hardline,,,,12", id(t), id(0)).unwrap();
        }

        let topology = match self.ties {
            Ties::Dense => "complete",
            Ties::Sparse | Ties::Sparse10 => "listed",
        };
        let params = format!(
            "key,value\nsteps,{}\nseed,{}\ntopology,{topology}\n",
            self.steps, self.seed
        );

        std::fs::write(dir.join("states.csv"), states)?;
        std::fs::write(dir.join("alignments.csv"), alignments)?;
        std::fs::write(dir.join("issues.csv"), issues)?;
        std::fs::write(dir.join("policies.csv"), policies)?;
        std::fs::write(dir.join("params.csv"), params)
    }

    /// Writes the scenario into a fresh temporary folder and loads it.
    pub fn scenario(&self) -> Scenario {
        let dir = tempfile::Builder::new()
            .prefix("entente-bench-")
            .tempdir()
            .expect("creating a temporary folder");
        self.write_to(dir.path()).expect("writing the scenario");
        Scenario::load(dir.path()).unwrap_or_else(|e| panic!("loading the synthetic scenario: {e}"))
    }

    /// The compiled model of [`Synthetic::scenario`].
    pub fn model(&self) -> Model {
        Model::new(self.scenario())
    }
}

/// A symmetric n × n matrix of uniform values in (−1, 1) with a zero
/// diagonal, as a complete network's alignments are, from `seed`.
pub fn random_symmetric(n: usize, seed: u64) -> nalgebra::DMatrix<f64> {
    let mut rng = SplitMix(seed);
    let mut a = nalgebra::DMatrix::zeros(n, n);
    for i in 0..n {
        for j in i + 1..n {
            let x = 2.0 * rng.unit() - 1.0;
            a[(i, j)] = x;
            a[(j, i)] = x;
        }
    }
    a
}

/// SplitMix64: a tiny deterministic generator for the synthetic inputs.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n.
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
}
