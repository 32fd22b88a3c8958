//! `report.html`: one self-contained page that shows an output folder — its tables
//! and its plots — to a reader with nothing but a browser.
//!
//! The page has no outside resource: the CSS is inline, the figures are the SVG
//! files of `plots/` inlined (drawn first when missing), and it needs no script.
//! Every text that comes from a file is escaped. The folder's kind is told from the
//! files it holds ([`FolderKind::detect`]):
//!
//! - a **run** (`alignments.csv` and `summary.csv`): camps, balance index,
//!   reciprocation per policy pair, deals, final alignments (and S-scores, when
//!   `summary.csv` has them) of the key pairs, the trajectories and the network;
//! - a **sweep** (`manifest.json`): what ran, the key metrics per configuration with
//!   their 95% CIs, the trajectory bands and heatmaps;
//! - a **compare** folder (a sweep with `compare.csv`): the comparison with one
//!   column per configuration and its differences from the first;
//! - a **claims** folder (`claims.csv`): each claim's effect and null effect with
//!   their CIs, drawn to scale, and its verdict in colour; the grid claim's heatmaps.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use super::atomic::write_file_atomic;
use super::plot::{self, CsvTable, PlotError};
use crate::experiment::manifest::Manifest;

/// What can go wrong while building a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path} is not an entente output folder: expected claims.csv, compare.csv, manifest.json (a sweep) or alignments.csv with summary.csv (a run)")]
    NotAnOutput { path: String },
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error(transparent)]
    Plot(#[from] PlotError),
}

pub type Result<T> = std::result::Result<T, ReportError>;

/// The kinds of output folder a report can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderKind {
    Run,
    Sweep,
    Compare,
    Claims,
    Explore,
}

impl FolderKind {
    /// Tells the kind from the files present (claims, then compare, then sweep,
    /// then run: the first three are all sweeps).
    pub fn detect(dir: &Path) -> Result<FolderKind> {
        let has = |name: &str| dir.join(name).is_file();
        if super::explore_report::is_explore(dir) {
            Ok(FolderKind::Explore)
        } else if has("claims.csv") {
            Ok(FolderKind::Claims)
        } else if has("compare.csv") {
            Ok(FolderKind::Compare)
        } else if has("manifest.json") {
            Ok(FolderKind::Sweep)
        } else if has("alignments.csv") && has("summary.csv") {
            Ok(FolderKind::Run)
        } else {
            Err(ReportError::NotAnOutput {
                path: dir.display().to_string(),
            })
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FolderKind::Run => "run",
            FolderKind::Sweep => "sweep",
            FolderKind::Compare => "compare",
            FolderKind::Claims => "claims",
            FolderKind::Explore => "explore",
        }
    }
}

/// Escapes text for HTML (element content and quoted attribute values).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Builds the report of `dir` and writes it to `output` (default
/// `dir/report.html`), atomically; returns the path written and the folder's kind.
pub fn write_report(dir: &Path, output: Option<&Path>) -> Result<(PathBuf, FolderKind)> {
    let kind = FolderKind::detect(dir)?;
    let html = build_report(dir, kind)?;
    let path = output
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.join("report.html"));
    write_file_atomic(&path, html.as_bytes()).map_err(|source| ReportError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok((path, kind))
}

/// The HTML page of `dir`, a folder of kind `kind`; draws its plots first when
/// `dir/plots/` has none (a failure to draw is reported on the page, not fatal).
pub fn build_report(dir: &Path, kind: FolderKind) -> Result<String> {
    let mut page = Page::default();
    let name = plot::run_name(dir);
    let plot_note = ensure_plots(dir, kind);
    match kind {
        FolderKind::Run => run_sections(dir, &mut page)?,
        FolderKind::Sweep => sweep_sections(dir, &mut page, false)?,
        FolderKind::Compare => sweep_sections(dir, &mut page, true)?,
        FolderKind::Claims => claims_sections(dir, &mut page)?,
        FolderKind::Explore => {
            for s in super::explore_report::sections(dir)? {
                page.section(s.id, s.heading, s.intro);
                page.raw(&s.html);
                page.end_section();
            }
        }
    }
    figures_section(dir, &mut page, plot_note);
    Ok(page.finish(kind, &name, dir))
}

/// Draws the plots of `dir` unless `dir/plots/` already has SVG files; returns a
/// note for the page when drawing failed.
fn ensure_plots(dir: &Path, kind: FolderKind) -> Option<String> {
    if !svg_files(dir).is_empty() {
        return None;
    }
    if kind == FolderKind::Claims && !dir.join("manifest.json").is_file() {
        // A claims table alone: nothing to draw.
        return None;
    }
    let drawn = match kind {
        FolderKind::Run => plot::write_run_plots(dir),
        FolderKind::Sweep | FolderKind::Compare => plot::write_sweep_plots(dir),
        FolderKind::Claims => plot::write_claims_plots(dir),
        // Drawn by `entente explore` from its outcomes.
        FolderKind::Explore => return None,
    };
    drawn
        .err()
        .map(|e| format!("The plots could not be drawn: {e}"))
}

fn svg_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join("plots")) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "svg")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    let rank = |p: &PathBuf| {
        let n = p
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let r = if n.starts_with("trajectories") {
            0
        } else if n.starts_with("heatmap") {
            1
        } else if n.starts_with("network") {
            2
        } else {
            3
        };
        (r, n)
    };
    files.sort_by_key(rank);
    files
}

