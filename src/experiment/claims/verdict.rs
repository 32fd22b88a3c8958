//! Reading a claim's runs: its effect in every arm with a 95% CI, the part its
//! mechanism carries (model − null), and the verdict that reads them together.
//!
//! Every effect is a linear contrast of variant means with a Welch–Satterthwaite
//! CI (the arms run independent replications, so their variances add). The
//! vocabulary:
//!
//! - `supported`: the effect is in the claimed direction and its mechanism carries
//!   it (model − null significant in that direction);
//! - `holds without its mechanism`: the effect is there under the null too; the
//!   first wider null under which it vanishes names what carries it;
//! - `contradicted`: significant in the other direction (for a claim of no effect:
//!   significantly non-zero and not equivalent);
//! - `inconclusive at N=…`, with the replications per configuration that give 80%
//!   power to decide the open question at the effect seen.
//!
//! A claim of no effect is read by two one-sided tests (the 90% CI within the
//! margin) and must pass a power check: its null arm (the mechanism switched on)
//! must read `contradicted` at the same N, else the test could not have told.

use nalgebra::{DMatrix, DVector};

use super::{Claim, Expect, Secondary};
use crate::experiment::stats::{t975, t975_real, Summary};
use crate::experiment::sweep::RunRow;

/// The standard normal quantile at 80%: the power that sizes `reps_to_decide`
/// and the minimum detectable effect.
pub const MIN_POWER_Z: f64 = 0.841_621_233_572_914_3;

/// Beyond this many replications a question is called undecidable at the effect
/// seen (it is indistinguishable from 0).
const MAX_REPS: f64 = 1e7;

/// An effect with its standard error and 95% CI.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The point estimate: the contrast of the variants' mean metric.
    pub effect: f64,
    /// Its standard error.
    pub se: f64,
    /// Welch–Satterthwaite degrees of freedom (infinite when exact).
    pub df: f64,
    /// The lower end of the 95% CI.
    pub low: f64,
    /// The upper end of the 95% CI.
    pub high: f64,
    /// Runs that entered the estimate.
    pub n: u64,
}

impl Estimate {
    /// No estimate (no runs): every number NaN, `n` 0.
    pub const NAN: Estimate = Estimate {
        effect: f64::NAN,
        se: f64::NAN,
        df: f64::NAN,
        low: f64::NAN,
        high: f64::NAN,
        n: 0,
    };

    /// From an effect, its variance and degrees of freedom.
    fn new(effect: f64, var: f64, df: f64, n: u64) -> Estimate {
        let se = var.sqrt();
        let half = if se == 0.0 { 0.0 } else { t975_real(df) * se };
        Estimate {
            effect,
            se,
            df,
            low: effect - half,
            high: effect + half,
            n,
        }
    }

    /// `self − other`, two independent estimates.
    pub fn minus(&self, other: &Estimate) -> Estimate {
        let (va, vb) = (self.se * self.se, other.se * other.se);
        Estimate::new(
            self.effect - other.effect,
            va + vb,
            satterthwaite(&[(va, self.df), (vb, other.df)]),
            self.n + other.n,
        )
    }

    /// Whether the 95% CI lies on the side `sign` (+1 above 0, −1 below).
    pub fn significant(&self, sign: f64) -> bool {
        if sign > 0.0 {
            self.low > 0.0
        } else {
            self.high < 0.0
        }
    }

    /// Two one-sided tests at 5%: the 90% CI within (−margin, margin).
    pub fn equivalent(&self, margin: f64) -> bool {
        let half = if self.se == 0.0 {
            0.0
        } else {
            t_quantile(1.644_853_626_951_472_2, self.df) * self.se
        };
        self.effect - half > -margin && self.effect + half < margin
    }

    /// The smallest true effect this estimate's precision detects with 80% power
    /// in a two-sided 5% test.
    pub fn minimum_detectable(&self) -> f64 {
        (t975_real(self.df) + MIN_POWER_Z) * self.se
    }
}

/// Welch–Satterthwaite degrees of freedom of a sum of independent variances.
fn satterthwaite(parts: &[(f64, f64)]) -> f64 {
    let total: f64 = parts.iter().map(|p| p.0).sum();
    let denom: f64 = parts
        .iter()
        .filter(|p| p.0 > 0.0)
        .map(|p| p.0 * p.0 / p.1)
        .sum();
    if denom > 0.0 {
        total * total / denom
    } else {
        f64::INFINITY
    }
}

