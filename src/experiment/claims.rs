//! The brief's claims (MODEL.md §4) as experiments. Each claim is a set of
//! configurations (variants) whose runs give an effect with a 95% CI; the same
//! experiment is run again under a *null setting* that switches off (or, for a
//! claim of no effect, switches on) the mechanism the claim rests on, so a reader
//! sees whether the claim follows from the dynamics or from one assumption.
//!
//! All variants of all claims run as one sweep (one progress bar, every core);
//! effects are read from its rows.

use nalgebra::{DMatrix, DVector};

use super::manifest::Manifest;
use super::spec::ConfigSpec;
use super::stats::{difference, t975, Summary};
use super::sweep::RunRow;
use crate::scenario::{Scenario, Setting};

/// Which direction the claim predicts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expect {
    Negative,
    Positive,
    /// No effect: the CI must lie within ± `relative` × |baseline mean|.
    Zero {
        relative: f64,
    },
}

/// How the effect is computed from the variants' runs.
#[derive(Clone, Debug, PartialEq)]
pub enum EffectKind {
    /// mean(variant `b`) − mean(variant `a`), Welch CI.
    Difference { a: usize, b: usize },
    /// The mean of one variant, t CI.
    Level { variant: usize },
    /// The OLS coefficient of x·y in metric ~ 1 + x + y + [x]⁺·[−y]⁺ over the
    /// variants, which set the pair keys `x_key` and `y_key` to the given values.
    Interaction {
        x_key: String,
        y_key: String,
        points: Vec<(usize, f64, f64)>,
    },
}

/// One row of the claims table.
#[derive(Clone, Debug)]
pub struct Claim {
    pub number: u32,
    /// Its label in tables: the number, with a letter when a claim has several rows.
    pub label: String,
    pub statement: &'static str,
    pub experiment: String,
    /// The `runs.csv` column the effect is measured on.
    pub metric: String,
    /// (name, settings) of each variant.
    pub variants: Vec<(String, Vec<Setting>)>,
    pub effect: EffectKind,
    pub null: Vec<Setting>,
    pub expect: Expect,
}

/// The verdict on a claim at this number of replications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Supported,
    Contradicted,
    Inconclusive,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive => "inconclusive at this N",
        }
    }
}

/// An effect with its 95% CI.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub effect: f64,
    pub low: f64,
    pub high: f64,
    /// Runs that entered the estimate.
    pub n: u64,
    /// For `Expect::Zero`: the half-width of the equivalence margin.
    pub margin: f64,
}

/// A claim's result: the estimate under the model and under the null setting.
#[derive(Clone, Debug)]
pub struct ClaimResult {
    pub claim: Claim,
    pub model: Estimate,
    pub null: Estimate,
    pub verdict: Verdict,
}

fn set(key: impl Into<String>, value: impl Into<String>) -> Setting {
    Setting {
        key: key.into(),
        value: value.into(),
    }
}

/// The states a claim is about: who reaches out, to whom, and the third power.
#[derive(Clone, Debug)]
pub struct Cast {
    pub actor: String,
    pub target: String,
    pub third: String,
}

