//! §2.1 Structural balance pressure (Heider; Marvel et al. 2011):
//! B_ij = (1 / Σ_{k≠i,j} w_k) · Σ_{k≠i,j} w_k a_ik a_kj.
//!
//! Two ways to compute it for every evolving pair, with the same normalizer
//! Σ_{k≠i,j} w_k so that they agree whenever unlisted pairs are at 0:
//! dense, one matrix product A·diag(w)·A (complete topology); and sparse, a sum
//! over the common neighbours of i and j (listed topology).

use nalgebra::DMatrix;

/// Scratch buffers of [`weighted_square`], kept between steps.
#[derive(Clone, Debug, Default)]
pub struct DenseScratch {
    third: Vec<usize>,
    ties: Vec<f64>,
    weighted: Vec<f64>,
}

/// Dense: fills the upper triangle of `out` (entries (i, j), i < j: the cells
/// the pairs are read from) with A·diag(w)·A, summing only over states of
/// non-zero weight; the rest of `out` is left as it was. B_ij is then
/// `out[(i, j)] / (Σw − w_i − w_j)` (the diagonal of A is zero, so the terms
/// k = i and k = j vanish).
///
/// Each entry is summed over the states of non-zero weight in index order — as a
/// dot product with four interleaved partial sums combined in a fixed order up to
/// 64 such states, as one running sum above — so the bits do not
/// depend on the processor, on a matrix library's blocking or SIMD kernels, or on
/// states that carry no weight — which a general gemm does not promise.
///
/// # Complexity
/// O(n² m / 2) for m states of non-zero weight.
pub fn weighted_square(
    a: &DMatrix<f64>,
    w: &[f64],
    scratch: &mut DenseScratch,
    out: &mut DMatrix<f64>,
) {
    let n = a.nrows();
    let DenseScratch {
        third,
        ties,
        weighted,
    } = scratch;
    third.clear();
    third.extend((0..n).filter(|&k| w[k] != 0.0));
    let m = third.len();
    let cols = a.as_slice();
    if m > DOT_LIMIT {
        // Column j, rows i < j: Σ_k (w_k a_kj) · a_ik, one running sum per entry in
        // the order of k; the inner loop runs over independent entries and vectorizes.
        let out = out.as_mut_slice();
        for j in 0..n {
            let out_j = &mut out[j * n..j * n + j];
            out_j.fill(0.0);
            for &k in third.iter() {
                let s = w[k] * cols[j * n + k];
                if s != 0.0 {
                    for (o, &x) in out_j.iter_mut().zip(&cols[k * n..k * n + j]) {
                        *o += s * x;
                    }
                }
            }
        }
        return;
    }
    // Each state's ties to the weighted states, plain and times the weights (A is
    // symmetric: column i holds i's ties). When every state has weight — the usual
    // case — the columns are used as they are.
    weighted.resize(n * m, 0.0);
    let ties: &[f64] = if m == n {
        for (wt, col) in weighted.chunks_exact_mut(n).zip(cols.chunks_exact(n)) {
            for ((x, &a), &wk) in wt.iter_mut().zip(col).zip(w) {
                *x = wk * a;
            }
        }
        cols
    } else {
        ties.resize(n * m, 0.0);
        for i in 0..n {
            let col = &cols[i * n..(i + 1) * n];
            for (t, &k) in third.iter().enumerate() {
                ties[i * m + t] = col[k];
                weighted[i * m + t] = w[k] * col[k];
            }
        }
        ties
    };
    upper_dots(weighted, ties, n, m, out.as_mut_slice());
}

/// Fills the upper triangle of the column-major n × n `out` with the dot products
/// of the rows of `weighted` and `ties` (n × m each).
///
/// On x86-64 processors with AVX the partial sums live in 256-bit registers.
/// Every version does the same IEEE operations on each partial sum in the same
/// order (Rust never fuses a multiply and an add), so the bits do not depend on
/// which one runs.
fn upper_dots(weighted: &[f64], ties: &[f64], n: usize, m: usize, out: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: the processor has AVX, checked just above.
        unsafe { avx::upper_dots(weighted, ties, n, m, out) };
        return;
    }
    upper_dots_by(weighted, ties, n, m, out, dot4);
}