/// The Student t quantile for the normal quantile `z` (Cornish–Fisher, A&S
/// 26.7.5; within 1e-3 from 5 degrees of freedom).
fn t_quantile(z: f64, df: f64) -> f64 {
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    z + (z3 + z) / (4.0 * df)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * df.powi(2))
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * df.powi(3))
        + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92160.0 * df.powi(4))
}

/// The verdict on a claim at this number of replications.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The effect is there in the claimed direction and the mechanism carries it (for a
    /// claim of no effect: no effect, and one with the mechanism on).
    Supported,
    /// The effect is there with the mechanism off: `carried_by` says what the
    /// wider nulls found ("structural balance", or what it is not).
    HoldsWithout {
        /// What the first wider null under which the effect vanishes switches off, or
        /// "something other than" all of them.
        carried_by: String,
    },
    /// The effect is significant in the opposite direction (for a claim of no effect: an
    /// effect, beyond the equivalence margin).
    Contradicted,
    /// Undecided at `reps` replications per configuration; `needed` would decide
    /// it with 80% power at the effect seen (`None`: the effect is ≈ 0).
    Inconclusive {
        /// Replications per configuration run (the fewest of the model arm's variants).
        reps: u64,
        /// Replications per configuration that would decide it with 80% power.
        needed: Option<u64>,
    },
}

impl Verdict {
    /// The category: `supported`, `holds without its mechanism`, `contradicted`
    /// or `inconclusive`.
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::HoldsWithout { .. } => "holds without its mechanism",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive { .. } => "inconclusive",
        }
    }

    /// The verdict as tables print it: the category, with N when inconclusive.
    pub fn text(&self) -> String {
        match self {
            Verdict::Inconclusive { reps, .. } => format!("inconclusive at N={reps}"),
            v => v.kind().to_string(),
        }
    }

    /// The replications per configuration that would decide an inconclusive claim.
    pub fn reps_to_decide(&self) -> Option<u64> {
        match self {
            Verdict::Inconclusive { needed, .. } => *needed,
            _ => None,
        }
    }

    /// What carries an effect that holds without its mechanism.
    pub fn carried_by(&self) -> Option<&str> {
        match self {
            Verdict::HoldsWithout { carried_by } => Some(carried_by),
            _ => None,
        }
    }
}

/// Claim 1's surface read along its axes: of the `steps` adjacent cells, how
/// many move significantly against the claimed direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Monotonicity {
    /// The number of adjacent-cell steps along both axes.
    pub steps: usize,
    /// The steps that move significantly against the claimed direction.
    pub reversals: usize,
}

/// A claim's result.
#[derive(Clone, Debug)]
pub struct ClaimResult {
    /// The claim evaluated.
    pub claim: Claim,
    /// The effect in the model, under the null, and their difference (the part
    /// the mechanism carries).
    pub model: Estimate,
    /// The effect in the null arm (mechanism off; on, for a claim of no effect).
    pub null: Estimate,
    /// Model minus null: the part of the effect the mechanism carries.
    pub difference: Estimate,
    /// The effect under each wider null (`claim.others`).
    pub others: Vec<Estimate>,
    /// The named secondary reading of the model arm.
    pub secondary: Option<(String, Estimate)>,
    /// Claim 1's surface along its axes (`None` for claims without a surface).
    pub monotonicity: Option<Monotonicity>,
    /// Claims of no effect: the equivalence margin (else NaN).
    pub margin: f64,
    /// Replications per configuration of the model arm's variants (the fewest).
    pub reps: u64,
    /// The verdict at `reps` replications.
    pub verdict: Verdict,
}

/// The runs of one design point, by configuration.
pub struct Samples<'a> {
    columns: &'a [String],
    by_config: Vec<Vec<&'a RunRow>>,
}

impl<'a> Samples<'a> {
    /// The rows of configurations `offset .. offset + count` (a design placed at
    /// `offset` in a larger sweep; rows of other configurations are skipped), with
    /// the sweep's metric columns (`Manifest::layout.columns`).
    pub fn new(columns: &'a [String], rows: &'a [RunRow], offset: usize, count: usize) -> Self {
        let mut by_config = vec![Vec::new(); count];
        for r in rows {
            if r.error.is_none() && r.config >= offset && r.config < offset + count {
                by_config[r.config - offset].push(r);
            }
        }
        Samples { columns, by_config }
    }

