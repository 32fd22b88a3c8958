//! A space-filling design: a Latin hypercube over the unit cube, deterministic in
//! the seed, mapped onto the plausible ranges.
//!
//! Each of the `k` axes is cut into `n` equal strata; every stratum of every axis
//! holds exactly one point, at a uniform position inside it, and the strata are
//! paired across axes by independent random permutations (McKay, Beckman &
//! Conover 1979). The generator is ChaCha8 seeded from the seed alone, so the
//! design is the same on every machine and thread count.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::ranges::Range;

/// `n` points of a Latin hypercube in [0, 1)^k, row-major (`n` rows of `k`).
pub fn latin_hypercube(n: usize, k: usize, seed: u64) -> Vec<Vec<f64>> {
    // A stream of its own, so the design does not share draws with the runs.
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6c68_735f_6465_7369);
    let mut points = vec![vec![0.0; k]; n];
    let mut strata: Vec<usize> = (0..n).collect();
    for j in 0..k {
        strata.shuffle(&mut rng);
        for (p, &s) in points.iter_mut().zip(&strata) {
            p[j] = (s as f64 + rng.gen::<f64>()) / n as f64;
        }
    }
    points
}

/// The design in natural units: row `i`, column `j` is the value of
/// `ranges[j]` at point `i`.
pub fn design(ranges: &[Range], n: usize, seed: u64) -> Vec<Vec<f64>> {
    latin_hypercube(n, ranges.len(), seed)
        .into_iter()
        .map(|u| ranges.iter().zip(u).map(|(r, u)| r.at(u)).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stratum_of_every_axis_holds_one_point() {
        let (n, k) = (37, 5);
        let d = latin_hypercube(n, k, 7);
        for j in 0..k {
            let mut seen = vec![0; n];
            for p in &d {
                assert!((0.0..1.0).contains(&p[j]));
                seen[(p[j] * n as f64) as usize] += 1;
            }
            assert!(seen.iter().all(|&c| c == 1), "axis {j}: {seen:?}");
        }
    }

    #[test]
    fn the_seed_fixes_the_design() {
        assert_eq!(latin_hypercube(10, 3, 1), latin_hypercube(10, 3, 1));
        assert_ne!(latin_hypercube(10, 3, 1), latin_hypercube(10, 3, 2));
        // Axes are paired at random: not all points on the diagonal.
        let d = latin_hypercube(50, 2, 3);
        let same = d
            .iter()
            .filter(|p| (p[0] * 50.0) as usize == (p[1] * 50.0) as usize)
            .count();
        assert!(same < 10, "{same}");
    }

    #[test]
    fn values_stay_in_their_ranges() {
        let ranges = super::super::ranges::default_ranges();
        for p in design(&ranges, 20, 5) {
            for (r, v) in ranges.iter().zip(&p) {
                assert!(r.low <= *v && *v <= r.high, "{} {v}", r.key);
            }
        }
    }
}
