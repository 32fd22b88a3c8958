//! The page of a claims folder: a tally of the verdicts, then each claim with
//! its metric, its effect and its effect under the null setting of the
//! mechanism it rests on (95% CIs, drawn to scale in a small SVG), and its
//! verdict in colour; then what ran.

use std::path::Path;

use maud::{html, Markup};

use super::sweep::manifest_section;
use super::{breakable, num, parse, table, Cell, Page, Result};
use crate::output::read::{self, CsvTable};

/// The CSS class of a verdict's badge.
fn verdict_class(verdict: &str) -> &'static str {
    let v = verdict.to_ascii_lowercase();
    if v.contains("inconclusive") {
        "warn"
    } else if v.contains("not supported")
        || v.contains("unsupported")
        || v.contains("refuted")
        || v.contains("contradict")
        || v.contains("reversed")
    {
        "bad"
    } else if v.contains("null") || v.contains("assumption") || v.contains("without") {
        "null"
    } else if v.contains("support") || v.contains("confirmed") {
        "good"
    } else {
        "other"
    }
}

fn badge(verdict: &str, text: Markup) -> Markup {
    html! { span class={ "badge " (verdict_class(verdict)) } { (text) } }
}

/// A small SVG: the effect's CI (dark) and the null effect's CI (purple, below)
/// on one scale with 0 marked.
fn interval_svg(e: (f64, f64, f64), n: (f64, f64, f64)) -> Markup {
    let vals: Vec<f64> = [e.0, e.1, e.2, n.0, n.1, n.2, 0.0]
        .into_iter()
        .filter(|x| x.is_finite())
        .collect();
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (w, pad) = (200.0, 8.0);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x = |v: f64| format!("{:.1}", pad + (v - lo) / span * (w - 2.0 * pad));
    let marks = [(0, e, "#212529"), (1, n, "#6f42c1")];
    html! {
        svg.interval width=(w) height="34" viewBox={ "0 0 " (w) " 34" } role="img"
            aria-label="effect and null effect with 95% CIs" {
            line x1=(x(0.0)) y1="2" x2=(x(0.0)) y2="32" stroke="#adb5bd" stroke-dasharray="3 2" {}
            @for (k, (m, l, h), color) in marks {
                @if m.is_finite() {
                    @let y = 11.0 + 13.0 * k as f64;
                    @if l.is_finite() && h.is_finite() {
                        line x1=(x(l)) y1=(y) x2=(x(h)) y2=(y) stroke=(color) stroke-width="2" {}
                    }
                    circle cx=(x(m)) cy=(y) r="3.5" fill=(if k == 0 { color } else { "#fff" })
                        stroke=(color) stroke-width="1.5" {}
                }
            }
        }
    }
}

/// `m [l, h]`, or a dash when `m` is undefined.
fn ci(m: f64, l: f64, h: f64) -> Markup {
    html! {
        @if m.is_finite() {
            (num(m)) " " span.lo { "[" (num(l)) ", " (num(h)) "]" }
        } @else {
            "—"
        }
    }
}

/// Adds the claims folder's sections to `page`: the claims table of `claims.csv`,
/// with each verdict, effect and null effect.
pub fn sections(dir: &Path, page: &mut Page) -> Result<()> {
    let t = CsvTable::read(&dir.join("claims.csv"))?;
    let label = t.find("label").map_or(t.col("claim"), Ok)?;
    let statement = t.col("statement")?;
    let experiment = t.find("experiment");
    let metric = t.col("metric")?;
    let (e, lo, hi) = (t.col("effect")?, t.col("ci_low")?, t.col("ci_high")?);
    let (ne, nlo, nhi) = (
        t.col("null_effect")?,
        t.col("null_ci_low")?,
        t.col("null_ci_high")?,
    );
    let null_setting = t.find("null_setting");
    let n = t.find("n");
    let verdict = t.col("verdict")?;

    let mut tally: Vec<(&str, usize)> = Vec::new();
    for r in &t.rows {
        let v = t.cell(r, verdict);
        match tally.iter_mut().find(|(k, _)| *k == v) {
            Some((_, c)) => *c += 1,
            None => tally.push((v, 1)),
        }
    }
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let get = |c: usize| parse(t.cell(r, c));
            let (em, el, eh) = (get(e), get(lo), get(hi));
            let (nm, nl, nh) = (get(ne), get(nlo), get(nhi));
            let setting = null_setting.map_or("", |c| t.cell(r, c));
            vec![
                Cell::plain(html! { b { (t.cell(r, label)) } }),
                Cell::with(
                    "claim",
                    html! {
                        span.stmt { (t.cell(r, statement)) }
                        @if let Some(x) = experiment { span.small { (t.cell(r, x)) } }
                    },
                ),
                Cell::plain(html! {
                    code { (breakable(t.cell(r, metric))) }
                    @if let Some(c) = n { span.small { "n = " (t.cell(r, c)) } }
                }),
                Cell::with(
                    "effects",
                    html! {
                        span.eff { (ci(em, el, eh)) }
                        span.nul { "null " (ci(nm, nl, nh)) }
                        @if !setting.is_empty() { span.small { "null setting: " (setting) } }
                        (interval_svg((em, el, eh), (nm, nl, nh)))
                    },
                ),
                Cell::plain(badge(t.cell(r, verdict), html! { (t.cell(r, verdict)) })),
            ]
        })
        .collect();
    page.section(
        "claims",
        "Claims",
        "From claims.csv: each claim's effect with its 95% CI over replications, the same test under the null setting of the mechanism the claim rests on, and the verdict.",
        html! {
            p {
                @for (v, c) in &tally {
                    (badge(v, html! { (c) " × " (v) })) " "
                }
            }
            (table(
                &[
                    "#",
                    "claim and experiment",
                    "metric",
                    "effect ● and under null ○ [95% CI]",
                    "verdict",
                ],
                rows,
                "Each interval is drawn to its row's own scale (effects are in the units of their metric); the dashed line marks 0.",
                &[],
            ))
        },
    );
    if dir.join("manifest.json").is_file() {
        let m = read::sweep::manifest(dir)?;
        manifest_section(page, &m);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_get_colours() {
        assert_eq!(verdict_class("supported"), "good");
        assert_eq!(verdict_class("not supported"), "bad");
        assert_eq!(verdict_class("inconclusive at this N"), "warn");
        assert_eq!(verdict_class("follows from the null assumption"), "null");
        assert_eq!(verdict_class("holds without its mechanism"), "null");
        assert_eq!(verdict_class("?"), "other");
    }
}