    /// The runs of configuration `config` that finished.
    pub fn runs(&self, config: usize) -> usize {
        self.by_config[config].len()
    }

    /// The finite values of `metric` in configuration `config`, in run order.
    pub fn values(&self, config: usize, metric: &str) -> Vec<f64> {
        let Some(col) = self.columns.iter().position(|c| c == metric) else {
            return Vec::new();
        };
        let mut rows = self.by_config[config].clone();
        rows.sort_by_key(|r| r.run);
        rows.iter()
            .map(|r| r.values[col])
            .filter(|v| v.is_finite())
            .collect()
    }

    pub(super) fn summary(&self, config: Option<usize>, metric: &str) -> Summary {
        Summary::of(config.map_or_else(Vec::new, |c| self.values(c, metric)))
    }
}

/// A contrast of one arm's variant means.
fn contrast(
    samples: &Samples,
    claim: &Claim,
    index: &[Vec<Option<usize>>],
    arm: usize,
    contrast: &[(usize, f64)],
) -> Estimate {
    let mut effect = 0.0;
    let mut parts = Vec::new();
    let mut n = 0;
    for &(v, c) in contrast {
        let s = samples.summary(index[v][arm], &claim.metric);
        if s.n < 2 {
            return Estimate::NAN;
        }
        effect += c * s.mean;
        parts.push((c * c * s.sd * s.sd / s.n as f64, (s.n - 1) as f64));
        n += s.n;
    }
    let var = parts.iter().map(|p| p.0).sum();
    Estimate::new(effect, var, satterthwaite(&parts), n)
}

/// The OLS slope on [x]⁺·[−y]⁺ over the surface in one arm.
fn slope(samples: &Samples, claim: &Claim, index: &[Vec<Option<usize>>], arm: usize) -> Estimate {
    let Some(surface) = &claim.surface else {
        return Estimate::NAN;
    };
    let mut x = Vec::new();
    let mut y = Vec::new();
    for &(v, xv, yv) in &surface.points {
        for val in index[v][arm].map_or_else(Vec::new, |c| samples.values(c, &claim.metric)) {
            x.extend_from_slice(&[1.0, xv, yv, xv.max(0.0) * (-yv).max(0.0)]);
            y.push(val);
        }
    }
    match ols_coefficient(&x, &y, 4, 3) {
        Some((b, lo, hi)) => {
            let df = (y.len() - 4) as f64;
            let se = (hi - lo) / (2.0 * t975(y.len() as u64 - 4));
            Estimate {
                effect: b,
                se,
                df,
                low: lo,
                high: hi,
                n: y.len() as u64,
            }
        }
        None => Estimate::NAN,
    }
}

/// Adjacent cells of the surface that move significantly against the claim.
fn monotonicity(
    samples: &Samples,
    claim: &Claim,
    index: &[Vec<Option<usize>>],
) -> Option<Monotonicity> {
    let surface = claim.surface.as_ref()?;
    let at = |x: f64, y: f64| {
        surface
            .points
            .iter()
            .find(|p| p.1 == x && p.2 == y)
            .map(|p| p.0)
    };
    let mut xs: Vec<f64> = surface.points.iter().map(|p| p.1).collect();
    let mut ys: Vec<f64> = surface.points.iter().map(|p| p.2).collect();
    for v in [&mut xs, &mut ys] {
        v.sort_by(f64::total_cmp);
        v.dedup();
    }
    let mut m = Monotonicity {
        steps: 0,
        reversals: 0,
    };
    let mut step = |from: Option<usize>, to: Option<usize>, sign: f64| {
        if let (Some(a), Some(b)) = (from, to) {
            let d = contrast(samples, claim, index, 0, &[(b, 1.0), (a, -1.0)]);
            m.steps += 1;
            if d.significant(-sign) {
                m.reversals += 1;
            }
        }
    };
    for &y in &ys {
        for w in xs.windows(2) {
            step(at(w[0], y), at(w[1], y), surface.x_sign);
        }
    }
    for &x in &xs {
        for w in ys.windows(2) {
            step(at(x, w[0]), at(x, w[1]), surface.y_sign);
        }
    }
    Some(m)
}