/// The eight claims of MODEL.md §4 for a scenario with the given cast.
pub fn claims(scenario: &Scenario, cast: &Cast) -> Vec<Claim> {
    let Cast {
        actor: a,
        target: t,
        third: c,
    } = cast;
    let idx = |id: &str| scenario.state_index(id).unwrap_or(0);
    let pair = |x: &str, y: &str| scenario.pair_key(idx(x), idx(y));
    let (at, tc, ac) = (pair(a, t), pair(t, c), pair(a, c));
    let directed = format!("{a}>{t}");
    let mean_p = format!("mean_p:{directed}");
    let rate = format!("reciprocation_rate:{directed}");
    let steps = scenario.params.steps;
    let triads_off = vec![
        set("loyalty", "0"),
        set("wedge", "0"),
        set("common_enemy", "0"),
        set("common_friend", "0"),
    ];

    let levels = ["-0.6", "-0.2", "0.2", "0.6"];
    let mut grid = Vec::new();
    let mut points = Vec::new();
    for x in levels {
        for y in levels {
            points.push((
                grid.len(),
                x.parse().unwrap_or(0.0),
                y.parse().unwrap_or(0.0),
            ));
            grid.push((format!("{tc}={x};{ac}={y}"), vec![set(&tc, x), set(&ac, y)]));
        }
    }
    let interaction = EffectKind::Interaction {
        x_key: tc.clone(),
        y_key: ac.clone(),
        points,
    };
    let headline = |label: &str, metric: &str| {
        Claim {
        number: 1,
        label: label.into(),
        statement: "Antagonistic U.S.–China and close Russia–China relations lower Russia's willingness to reciprocate U.S. offers",
        experiment: format!(
            "grid {tc} × {ac} ∈ {{−0.6, −0.2, 0.2, 0.6}}² (alignment and interest); slope of {t}'s reciprocation on [{tc}]⁺·[−{ac}]⁺ with both main effects; null: loyalty = wedge = 0"
        ),
        metric: metric.to_string(),
        variants: grid.clone(),
        effect: interaction.clone(),
        null: vec![set("loyalty", "0"), set("wedge", "0")],
        expect: Expect::Negative,
    }
    };
    let timing = |label: &str, name: &str, settings: Vec<Setting>, text: String| {
        Claim {
        number: 7,
        label: label.into(),
        statement: "The best timing for outreach is a constructive U.S.–China period or a tense Sino–Russian one",
        experiment: text,
        metric: mean_p.clone(),
        variants: vec![("today".into(), vec![]), (name.into(), settings)],
        effect: EffectKind::Difference { a: 0, b: 1 },
        null: triads_off.clone(),
        expect: Expect::Positive,
    }
    };
    vec![
        headline("1a", &mean_p),
        headline("1b", &rate),
        Claim {
            number: 2,
            label: "2".into(),
            statement: "Russia reciprocates more when international trends move against it",
            experiment: format!("{t}.growth −0.004 (declining) vs +0.002 (rising) per step; difference in mean p; null: trend = 0"),
            metric: mean_p.clone(),
            variants: vec![
                ("rising".into(), vec![set(format!("{t}.growth"), "0.002")]),
                ("declining".into(), vec![set(format!("{t}.growth"), "-0.004")]),
            ],
            effect: EffectKind::Difference { a: 0, b: 1 },
            null: vec![set("trend", "0")],
            expect: Expect::Positive,
        },
        Claim {
            number: 3,
            label: "3".into(),
            statement: "Less-hardline approaches that leave core concerns unaddressed do not stabilize the relationship over the medium to long term",
            experiment: format!("{a}'s approach on peripheral issues only vs with its core option; difference in final {at}; null: interest_gain_core = interest_gain_peripheral"),
            metric: format!("final_alignment:{at}"),
            variants: vec![
                ("with_core".into(), vec![]),
                ("peripheral_only".into(), vec![set(format!("{directed}.less_hardline"), "peripheral")]),
            ],
            effect: EffectKind::Difference { a: 0, b: 1 },
            null: vec![set("interest_gain_core", scenario.params.interest_gain_peripheral.to_string())],
            expect: Expect::Negative,
        },
        Claim {
            number: 4,
            label: "4".into(),
            statement: "A limited approach can still yield limited but durable gains (deals that outlive a later deterioration)",
            experiment: format!("peripheral-only approach, then {a} hardline every 4 steps from step {}; deals on {at} still alive at the end; null: breach = 0.05", steps / 2),
            metric: format!("deals_alive:{at}"),
            variants: vec![(
                "limited_then_deterioration".into(),
                vec![set(format!("{directed}.less_hardline"), "peripheral"), set(format!("{directed}.hardline"), format!("every:4@{}", steps / 2))],
            )],
            effect: EffectKind::Level { variant: 0 },
            null: vec![set("breach", "0.05")],
            expect: Expect::Positive,
        },
        Claim {
            number: 5,
            label: "5".into(),
            statement: "In peacetime, concessions show little evidence of emboldening the rival",
            experiment: format!("{t}'s hardline actions with vs without {a}'s approach; equivalence within ±20% of the no-approach mean; null: emboldening = 1 (the mechanism switched on)"),
            metric: format!("aggressions:{t}"),
            variants: vec![
                ("no_approach".into(), vec![set(format!("{directed}.less_hardline"), "off")]),
                ("approach".into(), vec![]),
            ],
            effect: EffectKind::Difference { a: 0, b: 1 },
            null: vec![set("emboldening", "1")],
            expect: Expect::Zero { relative: 0.2 },
        },
        Claim {
            number: 6,
            label: "6".into(),
            statement: "Leaders' stake in an approach (domestic constituencies) makes it more durable",
            experiment: format!("commitment 0.95 vs 0; difference in the number of offers {a} makes before backlash ends the approach; null: backlash = 0"),
            metric: format!("offers:{directed}"),
            variants: vec![("no_stake".into(), vec![set("commitment", "0")]), ("stake".into(), vec![set("commitment", "0.95")])],
            effect: EffectKind::Difference { a: 0, b: 1 },
            null: vec![set("backlash", "0")],
            expect: Expect::Positive,
        },
        timing("7a", "constructive_us_china", vec![set(&ac, "0.3")], format!("{ac} +0.3 vs the scenario's; difference in mean p; null: all triad terms 0")),
        timing("7b", "tense_sino_russian", vec![set(&tc, "-0.2")], format!("{tc} −0.2 vs the scenario's; difference in mean p; null: all triad terms 0")),
        Claim {
            number: 8,
            label: "8".into(),
            statement: "Hardline policies sustained at the same time mediate the effect of less-hardline ones",
            experiment: format!("{a}'s approach alone vs with a concurrent hardline action every 6 steps; difference in mean p; null: mistrust = 0"),
            metric: mean_p.clone(),
            variants: vec![
                ("alone".into(), vec![set(format!("{directed}.hardline"), "off")]),
                ("with_hardline".into(), vec![set(format!("{directed}.hardline"), "every:6")]),
            ],
            effect: EffectKind::Difference { a: 0, b: 1 },
            null: vec![set("mistrust", "0")],
            expect: Expect::Negative,
        },
    ]
}

