//! The page of a run folder: headline cards (camps, balance index, deals, seed),
//! reciprocation per policy pair, the states at the end, the final alignments of
//! the key pairs (the first by the model's rule, as `summary.csv` ranks them)
//! with their S-scores, the counts over the run, and every row of
//! `summary.csv`.

use std::path::Path;

use maud::html;

use super::{card, num, table, Cell, Page, Result};
use crate::engine::model::{rank_pairs, tie_strength};
use crate::output::read::run::{seed, Summary, SummaryRow};

/// At most this many key pairs in the table of final alignments.
const MAX_FINALS: usize = 16;

/// Adds a run folder's sections to `page`, from its `summary.csv` and `scenario/`.
pub fn sections(dir: &Path, page: &mut Page) -> Result<()> {
    let summary = Summary::read(dir)?;
    let get = |metric: &str, a: &str, b: &str| summary.get(metric, a, b);
    // States by camp, then by power.
    let camp = |s: &str| get("camp", s, "");
    let share = |s: &str| get("power_share", s, "");
    let mut states: Vec<&str> = summary.metric("camp").map(|r| r.a.as_str()).collect();
    states.sort_by(|x, y| {
        camp(x)
            .total_cmp(&camp(y))
            .then(share(y).total_cmp(&share(x)))
    });
    let mut camps: Vec<(i64, Vec<&str>)> = Vec::new();
    for &s in &states {
        let c = camp(s);
        let c = if c.is_finite() { c as i64 } else { -1 };
        match camps.iter_mut().find(|(k, _)| *k == c) {
            Some((_, m)) => m.push(s),
            None => camps.push((c, vec![s])),
        }
    }
    camps.sort_by_key(|(k, _)| *k);
    let camps_text = camps
        .iter()
        .map(|(_, m)| format!("{{{}}}", m.join(" ")))
        .collect::<Vec<_>>()
        .join(" vs ");
    let balance = get("balance_index", "", "");
    let made = get("deals_made", "", "");
    let alive = get("deals_alive", "", "");
    let seed = seed(dir).unwrap_or_default();

    let reciprocation: Vec<&SummaryRow> = summary.metric("reciprocation_rate").collect();
    let reciprocation = (!reciprocation.is_empty()).then(|| {
        let rows = reciprocation
            .iter()
            .map(|r| {
                let (a, b) = (r.a.as_str(), r.b.as_str());
                vec![
                    Cell::text(a),
                    Cell::text(b),
                    Cell::text(&num(get("offers", a, b))),
                    Cell::text(&num(get("reciprocations", a, b))),
                    Cell::text(&num(r.value)),
                    Cell::text(&num(get("mean_p", a, b))),
                ]
            })
            .collect();
        table(
            &["offers by", "to", "offers", "reciprocated", "rate", "mean p"],
            rows,
            "rate = reciprocated / offers; mean p = mean probability of reciprocation σ(U) over the offers.",
            &[2, 3, 4, 5],
        )
    });

    let state_rows = states
        .iter()
        .map(|&s| {
            vec![
                Cell::text(s),
                Cell::text(&num(camp(s))),
                Cell::text(&num(share(s))),
                Cell::text(&num(get("hardliners", s, ""))),
                Cell::text(&num(get("aggressions", s, ""))),
            ]
        })
        .collect();
    let states_table = (!states.is_empty()).then(|| {
        table(
            &["state", "camp", "power share", "hardliners", "aggressions"],
            state_rows,
            "Camp: sign of the leading eigenvector of the final alignment matrix.",
            &[1, 2, 3, 4],
        )
    });

    let finals = finals_table(&summary);

    // Network totals.
    let totals: Vec<&SummaryRow> = summary
        .rows
        .iter()
        .filter(|r| r.a.is_empty() && r.b.is_empty())
        .collect();
    let totals = (!totals.is_empty()).then(|| {
        let rows = totals
            .iter()
            .map(|r| vec![Cell::text(&r.metric), Cell::text(&num(r.value))])
            .collect();
        table(&["metric", "value"], rows, "", &[1])
    });
    let every_row = summary
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.metric),
                Cell::text(&r.a),
                Cell::text(&r.b),
                Cell::text(&r.text),
            ]
        })
        .collect();

    let camps_sub = if camps_text.is_empty() {
        "—"
    } else {
        &camps_text
    };
    page.section(
        "summary",
        "Summary",
        "The run's headline results, from summary.csv.",
        html! {
            div.cards {
                (card("camps", &camps.len().to_string(), camps_sub))
                (card(
                    "balance index",
                    &format!("{balance:.3}"),
                    "share of balanced triads, weighted by |a_ij a_jk a_ik|",
                ))
                (card("deals", &format!("{} made", num(made)), &format!("{} alive at the end", num(alive))))
                @if !seed.is_empty() {
                    (card("seed", &seed, &format!("{} states", states.len())))
                }
            }
            div.tables {
                @if let Some(t) = reciprocation {
                    div.block { h3 { "Reciprocation per policy pair" } (t) }
                }
                @if let Some(t) = states_table {
                    div.block { h3 { "States at the end" } (t) }
                }
                @if let Some(t) = finals {
                    div.block { h3 { "Final alignments" } (t) }
                }
                @if let Some(t) = totals {
                    div.block { h3 { "Counts over the run" } (t) }
                }
            }
            details {
                summary { "Every row of summary.csv (" (summary.rows.len()) ")" }
                (table(&["metric", "a", "b", "value"], every_row, "", &[3]))
            }
        },
    );
    Ok(())
}