/// The replications per configuration that make a 95% CI of an effect `target`
/// away from its boundary with 80% power, from an estimate of precision `e` at
/// `reps` replications.
fn reps_needed(e: &Estimate, target: f64, reps: u64, z: f64) -> Option<u64> {
    let k = (z + MIN_POWER_Z) * e.se / target.abs();
    let needed = (reps as f64 * k * k).ceil();
    (needed.is_finite() && target != 0.0 && needed <= MAX_REPS)
        .then_some((needed as u64).max(reps + 1))
}

/// Evaluates one claim of a design from its runs.
pub fn evaluate_claim(
    claim: &Claim,
    index: &[Vec<Option<usize>>],
    samples: &Samples,
) -> ClaimResult {
    let arm = |k: usize| contrast(samples, claim, index, k, &claim.effect);
    let model = arm(0);
    let null = arm(1);
    let difference = model.minus(&null);
    let others: Vec<Estimate> = (0..claim.others.len()).map(|k| arm(2 + k)).collect();
    let secondary = claim.secondary.as_ref().map(|s| match s {
        Secondary::Slope => ("slope".to_string(), slope(samples, claim, index, 0)),
        Secondary::Contrast { name, contrast: c } => {
            (name.clone(), contrast(samples, claim, index, 0, c))
        }
    });
    let reps = claim
        .effect
        .iter()
        .map(|&(v, _)| samples.summary(index[v][0], &claim.metric).n)
        .min()
        .unwrap_or(0);
    let reference = claim
        .effect
        .iter()
        .find(|p| p.1 < 0.0)
        .map(|&(v, _)| samples.summary(index[v][0], &claim.metric).mean);
    let margin = match claim.expect {
        Expect::Zero { relative } => relative * reference.unwrap_or(f64::NAN).abs(),
        _ => f64::NAN,
    };
    let inconclusive = |e: &Estimate, target: f64, z: f64| Verdict::Inconclusive {
        reps,
        needed: reps_needed(e, target, reps, z),
    };
    const Z975: f64 = 1.959_963_984_540_054;
    let verdict = if !(model.low.is_finite() && model.high.is_finite()) {
        Verdict::Inconclusive { reps, needed: None }
    } else {
        match claim.expect {
            Expect::Zero { .. } => {
                let refutes = |e: &Estimate| {
                    (e.significant(1.0) || e.significant(-1.0)) && !e.equivalent(margin)
                };
                if refutes(&model) {
                    Verdict::Contradicted
                } else if model.equivalent(margin) {
                    if refutes(&null) {
                        Verdict::Supported
                    } else {
                        inconclusive(&null, null.effect, Z975)
                    }
                } else if margin > model.effect.abs() {
                    inconclusive(&model, margin - model.effect.abs(), 1.644_853_626_951_472_2)
                } else {
                    inconclusive(&model, model.effect, Z975)
                }
            }
            Expect::Negative | Expect::Positive => {
                let sign = if claim.expect == Expect::Positive {
                    1.0
                } else {
                    -1.0
                };
                if model.significant(sign) {
                    if difference.significant(sign) {
                        Verdict::Supported
                    } else if null.significant(sign) {
                        let carried_by = match others.iter().position(|e| !e.significant(sign)) {
                            Some(k) => claim.others[k].what.clone(),
                            None => {
                                let mut names = vec![claim.null.what.as_str()];
                                names.extend(claim.others.iter().map(|o| o.what.as_str()));
                                format!("something other than {}", names.join(", or "))
                            }
                        };
                        Verdict::HoldsWithout { carried_by }
                    } else {
                        inconclusive(&difference, difference.effect, Z975)
                    }
                } else if model.significant(-sign) {
                    Verdict::Contradicted
                } else {
                    inconclusive(&model, model.effect, Z975)
                }
            }
        }
    };
    ClaimResult {
        claim: claim.clone(),
        monotonicity: monotonicity(samples, claim, index),
        model,
        null,
        difference,
        others,
        secondary,
        margin,
        reps,
        verdict,
    }
}