/// The two arms of every experiment, as they are named in configuration names
/// and in `surface.csv`: the model as set, and the model with the claim's
/// mechanism switched off (its null setting). Not `null`, which pandas and R read
/// as a missing value.
const ARMS: [&str; 2] = ["model", "mechanism_off"];

/// The configurations of every claim's variants under the model and the null
/// setting, and for each claim the configuration index of each (variant, arm).
pub fn configurations(claims: &[Claim]) -> (Vec<ConfigSpec>, Vec<Vec<[usize; 2]>>) {
    let mut configs: Vec<ConfigSpec> = Vec::new();
    let mut index = Vec::new();
    for (k, claim) in claims.iter().enumerate() {
        let mut mine = Vec::new();
        for (name, settings) in &claim.variants {
            let mut pair = [0; 2];
            for (arm, label) in ARMS.iter().enumerate() {
                let mut s = settings.clone();
                if arm == 1 {
                    s.extend(claim.null.iter().cloned());
                }
                // Claims that share a variant (the same settings) share its runs.
                let found = configs.iter().position(|c| c.settings == s);
                pair[arm] = found.unwrap_or_else(|| {
                    configs.push(ConfigSpec {
                        name: format!("claim{}.{}/{name}/{label}", claim.number, k),
                        settings: s,
                    });
                    configs.len() - 1
                });
            }
            mine.push(pair);
        }
        index.push(mine);
    }
    (configs, index)
}

