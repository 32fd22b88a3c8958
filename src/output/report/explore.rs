//! The report page of an exploration folder (`entente explore`): the share of
//! the space per verdict, where each claim fails in words, what drives each
//! claim's effect, and the ranges explored, built with maud like every page
//! (text escaped by construction). `report/mod.rs` frames these sections and
//! adds the figures of `plots/`.

use std::path::Path;

use maud::html;

use super::{table, Cell, Page, Result};
use crate::experiment::explore::{ExploreRecord, CATEGORIES};
use crate::format::f64_text;
use crate::output::read::{CsvTable, ReadError};

/// `dir/name` read whole, with the indices of `columns` (an error names the
/// file and a missing column).
fn read(dir: &Path, name: &str, columns: &[&str]) -> Result<(CsvTable, Vec<usize>)> {
    let t = CsvTable::read(&dir.join(name))?;
    let cols = columns
        .iter()
        .map(|c| t.col(c))
        .collect::<std::result::Result<_, _>>()?;
    Ok((t, cols))
}

/// Text cells, one per string.
fn texts(cells: Vec<String>) -> Vec<Cell> {
    cells.iter().map(|c| Cell::text(c)).collect()
}

fn pct(text: &str) -> String {
    text.parse::<f64>()
        .map_or("—".into(), |v| format!("{:.0}%", 100.0 * v))
}

/// Adds the sections of the page of `dir` to `page`.
pub fn sections(dir: &Path, page: &mut Page) -> Result<()> {
    let path = dir.join("explore.json");
    let record: ExploreRecord = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        .map_err(|message| ReadError::invalid(&path, message))?;

    // claim → shares per category, in file order.
    let (verdicts, c) = read(
        dir,
        "verdicts.csv",
        &["claim", "verdict", "share", "ci_low", "ci_high"],
    )?;
    let mut shares: Vec<(String, Vec<String>)> = Vec::new();
    for r in &verdicts.rows {
        let cell = |k: usize| verdicts.cell(r, c[k]);
        let (claim, cat) = (cell(0), cell(1));
        let share = format!("{} [{}, {}]", pct(cell(2)), pct(cell(3)), pct(cell(4)));
        if shares.last().is_none_or(|(c, _)| c != claim) {
            shares.push((claim.to_string(), vec![String::new(); CATEGORIES.len()]));
        }
        if let (Some(k), Some(last)) =
            (CATEGORIES.iter().position(|c| *c == cat), shares.last_mut())
        {
            last.1[k] = share;
        }
    }
    let mut headers = vec!["claim"];
    headers.extend(CATEGORIES.iter().map(|c| match *c {
        "holds_without_mechanism" => "holds without its mechanism",
        other => other,
    }));
    let rows = shares
        .into_iter()
        .map(|(c, s)| texts(std::iter::once(c).chain(s).collect()))
        .collect();
    page.section(
        "verdicts",
        "Verdicts over the plausible space",
        "From verdicts.csv: the share of the experiments (points of the Latin hypercube over the weights' ranges) where each claim gets each verdict, with its 95% Wilson interval.",
        table(&headers, rows, "", &[]),
    );

    let (prim, c) = read(
        dir,
        "prim_boxes.csv",
        &["claim", "box", "coverage", "density", "mass"],
    )?;
    let mut boxes: Vec<Vec<String>> = Vec::new();
    for r in &prim.rows {
        let cell = |k: usize| prim.cell(r, c[k]);
        // one row per restriction of a box: the box is shown once
        if boxes.last().is_some_and(|b| b[0] == cell(0)) {
            continue;
        }
        boxes.push(vec![
            cell(0).to_string(),
            cell(1).to_string(),
            pct(cell(2)),
            pct(cell(3)),
            pct(cell(4)),
        ]);
    }
    page.section(
        "failures",
        "Where each claim is not supported",
        "From prim_boxes.csv: PRIM (peeling and pasting, as the EMA Workbench runs it) on the experiments where the claim is not supported. Coverage: the share of its failures inside the box; density: the share of the box's experiments that are failures; mass: the box's share of all experiments. Claims that hold everywhere or nowhere have no box.",
        if boxes.is_empty() {
            html! { p { "No claim fails in part of the space only." } }
        } else {
            table(
                &["claim", "fails where", "coverage", "density", "mass"],
                boxes.into_iter().map(texts).collect(),
                "",
                &[2, 3, 4],
            )
        },
    );

    let (sensitivity, c) = read(dir, "sensitivity.csv", &["claim", "key", "first_order"])?;
    let mut sens: Vec<(String, Vec<(String, f64)>)> = Vec::new();
    for r in &sensitivity.rows {
        let cell = |k: usize| sensitivity.cell(r, c[k]);
        let v: f64 = cell(2).parse().unwrap_or(f64::NAN);
        if sens.last().is_none_or(|(claim, _)| claim != cell(0)) {
            sens.push((cell(0).to_string(), Vec::new()));
        }
        if let Some(last) = sens.last_mut() {
            if v.is_finite() {
                last.1.push((cell(1).to_string(), v));
            }
        }
    }
    let rows = sens
        .into_iter()
        .map(|(c, mut v)| {
            v.sort_by(|a, b| b.1.total_cmp(&a.1));
            let top: Vec<String> = v
                .iter()
                .take(4)
                .map(|(k, s)| format!("{k} {s:.2}"))
                .collect();
            let sum: f64 = v.iter().map(|x| x.1).sum();
            texts(vec![c, top.join(", "), format!("{sum:.2}")])
        })
        .collect();
    page.section(
        "sensitivity",
        "What drives each claim's effect",
        "From sensitivity.csv: first-order Sobol' indices of the claim's effect, estimated from the experiments themselves (binning). The sum below 1 is the share of the effect's variance due to interactions between weights; with few experiments the binned estimates are noisy and the sum can exceed 1.",
        table(&["claim", "leading weights (S_i)", "Σ S_i"], rows, "", &[2]),
    );

    let rows = record
        .ranges
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.key),
                Cell::text(&f64_text(r.low)),
                Cell::text(&f64_text(r.high)),
                Cell::text(&r.scale),
                Cell::text(&r.why),
            ]
        })
        .collect();
    page.section(
        "ranges",
        "The ranges explored",
        "From explore.json: every uncertain weight, its plausible range and why.",
        html! {
            p {
                (record.samples) " experiments, " (record.reps)
                " replications of each claim's experiment at each; design seed "
                (record.seed) "; cast " (record.actor) " → " (record.target)
                " (third: " (record.third) ")."
            }
            (table(&["key", "low", "high", "scale", "why"], rows, "", &[1, 2]))
        },
    );
    Ok(())
}
