//! `entente explore`: the brief's claims over the space of plausible mechanism
//! weights. A Latin hypercube of the weights ([`crate::analysis`]) gives the
//! experiments; at each, every claim's experiment (both arms) runs with R
//! replications. All experiments run as one sweep (one progress bar, every core,
//! checkpoints, shards, merge); the claims' verdicts per experiment are read from
//! its rows and analysed: the share of the space per verdict, PRIM on "the claim
//! is not supported", first-order sensitivity of each claim's effect.
//!
//! The files follow the EMA Workbench's layout: `experiments.csv` (one row per
//! experiment, its sampled values) and `outcomes.csv` (one row per experiment and
//! claim), so that `pandas.read_csv` gives the workbench's `(experiments,
//! outcomes)` pair.

use serde::{Deserialize, Serialize};

use super::claims::{self, evaluate_claim, Cast, Design, Samples, Verdict};
use super::manifest::Manifest;
use super::spec::ConfigSpec;
use super::sweep::RunRow;
use crate::analysis::prim::{self, PrimOptions, Pruned, Trajectory};
use crate::analysis::ranges::{Range, Scale};
use crate::analysis::sobol;
use crate::format::{f64_text, push_f64};
use crate::scenario::{Scenario, Setting};

/// The replications of each claim's experiment at each point by default: enough
/// for most claims' CIs to exclude zero at the default weights, and 200 points ×
/// 58 configurations × 20 runs finish in minutes on two cores.
pub const DEFAULT_REPS: u64 = 20;

/// `explore.json`: what defines an exploration beyond the sweep's manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExploreRecord {
    /// The record's format, [`RECORD_FORMAT`].
    pub format: String,
    /// The number of experiments (points of the Latin hypercube), at least 2.
    pub samples: usize,
    /// The base scenario's seed: it draws the hypercube and seeds the sweep's runs.
    pub seed: u64,
    /// Replications of each claim configuration at each experiment.
    pub reps: u64,
    /// Id of the state that reaches out in the claims ([`Cast::actor`]).
    pub actor: String,
    /// Id of the state it reaches out to ([`Cast::target`]).
    pub target: String,
    /// Id of the third power ([`Cast::third`]).
    pub third: String,
    /// The `--set` settings of the base scenario, `KEY=VALUE`.
    pub set: Vec<String>,
    /// The weights sampled and their ranges, in the order of each point's values.
    pub ranges: Vec<RangeRecord>,
    /// The experiments: one value per range, in natural units.
    pub points: Vec<Vec<f64>>,
}

/// The `format` of the `explore.json` this version writes and reads.
pub const RECORD_FORMAT: &str = "entente-explore-1";

/// One sampled weight's range as `explore.json` records it (a [`Range`] in serializable
/// form).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RangeRecord {
    /// The parameter key.
    pub key: String,
    /// The lowest value sampled.
    pub low: f64,
    /// The highest value sampled.
    pub high: f64,
    /// `linear` or `log` ([`Scale::as_str`]).
    pub scale: String,
    /// Why the bounds are where they are.
    pub why: String,
}

impl From<&Range> for RangeRecord {
    fn from(r: &Range) -> Self {
        RangeRecord {
            key: r.key.clone(),
            low: r.low,
            high: r.high,
            scale: r.scale.as_str().into(),
            why: r.why.clone(),
        }
    }
}

impl ExploreRecord {
    /// The states the claims are about.
    pub fn cast(&self) -> Cast {
        Cast {
            actor: self.actor.clone(),
            target: self.target.clone(),
            third: self.third.clone(),
        }
    }

    /// The keys of the weights sampled, in range order.
    pub fn keys(&self) -> Vec<String> {
        self.ranges.iter().map(|r| r.key.clone()).collect()
    }

    /// The ranges sampled (a scale other than `log` reads as linear).
    pub fn ranges(&self) -> Vec<Range> {
        self.ranges
            .iter()
            .map(|r| Range {
                key: r.key.clone(),
                low: r.low,
                high: r.high,
                scale: if r.scale == "log" {
                    Scale::Log
                } else {
                    Scale::Linear
                },
                why: r.why.clone(),
            })
            .collect()
    }

