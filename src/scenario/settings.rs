//! `KEY=VALUE` settings: the one mechanism behind `params.csv`, `--set`, sweep grid
//! axes and configuration columns. A key is
//! - a parameter: `loyalty=2`;
//! - a pair: `RUS-CHN=0.4` sets both the alignment and the interest of that pair;
//! - a state's attribute: `RUS.growth=-0.003` (`power`, `growth`, `revisionism`,
//!   `hardliners`, `hedging`);
//! - an actor's approach to a target: `USA>RUS.less_hardline=off|on|peripheral`
//!   (drop that pair's less-hardline policies, keep them, or keep only those that do
//!   not address core issues) and `USA>RUS.hardline=off|every:K|every:K@S` (replace
//!   that pair's hardline policies by none, or by one acting every K steps from
//!   step S, default 1).

use std::fmt;
use std::str::FromStr;

use super::key::{ApproachField, KeyError, SettingKey, StateField};
use super::params::ParamError;
use super::{AlignmentSpec, IssueChoice, IssueClass, PolicySpec, Scenario, Stance};

/// One `KEY=VALUE` setting, as typed by a user.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Setting {
    /// The key, as typed: `loyalty`, `RUS-CHN`, `RUS.growth`, `USA>RUS.hardline` ….
    pub key: String,
    /// The value, as typed: a number, or for an approach `on`, `off`, `peripheral`
    /// or `every:K@S`.
    pub value: String,
}

impl FromStr for Setting {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => Ok(Setting {
                key: k.trim().to_string(),
                value: v.trim().to_string(),
            }),
            _ => Err(format!(
                "`{s}` is not KEY=VALUE (e.g. loyalty=2 or RUS-CHN=0.4)"
            )),
        }
    }
}

impl Setting {
    /// The first two settings of a list that set the same key (in any of its
    /// spellings: `CHN-RUS` and `RUS-CHN` are one pair), if any: each key is set
    /// once, since otherwise the later would silently win.
    pub fn first_repeat(settings: &[Setting]) -> Option<(&Setting, &Setting)> {
        let keys: Vec<String> = settings
            .iter()
            .map(|s| SettingKey::canonical(&s.key))
            .collect();
        (0..keys.len()).find_map(|j| {
            keys[..j]
                .iter()
                .position(|k| *k == keys[j])
                .map(|i| (&settings[i], &settings[j]))
        })
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

/// Why a setting does not apply to a scenario.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SettingError {
    /// An unknown parameter, a value outside its range, or parameters that conflict
    /// once all are set (`abandonment + counter_offer` above 1).
    #[error(transparent)]
    Param(#[from] ParamError),
    /// A key that names nothing: not a pair, an unknown field, or a state the
    /// scenario lacks.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A pair or an approach of a state with itself (`RUS-RUS`, `USA>USA.hardline`).
    #[error("`{key}` names one state twice")]
    SelfPair {
        /// The key, as typed.
        key: String,
    },
    /// A pair's value that is not a number in [−1, 1].
    #[error("pair `{key}`: value `{value}` is not a number in [-1, 1]")]
    PairValue {
        /// The key, as typed.
        key: String,
        /// The value, as typed.
        value: String,
    },
    /// A state attribute's value outside the range `states.csv` accepts, or an
    /// approach's value that is none of its forms or finds no policy to act on.
    #[error("`{key}`: value `{value}` {reason}")]
    BadValue {
        /// The key, as typed.
        key: String,
        /// The value, as typed.
        value: String,
        /// Why it is refused, as a phrase that follows the value (`is outside [0, 1]`).
        reason: String,
    },
    /// The scenario as changed can no longer run as its files say.
    #[error("{0}")]
    Scenario(String),
}

impl Scenario {
    /// Applies one setting: a parameter, a pair's alignment and interest, a
    /// state's attribute or an approach. Errors name the key as it was typed.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let value = value.trim();
        match key.trim().parse::<SettingKey>()? {
            SettingKey::Param(_) => Ok(self.params.set(key.trim(), value)?),
            SettingKey::Pair(pair) => {
                let (ida, idb) = pair.ids();
                self.apply_pair(key.trim(), ida, idb, value)
            }
            SettingKey::State { id, field } => self.apply_state(key.trim(), &id, field, value),
            SettingKey::Approach {
                actor,
                target,
                field,
            } => self.apply_approach(key.trim(), &actor, &target, field, value),
        }
    }

    /// `A-B=x`: the pair's alignment and interest, both x in [−1, 1].
    fn apply_pair(
        &mut self,
        key: &str,
        ida: &str,
        idb: &str,
        value: &str,
    ) -> Result<(), SettingError> {
        let (a, b) = (self.find_state(key, ida)?, self.find_state(key, idb)?);
        if a == b {
            return Err(SettingError::SelfPair {
                key: key.to_string(),
            });
        }
        let x = match value.parse::<f64>() {
            Ok(x) if x.is_finite() && (-1.0..=1.0).contains(&x) => x,
            _ => {
                return Err(SettingError::PairValue {
                    key: key.to_string(),
                    value: value.to_string(),
                })
            }
        };
        let (a, b) = (a.min(b), a.max(b));
        match self
            .alignments
            .binary_search_by(|r| (r.a, r.b).cmp(&(a, b)))
        {
            Ok(i) => {
                self.alignments[i].alignment = x;
                self.alignments[i].interest = x;
            }
            Err(i) => self.alignments.insert(
                i,
                AlignmentSpec {
                    a,
                    b,
                    alignment: x,
                    interest: x,
                },
            ),
        }
        Ok(())
    }

    fn find_state(&self, key: &str, id: &str) -> Result<usize, SettingError> {
        self.state_index(id).ok_or_else(|| {
            SettingError::Key(KeyError::NoState {
                key: key.to_string(),
                id: id.to_string(),
            })
        })
    }

    /// `ID.field=value` for a state's attribute, within the range `states.csv` accepts.
    fn apply_state(
        &mut self,
        key: &str,
        id: &str,
        field: StateField,
        value: &str,
    ) -> Result<(), SettingError> {
        let i = self.find_state(key, id)?;
        let bad = |reason: &str| SettingError::BadValue {
            key: key.into(),
            value: value.into(),
            reason: reason.into(),
        };
        let x: f64 = value
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| bad("is not a finite number"))?;
        let state = &mut self.states[i];
        // the ranges states.csv accepts
        let (range, slot) = match field {
            StateField::Power => (super::POWER_RANGE, &mut state.power),
            StateField::Growth => (super::GROWTH_RANGE, &mut state.growth),
            StateField::Revisionism => (super::UNIT_RANGE, &mut state.revisionism),
            StateField::Hardliners => (super::UNIT_RANGE, &mut state.hardliners),
            StateField::Hedging => (super::UNIT_RANGE, &mut state.hedging),
        };
        if !super::within(x, range) {
            return Err(bad(&format!("is outside {}", range.2)));
        }
        *slot = x;
        Ok(())
    }

