//! Similarity of alignment portfolios: the S-score of Signorino & Ritter (1999,
//! "Tau-b or Not Tau-b", International Studies Quarterly 43).
//!
//! The portfolio of state i is its alignment a_ik with every state k, with
//! a_ii = 1 (a state is fully aligned with itself: S&R include the valuations of
//! the dyad's own members). For two states i and j,
//!
//! S_ij = 1 − 2 · Σ_k w_k |a_ik − a_jk| / (Σ_k w_k · d_max),   d_max = 2,
//!
//! d_max being the range of [−1, 1]; so S_ij = 1 − Σ_k w_k |a_ik − a_jk| / Σ_k w_k.
//! S is 1 for identical portfolios, −1 for opposite extreme ones, symmetric, and in
//! [−1, 1] when the alignments are. Unweighted: w_k = 1; power-weighted: w_k is k's
//! power share (any positive multiple gives the same S, so raw powers will do).

use nalgebra::DMatrix;

/// a_ik with a_ii = 1.
#[inline]
fn portfolio(a: &DMatrix<f64>, i: usize, k: usize) -> f64 {
    if i == k {
        1.0
    } else {
        a[(i, k)]
    }
}

/// Whether the weights can weigh: finite, ≥ 0, with a positive sum, one per state.
pub(crate) fn usable(weights: Option<&[f64]>, n: usize) -> bool {
    match weights {
        None => true,
        Some(w) => {
            w.len() == n
                && w.iter().all(|x| x.is_finite() && *x >= 0.0)
                && w.iter().sum::<f64>() > 0.0
        }
    }
}

/// The S-score of states `i` and `j` in the alignment matrix `a` (the diagonal of
/// `a` is ignored and taken as 1), unweighted (`None`) or with weight `w_k` for
/// state k (e.g. power). NaN if the weights are unusable: not one per state,
/// negative, not finite, or summing to 0.
///
/// # Panics
/// If `a` is not square or `i` or `j` is out of range.
///
/// # Complexity
/// O(n).
pub fn s_score(a: &DMatrix<f64>, weights: Option<&[f64]>, i: usize, j: usize) -> f64 {
    let n = a.nrows();
    assert_eq!(a.ncols(), n, "the alignment matrix is not square");
    assert!(i < n && j < n, "state index out of range");
    if !usable(weights, n) {
        return f64::NAN;
    }
    let mut distance = 0.0;
    let mut total = 0.0;
    for k in 0..n {
        let w = weights.map_or(1.0, |w| w[k]);
        distance += w * (portfolio(a, i, k) - portfolio(a, j, k)).abs();
        total += w;
    }
    const D_MAX: f64 = 2.0;
    1.0 - 2.0 * distance / (total * D_MAX)
}

/// [`s_score`] of states `i` and `j` from their ties alone, for a sparse network:
/// `ti` and `tj` are the (state, alignment) ties of i and j in increasing state
/// order, every other alignment is 0, and `total` is Σ_k w_k (n when unweighted),
/// summed in state order. Only states tied to i or j (and i and j) contribute to
/// the distance, in state order, so the result is the dense one bit for bit.
///
/// # Complexity
/// O(|ti| + |tj|).
pub fn s_score_sparse(
    ti: &[(usize, f64)],
    tj: &[(usize, f64)],
    i: usize,
    j: usize,
    weights: Option<&[f64]>,
    total: f64,
) -> f64 {
    let own = |x: usize| [(x, 1.0)];
    let mut left: Vec<(usize, f64)> = ti.iter().copied().chain(own(i)).collect();
    let mut right: Vec<(usize, f64)> = tj.iter().copied().chain(own(j)).collect();
    left.sort_unstable_by_key(|t| t.0);
    right.sort_unstable_by_key(|t| t.0);
    let (mut p, mut q, mut distance) = (0, 0, 0.0);
    while p < left.len() || q < right.len() {
        let kp = left.get(p).map_or(usize::MAX, |t| t.0);
        let kq = right.get(q).map_or(usize::MAX, |t| t.0);
        let k = kp.min(kq);
        let x = if kp == k {
            p += 1;
            left[p - 1].1
        } else {
            0.0
        };
        let y = if kq == k {
            q += 1;
            right[q - 1].1
        } else {
            0.0
        };
        distance += weights.map_or(1.0, |w| w[k]) * (x - y).abs();
    }
    const D_MAX: f64 = 2.0;
    1.0 - 2.0 * distance / (total * D_MAX)
}

