//! The page of a sweep folder — what ran (from `manifest.json`) and the key
//! metrics per configuration with their 95% CIs (from `summary.csv`) — and of a
//! compare folder, whose comparison (`compare.csv`) shows each configuration's
//! mean and its difference from the first.

use std::path::Path;

use maud::html;

use super::{ci_cell, num, parse, table, Cell, Page, Result};
use crate::experiment::manifest::Manifest;
use crate::output::read::{self, CsvTable};

/// What ran: enough to reproduce every number on the page.
pub fn manifest_section(page: &mut Page, m: &Manifest) {
    let layout = &m.layout;
    let configs = layout.configs.len();
    let params = m
        .params
        .iter()
        .map(|(k, v)| vec![Cell::text(k), Cell::text(v)])
        .collect();
    page.section(
        "sweep",
        "What ran",
        "From manifest.json: enough to reproduce every number on this page.",
        html! {
            dl.facts {
                dt { "scenario" } dd { (m.scenario) " " code { (m.scenario_dir) } }
                dt { "runs" }
                dd {
                    (m.runs) " = " (configs) " configuration" @if configs != 1 { "s" }
                    " × " (m.reps) " replications"
                }
                @if !layout.varying.is_empty() {
                    dt { "varying" }
                    dd { @for (k, key) in layout.varying.iter().enumerate() { @if k > 0 { " " } code { (key) } } }
                }
                @if !m.grid.is_empty() {
                    dt { "grid" }
                    dd { @for (k, axis) in m.grid.iter().enumerate() { @if k > 0 { " " } code { (axis) } } }
                }
                dt { "seed" } dd { (m.seed) }
                @if m.shard.count > 1 {
                    dt { "shard" } dd { (m.shard.index) " of " (m.shard.count) }
                }
                dt { "sweep id" } dd { code { (m.sweep_id) } }
                dt { "scenario hash" } dd { code { (m.scenario_hash) } }
                dt { "entente" } dd { (m.entente_version) }
                dt { "command" } dd { code { (m.command_line.join(" ")) } }
            }
            details {
                summary { "Parameters (" (m.params.len()) ")" }
                (table(&["key", "value"], params, "", &[]))
            }
        },
    );
}

/// The key metrics of a sweep (as `compare` picks them), at most 10.
fn key_columns(m: &Manifest) -> Vec<String> {
    crate::experiment::compare::key_metrics(m)
        .into_iter()
        .filter_map(|i| m.layout.columns.get(i).cloned())
        .take(10)
        .collect()
}

/// Adds a sweep folder's sections to `page`: the manifest and the key metrics per
/// configuration, and the comparison's table when `compare`.
pub fn sections(dir: &Path, page: &mut Page, compare: bool) -> Result<()> {
    let m = read::sweep::manifest(dir)?;
    manifest_section(page, &m);
    if compare {
        // The comparison shows the key metrics already.
        return compare_section(dir, page);
    }
    let summary = read::sweep::summary(dir)?;
    let stat = |config: &str, metric: &str| summary.get(&(config.to_string(), metric.to_string()));
    let metrics = key_columns(&m);
    // Grid configurations are named by their settings: then the varying keys'
    // columns say it all.
    let named = m
        .layout
        .configs
        .iter()
        .any(|c| c.name != c.settings.join("/"));
    let mut headers: Vec<&str> = Vec::new();
    if named || m.layout.varying.is_empty() {
        headers.push("configuration");
    }
    let name_cols = headers.len();
    headers.extend(m.layout.varying.iter().map(String::as_str));
    headers.push("runs");
    headers.extend(metrics.iter().map(String::as_str));
    let first_metric = name_cols + 1 + m.layout.varying.len();
    let rows = m
        .layout
        .configs
        .iter()
        .map(|c| {
            let mut row = Vec::new();
            if name_cols > 0 {
                row.push(Cell::text(&c.name));
            }
            row.extend(
                c.values
                    .iter()
                    .map(|v| Cell::text(if v.is_empty() { "·" } else { v })),
            );
            let n = metrics
                .iter()
                .filter_map(|metric| stat(&c.name, metric))
                .map(|s| s.n)
                .fold(f64::NAN, f64::max);
            row.push(Cell::text(&num(n)));
            for metric in &metrics {
                row.push(match stat(&c.name, metric) {
                    Some(s) => ci_cell(s.mean, s.ci_low, s.ci_high),
                    None => ci_cell(f64::NAN, f64::NAN, f64::NAN),
                });
            }
            row
        })
        .collect();
    let numeric: Vec<usize> = (first_metric - 1..headers.len()).collect();
    page.section(
        "metrics",
        "Key metrics per configuration",
        "Mean over replications with its 95% confidence interval, from summary.csv.",
        html! {
            div.compact {
                (table(
                    &headers,
                    rows,
                    "Each cell: mean, and below it the 95% CI of the mean. Every metric of every configuration is in summary.csv; per-run values in runs.csv.",
                    &numeric,
                ))
            }
        },
    );
    Ok(())
}

fn compare_section(dir: &Path, page: &mut Page) -> Result<()> {
    let t = CsvTable::read(&dir.join("compare.csv"))?;
    let (c_metric, c_cfg, c_mean, c_lo, c_hi, c_d, c_dlo, c_dhi) = (
        t.col("metric")?,
        t.col("config")?,
        t.col("mean")?,
        t.col("ci_low")?,
        t.col("ci_high")?,
        t.col("diff")?,
        t.col("diff_low")?,
        t.col("diff_high")?,
    );
    let mut configs: Vec<&str> = Vec::new();
    let mut metrics: Vec<&str> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for r in &t.rows {
        let (m, c) = (t.cell(r, c_metric), t.cell(r, c_cfg));
        if !configs.contains(&c) {
            configs.push(c);
        }
        if !metrics.contains(&m) {
            metrics.push(m);
        }
        index.entry((m, c)).or_insert(r);
    }
    let reference = configs.first().copied().unwrap_or("");
    let mut headers: Vec<&str> = vec!["metric"];
    headers.extend(configs.iter().copied());
    let mut rows = Vec::new();
    for m in &metrics {
        let mut row = vec![Cell::plain(html! { code { (m) } })];
        for c in &configs {
            let Some(r) = index.get(&(*m, *c)) else {
                row.push(ci_cell(f64::NAN, f64::NAN, f64::NAN));
                continue;
            };
            let get = |k: usize| parse(t.cell(r, k));
            let (mean, lo, hi) = (get(c_mean), get(c_lo), get(c_hi));
            let (d, dlo, dhi) = (get(c_d), get(c_dlo), get(c_dhi));
            let sig = d.is_finite() && (dlo > 0.0 || dhi < 0.0);
            let body = html! {
                (num(mean)) " " span.lo { "[" (num(lo)) ", " (num(hi)) "]" }
                @if d.is_finite() {
                    span.small {
                        "Δ " @if d > 0.0 { "+" } (num(d)) " [" (num(dlo)) ", " (num(dhi)) "]"
                    }
                } @else {
                    span.small { "reference" }
                }
            };
            row.push(Cell::with(
                if sig { "ci diff sig" } else { "ci diff" },
                body,
            ));
        }
        rows.push(row);
    }
    page.section(
        "compare",
        "Comparison",
        &format!(
            "From compare.csv: each configuration's mean with its 95% CI, and below it the difference from {reference} with Welch's 95% CI (in bold when the CI excludes 0)."
        ),
        table(&headers, rows, "", &[]),
    );
    Ok(())
}
