//! The brief's claims (the README's "The claims") as experiments that can fail.
//!
//! Each claim is a set of variants (configurations) whose runs give an effect, a
//! linear contrast of variant means, with a 95% CI. The same experiment runs in
//! further *arms*: under the null setting of the mechanism the claim rests on
//! (for a claim of no effect, the mechanism switched on), and, for some claims,
//! under wider nulls that also switch off what else might carry the effect. The
//! verdict (the `verdict` module) reads the arms together: an effect is `supported` only
//! when the named mechanism carries it (the model arm differs from its null in
//! the claimed direction).
//!
//! For callers that run the claims elsewhere (`entente explore` runs them at many
//! points of the mechanism-weight space on one sweep): [`design`] builds the
//! configurations of one point, [`evaluate`] reads its finished runs, and
//! [`Design::labels`] lists the claim ids.

mod tables;
mod verdict;

pub use tables::{claims_csv, surface_csv, CLAIMS_COLUMNS};
pub use verdict::{
    evaluate, evaluate_claim, ols_coefficient, ClaimResult, Estimate, Monotonicity, Samples,
    Verdict, MIN_POWER_Z,
};

use super::spec::ConfigSpec;
use crate::format::f64_text;
use crate::scenario::{PairKey, Scenario, Setting, SettingError};

/// Which direction the claim predicts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expect {
    /// The effect should be below 0 (its 95% CI entirely negative).
    Negative,
    /// The effect should be above 0 (its 95% CI entirely positive).
    Positive,
    /// No effect: equivalence (two one-sided tests at 5%, i.e. the 90% CI) within
    /// ± `relative` × |mean of the contrast's reference variant|.
    Zero {
        /// The margin as a share of the reference variant's mean (0.2: ± 20%).
        relative: f64,
    },
}

/// An effect: Σ coefficient × mean(variant), over (variant index, coefficient).
pub type Contrast = Vec<(usize, f64)>;

/// A setting that switches a mechanism off (or, for a claim of no effect, on).
#[derive(Clone, Debug, PartialEq)]
pub struct Null {
    /// The mechanism in words, as verdicts name it ("loyalty and wedge").
    pub what: String,
    /// The settings, applied on top of each variant's.
    pub settings: Vec<Setting>,
}

/// A secondary reading of the model arm, printed beside the effect.
#[derive(Clone, Debug, PartialEq)]
pub enum Secondary {
    /// The OLS coefficient of \[x]⁺·[−y]⁺ in metric ~ 1 + x + y + \[x]⁺·[−y]⁺ over
    /// the surface's cells.
    Slope,
    /// Another contrast of the variants, named.
    Contrast {
        /// The name printed beside its estimate.
        name: String,
        /// The contrast of the variants' means.
        contrast: Contrast,
    },
}

/// A grid of variants over two pair keys: the cells (variant, x, y). The claim's
/// expectation says how the metric should move along each axis: `x_sign` −1 if it
/// should fall as x rises, `y_sign` +1 if it should rise with y.
#[derive(Clone, Debug, PartialEq)]
pub struct Surface {
    /// The pair key of the x axis (e.g. `RUS-CHN`, the target and the third power).
    pub x_key: String,
    /// The pair key of the y axis (e.g. `USA-CHN`, the actor and the third power).
    pub y_key: String,
    /// The cells as (variant index, x, y), x and y the alignments set on the two pairs.
    pub points: Vec<(usize, f64, f64)>,
    /// −1 if the metric should fall as x rises, +1 if it should rise.
    pub x_sign: f64,
    /// −1 if the metric should fall as y rises, +1 if it should rise.
    pub y_sign: f64,
}

/// One row of the claims table.
#[derive(Clone, Debug)]
pub struct Claim {
    /// The claim's number in the README's "The claims" (1, 2, …).
    pub number: u32,
    /// Its id in tables: the number, with a letter when a claim has several rows.
    pub label: String,
    /// The claim in the brief's words.
    pub statement: &'static str,
    /// How the claim is tested, in words: variants, contrast and nulls (the table's
    /// `experiment`).
    pub experiment: String,
    /// The `runs.csv` column the effect is measured on.
    pub metric: String,
    /// (name, settings) of each variant.
    pub variants: Vec<(String, Vec<Setting>)>,
    /// The effect: a contrast of the variants' means of `metric`.
    pub effect: Contrast,
    /// The direction the claim predicts for the effect.
    pub expect: Expect,
    /// The claim's own mechanism switched off (on, for a claim of no effect).
    pub null: Null,
    /// Wider nulls, each on top of the previous: when the effect survives `null`,
    /// the first of these under which it vanishes names what carries it. They
    /// run only on the variants of `effect`.
    pub others: Vec<Null>,
    /// A reading printed beside the effect, if any.
    pub secondary: Option<Secondary>,
    /// The grid of variants over two pairs that claim 1 reads for monotonicity, if any.
    pub surface: Option<Surface>,
}

