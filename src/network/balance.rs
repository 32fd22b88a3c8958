//! Structural balance of a signed network (Heider; Cartwright & Harary 1956).

use nalgebra::DMatrix;

/// The balance index: the share of balanced triads, each weighted by
/// |a_ij a_jk a_ik| (docs/model.md §3). 1 is perfectly balanced, 0 all unbalanced.
///
/// Computed as (1 + tr(A³) / tr(|A|³)) / 2, since tr(A³) = 6 Σ_{i<j<k} a_ij a_jk a_ik
/// sums the products and tr(|A|³) their absolute values. A network without any
/// weighted triad has index 1 (nothing is unbalanced).
///
/// # Complexity
/// Two n×n matrix products: O(n³).
pub fn balance_index(a: &DMatrix<f64>) -> f64 {
    let abs = a.abs();
    let signed = (a * a).component_mul(a).sum();
    let total = (&abs * &abs).component_mul(&abs).sum();
    if total <= f64::MIN_POSITIVE {
        1.0
    } else {
        (0.5 * (1.0 + signed / total)).clamp(0.0, 1.0)
    }
}

/// The balance index of the triads whose products a_ij a_jk a_ik are `products`
/// (each triad once): (1 + Σ products / Σ |products|) / 2, 1 without any weighted
/// triad. The `listed` topology's index, over the triads of listed ties only (a
/// triad with an unlisted pair has a zero product and weighs nothing).
///
/// # Complexity
/// O(triads): for listed ties, O(ties × mean degree).
pub fn balance_index_of_triads(products: impl Iterator<Item = f64>) -> f64 {
    let (mut signed, mut total) = (0.0, 0.0);
    for p in products {
        signed += p;
        total += p.abs();
    }
    if total <= f64::MIN_POSITIVE {
        1.0
    } else {
        (0.5 * (1.0 + signed / total)).clamp(0.0, 1.0)
    }
}

/// Whether every triad with three non-zero ties has a positive product.
pub fn is_structurally_balanced(a: &DMatrix<f64>) -> bool {
    let n = a.nrows();
    (0..n).all(|i| (i + 1..n).all(|j| (j + 1..n).all(|k| a[(i, j)] * a[(j, k)] * a[(i, k)] >= 0.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::symmetric;

    #[test]
    fn balanced_and_unbalanced_triangles() {
        // friend of a friend is a friend: balanced
        assert_eq!(
            balance_index(&symmetric(3, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0)])),
            1.0
        );
        // enemy of an enemy is a friend: balanced
        assert_eq!(
            balance_index(&symmetric(3, &[(0, 1, -1.0), (1, 2, -1.0), (0, 2, 1.0)])),
            1.0
        );
        // two friends with a common... enemy between them: unbalanced
        assert_eq!(
            balance_index(&symmetric(3, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, -1.0)])),
            0.0
        );
        assert!(!is_structurally_balanced(&symmetric(
            3,
            &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, -1.0)]
        )));
    }

    #[test]
    fn weights_are_the_products() {
        // triad 012 balanced with weight 0.5·1·1; triad 123 unbalanced with weight 1·1·0.25
        let a = symmetric(
            4,
            &[
                (0, 1, 0.5),
                (1, 2, 1.0),
                (0, 2, 1.0),
                (2, 3, 1.0),
                (1, 3, -0.25),
            ],
        );
        let expected = 0.5 / (0.5 + 0.25);
        assert!((balance_index(&a) - expected).abs() < 1e-12);
        let triads = [0.5 * 1.0 * 1.0, 1.0 * 1.0 * -0.25];
        assert!((balance_index_of_triads(triads.into_iter()) - expected).abs() < 1e-12);
        assert_eq!(balance_index_of_triads(std::iter::empty()), 1.0);
    }
}
