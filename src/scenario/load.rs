//! Validation: raw rows → typed [`Scenario`], reporting every bad cell.
//!
//! One file (about 670 lines): every file's rows go through the one cell reader
//! that records each error with its file, line and column, and the checks across
//! files need all of them at once.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::check::Lines;
use super::csvfile::{read_rows, Line};
use super::error::{InputError, ScenarioError};
use super::params::{ParamError, Params};
use super::settings::SettingError;
use super::{
    AlignmentSpec, IssueChoice, IssueClass, IssueSpec, PolicySpec, Scenario, Stance, StateSpec,
    STATE_COLUMNS,
};

#[derive(Deserialize)]
struct RawState {
    id: Option<String>,
    name: Option<String>,
    power: Option<String>,
    growth: Option<String>,
    revisionism: Option<String>,
    hardliners: Option<String>,
    hedging: Option<String>,
}

#[derive(Deserialize)]
struct RawAlignment {
    a: Option<String>,
    b: Option<String>,
    alignment: Option<String>,
    interest: Option<String>,
}

#[derive(Deserialize)]
struct RawIssue {
    id: Option<String>,
    a: Option<String>,
    b: Option<String>,
    salience: Option<String>,
    core: Option<String>,
}

#[derive(Deserialize)]
struct RawPolicy {
    start: Option<String>,
    actor: Option<String>,
    target: Option<String>,
    stance: Option<String>,
    end: Option<String>,
    issue: Option<String>,
    offer: Option<String>,
    every: Option<String>,
}

#[derive(Deserialize)]
struct RawParam {
    key: Option<String>,
    value: Option<String>,
}

/// Reads cells of one line of one file, recording each problem.
struct Cells<'e> {
    file: String,
    line: u64,
    errors: &'e mut Vec<InputError>,
}

impl Cells<'_> {
    fn fail(&mut self, column: &str, value: &str, message: impl Into<String>) {
        self.errors.push(InputError::cell(
            &self.file, self.line, column, value, message,
        ));
    }

    fn text<'v>(&mut self, column: &str, raw: &'v Option<String>) -> Option<&'v str> {
        match raw.as_deref() {
            Some(v) if !v.is_empty() => Some(v),
            _ => {
                self.fail(column, "", "is required");
                None
            }
        }
    }

    fn id(&mut self, column: &str, raw: &Option<String>, rule: &IdRule) -> Option<String> {
        let v = self.text(column, raw)?;
        if rule.accepts(v) {
            Some(v.to_string())
        } else {
            let shown: String = v.chars().take(40).collect();
            let shown = if shown.len() < v.len() {
                format!("{shown}…")
            } else {
                shown
            };
            self.fail(column, &shown, format!("is not {}", rule.text));
            None
        }
    }

    /// A number in a range; an empty cell takes `default` when there is one.
    fn number(
        &mut self,
        column: &str,
        raw: &Option<String>,
        default: Option<f64>,
        range: (f64, f64, &str),
    ) -> Option<f64> {
        let v = match raw.as_deref() {
            Some(v) if !v.is_empty() => v,
            _ => return default.or_else(|| self.text(column, raw).and(None)),
        };
        let Ok(x) = v.parse::<f64>() else {
            self.fail(column, v, "is not a number");
            return None;
        };
        if !x.is_finite() {
            self.fail(column, v, "is not a finite number");
            return None;
        }
        if super::within(x, range) {
            Some(x)
        } else {
            self.fail(column, v, format!("is outside {}", range.2));
            None
        }
    }

    fn step(&mut self, column: &str, raw: &Option<String>) -> Option<u64> {
        let v = self.text(column, raw)?;
        match v.parse::<u64>() {
            Ok(s) if s >= 1 => Some(s),
            _ => {
                self.fail(
                    column,
                    v,
                    "is not a step (a whole number ≥ 1; step 0 is the initial state)",
                );
                None
            }
        }
    }

    fn flag(&mut self, column: &str, raw: &Option<String>) -> Option<bool> {
        match raw.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("") | Some("false") | Some("no") | Some("0") => Some(false),
            Some("true") | Some("yes") | Some("1") => Some(true),
            Some(_) => {
                self.fail(
                    column,
                    raw.as_deref().unwrap_or(""),
                    "is not true or false (also yes/no, 1/0; empty is false)",
                );
                None
            }
        }
    }
}

