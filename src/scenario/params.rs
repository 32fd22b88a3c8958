//! Every model parameter, its default, its range and its meaning — in one table.
//!
//! The `params!` table below is the single source of truth: it generates the
//! [`Params`] struct, its `Default`, the string setter used by `params.csv`,
//! `--set`, sweep grids and configuration columns, and [`PARAM_SPECS`], from which
//! the README's parameter table is written (`entente params`).

use std::fmt;

/// Which pairs of states evolve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topology {
    /// `complete` up to [`COMPLETE_LIMIT`] states, `listed` above.
    Auto,
    /// Every pair evolves; the balance term is a dense matrix product.
    Complete,
    /// Only pairs named in alignments, issues or policies evolve; the balance term
    /// sums over common neighbours.
    Listed,
}

/// Above this many states `topology = auto` uses `listed` (the UN has 193 members).
pub const COMPLETE_LIMIT: usize = 250;

/// How third states are weighted in the balance term (docs/model.md §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weighting {
    /// w_k = 1.
    Uniform,
    /// w_k = P_k, the state's power.
    Power,
}

/// Which hardline actions the mistrust memory in M remembers (docs/model.md §2.7;
/// the specification says "i's recent hardline actions against j" without saying
/// whose schedule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemorySources {
    /// Actions of hardline policies and revisionist actions (docs/model.md §2.9) alike.
    Both,
    /// Only the actions of hardline policies (policies.csv, `A>T.hardline`).
    Policies,
    /// Only revisionist actions.
    Revisionist,
    /// None: M is [−a_ij]⁺ alone.
    None,
}

impl MemorySources {
    /// Whether the memory records an action of a policy (`true`) or a
    /// revisionist one (`false`).
    pub fn remembers(self, policy: bool) -> bool {
        match self {
            MemorySources::Both => true,
            MemorySources::Policies => policy,
            MemorySources::Revisionist => !policy,
            MemorySources::None => false,
        }
    }
}

/// A parameter value that can be read from and written to a CSV cell.
pub trait ParamValue: Sized {
    /// Reads a cell; the error is a phrase that follows the value (`is not a number`).
    fn parse_value(s: &str) -> Result<Self, String>;
    /// The cell as `params.csv` and `entente params` write it; it reads back to the
    /// same value.
    fn render(&self) -> String;
}

impl ParamValue for f64 {
    fn parse_value(s: &str) -> Result<Self, String> {
        let v: f64 = s
            .trim()
            .parse()
            .map_err(|_| "is not a number".to_string())?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err("is not a finite number".into())
        }
    }
    fn render(&self) -> String {
        crate::format::f64_text(*self)
    }
}

impl ParamValue for u64 {
    fn parse_value(s: &str) -> Result<Self, String> {
        let t = s.trim();
        // Accept "400.0" from spreadsheets and sweep grids, reject "400.5".
        if let Ok(v) = t.parse::<u64>() {
            return Ok(v);
        }
        match t.parse::<f64>() {
            Ok(f) if f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 9.0e15 => Ok(f as u64),
            _ => Err("is not a non-negative integer".into()),
        }
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

impl ParamValue for Topology {
    fn parse_value(s: &str) -> Result<Self, String> {
        match s.trim() {
            "auto" => Ok(Topology::Auto),
            "complete" => Ok(Topology::Complete),
            "listed" => Ok(Topology::Listed),
            _ => Err("is not one of auto, complete, listed".into()),
        }
    }
    fn render(&self) -> String {
        match self {
            Topology::Auto => "auto",
            Topology::Complete => "complete",
            Topology::Listed => "listed",
        }
        .into()
    }
}

impl ParamValue for Weighting {
    fn parse_value(s: &str) -> Result<Self, String> {
        match s.trim() {
            "uniform" => Ok(Weighting::Uniform),
            "power" => Ok(Weighting::Power),
            _ => Err("is not one of uniform, power".into()),
        }
    }
    fn render(&self) -> String {
        match self {
            Weighting::Uniform => "uniform",
            Weighting::Power => "power",
        }
        .into()
    }
}

impl ParamValue for MemorySources {
    fn parse_value(s: &str) -> Result<Self, String> {
        match s.trim() {
            "both" => Ok(MemorySources::Both),
            "policies" => Ok(MemorySources::Policies),
            "revisionist" => Ok(MemorySources::Revisionist),
            "none" => Ok(MemorySources::None),
            _ => Err("is not one of both, policies, revisionist, none".into()),
        }
    }
    fn render(&self) -> String {
        match self {
            MemorySources::Both => "both",
            MemorySources::Policies => "policies",
            MemorySources::Revisionist => "revisionist",
            MemorySources::None => "none",
        }
        .into()
    }
}

/// One row of the parameter table.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    /// The key, as in `params.csv` and the `KEY=VALUE` settings.
    pub key: &'static str,
    /// The default value, as `params.csv` would spell it.
    pub default: &'static str,
    /// The values accepted, as the table prints them: `[0, 1]`, `1 to 10000`,
    /// `auto, complete, listed`, ….
    pub range: &'static str,
    /// What the parameter does, one or two sentences.
    pub meaning: &'static str,
}

/// A parameter key that does not exist, or a value it does not accept.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// No parameter has this key.
    #[error("unknown parameter `{0}` (run `entente params` for the list)")]
    UnknownKey(String),
    /// The parameter does not accept the value.
    #[error("parameter `{key}`: value `{value}` {reason}")]
    BadValue {
        /// The parameter's key.
        key: String,
        /// The value given.
        value: String,
        /// Why it is refused, as a phrase that follows the value (`is outside [0, 1]`).
        reason: String,
    },
}