/// The final alignment and interest (and S-scores, when `summary.csv` has
/// them) of the first key pairs in the run's `key_pair` ranking; a folder
/// without that ranking (written before it was) ranks its final alignments by
/// the same rule without policies.
fn finals_table(summary: &Summary) -> Option<maud::Markup> {
    let get = |metric: &str, a: &str, b: &str| summary.get(metric, a, b);
    let named = summary.metric("final_alignment").count();
    let mut pairs = summary.key_pairs();
    if pairs.is_empty() {
        pairs = summary
            .metric("final_alignment")
            .map(|r| (r.a.clone(), r.b.clone()))
            .collect();
        let share = |s: &str| get("power_share", s, "");
        rank_pairs(
            &mut pairs,
            |_| None,
            |(a, b)| tie_strength(get("final_alignment", a, b), share(a) * share(b)),
        );
    }
    pairs.truncate(MAX_FINALS);
    if pairs.is_empty() {
        return None;
    }
    let mut caption = if named > pairs.len() {
        format!(
            "{} of the {} pairs the scenario names: its policies' pairs, then the strongest ties between powers (|a_ij|·√(share_i·share_j)). a_ij: final alignment (−1 enemy … +1 ally), b_ij: interest; every pair is in summary.csv.",
            pairs.len(),
            named
        )
    } else {
        "The pairs the scenario lists or its policies address. a_ij: final alignment (−1 enemy … +1 ally), b_ij: interest.".to_string()
    };
    // S-scores, when summary.csv has them (`s_score`, `s_score_weighted`).
    let s_kinds: Vec<&str> = ["s_score", "s_score_weighted"]
        .into_iter()
        .filter(|m| summary.metric(m).next().is_some())
        .collect();
    let rows = pairs
        .iter()
        .map(|(a, b)| {
            let mut row = vec![
                Cell::text(&format!("{a}-{b}")),
                Cell::text(&num(get("final_alignment", a, b))),
                Cell::text(&num(get("final_interest", a, b))),
            ];
            row.extend(s_kinds.iter().map(|m| Cell::text(&num(get(m, a, b)))));
            row
        })
        .collect();
    let mut headers = vec!["pair", "a_ij", "b_ij"];
    headers.extend(
        s_kinds
            .iter()
            .map(|m| if *m == "s_score" { "S" } else { "S weighted" }),
    );
    if !s_kinds.is_empty() {
        caption += " S: similarity of the two states' alignment portfolios (Signorino & Ritter 1999), 1 identical … −1 opposite; weighted by power share.";
    }
    let numeric: Vec<usize> = (1..headers.len()).collect();
    Some(table(&headers, rows, &caption, &numeric))
}
