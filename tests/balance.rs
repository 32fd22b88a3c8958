//! Pure structural balance (docs/model.md §2.1–2.4): with balance = 1, relaxation = 0,
//! noise = 0 and no policies or issues, a random complete network settles into
//! structural balance — at most two camps, friends inside, enemies across — under
//! either weighting of third states, with revisionist actions (§2.9) off or on.
//! Their kicks move the latent tie (a = tanh x), so none pins a tie at ±1.

mod common;

use entente::engine::{Model, RunId, Simulation};
use entente::network::balance::{balance_index, is_structurally_balanced};
use entente::network::camps::camps;
use entente::scenario::Scenario;
use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Steps allowed to settle. With dt = 0.1 random networks of 10–40 states settle
/// between steps ~80 and ~1100 (60 networks per weighting measured); 2000 leaves a
/// margin.
const MAX_STEPS: u64 = 2000;
/// Steps run after balance is first seen, to check that it holds.
const HOLD_STEPS: u64 = 100;

/// A random complete network of 10–40 states: every pair listed with an alignment
/// uniform in [-1, 1]; power 1 for all or uniform in [0.05, 3].
fn random_network(rng: &mut ChaCha8Rng, random_power: bool, params: &str) -> Scenario {
    let n = rng.gen_range(10..=40);
    let ids: Vec<String> = (0..n).map(|i| format!("S{i:02}")).collect();
    let mut states = String::from("id,power\n");
    for id in &ids {
        let p: f64 = if random_power {
            rng.gen_range(0.05..3.0)
        } else {
            1.0
        };
        states += &format!("{id},{p}\n");
    }
    let mut alignments = String::from("a,b,alignment\n");
    for i in 0..n {
        for j in i + 1..n {
            let a: f64 = rng.gen_range(-1.0..=1.0);
            alignments += &format!("{},{},{a}\n", ids[i], ids[j]);
        }
    }
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("random");
    common::write_files(
        &dir,
        &[
            ("states.csv", &states),
            ("alignments.csv", &alignments),
            ("params.csv", params),
        ],
    );
    let s = Scenario::load(&dir).unwrap();
    assert_eq!(s.alignments.len(), n * (n - 1) / 2);
    s
}

/// Why a network is not balanced: its unbalanced triads, and the ties whose sign
/// disagrees with their balance pressure B while pinned at exactly ±1 (where the
/// (1 − a²) factor stops them for good).
fn diagnosis(a: &DMatrix<f64>, w: &[f64]) -> String {
    let n = a.nrows();
    let mut unbalanced = 0;
    let mut pinned_against_b = 0;
    let mut against_b = 0;
    for i in 0..n {
        for j in i + 1..n {
            let b: f64 = (0..n)
                .filter(|&k| k != i && k != j)
                .map(|k| w[k] * a[(i, k)] * a[(k, j)])
                .sum();
            if b * a[(i, j)] < 0.0 {
                against_b += 1;
                pinned_against_b += usize::from(a[(i, j)].abs() == 1.0);
            }
            for k in j + 1..n {
                unbalanced += usize::from(a[(i, j)] * a[(j, k)] * a[(i, k)] < 0.0);
            }
        }
    }
    format!(
        "{unbalanced} unbalanced triads; {against_b} ties against their balance pressure, \
         {pinned_against_b} of them pinned at exactly ±1; balance index {}",
        balance_index(a)
    )
}

/// Runs until balanced (or MAX_STEPS), then HOLD_STEPS more; returns the step at
/// which balance was first seen and the final matrix.
fn settle(model: &Model) -> (Option<u64>, DMatrix<f64>) {
    let mut sim = Simulation::new(model, RunId::new(11, 0, 0));
    let mut first = None;
    while sim.step_count() < MAX_STEPS {
        if is_structurally_balanced(sim.alignments()) {
            first = Some(sim.step_count());
            break;
        }
        sim.step();
    }
    if first.is_some() {
        for _ in 0..HOLD_STEPS {
            sim.step();
        }
    }
    (first, sim.alignments().clone())
}

