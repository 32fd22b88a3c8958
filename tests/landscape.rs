//! The Axelrod–Bennett landscape (src/network/landscape.rs): a hand-computed
//! two-bloc case, basins that add up, the sampled landscape agreeing with the exact
//! one, the largest exact size finishing, and `entente landscape` end to end.

mod common;

use common::{entente, stderr, stdout};
use std::time::Instant;

use entente::network::landscape::{
    compare_with_dynamics, exact_landscape, frustration, landscape, sampled_landscape, Landscape,
    EXACT_LIMIT,
};
use entente::network::symmetric;
use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A complete network of `n` states with alignments uniform in [−1, 1] and sizes
/// uniform in [0.05, 1].
fn random(n: usize, seed: u64) -> (DMatrix<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut a = DMatrix::zeros(n, n);
    for i in 0..n {
        for j in i + 1..n {
            let x: f64 = rng.gen_range(-1.0..=1.0);
            a[(i, j)] = x;
            a[(j, i)] = x;
        }
    }
    let size = (0..n).map(|_| rng.gen_range(0.05..1.0)).collect();
    (a, size)
}

fn assert_basins_add_up(l: &Landscape) {
    let total: f64 = l.minima.iter().map(|m| m.basin).sum();
    assert!((total - 1.0).abs() < 1e-12, "basins sum to {total}");
    let count: u64 = l.minima.iter().map(|m| m.count).sum();
    assert_eq!(count, l.configurations);
}

#[test]
fn two_blocs_by_hand() {
    // Blocs {0, 1} and {2, 3} (a01 = a23 = 1) with mixed ties across:
    // a02 = −0.5, a03 = 0.5, a12 = 0.5, a13 = −1; sizes 2, 1, 1, 1.
    // Couplings w_ij = s_i s_j a_ij: w01 = 2, w23 = 1, w02 = −1, w03 = 1,
    // w12 = 0.5, w13 = −1.
    let a = symmetric(
        4,
        &[
            (0, 1, 1.0),
            (2, 3, 1.0),
            (0, 2, -0.5),
            (0, 3, 0.5),
            (1, 2, 0.5),
            (1, 3, -1.0),
        ],
    );
    let s = [2.0, 1.0, 1.0, 1.0];
    let l = exact_landscape(&a, &s).unwrap();
    assert!(l.exact);
    assert_eq!(l.configurations, 8);
    assert_eq!(l.minima.len(), 2);
    // Global minimum {0,1} vs {2,3}: friends split apart 0–3 (1) and 1–2 (0.5),
    // no enemies together: E = 1.5.
    let g = l.global().unwrap();
    assert_eq!(g.camps, vec![false, false, true, true]);
    assert!((g.frustration - 1.5).abs() < 1e-12);
    // The other minimum: everyone together, enemies 0–2 (1) and 1–3 (1): E = 2.
    // Each single switch raises E: state 0 → 4, 1 → 3.5, 2 → 2.5, 3 → 3.
    let m = &l.minima[1];
    assert_eq!(m.camps, vec![false; 4]);
    assert!((m.frustration - 2.0).abs() < 1e-12);
    assert!((frustration(&a, &s, &[true, false, false, false]) - 4.0).abs() < 1e-12);
    assert!((frustration(&a, &s, &[false, false, true, false]) - 2.5).abs() < 1e-12);
    // Only "all together" itself descends to it (every neighbour of it descends
    // to the blocs): basins 1/8 and 7/8.
    assert_eq!((g.count, m.count), (7, 1));
    assert_eq!((g.basin, m.basin), (0.875, 0.125));
    assert_basins_add_up(&l);
    // As the dynamics would report them: camps 1 1 0 0 is the same partition.
    assert_eq!(compare_with_dynamics(&g.camps, &[1, 1, 0, 0]), 0);
    assert_eq!(compare_with_dynamics(&m.camps, &[1, 1, 0, 0]), 2);
}

