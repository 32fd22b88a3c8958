//! `report.html`: one self-contained page that shows an output folder — its tables
//! and its plots — to a reader with nothing but a browser.
//!
//! The page has no outside resource and needs no script: the CSS is inline and
//! the figures of `plots/` (drawn first when missing) are embedded as images
//! (`<img src="data:image/svg+xml;base64,…">`), which a browser never runs
//! scripts in, so an SVG file needs no sanitising. The HTML is built with `maud`,
//! which escapes every text by construction. The folder's kind comes from
//! [`FolderKind::detect`]; one file per page:
//!
//! - [`run`]: camps, balance index, reciprocation per policy pair, deals, final
//!   alignments (and S-scores) of the key pairs, the trajectories and the network;
//! - [`sweep`]: what ran, the key metrics per configuration with their 95% CIs;
//!   for a compare folder, the comparison with one column per configuration and
//!   its differences from the first;
//! - [`claims`]: each claim's effect and null effect with their CIs, drawn to
//!   scale, and its verdict in colour;
//! - [`explore`]: the verdicts' shares over the plausible space, where each claim
//!   fails (PRIM boxes), what drives each effect, the ranges explored;
//! - [`figures`]: the figures of every page, with their captions.

pub mod claims;
pub mod explore;
pub mod figures;
pub mod run;
pub mod sweep;

use std::io;
use std::path::{Path, PathBuf};

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::plot::{self, Formats, PlotError};
use super::read::{self, FolderKind, ReadError};

/// What can go wrong while building a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file of the folder is missing or malformed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The report cannot be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The report file.
        path: PathBuf,
        /// Why: the OS error, or the refusal of the output folder's checks.
        source: io::Error,
    },
    /// A figure cannot be drawn.
    #[error(transparent)]
    Plot(#[from] PlotError),
    /// The page cannot be written where it was asked (the error names the file).
    #[error(transparent)]
    Output(#[from] crate::files::OutputError),
}

/// The result of building a report.
pub type Result<T> = std::result::Result<T, ReportError>;

/// Builds the report of `dir` and writes it to `output` (default
/// `dir/report.html`), atomically; returns the path written and the folder's kind.
/// Missing plots are drawn in `formats` first.
pub fn write_report(
    dir: &Path,
    output: Option<&Path>,
    formats: Formats,
) -> Result<(PathBuf, FolderKind)> {
    let kind = FolderKind::detect(dir)?;
    let html = build_report(dir, kind, formats)?;
    let path = output
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.join("report.html"));
    crate::files::add_file(&path, html.as_bytes(), &[dir])?;
    Ok((path, kind))
}

/// The HTML page of `dir`, a folder of kind `kind`; draws its plots in `formats`
/// first when `dir/plots/` has none (a failure to draw is reported on the page,
/// not fatal).
pub fn build_report(dir: &Path, kind: FolderKind, formats: Formats) -> Result<String> {
    let mut page = Page::default();
    let plot_note = ensure_plots(dir, kind, formats);
    match kind {
        FolderKind::Run => run::sections(dir, &mut page)?,
        FolderKind::Sweep => sweep::sections(dir, &mut page, false)?,
        FolderKind::Compare => sweep::sections(dir, &mut page, true)?,
        FolderKind::Claims => claims::sections(dir, &mut page)?,
        FolderKind::Explore => explore::sections(dir, &mut page)?,
    }
    figures::section(dir, &mut page, plot_note);
    Ok(page.finish(kind, &read::folder_name(dir), dir))
}

/// Draws the plots of `dir` unless `dir/plots/` already has figures; returns a
/// note for the page when drawing failed.
fn ensure_plots(dir: &Path, kind: FolderKind, formats: Formats) -> Option<String> {
    if formats == Formats::None || !figures::files(dir).is_empty() {
        return None;
    }
    if kind == FolderKind::Claims && !dir.join("manifest.json").is_file() {
        // A claims table alone: nothing to draw.
        return None;
    }
    let drawn = match kind {
        FolderKind::Run => {
            plot::RunPlotData::read(dir).and_then(|data| plot::write_run_plots(&data, dir, formats))
        }
        FolderKind::Sweep | FolderKind::Compare => plot::write_sweep_plots(dir, formats),
        FolderKind::Claims => plot::write_claims_plots(dir, formats),
        // Drawn by `entente explore` from its outcomes.
        FolderKind::Explore => return None,
    };
    drawn
        .err()
        .map(|e| format!("The plots could not be drawn: {e}"))
}

/// The page being built: its sections, in order, and the table of contents.
#[derive(Default)]
pub struct Page {
    /// (id, heading) of each section, for the table of contents.
    toc: Vec<(String, String)>,
    body: Vec<Markup>,
}

impl Page {
    /// Adds a section with its heading, an introduction (none when empty) and
    /// its content.
    pub fn section(&mut self, id: &str, heading: &str, intro: &str, content: Markup) {
        self.toc.push((id.to_string(), heading.to_string()));
        self.body.push(html! {
            section id=(id) {
                h2 { (heading) }
                @if !intro.is_empty() {
                    p.intro { (intro) }
                }
                (content)
            }
        });
    }

