//! A run's folder as `entente run` writes it: `alignments.csv` and `states.csv`
//! (streamed, one row at a time), `summary.csv` (read whole, looked up by
//! metric and subject) and `scenario/` (its states and seed).

use std::collections::HashMap;
use std::path::Path;

use super::table::{number, stream, whole, CsvTable, ReadError, Result};

/// A row of `alignments.csv`.
#[derive(Clone, Copy, Debug)]
pub struct AlignmentRow<'a> {
    /// The step, from 0 (the initial state).
    pub step: u64,
    /// The pair's first state id.
    pub a: &'a str,
    /// The pair's second state id.
    pub b: &'a str,
    /// The alignment a at the step, in [−1, 1] (never empty).
    pub alignment: f64,
    /// NaN when empty.
    pub interest: f64,
}

/// Streams `alignments.csv` of the run in `dir`, with each row's line.
pub fn alignments<E: From<ReadError>>(
    dir: &Path,
    mut f: impl FnMut(AlignmentRow, u64) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let path = dir.join("alignments.csv");
    stream(
        &path,
        &["step", "a", "b", "alignment", "interest"],
        |c, line| {
            let alignment = match c[3] {
                "" => Err(ReadError::Malformed {
                    path: path.clone(),
                    line,
                    message: "column `alignment` is empty".into(),
                }),
                text => number(&path, line, "alignment", text),
            }?;
            f(
                AlignmentRow {
                    step: whole(&path, line, "step", c[0])?,
                    a: c[1],
                    b: c[2],
                    alignment,
                    interest: number(&path, line, "interest", c[4])?,
                },
                line,
            )
        },
    )
}

/// A row of `states.csv`.
#[derive(Clone, Copy, Debug)]
pub struct StateRow<'a> {
    /// The step, from 0 (the initial state).
    pub step: u64,
    /// The state's id.
    pub state: &'a str,
    /// Its power P at the step.
    pub power: f64,
    /// Its hardliners h at the step, in [0, 1].
    pub hardliners: f64,
}

/// Streams `states.csv` of the run in `dir`, with each row's line.
pub fn states<E: From<ReadError>>(
    dir: &Path,
    mut f: impl FnMut(StateRow, u64) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let path = dir.join("states.csv");
    stream(
        &path,
        &["step", "state", "power", "hardliners"],
        |c, line| {
            f(
                StateRow {
                    step: whole(&path, line, "step", c[0])?,
                    state: c[1],
                    power: number(&path, line, "power", c[2])?,
                    hardliners: number(&path, line, "hardliners", c[3])?,
                },
                line,
            )
        },
    )
}

/// The states of the run's scenario, in its order: (id, name).
pub fn scenario_states(dir: &Path) -> Result<Vec<(String, String)>> {
    let path = dir.join("scenario").join("states.csv");
    let mut out = Vec::new();
    stream::<ReadError>(&path, &["id", "name"], |c, _| {
        out.push((c[0].to_string(), c[1].to_string()));
        Ok(())
    })?;
    if out.is_empty() {
        return Err(ReadError::invalid(&path, "no states"));
    }
    Ok(out)
}

/// The seed of a run, from its `scenario/params.csv`.
pub fn seed(dir: &Path) -> Option<String> {
    let t = CsvTable::read(&dir.join("scenario").join("params.csv")).ok()?;
    let (k, v) = (t.find("key")?, t.find("value")?);
    t.rows
        .iter()
        .find(|r| t.cell(r, k) == "seed")
        .map(|r| t.cell(r, v).to_string())
}

/// One row of a run's `summary.csv`.
#[derive(Clone, Debug)]
pub struct SummaryRow {
    /// The metric's name (`balance_index`, `final_alignment`, `key_pair`, …).
    pub metric: String,
    /// The first id of its subject (a state, or a pair's or policy pair's first state),
    /// or empty.
    pub a: String,
    /// The second id of its subject (a pair's or policy pair's second state), or empty.
    pub b: String,
    /// The value (NaN when empty).
    pub value: f64,
    /// The value as written.
    pub text: String,
}

/// A run's `summary.csv`, in its order and indexed by (metric, a, b).
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// The rows, in the file's order.
    pub rows: Vec<SummaryRow>,
    index: HashMap<(String, String, String), usize>,
}

impl Summary {
    /// Reads `summary.csv` of the run in `dir`.
    pub fn read(dir: &Path) -> Result<Summary> {
        let path = dir.join("summary.csv");
        let mut rows = Vec::new();
        stream::<ReadError>(&path, &["metric", "a", "b", "value"], |c, line| {
            rows.push(SummaryRow {
                metric: c[0].to_string(),
                a: c[1].to_string(),
                b: c[2].to_string(),
                value: number(&path, line, "value", c[3])?,
                text: c[3].to_string(),
            });
            Ok(())
        })?;
        let index = rows
            .iter()
            .enumerate()
            .map(|(k, r)| ((r.metric.clone(), r.a.clone(), r.b.clone()), k))
            .collect();
        Ok(Summary { rows, index })
    }

    /// The value of `metric` for subject (a, b) ("" for none), NaN if absent.
    pub fn get(&self, metric: &str, a: &str, b: &str) -> f64 {
        self.index
            .get(&(metric.to_string(), a.to_string(), b.to_string()))
            .map_or(f64::NAN, |&k| self.rows[k].value)
    }

    /// The rows of `metric`, in file order.
    pub fn metric<'s>(&'s self, metric: &'s str) -> impl Iterator<Item = &'s SummaryRow> + 's {
        self.rows.iter().filter(move |r| r.metric == metric)
    }

    /// The run's key pairs in rank order (its `key_pair` rows, by value).
    pub fn key_pairs(&self) -> Vec<(String, String)> {
        let mut ranked: Vec<&SummaryRow> = self.metric("key_pair").collect();
        ranked.sort_by(|x, y| x.value.total_cmp(&y.value));
        ranked
            .into_iter()
            .map(|r| (r.a.clone(), r.b.clone()))
            .collect()
    }
}