    /// The settings of experiment `i`.
    pub fn settings(&self, i: usize) -> Vec<Setting> {
        self.ranges
            .iter()
            .zip(&self.points[i])
            .map(|(r, &v)| Setting {
                key: r.key.clone(),
                value: f64_text(v),
            })
            .collect()
    }
}

/// How a verdict counts in the shares: the four readings of a claim.
pub const CATEGORIES: [&str; 4] = [
    "supported",
    "holds_without_mechanism",
    "contradicted",
    "inconclusive",
];

/// One claim at one experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The experiment's index, from 0.
    pub experiment: usize,
    /// The claim's label (`1a`, `2`, …).
    pub label: String,
    /// The `runs.csv` column the effect is measured on.
    pub metric: String,
    /// The effect in the model arm.
    pub effect: f64,
    /// The lower end of its 95% CI.
    pub low: f64,
    /// The upper end of its 95% CI.
    pub high: f64,
    /// The effect in the null arm (mechanism off; on, for a claim of no effect).
    pub null_effect: f64,
    /// The lower end of its 95% CI.
    pub null_low: f64,
    /// The upper end of its 95% CI.
    pub null_high: f64,
    /// Model − null: the part of the effect the claim's mechanism carries.
    pub difference: f64,
    /// The lower end of its 95% CI.
    pub difference_low: f64,
    /// The upper end of its 95% CI.
    pub difference_high: f64,
    /// The verdict as `entente claims` words it.
    pub verdict: String,
    /// Its index in [`CATEGORIES`].
    pub category: usize,
}

impl Outcome {
    /// Whether the claim holds here: supported, carried by its mechanism.
    pub fn holds(&self) -> bool {
        self.category == 0
    }
}

/// The claims' design at one experiment, placed at `first` among the
/// exploration's configurations.
#[derive(Clone, Debug)]
pub struct PointPlan {
    /// The claims' design at this experiment, its configurations numbered from 0.
    pub design: Design,
    /// The index of its first configuration among the sweep's.
    pub first: usize,
}

/// Every experiment's claims, and the sweep's configurations.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Each experiment's design, in experiment order.
    pub points: Vec<PointPlan>,
    /// Every experiment's configurations, one after another: the sweep's configurations.
    pub configs: Vec<ConfigSpec>,
}

/// The category of a verdict, an index into [`CATEGORIES`].
fn category(v: &Verdict) -> usize {
    match v {
        Verdict::Supported => 0,
        Verdict::HoldsWithout { .. } => 1,
        Verdict::Contradicted => 2,
        Verdict::Inconclusive { .. } => 3,
    }
}

/// The configurations of every experiment: the claims' design with the
/// experiment's weights as overrides (each claim's own settings win where they
/// set the same key: a null arm switches its mechanism off whatever the
/// experiment drew). Named `x007/<claim configuration>`.
pub fn plan(base: &Scenario, record: &ExploreRecord) -> Result<Plan, String> {
    let cast = record.cast();
    let mut configs = Vec::new();
    let mut points = Vec::new();
    for i in 0..record.points.len() {
        let design = claims::design(base, &cast, &record.settings(i))
            .map_err(|e| format!("experiment {i}: {e}"))?;
        let first = configs.len();
        configs.extend(design.configs.iter().map(|c| ConfigSpec {
            name: format!("x{i:03}/{}", c.name),
            settings: c.settings.clone(),
        }));
        points.push(PointPlan { design, first });
    }
    Ok(Plan { points, configs })
}

/// Every claim's outcome at every experiment, from the rows of the finished
/// sweep (in run order).
pub fn outcomes(plan: &Plan, manifest: &Manifest, rows: &[RunRow]) -> Vec<Outcome> {
    let columns = &manifest.layout.columns;
    let mut out = Vec::new();
    for (i, p) in plan.points.iter().enumerate() {
        let count = p.design.configs.len();
        let lo = rows.partition_point(|r| r.config < p.first);
        let hi = rows.partition_point(|r| r.config < p.first + count);
        let samples = Samples::new(columns, &rows[lo..hi], p.first, count);
        for (claim, index) in p.design.claims.iter().zip(&p.design.index) {
            let r = evaluate_claim(claim, index, &samples);
            out.push(Outcome {
                experiment: i,
                label: r.claim.label.clone(),
                metric: r.claim.metric.clone(),
                effect: r.model.effect,
                low: r.model.low,
                high: r.model.high,
                null_effect: r.null.effect,
                null_low: r.null.low,
                null_high: r.null.high,
                difference: r.difference.effect,
                difference_low: r.difference.low,
                difference_high: r.difference.high,
                verdict: r.verdict.text(),
                category: category(&r.verdict),
            });
        }
    }
    out
}