/// Which ids a column accepts (README, "Scenario format").
pub(crate) struct IdRule {
    max_len: usize,
    upper_only: bool,
    /// The rule as the error message states it.
    text: &'static str,
}

impl IdRule {
    fn accepts(&self, v: &str) -> bool {
        let first = v.chars().next();
        v.len() <= self.max_len
            && first.is_some_and(|c| c.is_ascii_alphabetic())
            && v.chars().all(|c| {
                c.is_ascii_digit()
                    || c == '_'
                    || if self.upper_only {
                        c.is_ascii_uppercase()
                    } else {
                        c.is_ascii_alphabetic()
                    }
            })
    }
}

/// State ids: short upper-case codes such as `USA` or `S001`.
pub(crate) const STATE_ID: IdRule = IdRule {
    max_len: 16,
    upper_only: true,
    text: "a state id (1 to 16 characters: upper-case letters A–Z, digits and `_`, starting with a letter)",
};

/// Issue ids: names such as `nato_enlargement`.
pub(crate) const ISSUE_ID: IdRule = IdRule {
    max_len: 40,
    upper_only: false,
    text: "an issue id (1 to 40 characters: letters A–Z or a–z, digits and `_`, starting with a letter)",
};

/// The files of a scenario folder; any other `*.csv` file there is an error (a
/// misspelt name would otherwise be read as an absent optional file). Files that
/// are not CSV (a README, notes) are left alone. The last two are the bundled
/// scenarios' `--configs` files (configurations for `compare`, counterfactuals).
pub(crate) const FILES: [&str; 7] = [
    "states.csv",
    "alignments.csv",
    "issues.csv",
    "policies.csv",
    "params.csv",
    "triangles.csv",
    "counterfactual.csv",
];

/// The CSV files of `dir` that are not part of the format, each with the closest
/// name that is.
fn unknown_files(dir: &Path, errors: &mut Vec<InputError>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.to_ascii_lowercase().ends_with(".csv") && !FILES.contains(&n.as_str()))
        .collect();
    names.sort();
    for name in names {
        let lower = name.to_ascii_lowercase();
        let closest = FILES
            .iter()
            .min_by_key(|f| strsim::levenshtein(&lower, f))
            .expect("FILES is not empty");
        errors.push(InputError::file(
            &dir.join(&name).display().to_string(),
            format!(
                "is not a file of a scenario (did you mean `{closest}`? a scenario reads {})",
                FILES.join(", ")
            ),
        ));
    }
}

const SIGNED: (f64, f64, &str) = (-1.0, 1.0, "[-1, 1]");

