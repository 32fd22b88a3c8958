//! Camps: the two sides of the network, by the leading eigenvector of the signed
//! alignment matrix, and the groups of states joined by positive ties.

use nalgebra::{DMatrix, SymmetricEigen};
use petgraph::unionfind::UnionFind;

/// The camps of a signed network at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Camps {
    /// Camp of each state by the sign of the leading eigenvector (0 or 1; the camp
    /// of the first state with a non-zero component is 0). States whose component
    /// is zero (isolated) are put in camp 0.
    pub eigen: Vec<u8>,
    /// Number of distinct eigenvector camps (1 or 2).
    pub eigen_count: usize,
    /// Component label of each state in the graph of positive ties, labelled in
    /// order of first appearance.
    pub positive: Vec<usize>,
    /// Number of positive components.
    pub positive_count: usize,
}

/// Computes both camp partitions of the symmetric alignment matrix `a`.
///
/// # Complexity
/// O(n³) for the eigen-decomposition, O(n² α(n)) for the components.
pub fn camps(a: &DMatrix<f64>) -> Camps {
    let n = a.nrows();
    let mut eigen = vec![0u8; n];
    if n > 0 {
        let eig = SymmetricEigen::new(a.clone());
        let lead = eig
            .eigenvalues
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.total_cmp(y.1).then(y.0.cmp(&x.0)))
            .map(|(k, _)| k)
            .unwrap_or(0);
        let v = eig.eigenvectors.column(lead);
        let tol = 1e-9;
        let first_sign = v
            .iter()
            .find(|x| x.abs() > tol)
            .map(|x| x.signum())
            .unwrap_or(1.0);
        for (i, x) in v.iter().enumerate() {
            eigen[i] = u8::from(x.abs() > tol && x.signum() != first_sign);
        }
    }
    let eigen_count = if eigen.contains(&1) {
        2
    } else {
        usize::from(n > 0)
    };
    let mut uf = UnionFind::<usize>::new(n);
    for i in 0..n {
        for j in i + 1..n {
            if a[(i, j)] > 0.0 {
                uf.union(i, j);
            }
        }
    }
    let mut labels = Vec::with_capacity(n);
    let mut roots: Vec<usize> = Vec::new();
    for i in 0..n {
        let r = uf.find(i);
        let l = match roots.iter().position(|&x| x == r) {
            Some(l) => l,
            None => {
                roots.push(r);
                roots.len() - 1
            }
        };
        labels.push(l);
    }
    Camps {
        eigen,
        eigen_count,
        positive_count: roots.len(),
        positive: labels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_blocs_are_found_by_both_methods() {
        // {0,1} friends, {2,3} friends, enemies across
        let mut a = DMatrix::from_element(4, 4, -0.8);
        for (i, j) in [(0, 1), (2, 3)] {
            a[(i, j)] = 0.9;
            a[(j, i)] = 0.9;
        }
        a.fill_diagonal(0.0);
        let c = camps(&a);
        assert_eq!(c.eigen, vec![0, 0, 1, 1]);
        assert_eq!(c.eigen_count, 2);
        assert_eq!(c.positive, vec![0, 0, 1, 1]);
        assert_eq!(c.positive_count, 2);
    }
}