macro_rules! params {
    ($( $(#[doc = $doc:literal])+ $key:ident : $ty:ty = $default:literal, $range:literal, |$v:ident| $check:expr ;)*) => {
        /// The resolved parameters of a run. Field names are the keys of `params.csv`.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Params {
            $( $(#[doc = $doc])+ pub $key: $ty, )*
        }

        /// The parameter table: key, default, range, meaning.
        pub const PARAM_SPECS: &[ParamSpec] = &[
            $( ParamSpec {
                key: stringify!($key),
                default: $default,
                range: $range,
                meaning: concat!($($doc),+),
            }, )*
        ];

        impl Params {
            /// Sets one parameter from its textual value, checking its range.
            pub fn set(&mut self, key: &str, value: &str) -> Result<(), ParamError> {
                let bad = |reason: String| ParamError::BadValue {
                    key: key.to_string(),
                    value: value.trim().to_string(),
                    reason,
                };
                match key.trim() {
                    $( stringify!($key) => {
                        let $v: $ty = <$ty as ParamValue>::parse_value(value).map_err(bad)?;
                        let inside: bool = $check;
                        if !inside {
                            return Err(bad(format!("is outside {}", $range)));
                        }
                        self.$key = $v;
                        Ok(())
                    } )*
                    other => Err(ParamError::UnknownKey(other.to_string())),
                }
            }

            /// The textual value of a parameter, as `set` accepts it.
            pub fn value(&self, key: &str) -> Option<String> {
                match key {
                    $( stringify!($key) => Some(ParamValue::render(&self.$key)), )*
                    _ => None,
                }
            }

            /// `(key, value)` for every parameter, in table order.
            pub fn entries(&self) -> Vec<(&'static str, String)> {
                vec![ $( (stringify!($key), ParamValue::render(&self.$key)), )* ]
            }
        }

        impl Default for Params {
            fn default() -> Self {
                Params {
                    $( $key: <$ty as ParamValue>::parse_value($default)
                        .expect("parameter table default parses"), )*
                }
            }
        }
    };
}

params! {
    /// Number of steps of a run (one step is about a month in the bundled scenarios).
    steps: u64 = "400", "0 to 1000000", |v| v <= 1_000_000;
    /// Length of a step in model time. The continuous part (balance, relaxation, noise) integrates over it; events keep their effect per event; what is quoted per month (breach, aggression, commitment, memory_decay, hardliner_relaxation, growth, T) is per 0.1 time units, one step at the default; counts of steps (steps, trend_window, policy schedules) are in steps.
    dt: f64 = "0.1", "(0, 1]", |v| v > 0.0 && v <= 1.0;
    /// Seed of every random draw of a run (docs/model.md §4).
    seed: u64 = "1", "0 to 2^53", |v| v <= (1u64 << 53);
    /// Which pairs evolve: `complete` (every pair, dense balance term), `listed` (pairs named in the scenario, balance over common neighbours) or `auto` (complete up to 250 states).
    topology: Topology = "auto", "auto, complete, listed", |_v| true;
    /// Weight of structural balance pressure (Heider).
    balance: f64 = "0.5", "[0, 100]", |v| (0.0..=100.0).contains(&v);
    /// Rate of relaxation of alignment toward interest.
    relaxation: f64 = "0.3", "[0, 100]", |v| (0.0..=100.0).contains(&v);
    /// Standard deviation of the alignment noise per unit time.
    noise: f64 = "0.02", "[0, 10]", |v| (0.0..=10.0).contains(&v);
    /// Weights of third states in the balance term: `uniform` (w = 1) or `power` (w = P).
    balance_weighting: Weighting = "power", "uniform, power", |_v| true;
    /// Constant of the reciprocation utility U.
    base: f64 = "1", "[-50, 50]", |v| v.abs() <= 50.0;
    /// Weight of the offer's concession size c in U.
    concession: f64 = "2", "[0, 50]", |v| (0.0..=50.0).contains(&v);
    /// Multiplier of the concession when the issue is core.
    core_multiplier: f64 = "2", "[0, 50]", |v| (0.0..=50.0).contains(&v);
    /// Weight of L, the target's partners that are the actor's rivals (cost of drifting from a partner).
    loyalty: f64 = "8", "[-50, 50]", |v| v.abs() <= 50.0;
    /// Weight of W, the target's rivals that are the actor's partners (fear of a coalition against the target).
    wedge: f64 = "6", "[-50, 50]", |v| v.abs() <= 50.0;
    /// Weight of E, enemies common to actor and target.
    common_enemy: f64 = "2", "[-50, 50]", |v| v.abs() <= 50.0;
    /// Weight of F, friends common to actor and target.
    common_friend: f64 = "2", "[-50, 50]", |v| v.abs() <= 50.0;
    /// Weight of T, the decline of the target's power share per month, measured over `trend_window` steps.
    trend: f64 = "300", "[-10000, 10000]", |v| v.abs() <= 10_000.0;
    /// Steps over which the power trend T is measured.
    trend_window: u64 = "12", "1 to 10000", |v| (1..=10_000).contains(&v);
    /// Weight of M = [-a_ij]+ plus the memory of the actor's recent hardline actions against the target.
    mistrust: f64 = "1", "[-50, 50]", |v| v.abs() <= 50.0;
    /// Weight of the target's hardliners h in U.
    hardliners: f64 = "1", "[-50, 50]", |v| v.abs() <= 50.0;
    /// Alignment gained by a reciprocated offer (a kick of the latent tie, see `hardline_impact`).
    deal_gain: f64 = "0.1", "[0, 1)", |v| (0.0..1.0).contains(&v);
    /// Alignment lost by a rebuffed offer.
    rebuff_cost: f64 = "0.02", "[0, 1)", |v| (0.0..1.0).contains(&v);
    /// Rise of the offerer's hardliners after a rebuff.
    backlash: f64 = "0.03", "[0, 1]", |v| (0.0..=1.0).contains(&v);
    /// Hardliner level above which an approach may end.
    backlash_limit: f64 = "0.7", "[0, 1]", |v| (0.0..=1.0).contains(&v);
    /// Leader's stake in an approach: each month above the backlash limit the approach survives with this probability.
    commitment: f64 = "0", "[0, 1]", |v| (0.0..=1.0).contains(&v);
    /// Share of the gap between a state's hardliners and their baseline (states.csv) closed per month, between rebuffs; 0: hardliners never fall.
    hardliner_relaxation: f64 = "0.005", "[0, 1]", |v| (0.0..=1.0).contains(&v);
    /// Durable rise of a pair's interest per unit salience when a core issue is resolved.
    interest_gain_core: f64 = "0.3", "[0, 2]", |v| (0.0..=2.0).contains(&v);
    /// Durable rise of a pair's interest per unit salience when a peripheral issue is resolved.
    interest_gain_peripheral: f64 = "0.1", "[0, 2]", |v| (0.0..=2.0).contains(&v);
    /// Probability per month that a resolved issue is breached and reopens.
    breach: f64 = "0.002", "[0, 1]", |v| (0.0..=1.0).contains(&v);
    /// Rise of that probability per unit hostility [−a_ij]⁺ of the pair: deteriorating relations break deals (0: breaches ignore the relationship).
    breach_hostility: f64 = "0", "[0, 1]", |v| (0.0..=1.0).contains(&v);
    /// Constant of the logit of a state's hardline action against a rival, per month.
    aggression_base: f64 = "-4", "[-50, 50]", |v| v.abs() <= 50.0;
    /// Weight of the state's revisionism r in that logit.
    aggression_revisionism: f64 = "2", "[-50, 50]", |v| v.abs() <= 50.0;
    /// Weight of C, the concessions the state received recently, in that logit (the brief finds little emboldening).
    emboldening: f64 = "0", "[-50, 50]", |v| v.abs() <= 50.0;
    /// Alignment lost by the target of one hardline action (a policy's or a revisionist's). Event changes are kicks of the latent tie x (a = tanh x): a ← (a + d)/(1 + a·d), d at a = 0, less near ±1, never reaching ±1.
    hardline_impact: f64 = "0.03", "[0, 1)", |v| (0.0..1.0).contains(&v);
    /// Decay per month of the hardline memory in M and of the concession count C (moving averages; each event adds 1 − memory_decay).
    memory_decay: f64 = "0.9", "[0, 1)", |v| (0.0..1.0).contains(&v);
    /// Which hardline actions the memory in M remembers: `both` (policies' and revisionist actions), `policies`, `revisionist` or `none`.
    memory_sources: MemorySources = "both", "both, policies, revisionist, none", |_v| true;
    /// Probability that a partner of the target who is the actor's rival answers a reciprocation by pulling away (abandonment fear).
    abandonment: f64 = "0.2", "[0, 1]", |v| (0.0..=1.0).contains(&v);
    /// Alignment lost between target and partner when the partner pulls away.
    abandonment_cost: f64 = "0.03", "[0, 1)", |v| (0.0..1.0).contains(&v);
    /// Probability that such a partner answers instead with a counter-offer to the target.
    counter_offer: f64 = "0.3", "[0, 1]", |v| (0.0..=1.0).contains(&v);
    /// Concession size c of a counter-offer (treated as peripheral).
    counter_offer_size: f64 = "0.3", "(0, 1]", |v| v > 0.0 && v <= 1.0;
}

impl Params {
    /// Checks constraints that involve more than one parameter.
    pub fn check(&self) -> Result<(), ParamError> {
        if self.abandonment + self.counter_offer > 1.0 + 1e-12 {
            return Err(ParamError::BadValue {
                key: "abandonment + counter_offer".into(),
                value: ParamValue::render(&(self.abandonment + self.counter_offer)),
                reason: "exceeds 1 (they are the probabilities of exclusive reactions)".into(),
            });
        }
        Ok(())
    }

    /// Whether `key` names a parameter.
    pub fn is_key(key: &str) -> bool {
        PARAM_SPECS.iter().any(|s| s.key == key)
    }
}

impl fmt::Display for ParamSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "| `{}` | {} | {} | {} |",
            self.key, self.default, self.range, self.meaning
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_in_range_and_round_trips() {
        let p = Params::default();
        for spec in PARAM_SPECS {
            let mut q = Params::default();
            q.set(spec.key, spec.default).unwrap();
            assert_eq!(p.value(spec.key).unwrap(), spec.default, "{}", spec.key);
        }
        assert!(p.check().is_ok());
    }

    #[test]
    fn bad_values_are_named() {
        let mut p = Params::default();
        let e = p.set("dt", "2").unwrap_err();
        assert_eq!(e.to_string(), "parameter `dt`: value `2` is outside (0, 1]");
        let e = p.set("noise", "NaN").unwrap_err();
        assert!(e.to_string().contains("not a finite number"), "{e}");
        let e = p.set("steps", "1.5").unwrap_err();
        assert!(e.to_string().contains("non-negative integer"), "{e}");
        let e = p.set("loyality", "1").unwrap_err();
        assert_eq!(e, ParamError::UnknownKey("loyality".into()));
        p.set("steps", "12.0").unwrap();
        assert_eq!(p.steps, 12);
    }
}
