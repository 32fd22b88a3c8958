//! docs/model.md §2.1: structural balance pressure (Heider; Marvel et al. 2011):
//! B_ij = (1 / Σ_{k≠i,j} w_k) · Σ_{k≠i,j} w_k a_ik a_kj.
//!
//! Its weight on a pair is balance·(1 − g_i)(1 − g_j) ([`gain`]), g the states'
//! `hedging`: a multi-aligned state (g near 1) keeps ties to both camps, because
//! the camps' pull on its own ties is damped (its ties still press on the ties of
//! others, as any third state's do).
//!
//! Two ways to compute it for every evolving pair, with the same normalizer
//! Σ_{k≠i,j} w_k so that they agree whenever unlisted pairs are at 0:
//! dense, one matrix product A·diag(w)·A (complete topology); and sparse, a sum
//! over the common neighbours of i and j (listed topology).

use nalgebra::DMatrix;

/// Scratch buffers of [`pair_sums`], kept between steps.
#[derive(Clone, Debug, Default)]
pub struct DenseScratch {
    /// A copy of A's cells followed by a few zeros, so that a tile may read a
    /// whole four-row vector past the last state of the last column.
    padded: Vec<f64>,
    /// w_k a_ki at `i * n + k`.
    weighted: Vec<f64>,
}

/// Columns of A·diag(w)·A built together: they share the loads of every
/// column k of A.
const COLUMNS: usize = 4;
/// Four-row vectors of each column summed together in registers: 4 × 2
/// accumulators, 4 multipliers and 2 loads fit the 16 AVX registers; more spill.
const TILE: usize = 2;
/// The same with AVX-512's 32 registers of eight lanes: 4 × 4 four-row vectors
/// (two registers a column) keep both of its ports busy.
const TILE_512: usize = 4;
/// The most rows a tile sums (the largest tile height, in four-row vectors, × 4).
const TILE_ROWS: usize = 4 * TILE_512;

/// Dense: the sums Σ_k w_k a_ik a_kj of every pair (i, j), i < j, in pair order
/// of the complete topology — (0, 1), (0, 2), …, (1, 2), … — into `out` (length
/// n(n−1)/2). B_ij is then `out[k] / (Σw − w_i − w_j)` (the diagonal of A is zero,
/// so the terms k = i and k = j vanish).
///
/// Every sum is one running sum over k in index order. Adding a zero product
/// to such a sum changes no bit, so states without weight or ties change no bit
/// of anyone's sum (and may be skipped), and the bits do not depend on the
/// processor, the tiling or the vector width. The work is laid out as pair
/// order asks: pairs (i, ·) are rows j > i of column i of A·diag(w)·A, built as
/// Σ_k (w_k a_ki) · A[·, k], four columns and up to 8 rows at a time in
/// registers.
///
/// # Complexity
/// O(n³ / 2): n multiply-adds for each of the n(n−1)/2 pairs, plus the lanes of
/// the tiles' last vectors that fall past the end of a column.
pub fn pair_sums(a: &DMatrix<f64>, w: &[f64], scratch: &mut DenseScratch, out: &mut [f64]) {
    let n = a.nrows();
    assert_eq!(out.len(), n * n.saturating_sub(1) / 2, "one sum per pair");
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the processor has AVX-512F, checked just above.
            unsafe { avx::pair_sums_512(a.as_slice(), n, w, scratch, out) };
            return;
        }
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: the processor has AVX, checked just above.
            unsafe { avx::pair_sums(a.as_slice(), n, w, scratch, out) };
            return;
        }
    }
    pair_sums_by_tiles::<TILE>(a.as_slice(), n, w, scratch, out);
}

#[cfg(target_arch = "x86_64")]
mod avx {
    /// [`super::pair_sums_by_tiles`] compiled for AVX: a tile's partial sums live
    /// in 256-bit registers. The operations on every sum are the same (Rust never
    /// fuses a multiply and an add), so the bits are too.
    #[target_feature(enable = "avx")]
    pub(super) fn pair_sums(
        cells: &[f64],
        n: usize,
        w: &[f64],
        scratch: &mut super::DenseScratch,
        out: &mut [f64],
    ) {
        super::pair_sums_by_tiles::<{ super::TILE }>(cells, n, w, scratch, out);
    }