/// Asserts the final state of a settled network: balanced, every tie decided,
/// at most two camps by both methods and they agree, balance index 1.
fn assert_balanced(a: &DMatrix<f64>, what: &str) {
    let n = a.nrows();
    assert!(is_structurally_balanced(a), "{what}: not balanced");
    for i in 0..n {
        assert_eq!(a[(i, i)], 0.0);
        for j in 0..n {
            assert_eq!(a[(i, j)], a[(j, i)], "{what}: not symmetric");
            if i != j {
                // no tie left undecided near 0
                assert!(a[(i, j)].abs() > 0.5, "{what}: a[{i},{j}] = {}", a[(i, j)]);
            }
        }
    }
    let c = camps(a, &vec![1.0; n]);
    assert!(
        c.positive_count <= 2,
        "{what}: {} camps of friends",
        c.positive_count
    );
    assert!(c.eigen_count <= 2);
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let friends = a[(i, j)] > 0.0;
                assert_eq!(
                    friends,
                    c.positive[i] == c.positive[j],
                    "{what}: friends inside, enemies across (positive components)"
                );
                assert_eq!(
                    friends,
                    c.eigen[i] == c.eigen[j],
                    "{what}: friends inside, enemies across (leading eigenvector)"
                );
            }
        }
    }
    assert_eq!(
        c.positive_count, c.eigen_count,
        "{what}: the two camp methods disagree"
    );
    let bi = balance_index(a);
    assert!((bi - 1.0).abs() < 1e-12, "{what}: balance index {bi}");
}

/// balance = 1, relaxation = 0, noise = 0, dt = 0.1; no issues, no policies;
/// revisionist actions (docs/model.md §2.9) switched off (aggression_base = -50).
fn pure_params(weighting: &str) -> String {
    format!("{}aggression_base,-50\n", with_actions(weighting))
}

/// The same with revisionist actions at their defaults (σ(−4) ≈ 1.8% a month for
/// a state of revisionism 0, each a kick of hardline_impact on a negative tie).
/// Before kicks moved the latent tie, they pinned negative ties at exactly −1,
/// where (1 − a²) = 0 held them against any balance pressure, and 35 of 40
/// random 24-state networks ended unbalanced.
fn with_actions(weighting: &str) -> String {
    format!(
        "key,value\nbalance,1\nrelaxation,0\nnoise,0\ndt,0.1\nsteps,{MAX_STEPS}\n\
         topology,complete\nbalance_weighting,{weighting}\n"
    )
}

/// The balance weights w_k of a model's states (docs/model.md §2.1).
fn weights(model: &Model) -> Vec<f64> {
    let power = model.params().balance_weighting == entente::scenario::params::Weighting::Power;
    model
        .scenario
        .states
        .iter()
        .map(|s| if power { s.power } else { 1.0 })
        .collect()
}

/// Whether `a` is a jammed state: not balanced, yet every tie saturated (|a| >
/// 0.999) and agreeing in sign with its balance pressure B, so that no tie can turn.
fn is_jammed(a: &DMatrix<f64>, w: &[f64]) -> bool {
    let n = a.nrows();
    !is_structurally_balanced(a)
        && (0..n).all(|i| {
            (0..n).filter(|&j| j != i).all(|j| {
                let b: f64 = (0..n)
                    .filter(|&k| k != i && k != j)
                    .map(|k| w[k] * a[(i, k)] * a[(k, j)])
                    .sum();
                a[(i, j)].abs() > 0.999 && b * a[(i, j)] > 0.0
            })
        })
}

/// Runs `networks` random networks; asserts each settles into balance.
fn check_many(seed: u64, random_power: bool, params: &str, networks: usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for net in 0..networks {
        let s = random_network(&mut rng, random_power, params);
        let n = s.states.len();
        let model = Model::new(s);
        assert_eq!(model.pairs.len(), n * (n - 1) / 2);
        let w = weights(&model);
        let (first, a) = settle(&model);
        let what = format!("network {net} of seed {seed} ({n} states)");
        match first {
            Some(t) => {
                assert!(t > 0, "{what}: balanced at the start");
                assert_balanced(&a, &what);
            }
            None => panic!(
                "{what}: not balanced after {MAX_STEPS} steps{}: {}",
                if is_jammed(&a, &w) { " (jammed)" } else { "" },
                diagnosis(&a, &w)
            ),
        }
    }
}

