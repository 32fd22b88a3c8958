//! `KEY=VALUE` settings: the one mechanism behind `params.csv`, `--set`, sweep grid
//! axes and configuration columns. A key is a parameter (`loyalty`) or a pair
//! (`RUS-CHN`), which sets both the alignment and the interest of that pair.

use std::fmt;
use std::str::FromStr;

use super::{AlignmentSpec, Scenario};
use crate::engine::params::{ParamError, Params};

/// One `KEY=VALUE` setting, as typed by a user.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Setting {
    pub key: String,
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

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

/// Why a setting does not apply to a scenario.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SettingError {
    #[error(transparent)]
    Param(#[from] ParamError),
    #[error("pair `{key}`: `{id}` is not a state of the scenario")]
    UnknownState { key: String, id: String },
    #[error("pair `{key}` is a self-pair")]
    SelfPair { key: String },
    #[error("pair `{key}`: value `{value}` is not a number in [-1, 1]")]
    PairValue { key: String, value: String },
}

impl Scenario {
    /// Applies one setting: a parameter, or a pair's alignment and interest.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let key = key.trim();
        let Some((ida, idb)) = key.split_once('-') else {
            return Ok(self.params.set(key, value)?);
        };
        if Params::is_key(key) {
            return Ok(self.params.set(key, value)?);
        }
        let find = |id: &str| {
            self.state_index(id)
                .ok_or_else(|| SettingError::UnknownState {
                    key: key.to_string(),
                    id: id.to_string(),
                })
        };
        let (a, b) = (find(ida)?, find(idb)?);
        if a == b {
            return Err(SettingError::SelfPair {
                key: key.to_string(),
            });
        }
        let x = match value.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && (-1.0..=1.0).contains(&x) => x,
            _ => {
                return Err(SettingError::PairValue {
                    key: key.to_string(),
                    value: value.trim().to_string(),
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

    /// Applies settings in order, stopping at the first that does not apply.
    pub fn apply_all<'s>(
        &mut self,
        settings: impl IntoIterator<Item = &'s Setting>,
    ) -> Result<(), SettingError> {
        for s in settings {
            self.apply(&s.key, &s.value)?;
        }
        self.params.check()?;
        Ok(())
    }
}