/// Evaluates every claim of `design` from a finished sweep's runs: `columns` its
/// metric columns, `rows` its runs (any superset of the design's), `offset` the
/// index of the design's first configuration in that sweep (0 when the sweep is
/// the design alone).
pub fn evaluate(
    design: &super::Design,
    columns: &[String],
    rows: &[RunRow],
    offset: usize,
) -> Vec<ClaimResult> {
    let samples = Samples::new(columns, rows, offset, design.configs.len());
    design
        .claims
        .iter()
        .zip(&design.index)
        .map(|(claim, index)| evaluate_claim(claim, index, &samples))
        .collect()
}

/// OLS of y on the row-major design `x` (`p` columns): coefficient `k` with its
/// 95% CI, or `None` when the design is singular or too small.
pub fn ols_coefficient(x: &[f64], y: &[f64], p: usize, k: usize) -> Option<(f64, f64, f64)> {
    let n = y.len();
    if n <= p {
        return None;
    }
    let xm = DMatrix::from_row_slice(n, p, x);
    let yv = DVector::from_column_slice(y);
    let xtx = xm.transpose() * &xm;
    let inv = xtx.try_inverse()?;
    let beta = &inv * xm.transpose() * &yv;
    let resid = &yv - &xm * &beta;
    let sigma2 = resid.norm_squared() / (n - p) as f64;
    let se = (sigma2 * inv[(k, k)]).max(0.0).sqrt();
    let half = t975((n - p) as u64) * se;
    Some((beta[k], beta[k] - half, beta[k] + half))
}

#[cfg(test)]
mod tests {
    use super::super::{ClaimIndex, Null, Surface};
    use super::*;
    use crate::scenario::Setting;

    #[test]
    fn ols_recovers_a_known_interaction() {
        // y = 1 + 2x − y' − 3·[x]⁺[−y']⁺ exactly, plus a tiny alternating residual
        let mut x = Vec::new();
        let mut y = Vec::new();
        let levels: [f64; 4] = [-0.6, -0.2, 0.2, 0.6];
        let mut k = 0;
        for &a in &levels {
            for &b in &levels {
                for _ in 0..3 {
                    let i = a.max(0.0) * (-b).max(0.0);
                    x.extend_from_slice(&[1.0, a, b, i]);
                    let e = if k % 2 == 0 { 1e-3 } else { -1e-3 };
                    y.push(1.0 + 2.0 * a - b - 3.0 * i + e);
                    k += 1;
                }
            }
        }
        let (b, lo, hi) = ols_coefficient(&x, &y, 4, 3).unwrap();
        assert!((b + 3.0).abs() < 1e-2, "{b}");
        assert!(lo < b && b < hi && hi - lo < 0.05);
    }

    /// A two-variant claim (effect = mean(b) − mean(a)) with one wider null, and
    /// its index: configurations 0..6 = (a, b) × (model, null, wider).
    fn claim(expect: Expect) -> (Claim, ClaimIndex) {
        let off = |k: &str| Null {
            what: k.into(),
            settings: vec![Setting {
                key: k.into(),
                value: "0".into(),
            }],
        };
        let c = Claim {
            number: 9,
            label: "9".into(),
            statement: "",
            experiment: String::new(),
            metric: "m".into(),
            variants: vec![("a".into(), vec![]), ("b".into(), vec![])],
            effect: vec![(1, 1.0), (0, -1.0)],
            expect,
            null: off("loyalty"),
            others: vec![off("balance")],
            secondary: None,
            surface: None::<Surface>,
        };
        (
            c,
            vec![
                vec![Some(0), Some(2), Some(4)],
                vec![Some(1), Some(3), Some(5)],
            ],
        )
    }

    /// Runs of six configurations: `means[k]` ± an alternating 1 over `n` runs.
    fn rows(means: [f64; 6], n: u64) -> Vec<RunRow> {
        let mut out = Vec::new();
        for (config, m) in means.iter().enumerate() {
            for rep in 0..n {
                let e = if rep % 2 == 0 { 1.0 } else { -1.0 };
                out.push(RunRow {
                    run: out.len() as u64,
                    config,
                    rep,
                    seed: 0,
                    error: None,
                    values: vec![m + e],
                });
            }
        }
        out
    }

