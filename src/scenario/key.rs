//! Keys, parsed once. A [`PairKey`] names a pair of states in one spelling
//! (`CHN-RUS` and `RUS-CHN` are one pair: the ids in order, as the scenario orders
//! its states); a [`SettingKey`] is what a `KEY=VALUE` setting sets. Everything
//! that names a key or a pair — `params.csv`, `--set`, grid axes, configuration
//! columns, `--track`, the pair columns of the outputs — goes through them.

use std::fmt;
use std::str::FromStr;

/// An undirected pair of states by id, the lesser id first.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PairKey {
    first: String,
    second: String,
}

impl PairKey {
    /// The pair of `x` and `y`, given in either order.
    pub fn new(x: &str, y: &str) -> Self {
        let (x, y) = (x.trim(), y.trim());
        let (first, second) = if x <= y { (x, y) } else { (y, x) };
        PairKey {
            first: first.to_string(),
            second: second.to_string(),
        }
    }

    /// The two ids, the lesser first.
    pub fn ids(&self) -> (&str, &str) {
        (&self.first, &self.second)
    }

    /// The undirected pair of a directed one, `A>B` (a policy's actor and target).
    pub fn from_directed(text: &str) -> Option<Self> {
        let (a, b) = text.split_once('>')?;
        Some(Self::new(a, b))
    }
}

impl FromStr for PairKey {
    type Err = KeyError;
    /// `A-B`: two ids around a `-`, neither empty, no `.` or `>` (those name a
    /// state's attribute or an approach). Whether they are states is for the
    /// scenario to say.
    fn from_str(text: &str) -> Result<Self, KeyError> {
        let not_a_pair = || KeyError::NotAPair {
            key: text.trim().to_string(),
        };
        if text.contains(['.', '>']) {
            return Err(not_a_pair());
        }
        // ids never hold a `-`: `A-B-C` is no pair
        match text.split_once('-') {
            Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() && !b.contains('-') => {
                Ok(Self::new(a, b))
            }
            _ => Err(not_a_pair()),
        }
    }
}

impl fmt::Display for PairKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.second)
    }
}

/// A state's attribute that a setting can change (`RUS.growth=-0.003`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateField {
    /// Its power P, in [1e-12, 1e12] (a capability index; only shares matter).
    Power,
    /// Relative change of its power per month, in (−0.5, 0.5).
    Growth,
    /// Its propensity to take revisionist hardline actions, in [0, 1].
    Revisionism,
    /// Its hardliners' starting influence h in [0, 1] (lowers reciprocation).
    Hardliners,
    /// How much it hedges, in [0, 1]: 1 damps the balance pressure on its ties fully.
    Hedging,
}

/// An actor's approach to a target that a setting can change
/// (`USA>RUS.less_hardline=off`, `USA>RUS.hardline=every:6`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApproachField {
    /// Its less-hardline policies: `on`, `off` or `peripheral` (only those that
    /// address no core issue).
    LessHardline,
    /// Its hardline policies: `off`, or one acting `every:K` steps (from step S
    /// with `every:K@S`).
    Hardline,
}

impl StateField {
    const ALL: [(StateField, &'static str); 5] = [
        (StateField::Power, "power"),
        (StateField::Growth, "growth"),
        (StateField::Revisionism, "revisionism"),
        (StateField::Hardliners, "hardliners"),
        (StateField::Hedging, "hedging"),
    ];

    /// The column of `states.csv` it sets.
    pub fn name(self) -> &'static str {
        Self::ALL[self as usize].1
    }
}

impl ApproachField {
    /// Its spelling after the `.`.
    pub fn name(self) -> &'static str {
        match self {
            ApproachField::LessHardline => "less_hardline",
            ApproachField::Hardline => "hardline",
        }
    }
}

/// What a setting sets.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SettingKey {
    /// A model parameter (`loyalty`): checked against the table when applied.
    Param(String),
    /// A pair's alignment and interest together (`RUS-CHN`).
    Pair(PairKey),
    /// A state's attribute (`RUS.growth`).
    State {
        /// The state's id.
        id: String,
        /// Which attribute.
        field: StateField,
    },
    /// An actor's approach to a target (`USA>RUS.hardline`).
    Approach {
        /// The id of the state whose policies they are.
        actor: String,
        /// The id of the state they address.
        target: String,
        /// Which of its policies.
        field: ApproachField,
    },
}

/// What a key after `ID.` or `A>T.` must be, when it is not.
const NOT_A_FIELD: &str = "is not a state attribute (power, growth, revisionism, hardliners, \
     hedging) nor an approach (less_hardline, hardline)";

/// Why a key names nothing a setting can set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Where a pair was expected, something else.
    #[error("`{key}` is not a pair of states `A-B`")]
    NotAPair {
        /// The key as typed.
        key: String,
    },
    /// A pair, an attribute or an approach names a state the scenario lacks.
    #[error("`{key}`: `{id}` is not a state of the scenario")]
    NoState {
        /// The key as typed.
        key: String,
        /// The id that is no state.
        id: String,
    },
    /// `ID.field` or `A>T.field` with a field that is neither.
    #[error("`{key}` {NOT_A_FIELD}")]
    UnknownField {
        /// The key as typed.
        key: String,
    },
}