/// The claims' labels in table order.
pub fn labels(outcomes: &[Outcome]) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for o in outcomes {
        if !v.contains(&o.label) {
            v.push(o.label.clone());
        }
    }
    v
}

/// A share with its 95% Wilson score interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Share {
    /// How many are counted.
    pub count: usize,
    /// Out of how many.
    pub of: usize,
    /// count / of, in [0, 1] (NaN when `of` is 0).
    pub share: f64,
    /// The lower end of the 95% Wilson interval.
    pub low: f64,
    /// The upper end of the 95% Wilson interval.
    pub high: f64,
}

/// The share `count` / `of` with its 95% Wilson score interval (NaN when `of` is 0).
pub fn wilson(count: usize, of: usize) -> Share {
    if of == 0 {
        return Share {
            count,
            of,
            share: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let (n, p, z) = (of as f64, count as f64 / of as f64, 1.959963984540054);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    Share {
        count,
        of,
        share: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

/// Restrictions of the workbench's box whose quasi-p-value exceeds this are
/// dropped from the chosen box.
pub const QUASI_P: f64 = 0.05;

/// What the analysis found for one claim.
#[derive(Clone, Debug)]
pub struct ClaimAnalysis {
    /// The claim's label (`1a`, `2`, …).
    pub label: String,
    /// The `runs.csv` column its effect is measured on.
    pub metric: String,
    /// Per [`CATEGORIES`].
    pub shares: Vec<Share>,
    /// PRIM on "not supported", when the claim fails somewhere but not everywhere:
    /// the trajectory (its last box is the workbench's `find_box`) and the chosen
    /// box ([`prim::choose`]).
    pub prim: Option<(Trajectory, Pruned)>,
    /// First-order index of each weight for the claim's effect.
    pub sensitivity: Vec<f64>,
}

/// The analysis of every claim over the experiments `points` (natural units).
pub fn analyse(points: &[Vec<f64>], outcomes: &[Outcome]) -> Vec<ClaimAnalysis> {
    labels(outcomes)
        .into_iter()
        .map(|label| {
            let mine: Vec<&Outcome> = outcomes.iter().filter(|o| o.label == label).collect();
            let n = mine.len();
            let shares = (0..CATEGORIES.len())
                .map(|c| wilson(mine.iter().filter(|o| o.category == c).count(), n))
                .collect();
            let x: Vec<Vec<f64>> = mine.iter().map(|o| points[o.experiment].clone()).collect();
            let fails: Vec<bool> = mine.iter().map(|o| !o.holds()).collect();
            let failures = fails.iter().filter(|&&f| f).count();
            let prim = (failures > 0 && failures < n)
                .then(|| prim::find_box(&x, &fails, PrimOptions::default()))
                .flatten()
                .map(|t| {
                    let p = prim::choose(&x, &fails, &t, QUASI_P);
                    (t, p)
                });
            let effects: Vec<f64> = mine.iter().map(|o| o.effect).collect();
            ClaimAnalysis {
                metric: mine.first().map(|o| o.metric.clone()).unwrap_or_default(),
                label,
                shares,
                prim,
                sensitivity: sobol::first_order(&x, &effects),
            }
        })
        .collect()
}

/// `experiments.csv`: experiment, then one column per weight.
pub fn experiments_csv(record: &ExploreRecord) -> Vec<u8> {
    let mut text = String::from("experiment");
    for r in &record.ranges {
        text.push(',');
        text.push_str(&r.key);
    }
    text.push('\n');
    for (i, p) in record.points.iter().enumerate() {
        text += &i.to_string();
        for &v in p {
            text.push(',');
            push_f64(&mut text, v);
        }
        text.push('\n');
    }
    text.into_bytes()
}

/// `outcomes.csv`: experiment, claim, metric, effect and CI in the model and
/// under the null, verdict, whether the claim holds.
pub fn outcomes_csv(outcomes: &[Outcome]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let ok = "writing CSV to memory";
    w.write_record([
        "experiment",
        "claim",
        "metric",
        "effect",
        "ci_low",
        "ci_high",
        "null_effect",
        "null_ci_low",
        "null_ci_high",
        "difference",
        "difference_ci_low",
        "difference_ci_high",
        "verdict",
        "category",
        "holds",
    ])
    .expect(ok);
    for o in outcomes {
        w.write_record([
            o.experiment.to_string(),
            o.label.clone(),
            o.metric.clone(),
            f64_text(o.effect),
            f64_text(o.low),
            f64_text(o.high),
            f64_text(o.null_effect),
            f64_text(o.null_low),
            f64_text(o.null_high),
            f64_text(o.difference),
            f64_text(o.difference_low),
            f64_text(o.difference_high),
            o.verdict.clone(),
            CATEGORIES[o.category].to_string(),
            o.holds().to_string(),
        ])
        .expect(ok);
    }
    w.into_inner().expect(ok)
}

/// `verdicts.csv`: per claim and verdict the share of the experiments, 95% CI.
pub fn verdicts_csv(analyses: &[ClaimAnalysis]) -> Vec<u8> {
    let mut text = String::from("claim,verdict,experiments,of,share,ci_low,ci_high\n");
    for a in analyses {
        for (c, s) in CATEGORIES.iter().zip(&a.shares) {
            text += &format!("{},{c},{},{}", a.label, s.count, s.of);
            for v in [s.share, s.low, s.high] {
                text.push(',');
                push_f64(&mut text, v);
            }
            text.push('\n');
        }
    }
    text.into_bytes()
}

/// The chosen box of a claim in words, with its coverage and density.
pub fn box_sentence(a: &ClaimAnalysis, keys: &[String]) -> String {
    let failures = a.shares.iter().skip(1).map(|s| s.count).sum::<usize>();
    let of = a.shares.first().map_or(0, |s| s.of);
    match &a.prim {
        None if failures == 0 => format!(
            "claim {} holds at every one of the {of} experiments",
            a.label
        ),
        None => format!(
            "claim {} fails at every one of the {of} experiments",
            a.label
        ),
        Some((_, p)) if p.chosen.restricted.is_empty() => format!(
            "claim {} fails across the space, in no region PRIM can tell apart: at {failures} of the {of} experiments",
            a.label
        ),
        Some((t, p)) => {
            let b = &p.chosen;
            format!(
                "claim {} fails where {}: {:.0}% of its {failures} failures, {:.0}% of the {} points in the box",
                a.label,
                prim::describe(b, &t.init, keys),
                100.0 * b.coverage,
                100.0 * b.density,
                b.n
            )
        }
    }
}

/// `prim_boxes.csv`: per claim the chosen box: one row per weight restricted by
/// the box of the trajectory it comes from (`from_box`, a row of
/// `prim_trajectory.csv`): its limits there, its quasi-p-value (in the chosen box
/// if kept, when dropped otherwise) and whether the chosen box keeps it; one row
/// with an empty key when that box restricts nothing. Coverage, density, mass,
/// points, failures and the words are the chosen box's, whose limits are the
/// kept rows'.
pub fn prim_boxes_csv(analyses: &[ClaimAnalysis], keys: &[String]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let ok = "writing CSV to memory";
    w.write_record([
        "claim", "coverage", "density", "mass", "points", "failures", "from_box", "key", "low",
        "high", "quasi_p", "kept", "box",
    ])
    .expect(ok);
    for a in analyses {
        let Some((t, p)) = &a.prim else { continue };
        let (from, b) = (&t.boxes[p.from], &p.chosen);
        let words = prim::describe(b, &t.init, keys);
        let head = [
            a.label.clone(),
            f64_text(b.coverage),
            f64_text(b.density),
            f64_text(b.mass),
            b.n.to_string(),
            b.k.to_string(),
            p.from.to_string(),
        ];
        let rows: Vec<[String; 5]> = if from.restricted.is_empty() {
            vec![Default::default()]
        } else {
            from.restricted
                .iter()
                .map(|&j| {
                    let dropped = p.dropped.iter().find(|d| d.0 == j);
                    [
                        keys[j].clone(),
                        f64_text(from.limits[j].0),
                        f64_text(from.limits[j].1),
                        f64_text(dropped.map_or(p.quasi_p[j], |d| d.1)),
                        dropped.is_none().to_string(),
                    ]
                })
                .collect()
        };
        for r in rows {
            let mut rec: Vec<String> = head.to_vec();
            rec.extend(r);
            rec.push(words.clone());
            w.write_record(&rec).expect(ok);
        }
    }
    w.into_inner().expect(ok)
}

/// `prim_trajectory.csv`: every box of each claim's peeling and pasting
/// trajectory: coverage, density, mass, restricted dimensions.
pub fn prim_trajectory_csv(analyses: &[ClaimAnalysis]) -> Vec<u8> {
    let mut text = String::from("claim,box,coverage,density,mass,restricted\n");
    for a in analyses {
        let Some((t, _)) = &a.prim else { continue };
        for (i, b) in t.boxes.iter().enumerate() {
            text += &format!("{},{i}", a.label);
            for v in [b.coverage, b.density, b.mass] {
                text.push(',');
                push_f64(&mut text, v);
            }
            text += &format!(",{}\n", b.restricted.len());
        }
    }
    text.into_bytes()
}

/// `sensitivity.csv`: per claim and weight the first-order index of the effect.
pub fn sensitivity_csv(analyses: &[ClaimAnalysis], keys: &[String]) -> Vec<u8> {
    let mut text = String::from("claim,key,first_order\n");
    for a in analyses {
        for (k, s) in keys.iter().zip(&a.sensitivity) {
            text += &format!("{},{k},", a.label);
            push_f64(&mut text, *s);
            text.push('\n');
        }
    }
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_intervals() {
        // 8 of 10: 0.8 [0.490, 0.943] (Wilson 1927; as statsmodels' proportion_confint).
        let s = wilson(8, 10);
        assert!(
            (s.low - 0.4902).abs() < 1e-3 && (s.high - 0.9433).abs() < 1e-3,
            "{s:?}"
        );
        let z = wilson(0, 50);
        assert_eq!(z.low, 0.0);
        assert!(z.high > 0.05 && z.high < 0.08);
        assert!(wilson(0, 0).share.is_nan());
    }

    fn outcome(experiment: usize, label: &str, category: usize, effect: f64) -> Outcome {
        Outcome {
            experiment,
            label: label.into(),
            metric: "m".into(),
            effect,
            low: effect - 0.1,
            high: effect + 0.1,
            null_effect: 0.0,
            null_low: -0.1,
            null_high: 0.1,
            difference: effect,
            difference_low: effect - 0.1,
            difference_high: effect + 0.1,
            verdict: CATEGORIES[category].into(),
            category,
        }
    }

    #[test]
    fn analysis_finds_where_a_claim_fails_and_what_drives_it() {
        // Claim "1" fails where w0 ≥ 0.7; its effect is 3·w1; claim "2" always holds.
        let points = crate::analysis::design::latin_hypercube(300, 3, 9);
        let mut out = Vec::new();
        for (i, p) in points.iter().enumerate() {
            out.push(outcome(i, "1", if p[0] >= 0.7 { 2 } else { 0 }, 3.0 * p[1]));
            out.push(outcome(i, "2", 0, 1.0));
        }
        let a = analyse(&points, &out);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].shares[2].count, 90);
        assert_eq!(a[0].shares[0].count + a[0].shares[2].count, 300);
        let keys: Vec<String> = ["balance", "wedge", "noise"].map(String::from).to_vec();
        let words = box_sentence(&a[0], &keys);
        // Peeling goes in 5% steps: the chosen box stops next to the planted limit.
        assert_eq!(
            words,
            "claim 1 fails where balance ≥ 0.697: 100% of its 90 failures, 99% of the 91 points in the box"
        );
        assert!(
            a[0].sensitivity[1] > 0.9 && a[0].sensitivity[0] < 0.05,
            "{:?}",
            a[0].sensitivity
        );
        assert!(a[1].prim.is_none());
        assert_eq!(
            box_sentence(&a[1], &keys),
            "claim 2 holds at every one of the 300 experiments"
        );
        let csv = String::from_utf8(prim_boxes_csv(&a, &keys)).unwrap();
        assert_eq!(csv.lines().count(), 2, "{csv}");
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("1,1,0.989010989010989,0.30333333333333334,91,90,"),
            "{csv}"
        );
    }
}