    fn finish(self, kind: FolderKind, name: &str, dir: &Path) -> String {
        let version = env!("CARGO_PKG_VERSION");
        let title = format!("entente {} report — {}", kind.as_str(), name);
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="generator" content={ "entente " (version) };
                    title { (title) }
                    style { (PreEscaped(CSS)) }
                }
                body {
                    header.top {
                        div.wrap {
                            div.kind { "entente · " (kind.as_str()) " report" }
                            h1 { (name) }
                            div.path { (dir.display().to_string()) }
                        }
                    }
                    main.wrap {
                        @if self.toc.len() > 1 {
                            nav.toc {
                                span { "Contents" }
                                @for (id, heading) in &self.toc {
                                    a href={ "#" (id) } { (heading) }
                                }
                            }
                        }
                        @for section in &self.body {
                            (section)
                        }
                    }
                    footer.wrap {
                        "Written by " code { "entente report" } " " (version)
                        " from the files of this folder; every figure is also in "
                        code { "plots/" } "."
                    }
                }
            }
        }
        .into_string()
    }
}

const CSS: &str = include_str!("style.css");

// ---------------------------------------------------------------------------
// Pieces shared by the pages
// ---------------------------------------------------------------------------

/// A number for a table: up to 3 decimals, trailing zeros dropped; `—` for NaN.
pub fn num(x: f64) -> String {
    plot::short_number(x)
}

/// Text with break opportunities after `:` and `>` (long metric names).
pub fn breakable(text: &str) -> Markup {
    let parts: Vec<&str> = text.split_inclusive([':', '>']).collect();
    html! {
        @for (k, part) in parts.iter().enumerate() {
            (part)
            @if k + 1 < parts.len() { wbr; }
        }
    }
}

/// A number cell's text, NaN for anything that is not a number.
pub fn parse(text: &str) -> f64 {
    text.trim().parse().unwrap_or(f64::NAN)
}

/// One cell of a [`table`]: its class and content.
pub struct Cell {
    /// The cell's CSS class (`ci`, …); `None`: `num` in a numeric column, else none.
    pub class: Option<&'static str>,
    /// The cell's content.
    pub body: Markup,
}

impl Cell {
    /// A cell classed by its column (numeric columns right-aligned).
    pub fn plain(body: Markup) -> Cell {
        Cell { class: None, body }
    }

    /// A cell of CSS class `class`, whatever its column.
    pub fn with(class: &'static str, body: Markup) -> Cell {
        Cell {
            class: Some(class),
            body,
        }
    }

    /// A text cell.
    pub fn text(text: &str) -> Cell {
        Cell::plain(html! { (text) })
    }
}

/// `mean` with its CI below it.
pub fn ci_cell(mean: f64, lo: f64, hi: f64) -> Cell {
    Cell::with(
        "ci",
        html! {
            @if !mean.is_finite() {
                "—"
            } @else if lo.is_finite() && hi.is_finite() {
                (num(mean)) br; span.lo { "[" (num(lo)) ", " (num(hi)) "]" }
            } @else {
                (num(mean))
            }
        },
    )
}

/// A headline card: a label, a large value and a line under it.
pub fn card(label: &str, value: &str, sub: &str) -> Markup {
    html! {
        div.card {
            div.label { (label) }
            div.value { (value) }
            div.sub { (sub) }
        }
    }
}

/// A table: headers (breakable), rows of cells, a caption (none when empty);
/// the cells of the `numeric` columns without a class of their own are `num`.
pub fn table(headers: &[&str], rows: Vec<Vec<Cell>>, caption: &str, numeric: &[usize]) -> Markup {
    let class = |k: usize| numeric.contains(&k).then_some("num");
    html! {
        div.scroll {
            table {
                @if !caption.is_empty() {
                    caption { (caption) }
                }
                thead {
                    tr {
                        @for (k, h) in headers.iter().enumerate() {
                            th class=[class(k)] { (breakable(h)) }
                        }
                    }
                }
                tbody {
                    @for row in rows {
                        tr {
                            @for (k, cell) in row.into_iter().enumerate() {
                                td class=[cell.class.or(class(k))] { (cell.body) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_files_is_escaped_and_long_names_break() {
        let rows = vec![vec![Cell::text("<b>\"R&D\"</b>"), Cell::text("1")]];
        let html = table(&["reciprocation_rate:USA>RUS", "n"], rows, "", &[1]).into_string();
        assert!(
            html.contains("<td>&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;</td>"),
            "{html}"
        );
        assert!(html.contains("<td class=\"num\">1</td>"), "{html}");
        assert!(
            html.contains("<th>reciprocation_rate:<wbr>USA&gt;<wbr>RUS</th>"),
            "{html}"
        );
    }
}
