//! Checks of a whole scenario with its parameters, made at load and again after
//! every change of settings: a run must be able to do what the files say (every
//! policy can act, some pair evolves) and its numbers must stay finite (power
//! compounded by growth over the steps stays below [`POWER_LIMIT`]).
//!
//! A policy that starts after the last step is an error against the steps of the
//! files (`params.csv`); a shorter run asked for on the command line (`--steps`,
//! `--set steps=…`, a grid or configuration column) only cuts the run short. The
//! `scenario/` record inside a run's folder is the run as it ran, steps resolved:
//! it replays as it is (`entente run OUT/scenario`), so the check is not made there.

use std::collections::HashMap;

use super::error::InputError;
use super::params::{Topology, COMPLETE_LIMIT};
use super::{IssueChoice, IssueClass, PolicySpec, Scenario, Stance};

/// Power compounded over a run must stay at most this (README, "Scenario format"):
/// far from overflow, in sums of powers too. (Power that decays toward 0 is
/// harmless: a share of 0 and a weight of 0.)
pub const POWER_LIMIT: f64 = 1e100;

/// log₁₀ of the least power growth may bring a state to: far above the
/// smallest normal float (1e-308), so that shares and trends keep their digits.
const FLOOR_LOG10: f64 = -290.0;

/// Where the rows of a scenario were read from, to name lines in errors; empty
/// after settings changed the scenario (errors then name the file only).
#[derive(Default)]
pub(crate) struct Lines {
    pub states: HashMap<String, u64>,
    pub policies: Vec<(PolicySpec, u64)>,
}

impl Scenario {
    /// Whether this scenario is the `scenario/` record of a run, inside a folder
    /// marked by `entente run`.
    fn is_run_record(&self) -> bool {
        let parent = self.dir.parent().filter(|_| self.dir.ends_with("scenario"));
        parent.is_some_and(
            |d| matches!(crate::files::read_marker(d), Ok(Some(m)) if m.command == "run"),
        )
    }

    /// Problems of the scenario as a whole (none when it can run as written).
    /// Problems of the scenario as changed by settings (see the module doc).
    pub fn problems(&self) -> Vec<InputError> {
        self.problems_at(&Lines::default(), false)
    }

    /// Problems at load (`at_load`, naming lines) or after settings.
    pub(crate) fn problems_at(&self, lines: &Lines, at_load: bool) -> Vec<InputError> {
        let mut errors = Vec::new();
        let file = |name: &str| self.dir.join(name).display().to_string();
        let at = |name: &str, line: Option<u64>, column: &str, value: &str, message: String| {
            match line {
                Some(line) => InputError::cell(&file(name), line, column, value, message),
                None => InputError::file(&file(name), format!("`{value}` ({column}) {message}")),
            }
        };
        let n = self.states.len();
        let steps = self.params.steps;
        if n < 2 {
            errors.push(InputError::file(
                &file("states.csv"),
                format!(
                    "has {n} state{}: a run needs at least two",
                    if n == 1 { "" } else { "s" }
                ),
            ));
            return errors;
        }
        let listed = match self.params.topology {
            Topology::Auto => n > COMPLETE_LIMIT,
            t => t == Topology::Listed,
        };
        if listed
            && self.alignments.is_empty()
            && self.issues.is_empty()
            && self.policies.is_empty()
        {
            errors.push(InputError::file(
                &file("alignments.csv"),
                "names no pair, so nothing evolves: with topology `listed` only the pairs of \
                 alignments.csv, issues.csv and policies.csv evolve",
            ));
        }
        for s in &self.states {
            let line = lines.states.get(&s.id).copied();
            let rate = (1.0 + s.growth).log10();
            let top = POWER_LIMIT.log10();
            let reach = s.power.log10() + steps as f64 * rate;
            // Decay is harmless until power nears the smallest normal float,
            // where shares and trends would lose their digits.
            let bottom = FLOOR_LOG10;
            let (limit, side) = if rate > 0.0 {
                (top, "above 1e100")
            } else {
                (bottom, "below 1e-290")
            };
            if (rate > 0.0 && reach > top) || (rate < 0.0 && reach < bottom) {
                let last = ((limit - s.power.log10()) / rate).floor().max(0.0);
                errors.push(at(
                    "states.csv",
                    line,
                    "growth",
                    &crate::format::f64_text(s.growth),
                    format!(
                        "makes the power of {} reach 1e{:.0} by step {steps}, {side}: \
                         move the growth toward 0 or lower the steps (at most {last} steps)",
                        s.id, reach
                    ),
                ));
            }
        }
        for p in &self.policies {
            let line = lines.policies.iter().find(|(q, _)| q == p).map(|&(_, l)| l);
            let (a, t) = (p.actor.min(p.target), p.actor.max(p.target));
            let pair = self.pair_key(a, t);
            if at_load && p.start > steps && !self.is_run_record() {
                errors.push(at(
                    "policies.csv",
                    line,
                    "start",
                    &p.start.to_string(),
                    format!("is after the last step {steps}: the policy never acts"),
                ));
                continue;
            }
            // A hardline policy acts whatever the issues; an offer needs one.
            let IssueChoice::Class(class) = p.issue else {
                continue;
            };
            if p.stance == Stance::Hardline {
                continue;
            }
            let mut on_pair = self.issues.iter().filter(|i| (i.a, i.b) == (a, t));
            let has = match class {
                IssueClass::Any => on_pair.next().is_some(),
                IssueClass::Core => on_pair.any(|i| i.core),
                IssueClass::Peripheral => on_pair.any(|i| !i.core),
            };
            if !has {
                let what = match class {
                    IssueClass::Any => String::new(),
                    c => format!("{c} "),
                };
                errors.push(at(
                    "policies.csv",
                    line,
                    "issue",
                    &class.to_string(),
                    format!(
                        "asks for an open {what}issue of {pair}, which has no {what}issue in \
                         issues.csv: the policy has nothing to offer and never acts"
                    ),
                ));
            }
        }
        errors
    }
}