impl Claim {
    /// The variants the arm `arm` runs (0 model, 1 null, 2.. others): the model
    /// and null arms run all, the wider nulls only those of the effect.
    pub fn runs_variant(&self, arm: usize, variant: usize) -> bool {
        arm < 2 || self.effect.iter().any(|&(v, _)| v == variant)
    }

    /// The number of arms: model, null and the wider nulls.
    pub fn arms(&self) -> usize {
        2 + self.others.len()
    }

    /// The settings of arm `arm` on top of a variant's: the nulls accumulate.
    pub fn arm_settings(&self, arm: usize) -> Vec<Setting> {
        let mut s = Vec::new();
        if arm >= 1 {
            s.extend(self.null.settings.iter().cloned());
        }
        for other in self.others.iter().take(arm.saturating_sub(1)) {
            s.extend(other.settings.iter().cloned());
        }
        s
    }
}

/// The name of arm `arm` in configuration names and `surface.csv`: the model as
/// set, its mechanism switched off (on, for a claim of no effect), and the wider
/// nulls. Not `null`, which pandas and R read as a missing value.
pub fn arm_name(claim: &Claim, arm: usize) -> String {
    match arm {
        0 => "model".into(),
        1 if matches!(claim.expect, Expect::Zero { .. }) => "mechanism_on".into(),
        1 => "mechanism_off".into(),
        k => format!("others_off{}", k - 1),
    }
}

/// The states a claim is about: who reaches out, to whom, and the third power.
#[derive(Clone, Debug)]
pub struct Cast {
    /// Id of the state that reaches out (the brief's `USA`).
    pub actor: String,
    /// Id of the state it reaches out to (the brief's `RUS`).
    pub target: String,
    /// Id of the third power (the brief's `CHN`).
    pub third: String,
}

impl Default for Cast {
    /// The brief's: the U.S. reaching out to Russia, China the third power.
    fn default() -> Self {
        Cast {
            actor: "USA".into(),
            target: "RUS".into(),
            third: "CHN".into(),
        }
    }
}

/// Where one claim's runs are: `[variant][arm]` → configuration index, `None`
/// where the arm does not run the variant.
pub type ClaimIndex = Vec<Vec<Option<usize>>>;

/// The claims' experiment for one scenario: every claim, every configuration
/// they run, and where each (claim, variant, arm) runs.
#[derive(Clone, Debug)]
pub struct Design {
    /// Every claim, in table order.
    pub claims: Vec<Claim>,
    /// The configurations, each beginning with the design's overrides (the arms'
    /// and variants' own settings follow and so win where they set the same key).
    pub configs: Vec<ConfigSpec>,
    /// `index[claim][variant][arm]`: the index into `configs`, `None` where the arm
    /// does not run the variant (see [`Claim::runs_variant`]).
    pub index: Vec<ClaimIndex>,
    /// The settings every configuration begins with.
    pub overrides: Vec<Setting>,
}

impl Design {
    /// The claim ids in order ("1a", "1b", "2", …).
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.claims.iter().map(|c| c.label.as_str())
    }

    /// The design of the claims `labels` alone (their configurations only), or
    /// the first label that names no claim.
    pub fn select(self, labels: &[String]) -> Result<Design, String> {
        if let Some(bad) = labels.iter().find(|l| !self.labels().any(|x| x == *l)) {
            return Err(bad.clone());
        }
        let claims: Vec<Claim> = self
            .claims
            .into_iter()
            .filter(|c| labels.contains(&c.label))
            .collect();
        Ok(assemble(claims, &self.overrides))
    }
}

fn assemble(claims: Vec<Claim>, overrides: &[Setting]) -> Design {
    let (mut configs, index) = configurations(&claims);
    for c in &mut configs {
        let mut s = overrides.to_vec();
        s.append(&mut c.settings);
        c.settings = s;
    }
    Design {
        claims,
        configs,
        index,
        overrides: overrides.to_vec(),
    }
}

