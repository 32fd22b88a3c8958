//! The landscape theory of aggregation (Axelrod & Bennett 1993, Brit. J. Pol. Sci.
//! 23): the frustration of every way of splitting the states into two camps, its
//! local minima (the configurations the theory predicts as stable) and the basin of
//! attraction of each, exactly for up to [`EXACT_LIMIT`] states and by sampled
//! steepest descents above.
//!
//! States i have a size s_i (their power) and pairwise propensities p_ij (their
//! alignment a_ij: positive when they want to be together). A configuration X puts
//! each state in camp 0 or camp 1 (`false` or `true`); d_ij(X) is 1 when i and j
//! are in different camps. The frustration counts friends split apart and enemies
//! kept together:
//!
//! ```text
//! E(X) = Σ_{i<j} s_i s_j [p_ij]⁺ d_ij + Σ_{i<j} s_i s_j [−p_ij]⁺ (1 − d_ij)
//!      = C + Σ_{i<j} w_ij d_ij,   w_ij = s_i s_j p_ij,  C = Σ_{i<j} [−w_ij]⁺,
//! ```
//!
//! which is Axelrod and Bennett's energy up to the constant C. Swapping the two
//! camps changes nothing, so a configuration is reported with state 0 in camp 0
//! (`false`), and there are 2^(n−1) distinct configurations.
//!
//! A configuration is a local minimum when no single state's switch lowers E. The
//! dynamics is steepest descent: switch the state whose switch lowers E the most,
//! ties to the lowest index; the basin of a minimum is the share of configurations
//! whose descent ends in it. A switch counts as lowering E only when it does so by
//! more than a tolerance of 10⁻¹⁰ × Σ_{i<j} |w_ij| (rounding must not create
//! descents between configurations of equal frustration), and two decreases within
//! that tolerance are ties.
//!
//! p_ij is taken from the symmetric part (a_ij + a_ji)/2 of the matrix; the diagonal
//! is ignored.

use std::collections::HashMap;

use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// The largest number of states whose landscape is enumerated exactly
/// (2^23 ≈ 8.4 million configurations, 40 MB of working memory).
pub const EXACT_LIMIT: usize = 24;

/// Random starts of the sampled landscape unless told otherwise.
pub const DEFAULT_STARTS: u64 = 10_000;

/// Relative tolerance of a decrease of frustration (see the module docs).
const TOLERANCE: f64 = 1e-10;

/// The enumeration is split into blocks of 2^CHUNK_BITS configurations; each block
/// recomputes the local fields from scratch, which bounds the rounding drift of the
/// incremental updates and lets the blocks run in parallel.
const CHUNK_BITS: usize = 12;

/// No switch lowers the frustration: the configuration is a local minimum.
const NO_FLIP: u8 = u8::MAX;

/// A local minimum of the landscape.
#[derive(Clone, Debug, PartialEq)]
pub struct Minimum {
    /// The camp of each state (`false`: camp 0, the camp of state 0).
    pub camps: Vec<bool>,
    /// Its frustration E.
    pub frustration: f64,
    /// The share of configurations (exact) or of random starts (sampled) whose
    /// steepest descent ends here.
    pub basin: f64,
    /// The number of configurations (exact) or of starts (sampled) behind `basin`.
    pub count: u64,
}

/// The local minima of a landscape, lowest frustration first (ties by camps).
#[derive(Clone, Debug, PartialEq)]
pub struct Landscape {
    /// The minima, lowest frustration first (at least one).
    pub minima: Vec<Minimum>,
    /// Whether every configuration was enumerated (otherwise the minima are those
    /// found by sampled descents and the basins are estimated shares).
    pub exact: bool,
    /// Configurations enumerated (exact: 2^(n−1)) or random starts (sampled).
    pub configurations: u64,
}

impl Landscape {
    /// The global minimum found (the lowest local minimum); `None` never happens
    /// for a landscape returned by this module, which has at least one minimum.
    pub fn global(&self) -> Option<&Minimum> {
        self.minima.first()
    }
}

