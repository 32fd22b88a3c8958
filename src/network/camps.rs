//! Camps: the two sides of the network, by the sign of the leading eigenvector of
//! the signed alignment matrix, and the groups of states joined by positive ties.
//!
//! Labels follow one rule whatever the order of the states: camp 0 is the camp of
//! the most powerful state with a tie (ties in power broken by the smaller index,
//! i.e. the id first in alphabetical order), so a label means the same at every
//! step and in every run as long as that state leads.
//!
//! Two methods give the eigenvector: a dense symmetric eigendecomposition for the
//! `complete` topology ([`camps`], O(n³)), and power iteration on the sparse matrix
//! of listed ties for `listed` ([`sparse_camps`], O(ties) per iteration).

use nalgebra::{DMatrix, SymmetricEigen};
use petgraph::unionfind::UnionFind;

/// The camps of a signed network at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Camps {
    /// Camp of each state by the sign of the leading eigenvector (0 or 1; camp 0
    /// is the camp of the most powerful state with a non-zero component). States
    /// whose component is zero (isolated) are put in camp 0.
    pub eigen: Vec<u8>,
    /// Number of distinct eigenvector camps (1 or 2).
    pub eigen_count: usize,
    /// Component label of each state in the graph of positive ties, labelled in
    /// order of first appearance.
    pub positive: Vec<usize>,
    /// Number of positive components.
    pub positive_count: usize,
}

/// Components of a vector below this are zero (the vector has unit length).
const TOLERANCE: f64 = 1e-9;

/// Both camp partitions of the symmetric alignment matrix `a`, labelled by the
/// states' `power`.
///
/// # Complexity
/// O(n³) for the eigen-decomposition, O(n² α(n)) for the components.
pub fn camps(a: &DMatrix<f64>, power: &[f64]) -> Camps {
    let n = a.nrows();
    let mut lead = vec![0.0; n];
    if n > 0 {
        let eig = SymmetricEigen::new(a.clone());
        let k = eig
            .eigenvalues
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.total_cmp(y.1).then(y.0.cmp(&x.0)))
            .map(|(k, _)| k)
            .unwrap_or(0);
        lead.copy_from_slice(eig.eigenvectors.column(k).as_slice());
    }
    let positive = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j)));
    let positive = positive.filter(|&(i, j)| a[(i, j)] > 0.0);
    finish(&lead, power, positive)
}

/// [`camps`] of the sparse symmetric matrix with entries `values[k]` at the pairs
/// `pairs[k]` (both orders) and zero elsewhere, the eigenvector by power
/// iteration on A + cI (c the largest absolute row sum, so that the leading
/// eigenvalue is the dominant one) from a fixed start.
///
/// # Complexity
/// O(pairs) per iteration, at most [`MAX_ITERATIONS`].
pub fn sparse_camps(pairs: &[(u32, u32)], values: &[f64], power: &[f64]) -> Camps {
    let lead = leading_eigenvector(power.len(), pairs, values);
    let positive = pairs.iter().zip(values);
    let positive = positive
        .filter(|(_, &x)| x > 0.0)
        .map(|(&(i, j), _)| (i as usize, j as usize));
    finish(&lead, power, positive)
}

/// Iterations of [`sparse_camps`] at most; it stops earlier once the vector moves
/// less than 1e-12 in an iteration.
pub const MAX_ITERATIONS: usize = 20_000;

fn leading_eigenvector(n: usize, pairs: &[(u32, u32)], values: &[f64]) -> Vec<f64> {
    let mut row_sum = vec![0.0f64; n];
    for (&(i, j), &x) in pairs.iter().zip(values) {
        row_sum[i as usize] += x.abs();
        row_sum[j as usize] += x.abs();
    }
    let shift = row_sum.iter().copied().fold(0.0, f64::max);
    if n == 0 || shift == 0.0 {
        return vec![0.0; n];
    }
    // A start that no eigenvector of a real network is orthogonal to in practice.
    let mut v: Vec<f64> = (0..n)
        .map(|i| 1.0 + (i as f64 * 0.618_034).fract())
        .collect();
    normalize(&mut v);
    let mut next = vec![0.0; n];
    for _ in 0..MAX_ITERATIONS {
        for (x, &y) in next.iter_mut().zip(&v) {
            *x = shift * y;
        }
        for (&(i, j), &a) in pairs.iter().zip(values) {
            let (i, j) = (i as usize, j as usize);
            next[i] += a * v[j];
            next[j] += a * v[i];
        }
        normalize(&mut next);
        let moved = next
            .iter()
            .zip(&v)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        std::mem::swap(&mut v, &mut next);
        if moved < 1e-12 {
            break;
        }
    }
    v
}