    /// `A>T.less_hardline=…` or `A>T.hardline=…`: an actor's approach to a target.
    fn apply_approach(
        &mut self,
        key: &str,
        actor: &str,
        target: &str,
        field: ApproachField,
        value: &str,
    ) -> Result<(), SettingError> {
        let (a, t) = (self.find_state(key, actor)?, self.find_state(key, target)?);
        if a == t {
            return Err(SettingError::SelfPair { key: key.into() });
        }
        let bad = |reason: &str| SettingError::BadValue {
            key: key.into(),
            value: value.into(),
            reason: reason.into(),
        };
        let ours =
            |p: &PolicySpec, stance: Stance| p.actor == a && p.target == t && p.stance == stance;
        match field {
            ApproachField::LessHardline => {
                if !self.has_policy(a, t, Stance::LessHardline) {
                    return Err(bad(&format!(
                        "has nothing to act on: no less-hardline policy from {actor} to {target}"
                    )));
                }
                let issues = &self.issues;
                let addresses_core = |p: &PolicySpec| match p.issue {
                    IssueChoice::Issue(k) => issues[k].core,
                    IssueChoice::Class(c) => c != IssueClass::Peripheral,
                };
                match value {
                    "on" => {}
                    "off" => self.policies.retain(|p| !ours(p, Stance::LessHardline)),
                    "peripheral" => {
                        let keep: Vec<bool> = self
                            .policies
                            .iter()
                            .map(|p| !(ours(p, Stance::LessHardline) && addresses_core(p)))
                            .collect();
                        let mut it = keep.into_iter();
                        self.policies.retain(|_| it.next().unwrap_or(true));
                    }
                    _ => return Err(bad("is not on, off or peripheral")),
                }
            }
            ApproachField::Hardline => {
                let schedule = match value {
                    "off" => None,
                    v => {
                        let spec = v
                            .strip_prefix("every:")
                            .ok_or_else(|| bad("is not off, every:K or every:K@S"))?;
                        let (k, s) = spec.split_once('@').unwrap_or((spec, "1"));
                        let every = k
                            .parse::<u64>()
                            .ok()
                            .filter(|&k| k >= 1)
                            .ok_or_else(|| bad("has no whole K ≥ 1 in every:K"))?;
                        let start = s
                            .parse::<u64>()
                            .ok()
                            .filter(|&s| s >= 1)
                            .ok_or_else(|| bad("has no whole step S ≥ 1 in every:K@S"))?;
                        Some((every, start))
                    }
                };
                self.policies.retain(|p| !ours(p, Stance::Hardline));
                if let Some((every, start)) = schedule {
                    self.policies.push(PolicySpec {
                        start,
                        end: None,
                        actor: a,
                        target: t,
                        stance: Stance::Hardline,
                        issue: IssueChoice::Class(IssueClass::Any),
                        offer: 0.5,
                        every,
                    });
                    self.sort_policies();
                }
            }
        }
        Ok(())
    }

    /// Applies settings in order, stopping at the first that does not apply.
    pub fn apply_all<'s>(
        &mut self,
        settings: impl IntoIterator<Item = &'s Setting>,
    ) -> Result<(), SettingError> {
        for s in settings {
            self.apply(&s.key, &s.value)?;
        }
        self.params.check()?;
        let problems = self.problems();
        if !problems.is_empty() {
            let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Err(SettingError::Scenario(text.join("; ")));
        }
        Ok(())
    }
}