/// Bad input to a landscape computation.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LandscapeError {
    /// The alignment matrix is not square.
    #[error("the alignment matrix is {rows}×{cols}, not square")]
    NotSquare {
        /// Its number of rows.
        rows: usize,
        /// Its number of columns.
        cols: usize,
    },
    /// The sizes are not one per state.
    #[error("{sizes} sizes given for {states} states")]
    SizeCount {
        /// The number of sizes given.
        sizes: usize,
        /// The number of states (rows of the matrix).
        states: usize,
    },
    /// A size is negative, infinite or NaN.
    #[error("the size of state {state} is {value}: sizes must be finite and ≥ 0")]
    BadSize {
        /// The state's index.
        state: usize,
        /// Its size.
        value: f64,
    },
    /// An alignment is infinite or NaN.
    #[error("the alignment of states {i} and {j} is {value}: alignments must be finite")]
    BadAlignment {
        /// The row of the entry.
        i: usize,
        /// The column of the entry.
        j: usize,
        /// The entry.
        value: f64,
    },
    /// More than [`EXACT_LIMIT`] states for the exact landscape.
    #[error(
        "{states} states are too many for the exact landscape (at most {EXACT_LIMIT}: \
         it enumerates 2^(n−1) configurations); use the sampled landscape"
    )]
    TooLarge {
        /// The number of states.
        states: usize,
    },
    /// The sampled landscape was asked for zero random starts.
    #[error("the sampled landscape needs at least one random start")]
    NoStarts,
    /// A steepest descent did not end (it took more switches than there are
    /// configurations): rounding trouble in the frustration.
    #[error("steepest descent did not end (rounding trouble in the frustration)")]
    Cycle,
}

/// The couplings w_ij = s_i s_j p_ij of a landscape, row-major n×n, zero diagonal.
struct Couplings {
    n: usize,
    w: Vec<f64>,
    /// A switch lowers E when its change is below −eps.
    eps: f64,
}