    /// The same for AVX-512, in taller tiles: each lane still sums its own
    /// terms in the same order, so the bits are those of the other kernels.
    #[target_feature(enable = "avx512f")]
    pub(super) fn pair_sums_512(
        cells: &[f64],
        n: usize,
        w: &[f64],
        scratch: &mut super::DenseScratch,
        out: &mut [f64],
    ) {
        super::pair_sums_by_tiles::<{ super::TILE_512 }>(cells, n, w, scratch, out);
    }
}

/// [`pair_sums`] of the column-major cells of A: `COLUMNS` columns at a time,
/// in tiles of up to `TILE` four-row vectors from the row below the first
/// column's diagonal (rows a column does not own, on or above its diagonal,
/// are dropped).
#[inline(always)]
fn pair_sums_by_tiles<const T: usize>(
    cells: &[f64],
    n: usize,
    w: &[f64],
    scratch: &mut DenseScratch,
    out: &mut [f64],
) {
    let DenseScratch { padded, weighted } = scratch;
    padded.clear();
    padded.extend_from_slice(cells);
    padded.extend_from_slice(&[0.0; 3]);
    // w_k a_ki by column i, and zero columns past the last for the last tile
    // (zeroed once: the first n columns are overwritten every step).
    weighted.resize((n + COLUMNS) * n, 0.0);
    let columns = cells.chunks_exact(n.max(1));
    for (dst, col) in weighted.chunks_exact_mut(n.max(1)).zip(columns) {
        for ((d, &x), &wk) in dst.iter_mut().zip(col).zip(w) {
            *d = wk * x;
        }
    }
    let (padded, weighted) = (&padded[..], &weighted[..]);
    // Where column i's pairs (i, i + 1), (i, i + 2), … begin in `out`.
    let begin = |i: usize| i * (2 * n - i - 1) / 2;
    for i in (0..n.saturating_sub(1)).step_by(COLUMNS) {
        let mut row = i + 1;
        while row < n {
            let len = (n - row).min(4 * T);
            let mut sums = [[0.0; TILE_ROWS]; COLUMNS];
            match len.div_ceil(4) {
                1 => tile::<1>(padded, weighted, n, i, row, &mut sums),
                2 => tile::<2>(padded, weighted, n, i, row, &mut sums),
                3 => tile::<3>(padded, weighted, n, i, row, &mut sums),
                _ => tile::<4>(padded, weighted, n, i, row, &mut sums),
            }
            for (col, sums) in (i..n - 1).zip(&sums) {
                // The tile's rows up to `col` are not column col's pairs.
                let skip = (col + 1).saturating_sub(row).min(len);
                let first = begin(col) + (row + skip - (col + 1));
                out[first..first + len - skip].copy_from_slice(&sums[skip..len]);
            }
            row += len;
        }
    }
}

/// Rows `row..row + 4·V` of columns i..i + `COLUMNS` of A·diag(w)·A, each
/// summed over k in order in its own lane; lanes past the last row read the
/// padding or the next column and are dropped by the caller. Zero terms are
/// added like any other (they change no bit): no branch in the loop.
#[inline(always)]
fn tile<const V: usize>(
    padded: &[f64],
    weighted: &[f64],
    n: usize,
    i: usize,
    row: usize,
    sums: &mut [[f64; TILE_ROWS]; COLUMNS],
) {
    // Column k's rows row..row + 4V end at k·n + row + 4V ≤ (n − 1)·n + n + 3,
    // inside `padded` (n² + 3 cells): checked once here rather than per k.
    assert!(row + 4 * V <= n + 3 && padded.len() >= n * n + 3);
    let x_of = |k: usize| {
        let at = k * n + row;
        // SAFETY: at + 4V ≤ n² + 3 ≤ padded.len(), asserted above.
        unsafe { padded.get_unchecked(at..at + 4 * V) }
    };
    let multipliers: [&[f64]; COLUMNS] =
        std::array::from_fn(|c| &weighted[(i + c) * n..(i + c + 1) * n]);
    let mut acc = [[[0.0f64; 4]; V]; COLUMNS];
    for k in 0..n {
        let x = x_of(k).as_chunks::<4>().0;
        for (acc, m) in acc.iter_mut().zip(&multipliers) {
            let s = m[k];
            for (lanes, xs) in acc.iter_mut().zip(x) {
                for (sum, &x) in lanes.iter_mut().zip(xs) {
                    *sum += s * x;
                }
            }
        }
    }
    for (sums, acc) in sums.iter_mut().zip(&acc) {
        sums[..4 * V].copy_from_slice(acc.as_flattened());
    }
}