fn values(rows: &[RunRow], config: usize, col: usize) -> Vec<f64> {
    rows.iter()
        .filter(|r| r.config == config && r.error.is_none())
        .map(|r| r.values[col])
        .filter(|v| v.is_finite())
        .collect()
}

/// The effect of one claim in one arm (0 model, 1 null).
pub fn estimate(
    claim: &Claim,
    configs: &[[usize; 2]],
    arm: usize,
    col: Option<usize>,
    rows: &[RunRow],
) -> Estimate {
    let nan = Estimate {
        effect: f64::NAN,
        low: f64::NAN,
        high: f64::NAN,
        n: 0,
        margin: f64::NAN,
    };
    let Some(col) = col else { return nan };
    let mut e = match &claim.effect {
        EffectKind::Difference { a, b } => {
            let (sa, sb) = (
                Summary::of(values(rows, configs[*a][arm], col)),
                Summary::of(values(rows, configs[*b][arm], col)),
            );
            let (d, lo, hi) = difference(&sa, &sb);
            Estimate {
                effect: d,
                low: lo,
                high: hi,
                n: sa.n + sb.n,
                margin: f64::NAN,
            }
        }
        EffectKind::Level { variant } => {
            let s = Summary::of(values(rows, configs[*variant][arm], col));
            Estimate {
                effect: s.mean,
                low: s.ci_low,
                high: s.ci_high,
                n: s.n,
                margin: f64::NAN,
            }
        }
        EffectKind::Interaction { points, .. } => {
            let mut x = Vec::new();
            let mut y = Vec::new();
            for &(v, xv, yv) in points {
                for val in values(rows, configs[v][arm], col) {
                    x.extend_from_slice(&[1.0, xv, yv, xv.max(0.0) * (-yv).max(0.0)]);
                    y.push(val);
                }
            }
            match ols_coefficient(&x, &y, 4, 3) {
                Some((b, lo, hi)) => Estimate {
                    effect: b,
                    low: lo,
                    high: hi,
                    n: y.len() as u64,
                    margin: f64::NAN,
                },
                None => nan,
            }
        }
    };
    if let (Expect::Zero { relative }, EffectKind::Difference { a, .. }) =
        (claim.expect, &claim.effect)
    {
        e.margin = relative * Summary::of(values(rows, configs[*a][arm], col)).mean.abs();
    }
    e
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

/// The verdict of an estimate under a claim's expectation.
pub fn verdict(expect: Expect, e: &Estimate) -> Verdict {
    if !(e.low.is_finite() && e.high.is_finite()) {
        return Verdict::Inconclusive;
    }
    match expect {
        Expect::Negative if e.high < 0.0 => Verdict::Supported,
        Expect::Negative if e.low > 0.0 => Verdict::Contradicted,
        Expect::Positive if e.low > 0.0 => Verdict::Supported,
        Expect::Positive if e.high < 0.0 => Verdict::Contradicted,
        Expect::Zero { .. } if e.low > -e.margin && e.high < e.margin => Verdict::Supported,
        Expect::Zero { .. } if e.low > e.margin || e.high < -e.margin => Verdict::Contradicted,
        _ => Verdict::Inconclusive,
    }
}

/// Evaluates every claim from a finished sweep of [`configurations`].
pub fn evaluate(
    claims: &[Claim],
    index: &[Vec<[usize; 2]>],
    manifest: &Manifest,
    rows: &[RunRow],
) -> Vec<ClaimResult> {
    claims
        .iter()
        .zip(index)
        .map(|(claim, configs)| {
            let col = manifest
                .layout
                .columns
                .iter()
                .position(|c| *c == claim.metric);
            let model = estimate(claim, configs, 0, col, rows);
            let null = estimate(claim, configs, 1, col, rows);
            ClaimResult {
                claim: claim.clone(),
                verdict: verdict(claim.expect, &model),
                model,
                null,
            }
        })
        .collect()
}

/// `claims.csv`.
pub fn claims_csv(results: &[ClaimResult]) -> Vec<u8> {
    use crate::output::format::f64_text;
    let mut w = csv::Writer::from_writer(Vec::new());
    let ok = "writing CSV to memory";
    w.write_record([
        "claim",
        "label",
        "statement",
        "experiment",
        "metric",
        "n",
        "effect",
        "ci_low",
        "ci_high",
        "null_setting",
        "null_effect",
        "null_ci_low",
        "null_ci_high",
        "verdict",
    ])
    .expect(ok);
    for r in results {
        let null = r
            .claim
            .null
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(" ");
        w.write_record([
            r.claim.number.to_string(),
            r.claim.label.clone(),
            r.claim.statement.to_string(),
            r.claim.experiment.clone(),
            r.claim.metric.clone(),
            r.model.n.to_string(),
            f64_text(r.model.effect),
            f64_text(r.model.low),
            f64_text(r.model.high),
            null,
            f64_text(r.null.effect),
            f64_text(r.null.low),
            f64_text(r.null.high),
            r.verdict.as_str().to_string(),
        ])
        .expect(ok);
    }
    w.into_inner().expect(ok)
}

/// `surface.csv`: the headline claim's grid, mean reciprocation per cell.
pub fn surface_csv(
    claim: &Claim,
    configs: &[[usize; 2]],
    manifest: &Manifest,
    rows: &[RunRow],
) -> Vec<u8> {
    use crate::output::format::push_f64;
    let EffectKind::Interaction {
        x_key,
        y_key,
        points,
    } = &claim.effect
    else {
        return Vec::new();
    };
    let cols: Vec<(String, Option<usize>)> = ["mean_p", "reciprocation_rate"]
        .iter()
        .map(|m| {
            let name = claim
                .metric
                .replacen(claim.metric.split(':').next().unwrap_or(""), m, 1);
            let col = manifest.layout.columns.iter().position(|c| *c == name);
            (name, col)
        })
        .collect();
    let mut text = format!("arm,{x_key},{y_key},n,{},{}\n", cols[0].0, cols[1].0);
    for (arm, label) in ARMS.iter().enumerate() {
        for &(v, x, y) in points {
            let config = configs[v][arm];
            let n = rows
                .iter()
                .filter(|r| r.config == config && r.error.is_none())
                .count();
            text += &format!("{label},{x},{y},{n}");
            for (_, col) in &cols {
                text.push(',');
                if let Some(col) = col {
                    push_f64(&mut text, Summary::of(values(rows, config, *col)).mean);
                }
            }
            text.push('\n');
        }
    }
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn verdicts() {
        let e = |low, high| Estimate {
            effect: (low + high) / 2.0,
            low,
            high,
            n: 10,
            margin: 0.5,
        };
        assert_eq!(
            verdict(Expect::Negative, &e(-0.3, -0.1)),
            Verdict::Supported
        );
        assert_eq!(
            verdict(Expect::Negative, &e(-0.3, 0.1)),
            Verdict::Inconclusive
        );
        assert_eq!(
            verdict(Expect::Negative, &e(0.1, 0.3)),
            Verdict::Contradicted
        );
        assert_eq!(verdict(Expect::Positive, &e(0.1, 0.3)), Verdict::Supported);
        assert_eq!(
            verdict(Expect::Zero { relative: 0.2 }, &e(-0.2, 0.3)),
            Verdict::Supported
        );
        assert_eq!(
            verdict(Expect::Zero { relative: 0.2 }, &e(-0.2, 0.6)),
            Verdict::Inconclusive
        );
        assert_eq!(
            verdict(Expect::Zero { relative: 0.2 }, &e(0.6, 0.9)),
            Verdict::Contradicted
        );
        assert_eq!(
            verdict(Expect::Positive, &e(f64::NAN, f64::NAN)),
            Verdict::Inconclusive
        );
    }
}