impl Couplings {
    fn new(a: &DMatrix<f64>, size: &[f64]) -> Result<Couplings, LandscapeError> {
        let (rows, cols) = a.shape();
        if rows != cols {
            return Err(LandscapeError::NotSquare { rows, cols });
        }
        let n = rows;
        if size.len() != n {
            return Err(LandscapeError::SizeCount {
                sizes: size.len(),
                states: n,
            });
        }
        if let Some((state, &value)) = size
            .iter()
            .enumerate()
            .find(|(_, s)| !(s.is_finite() && **s >= 0.0))
        {
            return Err(LandscapeError::BadSize { state, value });
        }
        let mut w = vec![0.0; n * n];
        let mut scale = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                for (x, y) in [(i, j), (j, i)] {
                    if !a[(x, y)].is_finite() {
                        return Err(LandscapeError::BadAlignment {
                            i: x,
                            j: y,
                            value: a[(x, y)],
                        });
                    }
                }
                let p = 0.5 * (a[(i, j)] + a[(j, i)]);
                let x = size[i] * size[j] * p;
                w[i * n + j] = x;
                w[j * n + i] = x;
                scale += x.abs();
            }
        }
        Ok(Couplings {
            n,
            w,
            eps: TOLERANCE * scale,
        })
    }

    /// The local fields h_i = Σ_j w_ij σ_j of spins σ (±1). O(n²).
    fn fields(&self, sigma: &[f64], h: &mut [f64]) {
        let n = self.n;
        for (i, hi) in h.iter_mut().enumerate() {
            *hi = self.w[i * n..(i + 1) * n]
                .iter()
                .zip(sigma)
                .map(|(w, s)| w * s)
                .sum();
        }
    }

    /// The state whose switch lowers E the most (by more than eps), ties (within
    /// eps) to the lowest index; `None` at a local minimum. Switching i changes E by
    /// σ_i h_i. O(n).
    fn best_switch(&self, sigma: &[f64], h: &[f64]) -> Option<usize> {
        let mut best = None;
        let mut best_delta = -self.eps;
        for (i, (s, hi)) in sigma.iter().zip(h).enumerate() {
            let delta = s * hi;
            let better = match best {
                None => delta < best_delta,
                Some(_) => delta < best_delta - self.eps,
            };
            if better {
                best = Some(i);
                best_delta = delta;
            }
        }
        best
    }

    /// Switches state t and updates the fields. O(n).
    fn switch(&self, t: usize, sigma: &mut [f64], h: &mut [f64]) {
        sigma[t] = -sigma[t];
        let n = self.n;
        let two_s = 2.0 * sigma[t];
        for (hj, w) in h.iter_mut().zip(&self.w[t * n..(t + 1) * n]) {
            *hj += two_s * w;
        }
    }

    /// E of the camps, from the definition (a sum of non-negative terms, so never
    /// below 0 by rounding). O(n²).
    fn frustration(&self, camps: &[bool]) -> f64 {
        let n = self.n;
        let mut e = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                let w = self.w[i * n + j];
                e += if camps[i] != camps[j] {
                    w.max(0.0)
                } else {
                    (-w).max(0.0)
                };
            }
        }
        e
    }

    /// Fills `flip` (one block of the exact enumeration: the configurations whose
    /// high bits are `high`) with the steepest-descent switch of each configuration,
    /// visiting the block in Gray-code order so that each step switches one state
    /// and updates the fields in O(n).
    fn descend_block(&self, high: usize, low_bits: usize, flip: &mut [u8]) {
        let n = self.n;
        let base = high << low_bits;
        // Bit b of a configuration is state b + 1 in camp 1; state 0 is in camp 0.
        let mut sigma: Vec<f64> = (0..n)
            .map(|i| {
                if i > 0 && (base >> (i - 1)) & 1 == 1 {
                    -1.0
                } else {
                    1.0
                }
            })
            .collect();
        let mut h = vec![0.0; n];
        self.fields(&sigma, &mut h);
        for k in 0..flip.len() {
            if k > 0 {
                self.switch(k.trailing_zeros() as usize + 1, &mut sigma, &mut h);
            }
            let gray = k ^ (k >> 1);
            flip[gray] = self.best_switch(&sigma, &h).map_or(NO_FLIP, |i| i as u8);
        }
    }

    /// Steepest descent from σ to a local minimum.
    fn descend(&self, sigma: &mut [f64], h: &mut [f64]) {
        self.fields(sigma, h);
        while let Some(t) = self.best_switch(sigma, h) {
            self.switch(t, sigma, h);
        }
    }
}

/// The frustration E(X) of a configuration (see the module docs): friends split
/// apart plus enemies kept together, each pair weighted by s_i s_j |p_ij|.
///
/// # Panics
/// If `a` is not n×n or `size` and `camps` do not have n entries.
///
/// # Complexity
/// O(n²).
pub fn frustration(a: &DMatrix<f64>, size: &[f64], camps: &[bool]) -> f64 {
    let n = camps.len();
    assert_eq!(a.shape(), (n, n), "alignment matrix and camps disagree");
    assert_eq!(size.len(), n, "sizes and camps disagree");
    let mut e = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            let w = size[i] * size[j] * 0.5 * (a[(i, j)] + a[(j, i)]);
            e += if camps[i] != camps[j] {
                w.max(0.0)
            } else {
                (-w).max(0.0)
            };
        }
    }
    e
}