#[test]
fn sampled_agrees_with_exact_on_12_random_states() {
    let (a, size) = random(12, 14);
    let exact = exact_landscape(&a, &size).unwrap();
    assert_basins_add_up(&exact);
    assert_eq!(exact.minima.len(), 7, "a landscape worth sampling");
    let starts = 20_000;
    let sampled = sampled_landscape(&a, &size, starts, 5).unwrap();
    assert!(!sampled.exact);
    assert_eq!(sampled.configurations, starts);
    assert_basins_add_up(&sampled);
    assert_eq!(
        sampled.global().unwrap().camps,
        exact.global().unwrap().camps
    );
    assert_eq!(
        sampled.global().unwrap().frustration,
        exact.global().unwrap().frustration
    );
    // Every sampled minimum is an exact one, with the same frustration, and its
    // share of starts is within 5 binomial standard errors of the exact basin.
    for m in &sampled.minima {
        let e = exact
            .minima
            .iter()
            .find(|e| e.camps == m.camps)
            .unwrap_or_else(|| panic!("sampled minimum {:?} is not exact", m.camps));
        assert_eq!(e.frustration, m.frustration);
        let se = (e.basin * (1.0 - e.basin) / starts as f64).sqrt();
        assert!(
            (m.basin - e.basin).abs() <= 5.0 * se + 1e-9,
            "basin {} sampled as {}",
            e.basin,
            m.basin
        );
    }
    // No exact minimum with a basin above 1% is missed.
    for e in exact.minima.iter().filter(|e| e.basin > 0.01) {
        assert!(sampled.minima.iter().any(|m| m.camps == e.camps));
    }
    // The same seed gives the same answer; the dispatcher enumerates at n ≤ 24.
    assert_eq!(sampled, sampled_landscape(&a, &size, starts, 5).unwrap());
    assert_eq!(landscape(&a, &size, 10, 1).unwrap(), exact);
}

#[test]
fn twenty_states_exactly() {
    let (a, size) = random(20, 20);
    let t = Instant::now();
    let l = exact_landscape(&a, &size).unwrap();
    eprintln!(
        "exact landscape of 20 states: {} configurations, {} minima, {:.2?}",
        l.configurations,
        l.minima.len(),
        t.elapsed()
    );
    assert_eq!(l.configurations, 1 << 19);
    assert_basins_add_up(&l);
    // the global minimum is the best configuration of a sampled search too
    let sampled = sampled_landscape(&a, &size, 2000, 1).unwrap();
    assert!(sampled.global().unwrap().frustration >= l.global().unwrap().frustration);
}

/// The largest exact landscape, 2^23 configurations: about 1 s in a release build
/// on two cores, about 9 s in a debug build, so it runs only in release builds
/// (`cargo test --release --test landscape -- --nocapture` prints the time) or with
/// `--ignored`.
#[test]
#[cfg_attr(debug_assertions, ignore)]
fn largest_exact_landscape() {
    let (a, size) = random(EXACT_LIMIT, 24);
    let t = Instant::now();
    let l = exact_landscape(&a, &size).unwrap();
    eprintln!(
        "exact landscape of {EXACT_LIMIT} states: {} configurations, {} minima, {:.2?}",
        l.configurations,
        l.minima.len(),
        t.elapsed()
    );
    assert_eq!(l.configurations, 1 << 23);
    assert_basins_add_up(&l);
}

#[test]
fn too_many_states_for_the_exact_landscape_are_sampled() {
    let (a, size) = random(EXACT_LIMIT + 6, 30);
    assert!(exact_landscape(&a, &size).is_err());
    let l = landscape(&a, &size, 500, 3).unwrap();
    assert!(!l.exact);
    assert_eq!(l.configurations, 500);
    assert_basins_add_up(&l);
}

#[test]
fn the_command_writes_landscape_csv() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("landscape");
    let o = entente(&[
        "landscape",
        "scenarios/triangle",
        "--steps",
        "20",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("exact over 4 configurations"), "{text}");
    assert!(
        text.contains("global minimum:  {CHN RUS} vs {USA}"),
        "{text}"
    );
    assert!(text.contains("dynamics (step 20, eigenvector camps): {CHN RUS} vs {USA}"));
    assert!(text.contains("0 states differ"), "{text}");
    // The triangle is balanced (USA against the RUS–CHN pair): one minimum,
    // frustration 0, basin 1; states in id order CHN, RUS, USA.
    let csv = std::fs::read_to_string(out.join("landscape.csv")).unwrap();
    assert_eq!(csv, "rank,frustration,basin,CHN,RUS,USA\n1,0,1,0,0,1\n");
    let bad = entente(&["landscape", "scenarios/triangle", "--set", "nope=1"]);
    assert!(!bad.status.success());
}