/// Sparse: Σ_k w_k a_ik a_kj over the given common neighbours k of i and j.
///
/// # Complexity
/// O(number of common neighbours).
pub fn common_neighbour_sum(
    a: &DMatrix<f64>,
    w: &[f64],
    i: usize,
    j: usize,
    common: &[u32],
) -> f64 {
    common
        .iter()
        .map(|&k| {
            let k = k as usize;
            w[k] * a[(i, k)] * a[(k, j)]
        })
        .sum()
}

/// Σ_{k≠i,j} w_k, the normalizer of B_ij, from the total weight Σ_k w_k.
#[inline]
pub fn third_weight(total_weight: f64, wi: f64, wj: f64) -> f64 {
    total_weight - wi - wj
}

/// The weight of B on the alignment of a pair of states with hedging `gi` and
/// `gj`: balance·(1 − g_i)(1 − g_j). With no hedging it is `balance`, bit for bit.
pub fn gain(p: &crate::scenario::params::Params, gi: f64, gj: f64) -> f64 {
    p.balance * ((1.0 - gi) * (1.0 - gj))
}

/// B_ij from its sum and its normalizer (0 when there is no third state).
#[inline]
pub fn pressure(sum: f64, third_weight: f64) -> f64 {
    // Divide first, then choose: a select, so a loop over pairs vectorizes.
    let b = sum / third_weight;
    if third_weight > 0.0 {
        b
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The complete topology's pairs of n states, in order.
    fn pairs(n: usize) -> Vec<(usize, usize)> {
        (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .collect()
    }

    fn random_network(rng: &mut impl rand::Rng, n: usize) -> (DMatrix<f64>, Vec<f64>) {
        let mut a = DMatrix::zeros(n, n);
        for (i, j) in pairs(n) {
            let x: f64 = rng.gen_range(-1.0..1.0);
            a[(i, j)] = x;
            a[(j, i)] = x;
        }
        let w = (0..n).map(|_| rng.gen_range(0.1..2.0)).collect();
        (a, w)
    }

    #[test]
    fn dense_and_sparse_agree_with_the_definition() {
        // 4 states, uniform and non-uniform weights, B_01 by hand:
        // k=2: a02 a21 = 0.5·(−0.4) = −0.2; k=3: a03 a31 = (−1)(0.8) = −0.8
        let mut a = DMatrix::zeros(4, 4);
        for &(i, j, x) in &[
            (0, 1, 0.3),
            (0, 2, 0.5),
            (1, 2, -0.4),
            (0, 3, -1.0),
            (1, 3, 0.8),
            (2, 3, 0.1),
        ] {
            a[(i, j)] = x;
            a[(j, i)] = x;
        }
        let w = [1.0, 2.0, 3.0, 0.5];
        let by_hand = (3.0 * -0.2 + 0.5 * -0.8) / 3.5;
        let mut out = vec![0.0; 6];
        pair_sums(&a, &w, &mut DenseScratch::default(), &mut out);
        let third = third_weight(w.iter().sum(), w[0], w[1]);
        assert_eq!(third, 3.5);
        assert!((pressure(out[0], third) - by_hand).abs() < 1e-12);
        let sparse = common_neighbour_sum(&a, &w, 0, 1, &[2, 3]);
        assert!((pressure(sparse, third) - by_hand).abs() < 1e-12);
    }

    /// Every pair's sum is, bit for bit, the running sum over k in order — on
    /// sizes around the tile and vector widths, from every kernel this processor
    /// can run (portable in both tile heights, AVX, AVX-512) and the one
    /// `pair_sums` picks.
    #[test]
    fn each_sum_is_the_running_sum_in_order() {
        use rand::SeedableRng;
        type Kernel = fn(&[f64], usize, &[f64], &mut DenseScratch, &mut [f64]);
        let mut kernels: Vec<(&str, Kernel)> = vec![
            ("portable", pair_sums_by_tiles::<TILE>),
            ("portable, tall tiles", pair_sums_by_tiles::<TILE_512>),
        ];
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx") {
                // SAFETY: the processor has AVX, checked just above.
                kernels.push(("avx", |c, n, w, s, o| unsafe {
                    avx::pair_sums(c, n, w, s, o)
                }));
            }
            if std::arch::is_x86_feature_detected!("avx512f") {
                // SAFETY: the processor has AVX-512F, checked just above.
                kernels.push(("avx512", |c, n, w, s, o| unsafe {
                    avx::pair_sums_512(c, n, w, s, o)
                }));
            }
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for n in [
            0, 1, 2, 3, 4, 5, 6, 17, 20, 25, 26, 27, 33, 34, 35, 49, 50, 51, 65, 90,
        ] {
            let (a, w) = random_network(&mut rng, n);
            let mut outs = vec![vec![f64::NAN; pairs(n).len()]];
            pair_sums(&a, &w, &mut DenseScratch::default(), &mut outs[0]);
            for (_, kernel) in &kernels {
                let mut out = vec![f64::NAN; pairs(n).len()];
                kernel(a.as_slice(), n, &w, &mut DenseScratch::default(), &mut out);
                outs.push(out);
            }
            for (k, (i, j)) in pairs(n).into_iter().enumerate() {
                let mut sum = 0.0;
                for m in 0..n {
                    sum += w[m] * a[(m, i)] * a[(j, m)];
                }
                for (out, name) in outs
                    .iter()
                    .zip(std::iter::once("pair_sums").chain(kernels.iter().map(|(name, _)| *name)))
                {
                    assert_eq!(out[k].to_bits(), sum.to_bits(), "{name}: n {n} ({i}, {j})");
                }
            }
        }
    }

    /// A state without weight or without ties changes no bit of the others' sums.
    #[test]
    fn states_without_weight_or_ties_change_no_bit() {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let (a, w) = random_network(&mut rng, 12);
        let mut base = vec![0.0; 66];
        pair_sums(&a, &w, &mut DenseScratch::default(), &mut base);
        // state 5 given no weight: drops out of every sum it was a third of
        let mut w0 = w.clone();
        w0[5] = 0.0;
        let mut lighter = vec![0.0; 66];
        pair_sums(&a, &w0, &mut DenseScratch::default(), &mut lighter);
        // a 13th state with no ties, inserted in the middle, with a weight
        let mut b = DMatrix::zeros(13, 13);
        let old = |x: usize| x - usize::from(x > 6);
        for i in (0..13).filter(|&i| i != 6) {
            for j in (0..13).filter(|&j| j != 6) {
                b[(i, j)] = a[(old(i), old(j))];
            }
        }
        let mut wb = w.clone();
        wb.insert(6, 1.5);
        let mut wider = vec![0.0; 78];
        pair_sums(&b, &wb, &mut DenseScratch::default(), &mut wider);
        let index = |n: usize, i: usize, j: usize| pairs(n).iter().position(|&p| p == (i, j));
        for (k, (i, j)) in pairs(12).into_iter().enumerate() {
            let mut without_5 = 0.0;
            for m in (0..12).filter(|&m| m != 5) {
                without_5 += w[m] * a[(m, i)] * a[(j, m)];
            }
            assert_eq!(lighter[k].to_bits(), without_5.to_bits(), "({i}, {j})");
            let (bi, bj) = (i + usize::from(i >= 6), j + usize::from(j >= 6));
            let kb = index(13, bi, bj).expect("pair");
            assert_eq!(wider[kb].to_bits(), base[k].to_bits(), "({i}, {j})");
        }
    }

    #[test]
    fn hedging_damps_the_weight_of_balance() {
        let p = crate::scenario::params::Params {
            balance: 0.8,
            ..Default::default()
        };
        assert_eq!(gain(&p, 0.0, 0.0).to_bits(), 0.8f64.to_bits());
        assert!((gain(&p, 0.5, 0.0) - 0.4).abs() < 1e-15);
        assert!((gain(&p, 0.5, 0.25) - 0.8 * 0.5 * 0.75).abs() < 1e-15);
        // a state that hedges fully feels no balance pressure on any of its ties
        assert_eq!(gain(&p, 1.0, 0.3), 0.0);
        assert_eq!(gain(&p, 0.3, 1.0), 0.0);
    }

    #[test]
    fn no_third_state_gives_no_pressure() {
        assert_eq!(third_weight(2.0, 1.0, 1.0), 0.0);
        assert_eq!(pressure(0.7, 0.0), 0.0);
    }
}