/// The exact landscape: every one of the 2^(n−1) configurations, its steepest-descent
/// switch, every local minimum and the share of configurations in its basin.
///
/// Configurations are visited in Gray-code order (one switch, O(n) per step) in
/// blocks of 4096 that run in parallel; each configuration's switch is stored in
/// one byte, and the basins are found by following the descent from every
/// configuration with memoization (a u32 basin label per configuration), so n = 24
/// needs 2^23 × 5 bytes ≈ 40 MB. Results do not depend on the thread count.
///
/// # Errors
/// Bad input (see [`LandscapeError`]) or more than [`EXACT_LIMIT`] states.
///
/// # Complexity
/// O(2^(n−1) · n) time, O(2^(n−1)) memory.
pub fn exact_landscape(a: &DMatrix<f64>, size: &[f64]) -> Result<Landscape, LandscapeError> {
    let c = Couplings::new(a, size)?;
    let n = c.n;
    if n > EXACT_LIMIT {
        return Err(LandscapeError::TooLarge { states: n });
    }
    if n == 0 {
        return Ok(Landscape {
            minima: vec![Minimum {
                camps: Vec::new(),
                frustration: 0.0,
                basin: 1.0,
                count: 1,
            }],
            exact: true,
            configurations: 1,
        });
    }
    let bits = n - 1;
    let total = 1usize << bits;
    let low_bits = bits.min(CHUNK_BITS);
    let mut flip = vec![0u8; total];
    flip.par_chunks_mut(1 << low_bits)
        .enumerate()
        .for_each(|(high, block)| c.descend_block(high, low_bits, block));

    // Switching state 0 and then swapping the camps back switches every other state.
    let all = (total - 1) as u32;
    let next = |x: u32, t: u8| {
        if t == 0 {
            x ^ all
        } else {
            x ^ (1 << (t - 1))
        }
    };
    const UNSET: u32 = u32::MAX;
    let mut basin_of = vec![UNSET; total];
    let mut minima: Vec<u32> = Vec::new();
    let mut counts: Vec<u64> = Vec::new();
    let mut path: Vec<u32> = Vec::new();
    for start in 0..total as u32 {
        if basin_of[start as usize] != UNSET {
            continue;
        }
        path.clear();
        let mut x = start;
        let id = loop {
            let known = basin_of[x as usize];
            if known != UNSET {
                break known;
            }
            let t = flip[x as usize];
            if t == NO_FLIP {
                minima.push(x);
                counts.push(0);
                path.push(x);
                break (minima.len() - 1) as u32;
            }
            path.push(x);
            if path.len() > total {
                return Err(LandscapeError::Cycle);
            }
            x = next(x, t);
        };
        for &p in &path {
            basin_of[p as usize] = id;
        }
        counts[id as usize] += path.len() as u64;
    }
    drop(basin_of);
    drop(flip);
    let minima = minima
        .iter()
        .zip(&counts)
        .map(|(&x, &count)| {
            let camps: Vec<bool> = (0..n).map(|i| i > 0 && (x >> (i - 1)) & 1 == 1).collect();
            Minimum {
                frustration: c.frustration(&camps),
                camps,
                basin: count as f64 / total as f64,
                count,
            }
        })
        .collect();
    Ok(Landscape {
        minima: sorted(minima),
        exact: true,
        configurations: total as u64,
    })
}

/// The sampled landscape, for networks too large to enumerate: `starts` random
/// configurations (each state's camp a fair coin; start k draws from a ChaCha8
/// generator seeded with `seed` on stream k, so results do not depend on the thread
/// count), each followed by steepest descent to a local minimum. Reports the
/// distinct minima found and, as the estimated basin share of each, the share of
/// starts that ended in it (a uniform start is a uniform configuration, so this
/// estimates the exact basin share with binomial error √(b(1−b)/starts)).
///
/// Minima with small basins may be missed, and the lowest minimum found need not
/// be the global one; more starts make both less likely.
///
/// # Errors
/// Bad input (see [`LandscapeError`]) or `starts == 0`.
///
/// # Complexity
/// O(starts · (n² + L·n)) for descents of L switches (L is typically O(n)).
pub fn sampled_landscape(
    a: &DMatrix<f64>,
    size: &[f64],
    starts: u64,
    seed: u64,
) -> Result<Landscape, LandscapeError> {
    let c = Couplings::new(a, size)?;
    if starts == 0 {
        return Err(LandscapeError::NoStarts);
    }
    let n = c.n;
    let found: HashMap<Vec<bool>, u64> = (0..starts)
        .into_par_iter()
        .fold(
            || (HashMap::new(), vec![0.0; n], vec![0.0; n]),
            |(mut map, mut sigma, mut h), k| {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                rng.set_stream(k);
                for s in sigma.iter_mut() {
                    *s = if rng.gen::<bool>() { -1.0 } else { 1.0 };
                }
                c.descend(&mut sigma, &mut h);
                let first = sigma.first().copied().unwrap_or(1.0);
                let camps: Vec<bool> = sigma.iter().map(|&s| s != first).collect();
                *map.entry(camps).or_insert(0u64) += 1;
                (map, sigma, h)
            },
        )
        .map(|(map, _, _)| map)
        .reduce(HashMap::new, |mut x, y| {
            for (k, v) in y {
                *x.entry(k).or_insert(0) += v;
            }
            x
        });
    let minima = found
        .into_iter()
        .map(|(camps, count)| Minimum {
            frustration: c.frustration(&camps),
            camps,
            basin: count as f64 / starts as f64,
            count,
        })
        .collect();
    Ok(Landscape {
        minima: sorted(minima),
        exact: false,
        configurations: starts,
    })
}