impl KeyError {
    /// What is wrong, without the key itself: for messages that name the key
    /// already (a file's cell).
    pub fn reason(&self) -> String {
        match self {
            KeyError::NotAPair { .. } => "is not a pair of states `A-B`".into(),
            KeyError::NoState { id, .. } => {
                format!("names `{id}`, which is not a state of the scenario")
            }
            KeyError::UnknownField { .. } => NOT_A_FIELD.into(),
        }
    }
}

impl FromStr for SettingKey {
    type Err = KeyError;
    fn from_str(text: &str) -> Result<Self, KeyError> {
        let key = text.trim();
        if let Some((subject, field)) = key.split_once('.') {
            let unknown = || KeyError::UnknownField { key: key.into() };
            return match subject.split_once('>') {
                Some((actor, target)) => Ok(SettingKey::Approach {
                    actor: actor.trim().into(),
                    target: target.trim().into(),
                    field: match field.trim() {
                        "less_hardline" => ApproachField::LessHardline,
                        "hardline" => ApproachField::Hardline,
                        _ => return Err(unknown()),
                    },
                }),
                None => Ok(SettingKey::State {
                    id: subject.trim().into(),
                    field: StateField::ALL
                        .iter()
                        .find(|(_, name)| *name == field.trim())
                        .map(|&(f, _)| f)
                        .ok_or_else(unknown)?,
                }),
            };
        }
        // Parameter keys are snake_case (a test holds the table to it): a `-`
        // can only join two states.
        if key.contains('-') {
            return key.parse().map(SettingKey::Pair);
        }
        Ok(SettingKey::Param(key.into()))
    }
}

impl SettingKey {
    /// The one spelling of `key` (`CHN-RUS` for `RUS-CHN`), or `key` itself,
    /// trimmed, if it names nothing: two spellings of one key are one key.
    pub fn canonical(key: &str) -> String {
        key.parse::<SettingKey>()
            .map(|k| k.to_string())
            .unwrap_or_else(|_| key.trim().to_string())
    }

    /// The pair it sets, if it sets one.
    pub fn pair(&self) -> Option<&PairKey> {
        match self {
            SettingKey::Pair(p) => Some(p),
            _ => None,
        }
    }
}

impl fmt::Display for SettingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingKey::Param(key) => f.write_str(key),
            SettingKey::Pair(pair) => pair.fmt(f),
            SettingKey::State { id, field } => write!(f, "{id}.{}", field.name()),
            SettingKey::Approach {
                actor,
                target,
                field,
            } => write!(f, "{actor}>{target}.{}", field.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_has_one_spelling() {
        let a: PairKey = "RUS-CHN".parse().unwrap();
        let b: PairKey = " CHN - RUS ".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "CHN-RUS");
        assert_eq!(a.ids(), ("CHN", "RUS"));
        assert_eq!(
            PairKey::from_directed("USA>RUS"),
            Some(PairKey::new("RUS", "USA"))
        );
    }

    #[test]
    fn what_is_not_a_pair_says_why() {
        for text in [
            "-CHN",
            "RUS-",
            "RUS-CHN-IND",
            "loyalty",
            "RUS.growth",
            "USA>RUS.hardline",
        ] {
            assert_eq!(
                text.parse::<PairKey>(),
                Err(KeyError::NotAPair { key: text.into() }),
                "{text}"
            );
        }
    }

    #[test]
    fn every_kind_of_key_parses_and_prints_in_one_spelling() {
        let cases = [
            (" loyalty ", SettingKey::Param("loyalty".into()), "loyalty"),
            (
                "USA-CHN",
                SettingKey::Pair(PairKey::new("CHN", "USA")),
                "CHN-USA",
            ),
            (
                "RUS.growth",
                SettingKey::State {
                    id: "RUS".into(),
                    field: StateField::Growth,
                },
                "RUS.growth",
            ),
            (
                "USA>RUS.less_hardline",
                SettingKey::Approach {
                    actor: "USA".into(),
                    target: "RUS".into(),
                    field: ApproachField::LessHardline,
                },
                "USA>RUS.less_hardline",
            ),
        ];
        for (text, key, spelled) in cases {
            assert_eq!(text.parse::<SettingKey>().as_ref(), Ok(&key), "{text}");
            assert_eq!(key.to_string(), spelled);
            assert_eq!(SettingKey::canonical(text), spelled);
        }
        for (field, name) in StateField::ALL {
            assert_eq!(field.name(), name);
        }
    }

    #[test]
    fn no_parameter_key_looks_like_any_other_key() {
        for spec in super::super::params::PARAM_SPECS {
            let key = spec.key;
            assert!(
                key.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{key}"
            );
            assert_eq!(key.parse(), Ok(SettingKey::Param(key.into())));
        }
    }

    #[test]
    fn an_unknown_attribute_is_an_error_naming_the_key() {
        let e = "RUS.wealth".parse::<SettingKey>().unwrap_err();
        assert_eq!(
            e,
            KeyError::UnknownField {
                key: "RUS.wealth".into()
            }
        );
        assert!(e
            .to_string()
            .contains("`RUS.wealth` is not a state attribute"));
        assert!("USA>RUS.soft".parse::<SettingKey>().is_err());
        // and a key that names nothing keeps its own spelling
        assert_eq!(SettingKey::canonical(" RUS.wealth "), "RUS.wealth");
    }
}