/// [`upper_dots`] with a kernel for four rows i at a time, which share the loads
/// of column j.
#[inline(always)]
fn upper_dots_by(
    weighted: &[f64],
    ties: &[f64],
    n: usize,
    m: usize,
    out: &mut [f64],
    kernel: impl Fn([&[f64]; 4], &[f64]) -> [f64; 4],
) {
    for j in 0..n {
        let tj = &ties[j * m..(j + 1) * m];
        let out_j = &mut out[j * n..j * n + j];
        let mut blocks = out_j.chunks_exact_mut(4);
        for (b, block) in (&mut blocks).enumerate() {
            let i = 4 * b;
            let rows = [
                &weighted[i * m..(i + 1) * m],
                &weighted[(i + 1) * m..(i + 2) * m],
                &weighted[(i + 2) * m..(i + 3) * m],
                &weighted[(i + 3) * m..(i + 4) * m],
            ];
            block.copy_from_slice(&kernel(rows, tj));
        }
        let done = j / 4 * 4;
        for (r, o) in blocks.into_remainder().iter_mut().enumerate() {
            let i = done + r;
            *o = dot(&weighted[i * m..(i + 1) * m], tj);
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx {
    use std::arch::x86_64::{
        _mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_setzero_pd, _mm256_storeu_pd,
    };

    #[target_feature(enable = "avx")]
    pub(super) fn upper_dots(weighted: &[f64], ties: &[f64], n: usize, m: usize, out: &mut [f64]) {
        super::upper_dots_by(weighted, ties, n, m, out, |x, y| dot4(x, y));
    }

    /// [`super::dot4`] with one register of four partial sums per row.
    #[target_feature(enable = "avx")]
    #[inline]
    fn dot4(x: [&[f64]; 4], y: &[f64]) -> [f64; 4] {
        let (yc, yr) = y.as_chunks::<4>();
        let full = yc.len();
        let chunks = |r: usize| &x[r].as_chunks::<4>().0[..full];
        let xc = [chunks(0), chunks(1), chunks(2), chunks(3)];
        let mut acc = [_mm256_setzero_pd(); 4];
        for (c, b) in yc.iter().enumerate() {
            // SAFETY (both loads): a chunk is four f64 in bounds; loads are unaligned.
            let b = unsafe { _mm256_loadu_pd(b.as_ptr()) };
            for r in 0..4 {
                let a = unsafe { _mm256_loadu_pd(xc[r][c].as_ptr()) };
                acc[r] = _mm256_add_pd(acc[r], _mm256_mul_pd(a, b));
            }
        }
        let mut sums = [0.0; 4];
        for r in 0..4 {
            let mut lanes = [0.0; 4];
            // SAFETY: `lanes` holds four f64.
            unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), acc[r]) };
            sums[r] = super::finish(lanes, &x[r][4 * full..], yr);
        }
        sums
    }
}

/// Up to this many weighted states each entry is one dot product (short vectors);
/// above, columns are built by vectorized axpys. The choice depends on the
/// weighted states only, so states without weight still change no bit.
const DOT_LIMIT: usize = 64;

/// Σ x_k y_k with four interleaved partial sums, combined in a fixed order.
#[inline(always)]
fn dot(x: &[f64], y: &[f64]) -> f64 {
    let (xc, xr) = x.as_chunks::<4>();
    let (yc, yr) = y.as_chunks::<4>();
    let mut acc = [0.0; 4];
    for (a, b) in xc.iter().zip(yc) {
        for l in 0..4 {
            acc[l] += a[l] * b[l];
        }
    }
    finish(acc, xr, yr)
}