/// The strength of emboldening at which claim 5's power check runs: the
/// experiment must read `contradicted` with it switched on (the weight of C, the
/// recent concessions, in the aggression logit; in world-2024 it raises Russia's
/// aggressions under the U.S. approach by about 38%, where the margin is 20%).
pub const EMBOLDENING_CHECK: f64 = 10.0;

/// The breach_hostility claim 4 runs with at least, so that its deterioration can
/// break deals (at 0, the default, breaches ignore the relationship and deals
/// outlive any deterioration by construction): at USA–RUS −0.6 it raises the
/// breach rate from 0.002 to 0.005 per step.
pub const BREACH_HOSTILITY_CHECK: f64 = 0.005;

/// Claim 5's equivalence margin, relative to the aggressions without the approach.
pub const EQUIVALENCE_MARGIN: f64 = 0.2;

/// The claims' design for `base` with `overrides` applied on top (a point of the
/// weight space; empty for the scenario as it is). Fails when an override does
/// not apply to the scenario.
pub fn design(base: &Scenario, cast: &Cast, overrides: &[Setting]) -> Result<Design, SettingError> {
    let mut scenario = base.clone();
    scenario.apply_all(overrides)?;
    Ok(assemble(claims(&scenario, cast), overrides))
}

fn set(key: impl Into<String>, value: impl Into<String>) -> Setting {
    Setting {
        key: key.into(),
        value: value.into(),
    }
}

fn null(what: &str, settings: Vec<Setting>) -> Null {
    Null {
        what: what.into(),
        settings,
    }
}