    fn verdict_of(expect: Expect, means: [f64; 6], n: u64) -> ClaimResult {
        let (c, index) = claim(expect);
        let columns = vec!["m".to_string()];
        let rows = rows(means, n);
        let samples = Samples::new(&columns, &rows, 0, 6);
        evaluate_claim(&c, &index, &samples)
    }

    #[test]
    fn verdicts_read_both_arms() {
        use Expect::Positive;
        // the effect is there and vanishes with its mechanism off
        let r = verdict_of(Positive, [0.0, 2.0, 0.0, 0.0, 0.0, 0.0], 40);
        assert_eq!(r.verdict, Verdict::Supported);
        assert!((r.difference.effect - 2.0).abs() < 1e-12);
        // there under the null too, gone under the wider null: balance carries it
        let r = verdict_of(Positive, [0.0, 2.0, 0.0, 2.0, 0.0, 0.0], 40);
        assert_eq!(
            r.verdict,
            Verdict::HoldsWithout {
                carried_by: "balance".into()
            }
        );
        // there under every null
        let r = verdict_of(Positive, [0.0, 2.0, 0.0, 2.0, 0.0, 2.0], 40);
        assert_eq!(
            r.verdict.carried_by(),
            Some("something other than loyalty, or balance")
        );
        // the other way
        let r = verdict_of(Positive, [0.0, -2.0, 0.0, 0.0, 0.0, 0.0], 40);
        assert_eq!(r.verdict, Verdict::Contradicted);
        // too small for 10 runs: the power calculation asks for more
        let r = verdict_of(Positive, [0.0, 0.3, 0.0, 0.0, 0.0, 0.0], 10);
        let Verdict::Inconclusive { reps, needed } = r.verdict else {
            panic!("{:?}", r.verdict)
        };
        assert_eq!(reps, 10);
        // se of the difference √(2/10)·(10/9)^½ ≈ 0.47: (2.1+0.84)²·0.22/0.09 ≈ 210
        let needed = needed.unwrap();
        assert!((150..300).contains(&needed), "{needed}");
        assert_eq!(r.verdict.text(), "inconclusive at N=10");
        // and that many do decide it
        let r = verdict_of(Positive, [0.0, 0.3, 0.0, 0.0, 0.0, 0.0], needed);
        assert_eq!(r.verdict, Verdict::Supported);
        // no effect at all: no N decides it
        let r = verdict_of(Positive, [1.0, 1.0, 0.0, 0.0, 0.0, 0.0], 10);
        assert_eq!(r.verdict.reps_to_decide(), None);
    }

    #[test]
    fn no_effect_claims_are_read_by_equivalence_with_a_power_check() {
        let zero = Expect::Zero { relative: 0.2 };
        // within ±20% of 10, and the mechanism switched on is detected
        let r = verdict_of(zero, [10.0, 10.2, 10.0, 14.0, 0.0, 0.0], 60);
        assert!((r.margin - 2.0).abs() < 1e-12);
        assert_eq!(r.verdict, Verdict::Supported);
        assert!(r.model.minimum_detectable() < r.margin);
        // equivalent, but the switched-on arm is not told apart either: the test
        // could not have seen emboldening
        let r = verdict_of(zero, [10.0, 10.2, 10.0, 10.3, 0.0, 0.0], 60);
        assert!(
            matches!(r.verdict, Verdict::Inconclusive { .. }),
            "{:?}",
            r.verdict
        );
        // a real effect beyond the margin
        let r = verdict_of(zero, [10.0, 13.0, 10.0, 14.0, 0.0, 0.0], 60);
        assert_eq!(r.verdict, Verdict::Contradicted);
        // significant but practically nil (inside the margin): still equivalent
        let r = verdict_of(zero, [10.0, 10.6, 10.0, 14.0, 0.0, 0.0], 400);
        assert!(r.model.low > 0.0);
        assert_eq!(r.verdict, Verdict::Supported);
    }

    #[test]
    fn t_quantiles_for_the_equivalence_test() {
        // 0.95 quantiles: df 10 → 1.8125, 60 → 1.6706, ∞ → 1.6449
        let z = 1.644_853_626_951_472_2;
        assert!((t_quantile(z, 10.0) - 1.812_461).abs() < 1e-3);
        assert!((t_quantile(z, 60.0) - 1.670_649).abs() < 1e-5);
        assert!((t_quantile(z, f64::INFINITY) - z).abs() < 1e-15);
    }
}
