//! The plausible range of every uncertain mechanism weight: the table an
//! exploratory analysis samples from, each row with the reason for its bounds,
//! and a CSV `key,low,high[,scale]` that overrides rows of it.

use std::fmt;
use std::path::Path;

use crate::scenario::params::Params;
use crate::scenario::InputError;

/// How a weight is spread over its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Uniform between the bounds.
    Linear,
    /// Uniform in the logarithm: for rates whose plausible values span orders of
    /// magnitude.
    Log,
}

impl Scale {
    /// The scale as a ranges file and the ranges table spell it (`linear`, `log`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Linear => "linear",
            Scale::Log => "log",
        }
    }
}

/// One uncertain weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// The parameter key (a number-valued parameter of the table).
    pub key: String,
    /// The lowest plausible value, in the parameter's own units.
    pub low: f64,
    /// The highest plausible value, above `low`.
    pub high: f64,
    /// How values are spread between `low` and `high`.
    pub scale: Scale,
    /// Why the bounds are where they are (`set in FILE` for a row from a ranges file).
    pub why: String,
}

impl Range {
    /// The value at quantile `u` ∈ [0, 1] of the range.
    pub fn at(&self, u: f64) -> f64 {
        match self.scale {
            Scale::Linear => self.low + u * (self.high - self.low),
            Scale::Log => (self.low.ln() + u * (self.high.ln() - self.low.ln())).exp(),
        }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "| `{}` | {} | {} | {} | {} |",
            self.key,
            self.low,
            self.high,
            self.scale.as_str(),
            self.why
        )
    }
}

/// (key, low, high, scale, why): the default plausible ranges. Each brackets the
/// default of the parameter table; the reason says where the bounds come from.
const DEFAULTS: &[(&str, f64, f64, Scale, &str)] = &[
    ("balance", 0.1, 2.0, Scale::Log, "Heider pressure from a fifth to four times the default: the brief says balance acts, not how strongly"),
    ("relaxation", 0.05, 1.0, Scale::Log, "pull toward interest with a half-life of ln 2 / (relaxation · dt): about 140 steps down to 7 (23 at the default)"),
    ("noise", 0.005, 0.08, Scale::Log, "alignment shocks of a quarter to four times the default per unit time: from nearly deterministic runs to runs where noise rivals the mechanisms"),
    ("loyalty", 0.0, 16.0, Scale::Linear, "from no cost of drifting from a partner to twice the default; the brief gives the direction, not the size"),
    ("wedge", 0.0, 12.0, Scale::Linear, "from no fear of a coalition against the target to twice the default, for the same reason as loyalty"),
    ("common_enemy", 0.0, 4.0, Scale::Linear, "from none to twice the default: the brief names common enemies as a motive without weighing them"),
    ("common_friend", 0.0, 4.0, Scale::Linear, "from none to twice the default, as common_enemy"),
    ("trend", 0.0, 600.0, Scale::Linear, "from states that ignore their power trend to twice the default response to decline"),
    ("mistrust", 0.0, 3.0, Scale::Linear, "from no memory of hostility to three times the default weight of [−a]⁺ and past hardline acts"),
    ("hardliners", 0.0, 3.0, Scale::Linear, "from leaders deaf to their hardliners to three times the default"),
    ("concession", 0.5, 4.0, Scale::Linear, "an offer's size weighs a quarter to twice the default: a concession must count for something"),
    ("core_multiplier", 1.0, 4.0, Scale::Linear, "from core issues no weightier than peripheral ones (1) to twice the default"),
    ("deal_gain", 0.02, 0.3, Scale::Log, "alignment a deal buys, a fifth to three times the default"),
    ("rebuff_cost", 0.005, 0.08, Scale::Log, "alignment a rebuff costs, a quarter to four times the default"),
    ("backlash", 0.005, 0.1, Scale::Log, "hardliner rise after a rebuff, a sixth to three times the default"),
    ("emboldening", 0.0, 2.0, Scale::Linear, "the brief finds little emboldening (default 0); at 2 a recent concession weighs as much in the aggression logit as revisionism does"),
    ("breach_hostility", 0.0, 0.02, Scale::Linear, "from breaches that ignore the relationship (the default) to a pair at −0.6 breaking deals 7 times as often as at the default breach"),
    ("breach", 0.0005, 0.01, Scale::Log, "deals that last 1 / breach months on average: 2000 down to 100 (about 170 to 8 years)"),
];