/// The claims of the brief (the README's "The claims") for a scenario with the given cast.
pub fn claims(scenario: &Scenario, cast: &Cast) -> Vec<Claim> {
    let Cast {
        actor: a,
        target: t,
        third: c,
    } = cast;
    let pair = |x: &str, y: &str| PairKey::new(x, y).to_string();
    let (at, tc, ac) = (pair(a, t), pair(t, c), pair(a, c));
    let directed = format!("{a}>{t}");
    let mean_p = format!("mean_p:{directed}");
    let rate = format!("reciprocation_rate:{directed}");
    let steps = scenario.params.steps;
    let loyalty_wedge = vec![set("loyalty", "0"), set("wedge", "0")];
    let enemy_friend = vec![set("common_enemy", "0"), set("common_friend", "0")];
    let triads_off = [loyalty_wedge.clone(), enemy_friend.clone()].concat();
    let balance_off = null("structural balance", vec![set("balance", "0")]);

    // Claim 1's surface: x = target–third (close Russia–China at +0.6), y =
    // actor–third (hostile U.S.–China at −0.6). Cells in row-major order.
    let levels = ["-0.6", "-0.2", "0.2", "0.6"];
    let mut grid = Vec::new();
    let mut points = Vec::new();
    for x in levels {
        for y in levels {
            let (xv, yv) = (x.parse().unwrap_or(0.0), y.parse().unwrap_or(0.0));
            points.push((grid.len(), xv, yv));
            grid.push((format!("{tc}={x};{ac}={y}"), vec![set(&tc, x), set(&ac, y)]));
        }
    }
    let cell = |x: usize, y: usize| x * levels.len() + y;
    let today = cell(levels.len() - 1, 0);
    let detente = cell(0, levels.len() - 1);
    let surface = Surface {
        x_key: tc.clone(),
        y_key: ac.clone(),
        points,
        x_sign: -1.0,
        y_sign: 1.0,
    };
    let headline = |label: &str, metric: &str| {
        Claim {
        number: 1,
        label: label.into(),
        statement: "Antagonistic U.S.–China and close Russia–China relations lower Russia's willingness to reciprocate U.S. offers",
        experiment: format!(
            "grid {tc} × {ac} ∈ {{−0.6, −0.2, 0.2, 0.6}}² (alignment and interest); {t}'s reciprocation in today's corner ({tc} +0.6, {ac} −0.6) minus the détente corner ({tc} −0.6, {ac} +0.6), the surface's monotonicity along both axes and the slope on [{tc}]⁺·[−{ac}]⁺ beside it; null: loyalty = wedge = 0, then all triad terms, then balance 0"
        ),
        metric: metric.to_string(),
        variants: grid.clone(),
        effect: vec![(today, 1.0), (detente, -1.0)],
        expect: Expect::Negative,
        null: null("loyalty and wedge", loyalty_wedge.clone()),
        others: vec![
            null("common enemies and friends", enemy_friend.clone()),
            balance_off.clone(),
        ],
        secondary: Some(Secondary::Slope),
        surface: Some(surface.clone()),
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
        effect: vec![(1, 1.0), (0, -1.0)],
        expect: Expect::Positive,
        null: null("the triad terms", triads_off.clone()),
        others: vec![balance_off.clone()],
        secondary: None,
        surface: None,
    }
    };
    let less = format!("{directed}.less_hardline");
    let fragile = scenario.params.breach_hostility.max(BREACH_HOSTILITY_CHECK);
    let hard = format!("{directed}.hardline");
    vec![
        headline("1a", &mean_p),
        headline("1b", &rate),
        Claim {
            number: 2,
            label: "2".into(),
            statement: "Russia reciprocates more when international trends move against it",
            experiment: format!("{t}.growth −0.004 (declining) vs +0.002 (rising) per month; difference in mean p; null: trend = 0"),
            metric: mean_p.clone(),
            variants: vec![
                ("rising".into(), vec![set(format!("{t}.growth"), "0.002")]),
                ("declining".into(), vec![set(format!("{t}.growth"), "-0.004")]),
            ],
            effect: vec![(1, 1.0), (0, -1.0)],
            expect: Expect::Positive,
            null: null("the power trend", vec![set("trend", "0")]),
            others: vec![],
            secondary: None,
            surface: None,
        },
        Claim {
            number: 3,
            label: "3".into(),
            statement: "Less-hardline approaches that leave core concerns unaddressed do not stabilize the relationship over the medium to long term",
            experiment: format!("{a}'s approach on peripheral issues only vs with its core option; difference in final {at}; null: a core deal no different from a peripheral one (interest_gain_core = interest_gain_peripheral, core_multiplier = 1)"),
            metric: format!("final_alignment:{at}"),
            variants: vec![
                ("with_core".into(), vec![]),
                ("peripheral_only".into(), vec![set(&less, "peripheral")]),
            ],
            effect: vec![(1, 1.0), (0, -1.0)],
            expect: Expect::Negative,
            null: null(
                "what makes a core deal different (its interest gain and concession multiplier)",
                vec![
                    set("interest_gain_core", f64_text(scenario.params.interest_gain_peripheral)),
                    set("core_multiplier", "1"),
                ],
            ),
            others: vec![],
            secondary: None,
            surface: None,
        },
        Claim {
            number: 4,
            label: "4".into(),
            statement: "A limited approach can still yield limited but durable gains (deals that outlive a later deterioration)",
            experiment: format!("peripheral-only approach, then {a} hardline every 4 steps from step {}, with breaches that grow with hostility (breach_hostility = {}); deals on {at} still alive at the end, and beside it the deterioration's toll against no deterioration; null: deals lock in nothing (interest_gain_peripheral = deal_gain = 0), then breach_hostility × 10", steps / 2, f64_text(fragile)),
            metric: format!("deals_alive:{at}"),
            variants: vec![
                ("limited".into(), vec![set(&less, "peripheral"), set("breach_hostility", f64_text(fragile))]),
                (
                    "limited_then_deterioration".into(),
                    vec![
                        set(&less, "peripheral"),
                        set(&hard, format!("every:4@{}", steps / 2)),
                        set("breach_hostility", f64_text(fragile)),
                    ],
                ),
            ],
            effect: vec![(1, 1.0)],
            expect: Expect::Positive,
            null: null(
                "what deals lock in (their interest and alignment gains)",
                vec![set("interest_gain_peripheral", "0"), set("deal_gain", "0")],
            ),
            // What else could keep deals alive is a breach hazard too low to
            // matter over the deterioration: raised tenfold, it must show.
            others: vec![null(
                "a breach hazard too low to break them",
                vec![set("breach_hostility", f64_text((10.0 * fragile).min(1.0)))],
            )],
            secondary: Some(Secondary::Contrast {
                name: "toll of the deterioration".into(),
                contrast: vec![(1, 1.0), (0, -1.0)],
            }),
            surface: None,
        },
        Claim {
            number: 5,
            label: "5".into(),
            statement: "In peacetime, concessions show little evidence of emboldening the rival",
            experiment: format!("{t}'s hardline actions with vs without {a}'s approach; two one-sided tests, equivalence within ±{}% of the no-approach mean; power check: the same test with emboldening = {EMBOLDENING_CHECK} must read contradicted", EQUIVALENCE_MARGIN * 100.0),
            metric: format!("aggressions:{t}"),
            variants: vec![
                ("no_approach".into(), vec![set(&less, "off")]),
                ("approach".into(), vec![]),
            ],
            effect: vec![(1, 1.0), (0, -1.0)],
            expect: Expect::Zero { relative: EQUIVALENCE_MARGIN },
            null: null(
                "emboldening",
                vec![set("emboldening", f64_text(EMBOLDENING_CHECK))],
            ),
            others: vec![],
            secondary: None,
            surface: None,
        },
        Claim {
            number: 6,
            label: "6".into(),
            statement: "Leaders' stake in an approach (domestic constituencies) makes it more durable",
            experiment: format!("commitment 0.95 vs 0; difference in the number of offers {a} makes before backlash ends the approach; null: backlash = 0"),
            metric: format!("offers:{directed}"),
            variants: vec![("no_stake".into(), vec![set("commitment", "0")]), ("stake".into(), vec![set("commitment", "0.95")])],
            effect: vec![(1, 1.0), (0, -1.0)],
            expect: Expect::Positive,
            null: null("backlash", vec![set("backlash", "0")]),
            others: vec![],
            secondary: None,
            surface: None,
        },
        timing("7a", "constructive_us_china", vec![set(&ac, "0.3")], format!("{ac} +0.3 vs the scenario's; difference in mean p; null: all triad terms 0, then balance 0")),
        timing("7b", "tense_sino_russian", vec![set(&tc, "-0.2")], format!("{tc} −0.2 vs the scenario's; difference in mean p; null: all triad terms 0, then balance 0")),
        Claim {
            number: 8,
            label: "8".into(),
            statement: "Hardline policies sustained at the same time mediate the effect of less-hardline ones",
            experiment: format!("2×2: {a}'s approach on/off × a concurrent hardline action every 6 steps on/off; the interaction on final {at} (the approach's gain with the hardline minus its gain without); null: mistrust = 0"),
            metric: format!("final_alignment:{at}"),
            variants: vec![
                ("neither".into(), vec![set(&less, "off"), set(&hard, "off")]),
                ("approach".into(), vec![set(&hard, "off")]),
                ("hardline".into(), vec![set(&less, "off"), set(&hard, "every:6")]),
                ("both".into(), vec![set(&hard, "every:6")]),
            ],
            effect: vec![(3, 1.0), (2, -1.0), (1, -1.0), (0, 1.0)],
            expect: Expect::Negative,
            null: null("mistrust", vec![set("mistrust", "0")]),
            others: vec![],
            secondary: Some(Secondary::Contrast {
                name: "approach's gain alone".into(),
                contrast: vec![(1, 1.0), (0, -1.0)],
            }),
            surface: None,
        },
    ]
}

/// The configurations of every claim's variants in every arm, and for each claim
/// the configuration of each (variant, arm).
pub fn configurations(claims: &[Claim]) -> (Vec<ConfigSpec>, Vec<ClaimIndex>) {
    let mut configs: Vec<ConfigSpec> = Vec::new();
    let mut index = Vec::new();
    for (k, claim) in claims.iter().enumerate() {
        let mut mine = Vec::new();
        for (v, (name, settings)) in claim.variants.iter().enumerate() {
            let mut arms = Vec::new();
            for arm in 0..claim.arms() {
                if !claim.runs_variant(arm, v) {
                    arms.push(None);
                    continue;
                }
                let mut s = settings.clone();
                s.extend(claim.arm_settings(arm));
                // Claims that share a variant (the same settings) share its runs.
                let found = configs.iter().position(|c| c.settings == s);
                arms.push(Some(found.unwrap_or_else(|| {
                    configs.push(ConfigSpec {
                        name: format!(
                            "claim{}.{}/{name}/{}",
                            claim.number,
                            k,
                            arm_name(claim, arm)
                        ),
                        settings: s,
                    });
                    configs.len() - 1
                })));
            }
            mine.push(arms);
        }
        index.push(mine);
    }
    (configs, index)
}
