//! Summary statistics over replications: mean, sd and the 95% confidence interval
//! of the mean (Student's t), and Welch's interval for a difference of means.

/// n, mean, sd and the 95% CI of the mean of the finite values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// The number of finite values.
    pub n: u64,
    /// Their mean (NaN without values).
    pub mean: f64,
    /// Their sample standard deviation, n − 1 in the denominator (NaN below 2 values).
    pub sd: f64,
    /// The lower end of the 95% CI of the mean (NaN below 2 values).
    pub ci_low: f64,
    /// The upper end of the 95% CI of the mean (NaN below 2 values).
    pub ci_high: f64,
}

impl Summary {
    /// Summarizes the finite values, in the order given (so the bits are fixed).
    pub fn of(values: impl IntoIterator<Item = f64>) -> Summary {
        let xs: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
        let n = xs.len() as u64;
        if n == 0 {
            return Summary {
                n,
                mean: f64::NAN,
                sd: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
            };
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Summary {
                n,
                mean,
                sd: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
            };
        }
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        let half = t975(n - 1) * sd / (n as f64).sqrt();
        Summary {
            n,
            mean,
            sd,
            ci_low: mean - half,
            ci_high: mean + half,
        }
    }

    /// Half-width of the 95% CI.
    pub fn half_width(&self) -> f64 {
        (self.ci_high - self.ci_low) / 2.0
    }
}

/// The difference `b − a` of two means with Welch's 95% CI.
pub fn difference(a: &Summary, b: &Summary) -> (f64, f64, f64) {
    let d = b.mean - a.mean;
    if a.n < 2 || b.n < 2 {
        return (d, f64::NAN, f64::NAN);
    }
    let (va, vb) = (a.sd * a.sd / a.n as f64, b.sd * b.sd / b.n as f64);
    let se = (va + vb).sqrt();
    if se == 0.0 {
        return (d, d, d);
    }
    let df = (va + vb).powi(2) / (va * va / (a.n - 1) as f64 + vb * vb / (b.n - 1) as f64);
    let half = t975_real(df) * se;
    (d, d - half, d + half)
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom: tabulated to
/// 30, the Cornish–Fisher expansion above (within 1e-5 there).
pub fn t975(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706204736,
        4.302652730,
        3.182446305,
        2.776445105,
        2.570581836,
        2.446911851,
        2.364624252,
        2.306004135,
        2.262157163,
        2.228138852,
        2.200985160,
        2.178812830,
        2.160368656,
        2.144786688,
        2.131449546,
        2.119905299,
        2.109815578,
        2.100922040,
        2.093024054,
        2.085963447,
        2.079613845,
        2.073873068,
        2.068657610,
        2.063898562,
        2.059538553,
        2.055529439,
        2.051830516,
        2.048407142,
        2.045229642,
        2.042272456,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => TABLE[df as usize - 1],
        _ => t975_real(df as f64),
    }
}

/// The 0.975 quantile for real `df` (Welch): the table below 30 (rounded down, so
/// conservative), Cornish–Fisher (Abramowitz & Stegun 26.7.5) above.
pub fn t975_real(df: f64) -> f64 {
    if df < 31.0 {
        return t975(df.max(1.0).floor() as u64);
    }
    let z: f64 = 1.959963984540054;
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    z + (z3 + z) / (4.0 * df)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * df.powi(2))
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * df.powi(3))
        + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92160.0 * df.powi(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        for (df, t) in [
            (3, 3.182446),
            (5, 2.570582),
            (10, 2.228139),
            (30, 2.042272),
            (31, 2.039513),
            (120, 1.979930),
        ] {
            assert!((t975(df) - t).abs() < 1e-5, "df {df}: {} vs {t}", t975(df));
        }
    }

    #[test]
    fn summary_of_known_values() {
        let s = Summary::of([1.0, 2.0, 3.0, 4.0, f64::NAN]);
        assert_eq!(s.n, 4);
        assert_eq!(s.mean, 2.5);
        assert!((s.sd - 1.2909944487358056).abs() < 1e-12);
        let half = 3.182446 * s.sd / 2.0;
        assert!((s.ci_high - (2.5 + half)).abs() < 1e-3);
    }

    #[test]
    fn welch_difference() {
        let a = Summary::of([1.0, 2.0, 3.0]);
        let b = Summary::of([4.0, 5.0, 6.0]);
        let (d, lo, hi) = difference(&a, &b);
        assert_eq!(d, 3.0);
        // equal variances 1, n 3: se = sqrt(2/3), df = 4, t = 2.776
        assert!((hi - d - 2.776445 * (2.0f64 / 3.0).sqrt()).abs() < 1e-3);
        assert!((d - lo - (hi - d)).abs() < 1e-12);
    }
}