// ---------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Page {
    /// (id, heading) of each section, for the table of contents.
    toc: Vec<(String, String)>,
    body: String,
    figures: usize,
}

impl Page {
    fn section(&mut self, id: &str, heading: &str, intro: &str) {
        self.toc.push((id.to_string(), heading.to_string()));
        let _ = write!(
            self.body,
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            escape(id),
            escape(heading)
        );
        if !intro.is_empty() {
            let _ = writeln!(self.body, "<p class=\"intro\">{}</p>", escape(intro));
        }
    }

    fn end_section(&mut self) {
        self.body.push_str("</section>\n");
    }

    fn raw(&mut self, html: &str) {
        self.body.push_str(html);
    }

    fn finish(self, kind: FolderKind, name: &str, dir: &Path) -> String {
        let mut html = String::new();
        let title = format!("entente {} report — {}", kind.as_str(), name);
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"entente {}\">\n<title>{}</title>\n<style>\n{}</style>\n\
             </head>\n<body>\n<header class=\"top\"><div class=\"wrap\">\n\
             <div class=\"kind\">entente · {} report</div>\n<h1>{}</h1>\n\
             <div class=\"path\">{}</div>\n</div></header>\n<main class=\"wrap\">\n",
            env!("CARGO_PKG_VERSION"),
            escape(&title),
            CSS,
            escape(kind.as_str()),
            escape(name),
            escape(&dir.display().to_string()),
        );
        if self.toc.len() > 1 {
            html.push_str("<nav class=\"toc\"><span>Contents</span>");
            for (id, heading) in &self.toc {
                let _ = write!(html, "<a href=\"#{}\">{}</a>", escape(id), escape(heading));
            }
            html.push_str("</nav>\n");
        }
        html.push_str(&self.body);
        let _ = write!(
            html,
            "</main>\n<footer class=\"wrap\">Written by <code>entente report</code> {} from the files of this folder; \
             every figure is also in <code>plots/</code> as SVG and PNG.</footer>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION")
        );
        html
    }
}

const CSS: &str = r#":root {
  --ink: #212529; --muted: #5f6670; --line: #dee2e6; --soft: #f6f7f9;
  --accent: #1f5f99; --good: #1a7f37; --bad: #c0392b; --warn: #9a6700; --null: #6f42c1;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font: 15px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue",
    Arial, "Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif; }