/// The exact landscape for up to [`EXACT_LIMIT`] states, the sampled one (with
/// `starts` and `seed`) above.
///
/// # Errors
/// See [`exact_landscape`] and [`sampled_landscape`].
pub fn landscape(
    a: &DMatrix<f64>,
    size: &[f64],
    starts: u64,
    seed: u64,
) -> Result<Landscape, LandscapeError> {
    if a.nrows() <= EXACT_LIMIT {
        exact_landscape(a, size)
    } else {
        sampled_landscape(a, size, starts, seed)
    }
}

/// The number of states whose camp differs between a configuration and the
/// eigenvector camps of the dynamics ([`crate::network::camps::Camps::eigen`]),
/// up to swapping the two camps: min(m, n − m) for m mismatches.
///
/// # Panics
/// If the two have different lengths.
///
/// # Complexity
/// O(n).
pub fn compare_with_dynamics(min: &[bool], eigen_camps: &[u8]) -> usize {
    assert_eq!(
        min.len(),
        eigen_camps.len(),
        "partitions of different sizes"
    );
    let m = min
        .iter()
        .zip(eigen_camps)
        .filter(|(&x, &y)| x != (y != 0))
        .count();
    m.min(min.len() - m)
}

/// Minima by frustration, then camps (a total, deterministic order).
fn sorted(mut minima: Vec<Minimum>) -> Vec<Minimum> {
    minima.sort_by(|x, y| {
        x.frustration
            .total_cmp(&y.frustration)
            .then_with(|| x.camps.cmp(&y.camps))
    });
    minima
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::symmetric;

    #[test]
    fn frustration_counts_split_friends_and_united_enemies() {
        // sizes 2, 1, 3; a01 = 0.5, a02 = −1, a12 = 0.25
        let a = symmetric(3, &[(0, 1, 0.5), (0, 2, -1.0), (1, 2, 0.25)]);
        let s = [2.0, 1.0, 3.0];
        // all together: enemies 0–2 together: 2·3·1 = 6
        assert!((frustration(&a, &s, &[false, false, false]) - 6.0).abs() < 1e-12);
        // {0} vs {1, 2}: friends 0–1 split (2·1·0.5 = 1), enemies apart, 1–2 together
        assert!((frustration(&a, &s, &[false, true, true]) - 1.0).abs() < 1e-12);
        // {0, 1} vs {2}: friends 1–2 split: 1·3·0.25 = 0.75
        assert!((frustration(&a, &s, &[false, false, true]) - 0.75).abs() < 1e-12);
        // swapping the camps changes nothing
        assert_eq!(
            frustration(&a, &s, &[true, true, false]),
            frustration(&a, &s, &[false, false, true])
        );
    }

    #[test]
    fn exact_agrees_with_brute_force() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for n in 1..=9 {
            let mut a = DMatrix::zeros(n, n);
            for i in 0..n {
                for j in i + 1..n {
                    let x: f64 = rng.gen_range(-1.0..1.0);
                    a[(i, j)] = x;
                    a[(j, i)] = x;
                }
            }
            let s: Vec<f64> = (0..n).map(|_| rng.gen_range(0.1..2.0)).collect();
            let l = exact_landscape(&a, &s).unwrap();
            assert_eq!(l.configurations, 1 << (n - 1));
            // brute force: the local minima are the configurations no switch improves
            let mut minima = Vec::new();
            for x in 0..1usize << (n - 1) {
                let camps: Vec<bool> = (0..n).map(|i| i > 0 && (x >> (i - 1)) & 1 == 1).collect();
                let e = frustration(&a, &s, &camps);
                let local = (0..n).all(|t| {
                    let mut y = camps.clone();
                    y[t] = !y[t];
                    frustration(&a, &s, &y) >= e - 1e-12
                });
                if local {
                    minima.push((camps, e));
                }
            }
            assert_eq!(l.minima.len(), minima.len(), "n = {n}");
            // brute force basins: naive steepest descent from every configuration
            let mut ends = vec![0u64; l.minima.len()];
            for x in 0..1usize << (n - 1) {
                let mut camps: Vec<bool> =
                    (0..n).map(|i| i > 0 && (x >> (i - 1)) & 1 == 1).collect();
                loop {
                    let e = frustration(&a, &s, &camps);
                    let mut best = (0.0, None);
                    for t in 0..n {
                        let mut y = camps.clone();
                        y[t] = !y[t];
                        let d = frustration(&a, &s, &y) - e;
                        if d < best.0 - 1e-12 {
                            best = (d, Some(t));
                        }
                    }
                    let Some(t) = best.1 else { break };
                    camps[t] = !camps[t];
                    if camps[0] {
                        camps.iter_mut().for_each(|c| *c = !*c);
                    }
                }
                let k = l.minima.iter().position(|m| m.camps == camps).unwrap();
                ends[k] += 1;
            }
            let counts: Vec<u64> = l.minima.iter().map(|m| m.count).collect();
            assert_eq!(counts, ends, "n = {n}");
            for m in &l.minima {
                assert!(minima
                    .iter()
                    .any(|(c, e)| *c == m.camps && (e - m.frustration).abs() < 1e-12));
            }
            let total: u64 = l.minima.iter().map(|m| m.count).sum();
            assert_eq!(total, l.configurations);
            assert!(l
                .minima
                .windows(2)
                .all(|w| w[0].frustration <= w[1].frustration));
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        let a = symmetric(2, &[(0, 1, 1.0)]);
        assert_eq!(
            exact_landscape(&a, &[1.0]),
            Err(LandscapeError::SizeCount {
                sizes: 1,
                states: 2
            })
        );
        assert!(matches!(
            exact_landscape(&a, &[1.0, f64::NAN]),
            Err(LandscapeError::BadSize { state: 1, .. })
        ));
        assert!(matches!(
            exact_landscape(&DMatrix::zeros(2, 3), &[1.0, 1.0]),
            Err(LandscapeError::NotSquare { rows: 2, cols: 3 })
        ));
        let big = DMatrix::zeros(25, 25);
        assert_eq!(
            exact_landscape(&big, &[1.0; 25]),
            Err(LandscapeError::TooLarge { states: 25 })
        );
        assert_eq!(
            sampled_landscape(&a, &[1.0, 1.0], 0, 1),
            Err(LandscapeError::NoStarts)
        );
    }

    #[test]
    fn no_ties_means_every_configuration_is_a_minimum() {
        let l = exact_landscape(&DMatrix::zeros(3, 3), &[1.0; 3]).unwrap();
        assert_eq!(l.minima.len(), 4);
        assert!(l
            .minima
            .iter()
            .all(|m| m.frustration == 0.0 && m.basin == 0.25));
        let l = exact_landscape(&DMatrix::zeros(0, 0), &[]).unwrap();
        assert_eq!(l.minima.len(), 1);
    }

    #[test]
    fn compare_counts_up_to_a_swap() {
        assert_eq!(compare_with_dynamics(&[false, false, true], &[0, 0, 1]), 0);
        assert_eq!(compare_with_dynamics(&[false, false, true], &[1, 1, 0]), 0);
        assert_eq!(compare_with_dynamics(&[false, false, true], &[0, 1, 1]), 1);
        assert_eq!(
            compare_with_dynamics(&[false, false, true, true], &[0, 0, 0, 0]),
            2
        );
    }
}