// Every random network below settles. Not every random network does: the bounded
// dynamics (1 − a²)·B has jammed states — every tie saturated near ±1 and agreeing
// with its own pressure B, yet unbalanced triads left — which are stable. Measured
// with aggression off, dt = 0.1: 2 of 60 networks jam with uniform weights (seed 99;
// 38 and 13 states), 1 of 60 with random powers, 0 of 60 with random powers and
// power weights, and network 7 of seed 1907 below (22 states, power weights; 392 of
// 1540 triads unbalanced, balance index 0.745, frozen from step ~1000). The seeds
// of the two 20-network tests hold no jam; `a_jammed_state_is_stable` checks what
// one is.

#[test]
fn pure_balance_with_uniform_weights_settles_into_two_camps() {
    check_many(2024, false, &pure_params("uniform"), 20);
}

#[test]
fn pure_balance_with_power_weights_settles_into_two_camps() {
    check_many(99, true, &pure_params("power"), 20);
}

#[test]
fn pure_balance_with_revisionist_actions_settles_into_two_camps() {
    check_many(2024, false, &with_actions("uniform"), 20);
    check_many(99, true, &with_actions("power"), 20);
}

#[test]
fn a_jammed_state_is_stable() {
    // Network 7 of seed 1907 jams (power weights, 22 states); the jam is a fixed
    // point: 500 more steps turn no tie. If the dynamics stop jamming here, this
    // test fails: find another example (check_many reports jams) rather than pass
    // having checked nothing.
    let mut rng = ChaCha8Rng::seed_from_u64(1907);
    let mut s = random_network(&mut rng, true, &pure_params("power"));
    for _ in 0..7 {
        s = random_network(&mut rng, true, &pure_params("power"));
    }
    let model = Model::new(s);
    let w = weights(&model);
    let mut sim = Simulation::new(&model, RunId::new(11, 0, 0));
    for _ in 0..1200 {
        sim.step();
    }
    let before = sim.alignments().clone();
    assert!(is_jammed(&before, &w), "{}", diagnosis(&before, &w));
    for _ in 0..500 {
        sim.step();
    }
    let after = sim.alignments();
    assert!(before
        .iter()
        .zip(after.iter())
        .all(|(x, y)| x.signum() == y.signum()));
}

#[test]
fn a_balanced_network_stays_balanced_and_deepens() {
    // Two camps {A, B, C} and {D, E}: every tie agrees with its balance pressure, so
    // every |a| grows and no sign changes.
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("two-camps");
    common::write_files(
        &s,
        &[
            ("states.csv", "id\nA\nB\nC\nD\nE\n"),
            (
                "alignments.csv",
                "a,b,alignment\nA,B,0.2\nA,C,0.3\nB,C,0.1\nD,E,0.4\n\
                 A,D,-0.2\nA,E,-0.1\nB,D,-0.3\nB,E,-0.2\nC,D,-0.1\nC,E,-0.3\n",
            ),
            (
                "params.csv",
                "key,value\nbalance,1\nrelaxation,0\nnoise,0\naggression_base,-50\nsteps,0\n",
            ),
        ],
    );
    let model = Model::new(Scenario::load(&s).unwrap());
    let mut sim = Simulation::new(&model, RunId::new(1, 0, 0));
    let mut before = sim.alignments().clone();
    for _ in 0..300 {
        sim.step();
        let a = sim.alignments();
        for i in 0..5 {
            for j in 0..5 {
                if i != j {
                    assert_eq!(a[(i, j)].signum(), before[(i, j)].signum());
                    // (≥: near 1 the increment falls below one ulp)
                    assert!(a[(i, j)].abs() >= before[(i, j)].abs());
                }
            }
        }
        before = a.clone();
    }
    assert_balanced(sim.alignments(), "two camps");
    let c = camps(sim.alignments(), &[1.0; 5]);
    assert_eq!(c.positive, vec![0, 0, 0, 1, 1]);
    assert_eq!(c.eigen, vec![0, 0, 0, 1, 1]);
}