/// Loads and validates the scenario folder `dir`.
pub(crate) fn load(dir: &Path) -> Result<Scenario, ScenarioError> {
    let mut errors = Vec::new();
    let label = |name: &str| dir.join(name).display().to_string();
    if !dir.is_dir() {
        errors.push(InputError::file(
            &dir.display().to_string(),
            "is not a scenario folder",
        ));
        return Err(ScenarioError { errors });
    }
    unknown_files(dir, &mut errors);

    // states.csv
    let mut states = Vec::new();
    let mut state_lines: HashMap<String, u64> = HashMap::new();
    let states_read = read_rows::<RawState>(
        dir,
        "states.csv",
        &STATE_COLUMNS,
        &["id"],
        false,
        &mut errors,
    );
    // When states.csv cannot be read, other files' state ids are not checked: its
    // own error is the one to fix first.
    let states_known = states_read.is_some();
    if let Some(rows) = states_read {
        if rows.is_empty() {
            errors.push(InputError::file(&label("states.csv"), "has no states"));
        }
        for Line { line, row } in rows {
            let mut c = Cells {
                file: label("states.csv"),
                line,
                errors: &mut errors,
            };
            let id = c.id("id", &row.id, &STATE_ID);
            let power = c.number("power", &row.power, Some(1.0), super::POWER_RANGE);
            let growth = c.number("growth", &row.growth, Some(0.0), super::GROWTH_RANGE);
            let revisionism = c.number(
                "revisionism",
                &row.revisionism,
                Some(0.0),
                super::UNIT_RANGE,
            );
            let hardliners = c.number("hardliners", &row.hardliners, Some(0.0), super::UNIT_RANGE);
            let hedging = c.number("hedging", &row.hedging, Some(0.0), super::UNIT_RANGE);
            let Some(id) = id else { continue };
            if let Some(first) = state_lines.get(&id) {
                c.fail(
                    "id",
                    &id,
                    format!("is a duplicate state (first on line {first})"),
                );
                continue;
            }
            state_lines.insert(id.clone(), line);
            if let (Some(power), Some(growth), Some(revisionism), Some(hardliners), Some(hedging)) =
                (power, growth, revisionism, hardliners, hedging)
            {
                let name = row
                    .name
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| id.clone());
                states.push(StateSpec {
                    id,
                    name,
                    power,
                    growth,
                    revisionism,
                    hardliners,
                    hedging,
                });
            }
        }
    }
    states.sort_by(|a, b| a.id.cmp(&b.id));
    // Look-ups accept every id that was declared, even on a line with another error,
    // so one bad power does not also report every pair of that state as unknown.
    let index: HashMap<&str, usize> = states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let declared = |id: &str| !states_known || state_lines.contains_key(id);

    // A pair of known, distinct states; reported on the line's cells otherwise.
    let pair =
        |c: &mut Cells, ra: &Option<String>, rb: &Option<String>| -> Option<(usize, usize)> {
            let a = c.text("a", ra);
            let b = c.text("b", rb);
            let (a, b) = (a?, b?);
            let mut ok = true;
            for (col, id) in [("a", a), ("b", b)] {
                if !declared(id) {
                    c.fail(col, id, "is not a state of states.csv");
                    ok = false;
                }
            }
            if ok && a == b {
                c.fail(
                    "b",
                    b,
                    "makes a self-pair (a state cannot align with itself)",
                );
                return None;
            }
            let (ia, ib) = (*index.get(a)?, *index.get(b)?);
            ok.then_some((ia.min(ib), ia.max(ib)))
        };

    // alignments.csv
    let mut alignments: Vec<AlignmentSpec> = Vec::new();
    let mut pair_lines: HashMap<(usize, usize), u64> = HashMap::new();
    if let Some(rows) = read_rows::<RawAlignment>(
        dir,
        "alignments.csv",
        &["a", "b", "alignment", "interest"],
        &["a", "b", "alignment"],
        false,
        &mut errors,
    ) {
        for Line { line, row } in rows {
            let mut c = Cells {
                file: label("alignments.csv"),
                line,
                errors: &mut errors,
            };
            let p = pair(&mut c, &row.a, &row.b);
            let alignment = c.number("alignment", &row.alignment, None, SIGNED);
            // An empty interest is the alignment, even when the alignment itself is bad.
            let interest = match row.interest.as_deref() {
                None | Some("") => alignment,
                Some(_) => c.number("interest", &row.interest, None, SIGNED),
            };
            let Some((a, b)) = p else { continue };
            if let Some(first) = pair_lines.get(&(a, b)) {
                let v = format!(
                    "{}-{}",
                    row.a.unwrap_or_default(),
                    row.b.unwrap_or_default()
                );
                c.fail(
                    "b",
                    &v,
                    format!("is a duplicate pair (first on line {first})"),
                );
                continue;
            }
            pair_lines.insert((a, b), line);
            if let (Some(alignment), Some(interest)) = (alignment, interest) {
                alignments.push(AlignmentSpec {
                    a,
                    b,
                    alignment,
                    interest,
                });
            }
        }
    }
    alignments.sort_by_key(|r| (r.a, r.b));

    // issues.csv
    let mut issues: Vec<IssueSpec> = Vec::new();
    let mut issue_lines: HashMap<String, u64> = HashMap::new();
    if let Some(rows) = read_rows::<RawIssue>(
        dir,
        "issues.csv",
        &["id", "a", "b", "salience", "core"],
        &["id", "a", "b", "salience"],
        true,
        &mut errors,
    ) {
        for Line { line, row } in rows {
            let mut c = Cells {
                file: label("issues.csv"),
                line,
                errors: &mut errors,
            };
            let id = c.id("id", &row.id, &ISSUE_ID);
            let p = pair(&mut c, &row.a, &row.b);
            let salience = c.number("salience", &row.salience, None, (0.0, 1.0, "(0, 1]"));
            let core = c.flag("core", &row.core);
            let Some(id) = id else { continue };
            if matches!(id.as_str(), "any" | "core" | "peripheral") {
                c.fail(
                    "id",
                    &id,
                    "is reserved (policies use it for a class of issues)",
                );
                continue;
            }
            if let Some(first) = issue_lines.get(&id) {
                c.fail(
                    "id",
                    &id,
                    format!("is a duplicate issue (first on line {first})"),
                );
                continue;
            }
            issue_lines.insert(id.clone(), line);
            if let (Some((a, b)), Some(salience), Some(core)) = (p, salience, core) {
                issues.push(IssueSpec {
                    id,
                    a,
                    b,
                    salience,
                    core,
                });
            }
        }
    }
    issues.sort_by(|x, y| x.id.cmp(&y.id));

    // policies.csv
    let mut policies: Vec<PolicySpec> = Vec::new();
    let mut policy_lines = Vec::new();
    if let Some(rows) = read_rows::<RawPolicy>(
        dir,
        "policies.csv",
        &[
            "start", "actor", "target", "stance", "end", "issue", "offer", "every",
        ],
        &["start", "actor", "target", "stance"],
        true,
        &mut errors,
    ) {
        for Line { line, row } in rows {
            let mut c = Cells {
                file: label("policies.csv"),
                line,
                errors: &mut errors,
            };
            let start = c.step("start", &row.start);
            let end = match row.end.as_deref() {
                None | Some("") => Some(None),
                Some(_) => c.step("end", &row.end).map(Some),
            };
            let actor_target = |c: &mut Cells, col: &str, raw: &Option<String>| {
                let id = c.text(col, raw)?;
                if !declared(id) {
                    c.fail(col, id, "is not a state of states.csv");
                }
                index.get(id).copied()
            };
            let actor = actor_target(&mut c, "actor", &row.actor);
            let target = actor_target(&mut c, "target", &row.target);
            let stance = match c.text("stance", &row.stance) {
                Some("less_hardline") => Some(Stance::LessHardline),
                Some("hardline") => Some(Stance::Hardline),
                Some(v) => {
                    c.fail("stance", v, "is not less_hardline or hardline");
                    None
                }
                None => None,
            };
            let offer = c.number("offer", &row.offer, Some(0.5), (0.0, 1.0, "(0, 1]"));
            let every = match row.every.as_deref() {
                None | Some("") => Some(1),
                Some(v) => match v.parse::<u64>() {
                    Ok(k) if k >= 1 => Some(k),
                    _ => {
                        c.fail("every", v, "is not a whole number of steps of at least 1");
                        None
                    }
                },
            };
            if let (Some(a), Some(t)) = (actor, target) {
                if a == t {
                    c.fail(
                        "target",
                        row.target.as_deref().unwrap_or(""),
                        "is the actor itself",
                    );
                    continue;
                }
            }
            if let (Some(s), Some(Some(e))) = (start, end) {
                if e < s {
                    c.fail("end", &e.to_string(), format!("is before start {s}"));
                    continue;
                }
            }
            let issue = match row.issue.as_deref() {
                None | Some("") | Some("any") => Some(IssueChoice::Class(IssueClass::Any)),
                Some("core") => Some(IssueChoice::Class(IssueClass::Core)),
                Some("peripheral") => Some(IssueChoice::Class(IssueClass::Peripheral)),
                Some(id) => match issues.binary_search_by(|i| i.id.as_str().cmp(id)) {
                    Ok(k) => {
                        let on_pair = match (actor, target) {
                            (Some(a), Some(t)) => {
                                (a.min(t), a.max(t)) == (issues[k].a, issues[k].b)
                            }
                            _ => true,
                        };
                        if on_pair {
                            Some(IssueChoice::Issue(k))
                        } else {
                            c.fail("issue", id, "is an issue of another pair");
                            None
                        }
                    }
                    Err(_) => {
                        c.fail(
                            "issue",
                            id,
                            "is not an issue of issues.csv, nor any, core or peripheral",
                        );
                        None
                    }
                },
            };
            if let (
                Some(start),
                Some(end),
                Some(actor),
                Some(target),
                Some(stance),
                Some(issue),
                Some(offer),
                Some(every),
            ) = (start, end, actor, target, stance, issue, offer, every)
            {
                let policy = PolicySpec {
                    start,
                    end,
                    actor,
                    target,
                    stance,
                    issue,
                    offer,
                    every,
                };
                policy_lines.push((policy.clone(), line));
                policies.push(policy);
            }
        }
    }

    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "scenario".to_string());
    let mut scenario = Scenario {
        name,
        dir: dir.to_path_buf(),
        states,
        alignments,
        issues,
        policies,
        params: Params::default(),
    };
    scenario.sort_policies();

    // params.csv: parameter keys and pair keys, applied in file order.
    if let Some(rows) = read_rows::<RawParam>(
        dir,
        "params.csv",
        &["key", "value"],
        &["key", "value"],
        true,
        &mut errors,
    ) {
        let mut key_lines: HashMap<String, u64> = HashMap::new();
        for Line { line, row } in rows {
            let mut c = Cells {
                file: label("params.csv"),
                line,
                errors: &mut errors,
            };
            let (Some(key), Some(value)) = (c.text("key", &row.key), c.text("value", &row.value))
            else {
                continue;
            };
            // `USA-RUS` and `RUS-USA` are the same key.
            let canonical = super::SettingKey::canonical(key);
            if let Some(first) = key_lines.get(&canonical) {
                c.fail(
                    "key",
                    key,
                    format!("is a duplicate key (first on line {first})"),
                );
                continue;
            }
            key_lines.insert(canonical, line);
            match scenario.apply(key, value) {
                Ok(()) => {}
                Err(SettingError::Param(ParamError::UnknownKey(_))) => c.fail(
                    "key",
                    key,
                    "is not a parameter (run `entente params` for the list) nor a setting",
                ),
                Err(SettingError::Param(ParamError::BadValue { reason, .. })) => {
                    c.fail("value", value, format!("{reason} (parameter `{key}`)"))
                }
                // the key names nothing (no such state, attribute or pair)
                Err(SettingError::Key(e)) => c.fail("key", key, e.reason()),
                Err(e) => c.fail("value", value, e.to_string()),
            }
        }
        if let Err(e) = scenario.params.check() {
            errors.push(InputError::file(&label("params.csv"), e.to_string()));
        }
    }

    if errors.is_empty() {
        let lines = Lines {
            states: state_lines,
            policies: policy_lines,
        };
        errors.extend(scenario.problems_at(&lines, true));
    }
    if errors.is_empty() {
        Ok(scenario)
    } else {
        Err(ScenarioError { errors })
    }
}