/// The S-score of every pair: a symmetric matrix with 1 on the diagonal (all NaN
/// if the weights are unusable, see [`s_score`]).
///
/// # Panics
/// If `a` is not square.
///
/// # Complexity
/// O(n³).
pub fn s_scores(a: &DMatrix<f64>, weights: Option<&[f64]>) -> DMatrix<f64> {
    let n = a.nrows();
    assert_eq!(a.ncols(), n, "the alignment matrix is not square");
    if !usable(weights, n) {
        return DMatrix::from_element(n, n, f64::NAN);
    }
    let mut s = DMatrix::identity(n, n);
    for i in 0..n {
        for j in i + 1..n {
            let x = s_score(a, weights, i, j);
            s[(i, j)] = x;
            s[(j, i)] = x;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// a01 = 0.5, a02 = −1, a12 = 0, so the portfolios (with a_ii = 1) are
    /// P0 = (1, 0.5, −1), P1 = (0.5, 1, 0), P2 = (−1, 0, 1).
    fn three() -> DMatrix<f64> {
        DMatrix::from_row_slice(3, 3, &[0.0, 0.5, -1.0, 0.5, 0.0, 0.0, -1.0, 0.0, 0.0])
    }

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() < 1e-12
    }

    #[test]
    fn the_sparse_score_is_the_dense_one_bit_for_bit() {
        let a = three();
        let ties = |i: usize| -> Vec<(usize, f64)> {
            (0..3)
                .filter(|&k| k != i && a[(i, k)] != 0.0)
                .map(|k| (k, a[(i, k)]))
                .collect()
        };
        let w = [0.5, 0.25, 0.25];
        for (i, j) in [(0, 1), (0, 2), (1, 2)] {
            let dense = s_score(&a, None, i, j);
            assert_eq!(
                dense.to_bits(),
                s_score_sparse(&ties(i), &ties(j), i, j, None, 3.0).to_bits()
            );
            let dense = s_score(&a, Some(&w), i, j);
            let sparse = s_score_sparse(&ties(i), &ties(j), i, j, Some(&w), 1.0);
            assert_eq!(dense.to_bits(), sparse.to_bits());
        }
    }

    #[test]
    fn unweighted_by_hand() {
        let a = three();
        // S01: |1 − 0.5| + |0.5 − 1| + |−1 − 0| = 2;   1 − 2·2/(3·2) = 1/3
        assert!(close(s_score(&a, None, 0, 1), 1.0 / 3.0));
        // S02: |1 + 1| + |0.5 − 0| + |−1 − 1| = 4.5;  1 − 2·4.5/6 = −1/2
        assert!(close(s_score(&a, None, 0, 2), -0.5));
        // S12: |0.5 + 1| + |1 − 0| + |0 − 1| = 3.5;    1 − 2·3.5/6 = −1/6
        assert!(close(s_score(&a, None, 1, 2), -1.0 / 6.0));
    }

    #[test]
    fn power_weighted_by_hand() {
        let a = three();
        // powers 2, 1, 1: shares w = (0.5, 0.25, 0.25), Σw = 1
        let w = [2.0, 1.0, 1.0];
        // S01: 0.5·0.5 + 0.25·0.5 + 0.25·1 = 0.625;    1 − 2·0.625/(1·2) = 0.375
        assert!(close(s_score(&a, Some(&w), 0, 1), 0.375));
        // S02: 0.5·2 + 0.25·0.5 + 0.25·2 = 1.625;      1 − 1.625 = −0.625
        assert!(close(s_score(&a, Some(&w), 0, 2), -0.625));
        // S12: 0.5·1.5 + 0.25·1 + 0.25·1 = 1.25;       1 − 1.25 = −0.25
        assert!(close(s_score(&a, Some(&w), 1, 2), -0.25));
        // the shares themselves give the same
        assert!(close(s_score(&a, Some(&[0.5, 0.25, 0.25]), 0, 1), 0.375));
    }

    #[test]
    fn identical_portfolios_symmetry_and_range() {
        // 0 and 1 are allies (a01 = 1) with the same ties to 2 and 3
        let mut a = DMatrix::from_row_slice(
            4,
            4,
            &[
                0.0, 1.0, -0.4, 0.7, //
                1.0, 0.0, -0.4, 0.7, //
                -0.4, -0.4, 0.0, -1.0, //
                0.7, 0.7, -1.0, 0.0,
            ],
        );
        assert_eq!(s_score(&a, None, 0, 1), 1.0);
        assert_eq!(s_score(&a, Some(&[1.0, 2.0, 3.0, 4.0]), 0, 1), 1.0);
        a[(2, 3)] = 0.3;
        a[(3, 2)] = 0.3;
        for w in [None, Some(&[0.1, 0.5, 0.2, 0.2][..])] {
            let s = s_scores(&a, w);
            for i in 0..4 {
                assert_eq!(s[(i, i)], 1.0);
                for j in 0..4 {
                    assert_eq!(s[(i, j)], s[(j, i)]);
                    assert!((-1.0..=1.0).contains(&s[(i, j)]));
                }
            }
        }
        // opposite extreme portfolios: 2 states at war, P0 = (1, −1), P1 = (−1, 1)
        let war = DMatrix::from_row_slice(2, 2, &[0.0, -1.0, -1.0, 0.0]);
        assert_eq!(s_score(&war, None, 0, 1), -1.0);
    }

    #[test]
    fn unusable_weights_give_nan() {
        let a = three();
        assert!(s_score(&a, Some(&[0.0, 0.0, 0.0]), 0, 1).is_nan());
        assert!(s_score(&a, Some(&[1.0, -1.0, 1.0]), 0, 1).is_nan());
        assert!(s_score(&a, Some(&[1.0, 1.0]), 0, 1).is_nan());
        assert!(s_scores(&a, Some(&[1.0, f64::NAN, 1.0]))[(0, 1)].is_nan());
    }
}