fn normalize(v: &mut [f64]) {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Labels from the eigenvector `lead` (camp 0 holds the most powerful state with a
/// non-zero component) and the components of the `positive` ties.
fn finish(lead: &[f64], power: &[f64], positive: impl Iterator<Item = (usize, usize)>) -> Camps {
    let n = lead.len();
    let leader = (0..n)
        .filter(|&i| lead[i].abs() > TOLERANCE)
        .max_by(|&x, &y| power[x].total_cmp(&power[y]).then(y.cmp(&x)));
    let sign = leader.map_or(1.0, |i| lead[i].signum());
    let eigen: Vec<u8> = lead
        .iter()
        .map(|x| u8::from(x.abs() > TOLERANCE && x.signum() != sign))
        .collect();
    let eigen_count = if eigen.contains(&1) {
        2
    } else {
        usize::from(n > 0)
    };
    let mut uf = UnionFind::<usize>::new(n);
    for (i, j) in positive {
        uf.union(i, j);
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

    fn blocs() -> (DMatrix<f64>, Vec<(u32, u32)>, Vec<f64>) {
        // {0,1} friends, {2,3} friends, enemies across
        let mut a = DMatrix::from_element(4, 4, -0.8);
        for (i, j) in [(0, 1), (2, 3)] {
            a[(i, j)] = 0.9;
            a[(j, i)] = 0.9;
        }
        a.fill_diagonal(0.0);
        let pairs: Vec<(u32, u32)> = (0..4u32)
            .flat_map(|i| (i + 1..4).map(move |j| (i, j)))
            .collect();
        let values = pairs
            .iter()
            .map(|&(i, j)| a[(i as usize, j as usize)])
            .collect();
        (a, pairs, values)
    }

    #[test]
    fn two_blocs_are_found_by_both_methods() {
        let (a, pairs, values) = blocs();
        for c in [
            camps(&a, &[1.0; 4]),
            sparse_camps(&pairs, &values, &[1.0; 4]),
        ] {
            assert_eq!(c.eigen, vec![0, 0, 1, 1]);
            assert_eq!(c.eigen_count, 2);
            assert_eq!(c.positive, vec![0, 0, 1, 1]);
            assert_eq!(c.positive_count, 2);
        }
    }

    #[test]
    fn camp_0_is_the_camp_of_the_most_powerful_state() {
        let (a, pairs, values) = blocs();
        let power = [0.1, 0.2, 0.3, 0.25];
        for c in [camps(&a, &power), sparse_camps(&pairs, &values, &power)] {
            assert_eq!(c.eigen, vec![1, 1, 0, 0]);
        }
        // equal power: the first state leads
        let power = [0.3, 0.1, 0.3, 0.2];
        assert_eq!(camps(&a, &power).eigen, vec![0, 0, 1, 1]);
        // an isolated most powerful state does not decide: it has no camp but 0
        let mut b = DMatrix::zeros(5, 5);
        b.view_mut((0, 0), (4, 4)).copy_from(&a);
        let c = camps(&b, &[0.1, 0.2, 0.3, 0.25, 9.0]);
        assert_eq!(c.eigen, vec![1, 1, 0, 0, 0]);
    }

    #[test]
    fn power_iteration_agrees_with_the_eigendecomposition_on_a_random_network() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let n = 30;
        let side: Vec<bool> = (0..n).map(|_| rng.gen_bool(0.5)).collect();
        let mut a = DMatrix::zeros(n, n);
        let (mut pairs, mut values) = (Vec::new(), Vec::new());
        for i in 0..n {
            for j in i + 1..n {
                if rng.gen_bool(0.3) {
                    let x = if side[i] == side[j] { 0.6 } else { -0.6 } + rng.gen_range(-0.3..0.3);
                    a[(i, j)] = x;
                    a[(j, i)] = x;
                    pairs.push((i as u32, j as u32));
                    values.push(x);
                }
            }
        }
        let power: Vec<f64> = (0..n).map(|_| rng.gen_range(0.1..1.0)).collect();
        assert_eq!(
            camps(&a, &power).eigen,
            sparse_camps(&pairs, &values, &power).eigen
        );
    }
}