/// The default table: every uncertain mechanism weight with its range.
pub fn default_ranges() -> Vec<Range> {
    DEFAULTS
        .iter()
        .map(|&(key, low, high, scale, why)| Range {
            key: key.into(),
            low,
            high,
            scale,
            why: why.into(),
        })
        .collect()
}

/// Why a ranges file cannot be used: every bad line, with file, line and value.
#[derive(Debug, thiserror::Error)]
pub enum RangesError {
    /// The file could not be read.
    #[error("cannot read the ranges file {path}")]
    Unreadable {
        /// The ranges file, as given.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Lines of the file are wrong: every bad line, with its line number and value.
    #[error("{}{} error{} in the ranges file", .0.iter().map(|e| format!("{e}\n")).collect::<String>(), .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Vec<InputError>),
}

/// Checks one range against the parameter table: the key is a number-valued
/// parameter and both bounds are values it accepts.
fn check(r: &Range) -> Result<(), String> {
    let mut p = Params::default();
    if !Params::is_key(&r.key) {
        return Err(format!(
            "`{}` is not a parameter (run `entente params` for the list)",
            r.key
        ));
    }
    if p.value(&r.key).is_some_and(|v| v.parse::<f64>().is_err()) {
        return Err(format!("`{}` is not a numeric parameter", r.key));
    }
    for v in [r.low, r.high] {
        p.set(&r.key, &crate::format::f64_text(v))
            .map_err(|e| e.to_string())?;
    }
    if r.low >= r.high {
        return Err(format!(
            "low {} is not below high {}",
            crate::format::f64_text(r.low),
            crate::format::f64_text(r.high)
        ));
    }
    if r.scale == Scale::Log && r.low <= 0.0 {
        return Err("a log scale needs low > 0".into());
    }
    Ok(())
}

/// The default table with the rows of the CSV at `path` (`key,low,high[,scale]`,
/// `#` comments) replacing or adding rows; a row's scale defaults to linear.
pub fn read_ranges(path: &Path) -> Result<Vec<Range>, RangesError> {
    let label = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| RangesError::Unreadable {
        path: label.clone(),
        source,
    })?;
    parse_ranges(&label, &bytes)
}

/// [`read_ranges`] on bytes already read (`label` names them in errors).
pub fn parse_ranges(label: &str, bytes: &[u8]) -> Result<Vec<Range>, RangesError> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes);
    let one = |line: u64, m: String| RangesError::Invalid(vec![InputError::line(label, line, m)]);
    let headers = reader
        .headers()
        .map_err(|e| one(1, format!("has an unreadable header: {e}")))?
        .clone();
    let names: Vec<&str> = headers.iter().collect();
    if !(names == ["key", "low", "high"] || names == ["key", "low", "high", "scale"]) {
        return Err(one(
            1,
            format!(
                "the header must be `key,low,high` or `key,low,high,scale`, not `{}`",
                names.join(",")
            ),
        ));
    }
    let mut table = default_ranges();
    let mut seen: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(InputError::line(
                    label,
                    line,
                    format!("cannot be read: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != names.len() {
            errors.push(InputError::line(
                label,
                line,
                format!("has {} fields, the header {}", record.len(), names.len()),
            ));
            continue;
        }
        let key = record[0].to_string();
        let number = |col: usize| -> Result<f64, InputError> {
            match record[col].parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(x),
                _ => Err(InputError::cell(
                    label,
                    line,
                    names[col],
                    &record[col],
                    "is not a finite number",
                )),
            }
        };
        let (low, high) = match (number(1), number(2)) {
            (Ok(l), Ok(h)) => (l, h),
            (a, b) => {
                errors.extend(a.err());
                errors.extend(b.err());
                continue;
            }
        };
        let scale = match record.get(3) {
            None | Some("") | Some("linear") => Scale::Linear,
            Some("log") => Scale::Log,
            Some(other) => {
                errors.push(InputError::cell(
                    label,
                    line,
                    "scale",
                    other,
                    "is not `linear` or `log`",
                ));
                continue;
            }
        };
        if seen.contains(&key) {
            errors.push(InputError::cell(label, line, "key", &key, "is given twice"));
            continue;
        }
        seen.push(key.clone());
        let why = format!("set in {label}");
        let range = Range {
            key: key.clone(),
            low,
            high,
            scale,
            why,
        };
        if let Err(m) = check(&range) {
            errors.push(InputError::cell(label, line, "key", &key, m));
            continue;
        }
        match table.iter_mut().find(|r| r.key == key) {
            Some(r) => *r = range,
            None => table.push(range),
        }
    }
    if errors.is_empty() {
        Ok(table)
    } else {
        Err(RangesError::Invalid(errors))
    }
}