.wrap { max-width: 1160px; margin: 0 auto; padding: 0 28px; }
header.top { background: #14324f; color: #fff; padding: 26px 0 22px; }
header.top h1 { margin: 2px 0 4px; font-size: 28px; font-weight: 650; letter-spacing: -0.01em; }
header.top .kind { text-transform: uppercase; letter-spacing: 0.08em; font-size: 12px; opacity: 0.8; }
header.top .path { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; opacity: 0.8; word-break: break-all; }
nav.toc { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 14px 0; border-bottom: 1px solid var(--line); font-size: 14px; }
nav.toc span { color: var(--muted); font-weight: 600; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
section { margin: 34px 0 10px; }
h2 { font-size: 21px; margin: 0 0 6px; font-weight: 650; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 22px 0 6px; }
p.intro, p.note { color: var(--muted); margin: 4px 0 12px; max-width: 80ch; }
p.note.error { color: var(--bad); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin: 14px 0; }
.card { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .label { font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.card .value { font-size: 22px; font-weight: 650; margin-top: 2px; font-variant-numeric: tabular-nums; }
.card .sub { font-size: 13px; color: var(--muted); }
.scroll { overflow-x: auto; margin: 8px 0 4px; }
.compact table { font-size: 13px; }
.compact th, .compact td { padding: 5px 7px; }
.tables { column-count: 2; column-gap: 40px; }
.tables .block { break-inside: avoid; display: inline-block; width: 100%; margin-bottom: 6px; }
.tables table { width: 100%; }
.tables td:first-child { white-space: nowrap; }
.tables th, .tables td { padding: 6px 9px; }
@media (max-width: 900px) { .tables { column-count: 1; } }
table { border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 13px; padding-top: 6px; }
th, td { padding: 6px 12px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid #adb5bd; font-weight: 600; vertical-align: bottom; }
tbody tr:nth-child(even) td { background: #fbfbfc; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.ci { white-space: nowrap; text-align: right; }
td.ci .lo { color: var(--muted); font-size: 12.5px; }
td.diff.sig .small { font-weight: 650; color: var(--ink); }
td.claim { min-width: 320px; max-width: 460px; }
td.claim .stmt { font-weight: 500; }
td.effects { white-space: nowrap; min-width: 220px; }
td.effects .eff, td.effects .nul { display: block; }
td.effects .nul { color: var(--null); }
td.effects .small { white-space: normal; max-width: 250px; }
td.effects .lo { color: var(--muted); font-size: 12.5px; }
.figgrid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 0 22px; }
figure.narrow .plot { max-width: 820px; }
td .small { color: var(--muted); font-size: 12.5px; display: block; margin-top: 2px; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; background: var(--soft); padding: 1px 4px; border-radius: 4px; }
.badge { display: inline-block; padding: 2px 9px; border-radius: 999px; font-size: 12.5px; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.badge.good { background: #dafbe1; color: var(--good); border-color: #aceebb; }
.badge.bad { background: #ffebe9; color: var(--bad); border-color: #ffcecb; }
.badge.warn { background: #fff8c5; color: var(--warn); border-color: #f2e08c; }
.badge.null { background: #f3f0ff; color: var(--null); border-color: #d8ccff; }
.badge.other { background: var(--soft); color: var(--muted); border-color: var(--line); }
figure { margin: 22px 0 30px; }
figure .plot { border: 1px solid var(--line); border-radius: 8px; padding: 8px; background: #fff; }
figure .plot svg { display: block; width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 14px; margin-top: 8px; max-width: 90ch; }
figcaption b { color: var(--ink); }
figcaption .src { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
details { margin: 10px 0; }
details summary { cursor: pointer; color: var(--accent); font-size: 14px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 10px 0; font-size: 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; word-break: break-word; }
svg.interval { display: block; }
footer { color: var(--muted); font-size: 13px; margin: 40px auto 30px; border-top: 1px solid var(--line); padding-top: 12px; }
@media print { header.top { background: none; color: var(--ink); } nav.toc { display: none; } figure { break-inside: avoid; } }
"#;

// ---------------------------------------------------------------------------
// Small HTML helpers
// ---------------------------------------------------------------------------

/// A number for a table: up to 3 decimals, trailing zeros dropped; `—` for NaN.
fn num(x: f64) -> String {
    plot::short_number(x)
}

/// Escaped text with break opportunities after `:` and `>` (long metric names).
fn breakable(text: &str) -> String {
    escape(text)
        .replace(':', ":<wbr>")
        .replace("&gt;", "&gt;<wbr>")
}

fn parse(text: &str) -> f64 {
    text.trim().parse().unwrap_or(f64::NAN)
}

/// `mean` with its CI below it, in a `td`.
fn ci_cell(mean: f64, lo: f64, hi: f64) -> String {
    if !mean.is_finite() {
        return "<td class=\"ci\">—</td>".into();
    }
    if lo.is_finite() && hi.is_finite() {
        format!(
            "<td class=\"ci\">{}<br><span class=\"lo\">[{}, {}]</span></td>",
            num(mean),
            num(lo),
            num(hi)
        )
    } else {
        format!("<td class=\"ci\">{}</td>", num(mean))
    }
}

fn card(label: &str, value: &str, sub: &str) -> String {
    format!(
        "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"sub\">{}</div></div>",
        escape(label),
        escape(value),
        escape(sub)
    )
}

/// A plain table: headers and rows of already-escaped cells (`<td>` added here
/// unless the cell starts with `<td`).
fn table(headers: &[&str], rows: &[Vec<String>], caption: &str, numeric: &[usize]) -> String {
    let mut html = String::from("<div class=\"scroll\"><table>\n");
    if !caption.is_empty() {
        let _ = writeln!(html, "<caption>{}</caption>", escape(caption));
    }
    html.push_str("<thead><tr>");
    for (k, h) in headers.iter().enumerate() {
        let class = if numeric.contains(&k) {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(html, "<th{class}>{}</th>", breakable(h));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        html.push_str("<tr>");
        for (k, c) in r.iter().enumerate() {
            if c.starts_with("<td") {
                html.push_str(c);
            } else if numeric.contains(&k) {
                let _ = write!(html, "<td class=\"num\">{c}</td>");
            } else {
                let _ = write!(html, "<td>{c}</td>");
            }
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody></table></div>\n");
    html
}

fn read(path: &Path) -> Result<CsvTable> {
    Ok(CsvTable::read(path)?)
}

// ---------------------------------------------------------------------------
// A run
// ---------------------------------------------------------------------------

/// One row of a run's `summary.csv`.
struct Row {
    metric: String,
    a: String,
    b: String,
    value: f64,
    text: String,
}

fn run_rows(dir: &Path) -> Result<Vec<Row>> {
    let t = read(&dir.join("summary.csv"))?;
    let (m, a, b, v) = (t.col("metric")?, t.col("a")?, t.col("b")?, t.col("value")?);
    Ok(t.rows
        .iter()
        .map(|r| Row {
            metric: t.cell(r, m).to_string(),
            a: t.cell(r, a).to_string(),
            b: t.cell(r, b).to_string(),
            value: parse(t.cell(r, v)),
            text: t.cell(r, v).to_string(),
        })
        .collect())
}

fn get(rows: &[Row], metric: &str, a: &str, b: &str) -> f64 {
    rows.iter()
        .find(|r| r.metric == metric && r.a == a && r.b == b)
        .map_or(f64::NAN, |r| r.value)
}

fn run_sections(dir: &Path, page: &mut Page) -> Result<()> {
    let rows = run_rows(dir)?;
    // States by camp, then by power.
    let mut states: Vec<String> = rows
        .iter()
        .filter(|r| r.metric == "camp")
        .map(|r| r.a.clone())
        .collect();
    let camp = |s: &str| get(&rows, "camp", s, "");
    let power = |s: &str| get(&rows, "power_share", s, "");
    states.sort_by(|x, y| {
        camp(x)
            .total_cmp(&camp(y))
            .then(power(y).total_cmp(&power(x)))
    });
    let mut camps: Vec<(i64, Vec<&str>)> = Vec::new();
    for s in &states {
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
    let balance = get(&rows, "balance_index", "", "");
    let made = get(&rows, "deals_made", "", "");
    let alive = get(&rows, "deals_alive", "", "");
    let seed = plot::run_seed(dir).unwrap_or_default();

    page.section(
        "summary",
        "Summary",
        "The run's headline results, from summary.csv.",
    );
    let mut cards = String::from("<div class=\"cards\">");
    cards += &card(
        "camps",
        &format!("{}", camps.len()),
        if camps_text.is_empty() {
            "—"
        } else {
            &camps_text
        },
    );
    cards += &card(
        "balance index",
        &format!("{balance:.3}"),
        "share of balanced triads, weighted by |a_ij a_jk a_ik|",
    );
    cards += &card(
        "deals",
        &format!("{} made", num(made)),
        &format!("{} alive at the end", num(alive)),
    );
    if !seed.is_empty() {
        cards += &card("seed", &seed, &format!("{} states", states.len()));
    }
    cards.push_str("</div>\n");
    page.raw(&cards);
    page.raw("<div class=\"tables\">\n");

    // Reciprocation per policy pair.
    let rec: Vec<&Row> = rows
        .iter()
        .filter(|r| r.metric == "reciprocation_rate")
        .collect();
    if !rec.is_empty() {
        page.raw("<div class=\"block\"><h3>Reciprocation per policy pair</h3>\n");
        let body: Vec<Vec<String>> = rec
            .iter()
            .map(|r| {
                vec![
                    escape(&r.a),
                    escape(&r.b),
                    num(get(&rows, "offers", &r.a, &r.b)),
                    num(get(&rows, "reciprocations", &r.a, &r.b)),
                    num(r.value),
                    num(get(&rows, "mean_p", &r.a, &r.b)),
                ]
            })
            .collect();
        page.raw(&table(
            &["offers by", "to", "offers", "reciprocated", "rate", "mean p"],
            &body,
            "rate = reciprocated / offers; mean p = mean probability of reciprocation σ(U) over the offers.",
            &[2, 3, 4, 5],
        ));
        page.raw("</div>\n");
    }

    // States.
    if !states.is_empty() {
        page.raw("<div class=\"block\"><h3>States at the end</h3>\n");
        let body: Vec<Vec<String>> = states
            .iter()
            .map(|s| {
                vec![
                    escape(s),
                    num(camp(s)),
                    num(get(&rows, "power_share", s, "")),
                    num(get(&rows, "hardliners", s, "")),
                    num(get(&rows, "aggressions", s, "")),
                ]
            })
            .collect();
        page.raw(&table(
            &["state", "camp", "power share", "hardliners", "aggressions"],
            &body,
            "Camp: sign of the leading eigenvector of the final alignment matrix.",
            &[1, 2, 3, 4],
        ));
        page.raw("</div>\n");
    }

    // Final alignment of the key pairs: those of the policies, then the pairs the
    // scenario lists with the strongest ties between powers.
    let scenario = dir.join("scenario");
    let policy = named_pairs(&scenario, "policies.csv", "actor", "target");
    let listed = named_pairs(&scenario, "alignments.csv", "a", "b");
    let is_in = |set: &[(String, String)], r: &Row| set.iter().any(|(a, b)| *a == r.a && *b == r.b);
    let share = |s: &str| get(&rows, "power_share", s, "");
    let strength = |r: &Row| {
        let w = (share(&r.a) * share(&r.b)).sqrt();
        let x = r.value.abs() * if w.is_finite() { w } else { 1.0 };
        if x.is_finite() {
            x
        } else {
            0.0
        }
    };
    let mut finals: Vec<&Row> = rows
        .iter()
        .filter(|r| r.metric == "final_alignment")
        .filter(|r| listed.is_empty() || is_in(&listed, r) || is_in(&policy, r))
        .collect();
    let named_count = finals.len();
    finals.sort_by(|x, y| {
        is_in(&policy, y)
            .cmp(&is_in(&policy, x))
            .then(strength(y).total_cmp(&strength(x)))
    });
    const MAX_FINALS: usize = 16;
    finals.truncate(MAX_FINALS);
    let finals_caption = if named_count > finals.len() {
        format!(
            "{} of the {} pairs the scenario names: its policies' pairs, then the strongest ties between powers (|a_ij|·√(share_i·share_j)). a_ij: final alignment (−1 enemy … +1 ally), b_ij: interest; every pair is in summary.csv.",
            finals.len(),
            named_count
        )
    } else {
        "The pairs the scenario lists or its policies address. a_ij: final alignment (−1 enemy … +1 ally), b_ij: interest.".to_string()
    };
    if !finals.is_empty() {
        page.raw("<div class=\"block\"><h3>Final alignments</h3>\n");
        // S-scores, when summary.csv has them (`s_score`, `s_score_weighted`).
        let s_kinds: Vec<&str> = ["s_score", "s_score_weighted"]
            .into_iter()
            .filter(|m| rows.iter().any(|r| r.metric == *m))
            .collect();
        let body: Vec<Vec<String>> = finals
            .iter()
            .map(|r| {
                let mut row = vec![
                    escape(&format!("{}-{}", r.a, r.b)),
                    num(r.value),
                    num(get(&rows, "final_interest", &r.a, &r.b)),
                ];
                row.extend(s_kinds.iter().map(|m| num(get(&rows, m, &r.a, &r.b))));
                row
            })
            .collect();
        let mut headers = vec!["pair", "a_ij", "b_ij"];
        headers.extend(
            s_kinds
                .iter()
                .map(|m| if *m == "s_score" { "S" } else { "S weighted" }),
        );
        let caption = if s_kinds.is_empty() {
            finals_caption
        } else {
            finals_caption
                + " S: similarity of the two states' alignment portfolios (Signorino & Ritter 1999), 1 identical … −1 opposite; weighted by power share."
        };
        let numeric: Vec<usize> = (1..headers.len()).collect();
        page.raw(&table(&headers, &body, &caption, &numeric));
        page.raw("</div>\n");
    }

    // Network totals.
    let totals: Vec<&Row> = rows
        .iter()
        .filter(|r| r.a.is_empty() && r.b.is_empty())
        .collect();
    if !totals.is_empty() {
        page.raw("<div class=\"block\"><h3>Counts over the run</h3>\n");
        let body: Vec<Vec<String>> = totals
            .iter()
            .map(|r| vec![escape(&r.metric), num(r.value)])
            .collect();
        page.raw(&table(&["metric", "value"], &body, "", &[1]));
        page.raw("</div>\n");
    }
    page.raw("</div>\n");
    let all: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                escape(&r.metric),
                escape(&r.a),
                escape(&r.b),
                escape(&r.text),
            ]
        })
        .collect();
    let _ = write!(
        page.body,
        "<details><summary>Every row of summary.csv ({})</summary>\n{}</details>\n",
        all.len(),
        table(&["metric", "a", "b", "value"], &all, "", &[3])
    );
    page.end_section();
    Ok(())
}

/// The (a, b) pairs named by columns `ca`, `cb` of `scenario/file`, in both
/// orders so that any spelling in summary.csv matches; empty if unreadable.
fn named_pairs(scenario: &Path, file: &str, ca: &str, cb: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(t) = CsvTable::read(&scenario.join(file)) else {
        return out;
    };
    let (Some(a), Some(b)) = (t.find(ca), t.find(cb)) else {
        return out;
    };
    for r in &t.rows {
        let (x, y) = (t.cell(r, a).to_string(), t.cell(r, b).to_string());
        out.push((y.clone(), x.clone()));
        out.push((x, y));
    }
    out
}

// ---------------------------------------------------------------------------
// A sweep (and compare)
// ---------------------------------------------------------------------------

fn manifest_section(page: &mut Page, m: &Manifest) {
    page.section(
        "sweep",
        "What ran",
        "From manifest.json: enough to reproduce every number on this page.",
    );
    let layout = &m.layout;
    let mut facts = String::from("<dl class=\"facts\">");
    let mut fact = |k: &str, v: &str| {
        let _ = write!(facts, "<dt>{}</dt><dd>{}</dd>", escape(k), v);
    };
    fact(
        "scenario",
        &format!(
            "{} <code>{}</code>",
            escape(&m.scenario),
            escape(&m.scenario_dir)
        ),
    );
    fact(
        "runs",
        &format!(
            "{} = {} configuration{} × {} replications",
            m.runs,
            layout.configs.len(),
            if layout.configs.len() == 1 { "" } else { "s" },
            m.reps
        ),
    );
    if !layout.varying.is_empty() {
        fact(
            "varying",
            &layout
                .varying
                .iter()
                .map(|k| format!("<code>{}</code>", escape(k)))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if !m.grid.is_empty() {
        fact(
            "grid",
            &m.grid
                .iter()
                .map(|k| format!("<code>{}</code>", escape(k)))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    fact("seed", &m.seed.to_string());
    if m.shard.count > 1 {
        fact("shard", &format!("{} of {}", m.shard.index, m.shard.count));
    }
    fact("sweep id", &format!("<code>{}</code>", escape(&m.sweep_id)));
    fact(
        "scenario hash",
        &format!("<code>{}</code>", escape(&m.scenario_hash)),
    );
    fact("entente", &escape(&m.entente_version));
    fact(
        "command",
        &format!("<code>{}</code>", escape(&m.command_line.join(" "))),
    );
    facts.push_str("</dl>\n");
    page.raw(&facts);
    let params: Vec<Vec<String>> = m
        .params
        .iter()
        .map(|(k, v)| vec![escape(k), escape(v)])
        .collect();
    let _ = write!(
        page.body,
        "<details><summary>Parameters ({})</summary>\n{}</details>\n",
        params.len(),
        table(&["key", "value"], &params, "", &[])
    );
    page.end_section();
}

/// The key metrics of a sweep (as `compare` picks them), at most 10.
fn key_columns(m: &Manifest) -> Vec<String> {
    crate::experiment::compare::key_metrics(m)
        .into_iter()
        .filter_map(|i| m.layout.columns.get(i).cloned())
        .take(10)
        .collect()
}

fn sweep_sections(dir: &Path, page: &mut Page, compare: bool) -> Result<()> {
    let m = plot::read_manifest(dir)?;
    manifest_section(page, &m);
    if compare {
        // The comparison shows the key metrics already.
        return compare_section(dir, page);
    }
    // Key metrics per configuration, from summary.csv.
    let t = read(&dir.join("summary.csv"))?;
    let (c_cfg, c_metric, c_n, c_mean, c_lo, c_hi) = (
        t.col("config")?,
        t.col("metric")?,
        t.col("n")?,
        t.col("mean")?,
        t.col("ci_low")?,
        t.col("ci_high")?,
    );
    let lookup: std::collections::HashMap<(&str, &str), &Vec<String>> = t
        .rows
        .iter()
        .map(|r| ((t.cell(r, c_cfg), t.cell(r, c_metric)), r))
        .collect();
    let metrics = key_columns(&m);
    page.section(
        "metrics",
        "Key metrics per configuration",
        "Mean over replications with its 95% confidence interval, from summary.csv.",
    );
    // Grid configurations are named by their settings: then the varying keys'
    // columns say it all.
    let named = m
        .layout
        .configs
        .iter()
        .any(|c| c.name != c.settings.join("/"));
    let mut headers: Vec<String> = Vec::new();
    if named || m.layout.varying.is_empty() {
        headers.push("configuration".into());
    }
    let name_cols = headers.len();
    headers.extend(m.layout.varying.iter().cloned());
    headers.push("runs".into());
    headers.extend(metrics.iter().cloned());
    let first_metric = name_cols + 1 + m.layout.varying.len();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for c in &m.layout.configs {
        let mut row = Vec::new();
        if name_cols > 0 {
            row.push(escape(&c.name));
        }
        row.extend(c.values.iter().map(|v| {
            if v.is_empty() {
                "·".to_string()
            } else {
                escape(v)
            }
        }));
        let n = metrics
            .iter()
            .filter_map(|metric| lookup.get(&(c.name.as_str(), metric.as_str())))
            .map(|r| parse(t.cell(r, c_n)))
            .fold(f64::NAN, f64::max);
        row.push(num(n));
        for metric in &metrics {
            row.push(match lookup.get(&(c.name.as_str(), metric.as_str())) {
                Some(r) => ci_cell(
                    parse(t.cell(r, c_mean)),
                    parse(t.cell(r, c_lo)),
                    parse(t.cell(r, c_hi)),
                ),
                None => "<td class=\"ci\">—</td>".into(),
            });
        }
        rows.push(row);
    }
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let numeric: Vec<usize> = (first_metric - 1..headers.len()).collect();
    page.raw("<div class=\"compact\">");
    page.raw(&table(
        &header_refs,
        &rows,
        "Each cell: mean, and below it the 95% CI of the mean. Every metric of every configuration is in summary.csv; per-run values in runs.csv.",
        &numeric,
    ));
    page.raw("</div>\n");
    page.end_section();
    Ok(())
}

fn compare_section(dir: &Path, page: &mut Page) -> Result<()> {
    let t = read(&dir.join("compare.csv"))?;
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
    for r in &t.rows {
        let (m, c) = (t.cell(r, c_metric), t.cell(r, c_cfg));
        if !configs.contains(&c) {
            configs.push(c);
        }
        if !metrics.contains(&m) {
            metrics.push(m);
        }
    }
    let reference = configs.first().copied().unwrap_or("");
    page.section(
        "compare",
        "Comparison",
        &format!(
            "From compare.csv: each configuration's mean with its 95% CI, and below it the difference from {reference} with Welch's 95% CI (in bold when the CI excludes 0)."
        ),
    );
    let mut headers: Vec<&str> = vec!["metric"];
    headers.extend(configs.iter().copied());
    let mut rows = Vec::new();
    for m in &metrics {
        let mut row = vec![format!("<code>{}</code>", escape(m))];
        for c in &configs {
            let Some(r) = t
                .rows
                .iter()
                .find(|r| t.cell(r, c_metric) == *m && t.cell(r, c_cfg) == *c)
            else {
                row.push("<td class=\"ci\">—</td>".into());
                continue;
            };
            let (mean, lo, hi) = (
                parse(t.cell(r, c_mean)),
                parse(t.cell(r, c_lo)),
                parse(t.cell(r, c_hi)),
            );
            let (d, dlo, dhi) = (
                parse(t.cell(r, c_d)),
                parse(t.cell(r, c_dlo)),
                parse(t.cell(r, c_dhi)),
            );
            let mut cell = format!(
                "{} <span class=\"lo\">[{}, {}]</span>",
                num(mean),
                num(lo),
                num(hi)
            );
            let sig = d.is_finite() && (dlo > 0.0 || dhi < 0.0);
            if d.is_finite() {
                let sign = if d > 0.0 { "+" } else { "" };
                let _ = write!(
                    cell,
                    "<span class=\"small\">Δ {sign}{} [{}, {}]</span>",
                    num(d),
                    num(dlo),
                    num(dhi)
                );
            } else {
                cell.push_str("<span class=\"small\">reference</span>");
            }
            row.push(format!(
                "<td class=\"ci diff{}\">{cell}</td>",
                if sig { " sig" } else { "" }
            ));
        }
        rows.push(row);
    }
    page.raw(&table(&headers, &rows, "", &[]));
    page.end_section();
    Ok(())
}

// ---------------------------------------------------------------------------
// Claims
// ---------------------------------------------------------------------------

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

/// A small SVG: the effect's CI (dark) and the null effect's CI (purple, below)
/// on one scale with 0 marked.
fn interval_svg(e: (f64, f64, f64), n: (f64, f64, f64)) -> String {
    let vals: Vec<f64> = [e.0, e.1, e.2, n.0, n.1, n.2, 0.0]
        .into_iter()
        .filter(|x| x.is_finite())
        .collect();
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (w, pad) = (200.0, 8.0);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x = |v: f64| pad + (v - lo) / span * (w - 2.0 * pad);
    let mut svg = format!(
        "<svg class=\"interval\" width=\"{w}\" height=\"34\" viewBox=\"0 0 {w} 34\" role=\"img\" aria-label=\"effect and null effect with 95% CIs\">"
    );
    let _ = write!(
        svg,
        "<line x1=\"{0:.1}\" y1=\"2\" x2=\"{0:.1}\" y2=\"32\" stroke=\"#adb5bd\" stroke-dasharray=\"3 2\"/>",
        x(0.0)
    );
    for (k, (m, l, h), color) in [(0, e, "#212529"), (1, n, "#6f42c1")] {
        if !m.is_finite() {
            continue;
        }
        let y = 11.0 + 13.0 * k as f64;
        if l.is_finite() && h.is_finite() {
            let _ = write!(
                svg,
                "<line x1=\"{:.1}\" y1=\"{y}\" x2=\"{:.1}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"2\"/>",
                x(l),
                x(h)
            );
        }
        let _ = write!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{y}\" r=\"3.5\" fill=\"{}\" stroke=\"{color}\" stroke-width=\"1.5\"/>",
            x(m),
            if k == 0 { color } else { "#fff" }
        );
    }
    svg.push_str("</svg>");
    svg
}

fn claims_sections(dir: &Path, page: &mut Page) -> Result<()> {
    let t = read(&dir.join("claims.csv"))?;
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

    page.section(
        "claims",
        "Claims",
        "From claims.csv: each claim's effect with its 95% CI over replications, the same test under the null setting of the mechanism the claim rests on, and the verdict.",
    );
    let mut tally: Vec<(String, usize)> = Vec::new();
    for r in &t.rows {
        let v = t.cell(r, verdict).to_string();
        match tally.iter_mut().find(|(k, _)| *k == v) {
            Some((_, c)) => *c += 1,
            None => tally.push((v, 1)),
        }
    }
    let mut badges = String::from("<p>");
    for (v, c) in &tally {
        let _ = write!(
            badges,
            "<span class=\"badge {}\">{} × {}</span> ",
            verdict_class(v),
            c,
            escape(v)
        );
    }
    badges.push_str("</p>\n");
    page.raw(&badges);
    let mut rows = Vec::new();
    for r in &t.rows {
        let get = |c: usize| parse(t.cell(r, c));
        let mut claim = format!(
            "<span class=\"stmt\">{}</span>",
            escape(t.cell(r, statement))
        );
        if let Some(x) = experiment {
            let _ = write!(
                claim,
                "<span class=\"small\">{}</span>",
                escape(t.cell(r, x))
            );
        }
        let ci = |m: f64, l: f64, h: f64| {
            if m.is_finite() {
                format!(
                    "{} <span class=\"lo\">[{}, {}]</span>",
                    num(m),
                    num(l),
                    num(h)
                )
            } else {
                "—".into()
            }
        };
        let mut metric_cell = format!("<code>{}</code>", breakable(t.cell(r, metric)));
        if let Some(c) = n {
            let _ = write!(
                metric_cell,
                "<span class=\"small\">n = {}</span>",
                escape(t.cell(r, c))
            );
        }
        let (em, el, eh) = (get(e), get(lo), get(hi));
        let (nm, nl, nh) = (get(ne), get(nlo), get(nhi));
        let mut effects = format!(
            "<td class=\"effects\"><span class=\"eff\">{}</span><span class=\"nul\">null {}</span>",
            ci(em, el, eh),
            ci(nm, nl, nh)
        );
        if let Some(c) = null_setting {
            let setting = t.cell(r, c);
            if !setting.is_empty() {
                let _ = write!(
                    effects,
                    "<span class=\"small\">null setting: {}</span>",
                    escape(setting)
                );
            }
        }
        effects += &interval_svg((em, el, eh), (nm, nl, nh));
        effects.push_str("</td>");
        rows.push(vec![
            format!("<b>{}</b>", escape(t.cell(r, label))),
            format!("<td class=\"claim\">{claim}</td>"),
            metric_cell,
            effects,
            format!(
                "<span class=\"badge {}\">{}</span>",
                verdict_class(t.cell(r, verdict)),
                escape(t.cell(r, verdict))
            ),
        ]);
    }
    page.raw(&table(
        &[
            "#",
            "claim and experiment",
            "metric",
            "effect ● and under null ○ [95% CI]",
            "verdict",
        ],
        &rows,
        "Each interval is drawn to its row's own scale (effects are in the units of their metric); the dashed line marks 0.",
        &[],
    ));
    page.end_section();
    if dir.join("manifest.json").is_file() {
        let m = plot::read_manifest(dir)?;
        manifest_section(page, &m);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

/// The text of the first `<tag>…</tag>` of an SVG, unescaped.
fn svg_meta(svg: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = svg.find(&open)? + open.len();
    let end = start + svg[start..].find(&close)?;
    Some(
        svg[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// An SVG file made fit to inline: the XML prolog and the `xmlns` declaration
/// (implied in HTML) removed; `None` if it holds a script, an event handler, a
/// link or an outside reference.
fn inline_svg(svg: &str) -> Option<String> {
    let mut s = svg.trim_start_matches('\u{feff}').trim_start();
    if s.starts_with("<?xml") {
        s = s.split_once("?>").map_or("", |x| x.1).trim_start();
    }
    let s = s
        .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
        .replacen(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "", 1);
    if !s.starts_with("<svg") {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let bad = [
        "<script",
        "foreignobject",
        "href",
        "http:",
        "https:",
        "javascript:",
        "url(",
        "<!entity",
    ];
    if bad.iter().any(|b| lower.contains(b)) {
        return None;
    }
    // Event handlers: ` on…=` attributes.
    let bytes = lower.as_bytes();
    for (i, w) in bytes.windows(3).enumerate() {
        if w == b" on" {
            let rest = &bytes[i + 3..];
            let letters = rest.iter().take_while(|c| c.is_ascii_lowercase()).count();
            if letters > 0 && rest.get(letters) == Some(&b'=') {
                return None;
            }
        }
    }
    Some(s)
}

fn figures_section(dir: &Path, page: &mut Page, note: Option<String>) {
    let files = svg_files(dir);
    if files.is_empty() && note.is_none() {
        return;
    }
    page.section("figures", "Figures", "");
    if let Some(n) = note {
        let _ = writeln!(page.body, "<p class=\"note error\">{}</p>", escape(&n));
    }
    // (is a heatmap, figure HTML): heatmaps go two to a row.
    let mut figures: Vec<(bool, String)> = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let svg = match std::fs::read_to_string(&f) {
            Ok(s) => s,
            Err(e) => {
                let _ = writeln!(
                    page.body,
                    "<p class=\"note error\">plots/{}: {}</p>",
                    escape(&name),
                    escape(&e.to_string())
                );
                continue;
            }
        };
        let Some(inline) = inline_svg(&svg) else {
            let _ = writeln!(
                page.body,
                "<p class=\"note\">plots/{} is not shown: it holds links or scripts.</p>",
                escape(&name)
            );
            continue;
        };
        page.figures += 1;
        let title = svg_meta(&svg, "title").unwrap_or_else(|| name.clone());
        let caption = svg_meta(&svg, "desc").unwrap_or_default();
        let png = name.trim_end_matches(".svg").to_string() + ".png";
        let heat = name.starts_with("heatmap");
        let narrow = heat || name.starts_with("network");
        figures.push((
            heat,
            format!(
                "<figure{}>\n<div class=\"plot\">{inline}</div>\n<figcaption><b>Figure {}. {}.</b> {} \
                 <span class=\"src\">plots/{}{}</span></figcaption>\n</figure>\n",
                if narrow { " class=\"narrow\"" } else { "" },
                page.figures,
                escape(title.trim_end_matches('.')),
                escape(&caption),
                escape(&name),
                if dir.join("plots").join(&png).is_file() {
                    format!(", plots/{}", escape(&png))
                } else {
                    String::new()
                }
            ),
        ));
    }
    let mut k = 0;
    while k < figures.len() {
        let run = figures[k..].iter().take_while(|f| f.0).count();
        if run >= 2 {
            page.body.push_str("<div class=\"figgrid\">\n");
            for f in &figures[k..k + run] {
                page.body.push_str(&f.1);
            }
            page.body.push_str("</div>\n");
            k += run;
        } else {
            page.body.push_str(&figures[k].1);
            k += 1;
        }
    }
    page.end_section();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<b>\"R&D\"</b> 'x'"),
            "&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt; &#39;x&#39;"
        );
    }

    #[test]
    fn unsafe_svgs_are_not_inlined() {
        let ok = "<?xml version=\"1.0\"?>\n<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\"><text>a</text></svg>";
        let s = inline_svg(ok).unwrap();
        assert!(s.starts_with("<svg") && !s.contains("http"));
        for bad in [
            "<svg><script>alert(1)</script></svg>",
            "<svg><image href=\"https://example.org/x.png\"/></svg>",
            "<svg onload=\"alert(1)\"></svg>",
            "<svg><rect style=\"fill:url(#x)\"/></svg>",
            "<html></html>",
        ] {
            assert!(inline_svg(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn verdicts_get_colours() {
        assert_eq!(verdict_class("supported"), "good");
        assert_eq!(verdict_class("not supported"), "bad");
        assert_eq!(verdict_class("inconclusive at this N"), "warn");
        assert_eq!(verdict_class("follows from the null assumption"), "null");
        assert_eq!(verdict_class("holds without its mechanism"), "null");
        assert_eq!(verdict_class("?"), "other");
    }

    #[test]
    fn folder_kinds_come_from_the_files() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            FolderKind::detect(dir.path()),
            Err(ReportError::NotAnOutput { .. })
        ));
        std::fs::write(dir.path().join("summary.csv"), "metric,a,b,value\n").unwrap();
        std::fs::write(
            dir.path().join("alignments.csv"),
            "step,a,b,alignment,interest\n",
        )
        .unwrap();
        assert_eq!(FolderKind::detect(dir.path()).unwrap(), FolderKind::Run);
        std::fs::write(dir.path().join("manifest.json"), "{}").unwrap();
        assert_eq!(FolderKind::detect(dir.path()).unwrap(), FolderKind::Sweep);
        std::fs::write(dir.path().join("compare.csv"), "").unwrap();
        assert_eq!(FolderKind::detect(dir.path()).unwrap(), FolderKind::Compare);
        std::fs::write(dir.path().join("claims.csv"), "").unwrap();
        assert_eq!(FolderKind::detect(dir.path()).unwrap(), FolderKind::Claims);
    }

    #[test]
    fn svg_titles_and_captions_are_read_back() {
        let svg = "<svg>\n<title>A &amp; B</title>\n<desc>from x.csv &lt;here&gt;</desc>\n</svg>";
        assert_eq!(svg_meta(svg, "title").unwrap(), "A & B");
        assert_eq!(svg_meta(svg, "desc").unwrap(), "from x.csv <here>");
        assert!(svg_meta(svg, "g").is_none());
    }
}
