//! The report page of an exploration folder (`entente explore`): the share of
//! the space per verdict, where each claim fails in words, what drives each
//! claim's effect, and the ranges explored. `report.rs` frames these sections
//! and adds the figures of `plots/`.

use std::fmt::Write as _;
use std::path::Path;

use crate::experiment::explore::{ExploreRecord, CATEGORIES};
use crate::output::plot::PlotError;
use crate::output::read::ReadError;
use crate::output::xml::escape;

/// One section of the page; `html` is escaped already.
pub struct Section {
    /// The section's HTML id, the anchor of the table of contents (`verdicts`, …).
    pub id: &'static str,
    /// The section's heading.
    pub heading: &'static str,
    /// The paragraph under the heading (none when empty).
    pub intro: &'static str,
    /// The section's content, HTML with every cell escaped.
    pub html: String,
}

/// Whether `dir` holds an exploration.
pub fn is_explore(dir: &Path) -> bool {
    dir.join("explore.json").is_file() && dir.join("verdicts.csv").is_file()
}

fn records(dir: &Path, name: &str) -> Result<Vec<csv::StringRecord>, PlotError> {
    let path = dir.join(name);
    let err = |m: String| {
        PlotError::Read(ReadError::Invalid {
            path: path.clone(),
            message: m,
        })
    };
    let mut r = csv::Reader::from_path(&path).map_err(|e| err(e.to_string()))?;
    r.records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| err(e.to_string()))
}

fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut html = String::from("<div class=\"scroll\"><table>\n<thead><tr>");
    for h in headers {
        let _ = write!(html, "<th>{}</th>", escape(h));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        html.push_str("<tr>");
        for c in r {
            let _ = write!(html, "<td>{}</td>", escape(c));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody></table></div>\n");
    html
}

fn pct(text: &str) -> String {
    text.parse::<f64>()
        .map_or("—".into(), |v| format!("{:.0}%", 100.0 * v))
}

/// The sections of the page of `dir`.
pub fn sections(dir: &Path) -> Result<Vec<Section>, PlotError> {
    let path = dir.join("explore.json");
    let record: ExploreRecord = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        .map_err(|message| {
            PlotError::Read(ReadError::Invalid {
                path: path.clone(),
                message,
            })
        })?;
    let mut out = Vec::new();

    // claim → shares per category, in file order.
    let mut shares: Vec<(String, Vec<String>)> = Vec::new();
    for r in records(dir, "verdicts.csv")? {
        let (claim, cat) = (&r[0], &r[1]);
        let cell = format!("{} [{}, {}]", pct(&r[4]), pct(&r[5]), pct(&r[6]));
        if shares.last().is_none_or(|(c, _)| c != claim) {
            shares.push((claim.to_string(), vec![String::new(); CATEGORIES.len()]));
        }
        if let (Some(k), Some(last)) =
            (CATEGORIES.iter().position(|c| *c == cat), shares.last_mut())
        {
            last.1[k] = cell;
        }
    }
    let mut headers = vec!["claim"];
    headers.extend(CATEGORIES.iter().map(|c| match *c {
        "holds_without_mechanism" => "holds without its mechanism",
        other => other,
    }));
    let rows: Vec<Vec<String>> = shares
        .into_iter()
        .map(|(c, s)| std::iter::once(c).chain(s).collect())
        .collect();
    out.push(Section {
        id: "verdicts",
        heading: "Verdicts over the plausible space",
        intro: "From verdicts.csv: the share of the experiments (points of the Latin hypercube over the weights' ranges) where each claim gets each verdict, with its 95% Wilson interval.",
        html: table(&headers, &rows),
    });

    let mut boxes: Vec<Vec<String>> = Vec::new();
    for r in records(dir, "prim_boxes.csv")? {
        if boxes.last().is_some_and(|b| b[0] == r[0]) {
            continue;
        }
        boxes.push(vec![
            r[0].to_string(),
            r[12].to_string(),
            pct(&r[1]),
            pct(&r[2]),
            pct(&r[3]),
        ]);
    }
    out.push(Section {
        id: "failures",
        heading: "Where each claim is not supported",
        intro: "From prim_boxes.csv: PRIM (peeling and pasting, as the EMA Workbench runs it) on the experiments where the claim is not supported. Coverage: the share of its failures inside the box; density: the share of the box's experiments that are failures; mass: the box's share of all experiments. Claims that hold everywhere or nowhere have no box.",
        html: if boxes.is_empty() {
            "<p>No claim fails in part of the space only.</p>\n".into()
        } else {
            table(&["claim", "fails where", "coverage", "density", "mass"], &boxes)
        },
    });

    let mut sens: Vec<(String, Vec<(String, f64)>)> = Vec::new();
    for r in records(dir, "sensitivity.csv")? {
        let v: f64 = r[2].parse().unwrap_or(f64::NAN);
        if sens.last().is_none_or(|(c, _)| *c != r[0]) {
            sens.push((r[0].to_string(), Vec::new()));
        }
        if let Some(last) = sens.last_mut() {
            if v.is_finite() {
                last.1.push((r[1].to_string(), v));
            }
        }
    }
    let rows: Vec<Vec<String>> = sens
        .into_iter()
        .map(|(c, mut v)| {
            v.sort_by(|a, b| b.1.total_cmp(&a.1));
            let top: Vec<String> = v
                .iter()
                .take(4)
                .map(|(k, s)| format!("{k} {s:.2}"))
                .collect();
            let sum: f64 = v.iter().map(|x| x.1).sum();
            vec![c, top.join(", "), format!("{sum:.2}")]
        })
        .collect();
    out.push(Section {
        id: "sensitivity",
        heading: "What drives each claim's effect",
        intro: "From sensitivity.csv: first-order Sobol' indices of the claim's effect, estimated from the experiments themselves (binning). The sum below 1 is the share of the effect's variance due to interactions between weights.",
        html: table(&["claim", "leading weights (S_i)", "Σ S_i"], &rows),
    });

    let rows: Vec<Vec<String>> = record
        .ranges
        .iter()
        .map(|r| {
            vec![
                r.key.clone(),
                crate::format::f64_text(r.low),
                crate::format::f64_text(r.high),
                r.scale.clone(),
                r.why.clone(),
            ]
        })
        .collect();
    let mut html = format!(
        "<p>{} experiments, {} replications of each claim's experiment at each; design seed {}; cast {} → {} (third: {}).</p>\n",
        record.samples, record.reps, record.seed, escape(&record.actor), escape(&record.target), escape(&record.third)
    );
    html += &table(&["key", "low", "high", "scale", "why"], &rows);
    out.push(Section {
        id: "ranges",
        heading: "The ranges explored",
        intro: "From explore.json: every uncertain weight, its plausible range and why.",
        html,
    });
    Ok(out)
}