/// The table as Markdown, for the README.
pub fn markdown(ranges: &[Range]) -> String {
    let mut s = String::from("| key | low | high | scale | why |\n|---|---|---|---|---|\n");
    for r in ranges {
        s += &format!("{r}\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_range_is_valid_and_brackets_the_default() {
        let p = Params::default();
        for r in default_ranges() {
            check(&r).unwrap_or_else(|e| panic!("{}: {e}", r.key));
            let d: f64 = p.value(&r.key).unwrap().parse().unwrap();
            assert!(r.low <= d && d <= r.high, "{} default {d}", r.key);
            assert!(!r.why.is_empty());
        }
    }

    #[test]
    fn the_readme_shows_this_table() {
        let table = markdown(&default_ranges());
        assert!(
            include_str!("../../README.md").contains(&table),
            "README.md's ranges table is not the code's; it should read:\n{table}"
        );
    }

    #[test]
    fn log_scale_spreads_in_the_logarithm() {
        let r = Range {
            key: "noise".into(),
            low: 0.01,
            high: 1.0,
            scale: Scale::Log,
            why: String::new(),
        };
        assert!((r.at(0.5) - 0.1).abs() < 1e-12);
        assert!((r.at(0.0) - 0.01).abs() < 1e-15 && (r.at(1.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_csv_overrides_and_adds_rows() {
        let t = parse_ranges(
            "r.csv",
            b"key,low,high,scale\nbalance,0.2,1,linear\n# comment\ndt,0.05,0.2,log\n",
        )
        .unwrap();
        let b = t.iter().find(|r| r.key == "balance").unwrap();
        assert_eq!((b.low, b.high, b.scale), (0.2, 1.0, Scale::Linear));
        assert_eq!(b.why, "set in r.csv");
        assert_eq!(t.last().unwrap().key, "dt");
        assert_eq!(t.len(), default_ranges().len() + 1);
    }

    #[test]
    fn bad_rows_name_file_line_and_value() {
        let e = parse_ranges(
            "r.csv",
            b"key,low,high\nbalanse,0,1\nwedge,x,2\nnoise,0.5,0.1\nbreach,0,2\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("r.csv:2: column `key`: value `balanse`"), "{e}");
        assert!(e.contains("r.csv:3: column `low`: value `x`"), "{e}");
        assert!(e.contains("r.csv:4:") && e.contains("not below"), "{e}");
        assert!(
            e.contains("r.csv:5:") && e.contains("outside [0, 1]"),
            "{e}"
        );
        assert!(e.contains("4 errors"), "{e}");
        let e = parse_ranges("r.csv", b"key,lo,hi\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("header must be"), "{e}");
        let e = parse_ranges("r.csv", b"key,low,high,scale\nnoise,0,1,log\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("log scale needs low > 0"), "{e}");
        let e = parse_ranges("r.csv", b"key,low,high\ntopology,0,1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a numeric parameter"), "{e}");
    }
}