/// [`dot`] of four vectors with the same `y`, each summed exactly as `dot` sums it.
#[inline(always)]
fn dot4(x: [&[f64]; 4], y: &[f64]) -> [f64; 4] {
    let (yc, yr) = y.as_chunks::<4>();
    let full = yc.len();
    let chunks = |r: usize| &x[r].as_chunks::<4>().0[..full];
    let xc = [chunks(0), chunks(1), chunks(2), chunks(3)];
    let mut acc = [[0.0; 4]; 4];
    for c in 0..full {
        let b = yc[c];
        for r in 0..4 {
            let a = xc[r][c];
            for l in 0..4 {
                acc[r][l] += a[l] * b[l];
            }
        }
    }
    let mut sums = [0.0; 4];
    for r in 0..4 {
        sums[r] = finish(acc[r], &x[r][4 * full..], yr);
    }
    sums
}

/// Combines four partial sums in a fixed order and adds the remainder terms in turn.
#[inline(always)]
fn finish(acc: [f64; 4], xr: &[f64], yr: &[f64]) -> f64 {
    let mut sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (a, b) in xr.iter().zip(yr) {
        sum += a * b;
    }
    sum
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

/// Normalizes a weighted sum: divides by Σ_{k≠i,j} w_k (0 when there is no third state).
#[inline]
pub fn normalize(sum: f64, total_weight: f64, wi: f64, wj: f64) -> f64 {
    let third = total_weight - wi - wj;
    if third > 0.0 {
        sum / third
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut out = DMatrix::zeros(4, 4);
        weighted_square(&a, &w, &mut DenseScratch::default(), &mut out);
        let total: f64 = w.iter().sum();
        assert!((normalize(out[(0, 1)], total, w[0], w[1]) - by_hand).abs() < 1e-12);
        let sparse = common_neighbour_sum(&a, &w, 0, 1, &[2, 3]);
        assert!((normalize(sparse, total, w[0], w[1]) - by_hand).abs() < 1e-12);
    }

    #[test]
    fn matches_the_definition_on_random_networks() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for n in [5, 20, 90] {
            let mut a = DMatrix::zeros(n, n);
            for i in 0..n {
                for j in i + 1..n {
                    let x: f64 = rng.gen_range(-1.0..1.0);
                    a[(i, j)] = x;
                    a[(j, i)] = x;
                }
            }
            let w: Vec<f64> = (0..n).map(|_| rng.gen_range(0.1..2.0)).collect();
            let mut out = DMatrix::zeros(n, n);
            weighted_square(&a, &w, &mut DenseScratch::default(), &mut out);
            for j in 0..n {
                for i in 0..j {
                    let direct: f64 = (0..n).map(|k| w[k] * a[(i, k)] * a[(k, j)]).sum();
                    assert!((out[(i, j)] - direct).abs() < 1e-10, "n {n} ({i}, {j})");
                }
            }
        }
    }

    #[test]
    fn every_kernel_gives_the_same_bits() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for (n, m) in [(3, 3), (9, 7), (20, 20), (33, 29), (64, 61)] {
            let weighted: Vec<f64> = (0..n * m).map(|_| rng.gen_range(-2.0..2.0)).collect();
            let ties: Vec<f64> = (0..n * m).map(|_| rng.gen_range(-1.0..1.0)).collect();
            let mut fast = vec![0.0; n * n];
            let mut portable = vec![0.0; n * n];
            upper_dots(&weighted, &ties, n, m, &mut fast);
            upper_dots_by(&weighted, &ties, n, m, &mut portable, dot4);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&fast), bits(&portable), "n {n}, m {m}");
            // and each entry is the plain four-lane `dot`
            for j in 0..n {
                for i in 0..j {
                    let d = dot(&weighted[i * m..(i + 1) * m], &ties[j * m..(j + 1) * m]);
                    assert_eq!(portable[j * n + i].to_bits(), d.to_bits());
                }
            }
        }
    }

    #[test]
    fn no_third_state_gives_no_pressure() {
        assert_eq!(normalize(0.0, 2.0, 1.0, 1.0), 0.0);
    }
}
