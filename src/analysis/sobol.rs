//! Sensitivity: first-order Sobol' indices S_i = Var(E[Y | X_i]) / Var(Y) from
//! the design points already run, by binning (the correlation ratio).
//!
//! Why not the Saltelli estimators (SALib's `sobol.analyze`): they need their own
//! design, N·(k + 2) runs of A, B and the k matrices A_B^i, and their error shrinks
//! like 1/√N. With 17 weights, the 200 experiments of a default exploration would
//! give N ≈ 10, too few for any index to be told from zero. The given-data
//! estimator uses every point of the Latin hypercube: sort the points by X_i, cut
//! them into M = ⌈√n⌉ bins of equal count, and take the share of Var(Y) that
//! the bin means explain, corrected for the share (M − 1)/(n − 1) that bins of
//! pure noise would explain (the adjusted R² of a one-way ANOVA). It estimates
//! first-order indices only; interactions show as 1 − Σ S_i, in the PRIM boxes
//! and in the scatter of the two leading weights.

/// The first-order index of every column of `x` (rows are points) for the
/// outcome `y`, over the points whose outcome is finite. NaN for a column when
/// fewer than 8 points remain or `y` does not vary.
pub fn first_order(x: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    let k = x.first().map_or(0, Vec::len);
    let keep: Vec<usize> = (0..y.len()).filter(|&i| y[i].is_finite()).collect();
    let n = keep.len();
    let mean = keep.iter().map(|&i| y[i]).sum::<f64>() / n as f64;
    let total: f64 = keep.iter().map(|&i| (y[i] - mean).powi(2)).sum();
    if n < 8 || total <= 0.0 {
        return vec![f64::NAN; k];
    }
    let bins = (n as f64).sqrt().ceil() as usize;
    let chance = (bins - 1) as f64 / (n - 1) as f64;
    (0..k)
        .map(|j| {
            let mut order = keep.clone();
            order.sort_by(|&a, &b| x[a][j].total_cmp(&x[b][j]).then(a.cmp(&b)));
            let mut between = 0.0;
            for b in 0..bins {
                let part = &order[b * n / bins..(b + 1) * n / bins];
                if part.is_empty() {
                    continue;
                }
                let m = part.iter().map(|&i| y[i]).sum::<f64>() / part.len() as f64;
                between += part.len() as f64 * (m - mean).powi(2);
            }
            ((between / total - chance) / (1.0 - chance)).clamp(0.0, 1.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::design::latin_hypercube;
    use std::f64::consts::PI;

    /// Ishigami with a = 7, b = 0.1 on [−π, π]³: S1 = 0.3139, S2 = 0.4424, S3 = 0
    /// (Ishigami & Homma 1990; the values SALib's tests use).
    #[test]
    fn ishigami_first_order_indices() {
        let u = latin_hypercube(4000, 3, 42);
        let x: Vec<Vec<f64>> = u
            .iter()
            .map(|p| p.iter().map(|v| -PI + 2.0 * PI * v).collect())
            .collect();
        let y: Vec<f64> = x
            .iter()
            .map(|p| p[0].sin() + 7.0 * p[1].sin().powi(2) + 0.1 * p[2].powi(4) * p[0].sin())
            .collect();
        let s = first_order(&x, &y);
        for (got, want) in s.iter().zip([0.3139, 0.4424, 0.0]) {
            assert!((got - want).abs() < 0.03, "{s:?}");
        }
    }

    #[test]
    fn noise_gets_no_index_and_a_linear_input_gets_its_share() {
        // y = 2·x0 + x1 (+ x2 irrelevant): S0 = 4/5, S1 = 1/5, S2 = 0.
        let x = latin_hypercube(900, 3, 3);
        let y: Vec<f64> = x.iter().map(|p| 2.0 * p[0] + p[1]).collect();
        let s = first_order(&x, &y);
        assert!(
            (s[0] - 0.8).abs() < 0.03 && (s[1] - 0.2).abs() < 0.03 && s[2] < 0.03,
            "{s:?}"
        );
        assert!(first_order(&x, &vec![1.0; 900])[0].is_nan());
        let mut gaps = y.clone();
        gaps[0] = f64::NAN;
        assert!((first_order(&x, &gaps)[0] - s[0]).abs() < 0.01);
    }
}
