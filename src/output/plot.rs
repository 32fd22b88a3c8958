//! Plots of runs and sweeps, each written twice — `NAME.svg` (for the HTML report and
//! for papers) and `NAME.png` (for a quick look) — into `<dir>/plots/`.
//!
//! Three kinds of figure, each drawn from plain data so that any caller can use them:
//!
//! - [`trajectories`]: alignment over steps, one line per pair; with a p05–p95 band
//!   over replications when the data come from a sweep; one panel per configuration
//!   (small multiples sharing their axes and legend);
//! - [`heatmap`]: one metric over a grid of two keys (the reciprocation heatmap over
//!   RUS-CHN × USA-CHN), a sequential colour scale with a colour bar and the value
//!   printed in each cell;
//! - [`network`]: the signed network: camps coloured (camp 0 on the left arc, camp 1
//!   on the right), node area ∝ power, edges green (allies) or red (enemies) with
//!   width ∝ |a_ij|.
//!
//! [`write_run_plots`], [`write_sweep_plots`] and [`write_claims_plots`] read an
//! output folder and write the figures that summarise it; they read only the files
//! they need, keep at most [`MAX_PAIRS`] pairs per panel, and return errors rather
//! than panic on damaged input.
//!
//! Every SVG carries its figure's `<title>` and a `<desc>` caption that says what is
//! shown and from which file, so that the report (and a screen reader) can describe
//! a figure found on disk. Text is drawn with an embedded DejaVu Sans (Bitstream Vera
//! licence, free to redistribute), so PNGs look the same on every machine without
//! system fonts.
//!
//! Files are written atomically: the SVG is drawn into memory and written with
//! [`write_file_atomic`]; the PNG is drawn under a temporary name and renamed.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform, RGBAColor};

use super::atomic::write_file_atomic;
use crate::experiment::manifest::Manifest;

/// At most this many pairs are drawn in one trajectory panel.
pub const MAX_PAIRS: usize = 8;
/// At most this many configurations are drawn in one figure of small multiples.
pub const PANELS_PER_FIGURE: usize = 16;
/// At most this many figures of small multiples are written for one sweep.
pub const MAX_TRAJECTORY_FIGURES: usize = 4;
/// Edges weaker than this are left out of the network plot.
pub const MIN_EDGE: f64 = 0.1;

/// The label of the step axis.
pub const STEP_LABEL: &str = "step (month)";
/// The label of the alignment axis.
pub const ALIGNMENT_LABEL: &str = "alignment a_ij (−1 enemy … +1 ally)";

pub(crate) const FONT: &str = "sans-serif";
const FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// What can go wrong while plotting.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error("drawing {path}: {message}")]
    Draw { path: String, message: String },
    #[error("nothing to plot: {0}")]
    Empty(String),
    #[error("{0}")]
    Font(String),
}

pub type Result<T> = std::result::Result<T, PlotError>;

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> PlotError + '_ {
    move |source| PlotError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn input_err(path: &Path, message: impl Into<String>) -> PlotError {
    PlotError::Input {
        path: path.display().to_string(),
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------
// Colours and text
// ---------------------------------------------------------------------------

/// Tableau's ten categorical colours: one per pair.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];
/// Camp colours: camp 0 blue, camp 1 orange, then the rest of the palette.
const CAMPS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(23, 190, 207),
    RGBColor(127, 127, 127),
];
const ALLY: RGBColor = RGBColor(26, 150, 65);
const ENEMY: RGBColor = RGBColor(215, 48, 39);
pub(crate) const INK: RGBColor = RGBColor(33, 37, 41);
pub(crate) const MUTED: RGBColor = RGBColor(100, 106, 115);
pub(crate) const GRID: RGBColor = RGBColor(232, 234, 237);
const NO_DATA: RGBColor = RGBColor(210, 210, 210);

/// Viridis, sampled at nine points: dark purple (low) to yellow (high); readable in
/// grey and by colour-blind readers.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// The colour of `t` ∈ [0, 1] on the sequential scale (clamped; grey for NaN).
pub fn sequential(t: f64) -> RGBColor {
    if !t.is_finite() {
        return NO_DATA;
    }
    let t = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let k = (t.floor() as usize).min(VIRIDIS.len() - 2);
    let f = t - k as f64;
    let (a, b) = (VIRIDIS[k], VIRIDIS[k + 1]);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn luminance(c: RGBColor) -> f64 {
    (0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64) / 255.0
}

/// Text sizes below are in the units of a 12 px body text; this scales them to
/// plotters' font sizes, which measure the whole line height.
const TEXT_SCALE: f64 = 1.2;

pub(crate) fn font(size: f64) -> TextStyle<'static> {
    (FONT, size * TEXT_SCALE).into_font().color(&INK)
}

pub(crate) fn bold(size: f64) -> TextStyle<'static> {
    (FONT, size * TEXT_SCALE, FontStyle::Bold)
        .into_font()
        .color(&INK)
}

fn anchored<'a>(style: TextStyle<'a>, h: HPos, v: VPos) -> TextStyle<'a> {
    style.pos(Pos::new(h, v))
}

/// `text` at the largest size ≤ `size` (down to 70% of it) that fits `width`
/// pixels, cut with `…` if it does not fit even then.
fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    width: i32,
) -> std::result::Result<(String, f64), DrawingAreaErrorKind<DB::ErrorType>> {
    let fits =
        |t: &str, s: f64| -> std::result::Result<bool, DrawingAreaErrorKind<DB::ErrorType>> {
            Ok(area.estimate_text_size(t, &bold(s))?.0 as i32 <= width)
        };
    let mut s = size;
    while s > size * 0.7 {
        if fits(text, s)? {
            return Ok((text.to_string(), s));
        }
        s *= 0.93;
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let cut: String = chars.iter().collect::<String>() + "…";
        if fits(&cut, s)? {
            return Ok((cut, s));
        }
    }
    Ok((String::new(), s))
}

/// A short number: 3 significant decimals, no trailing zeros, `−` for minus.
pub fn short_number(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let digits = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 10.0 {
        1
    } else if x.abs() >= 1.0 {
        2
    } else {
        3
    };
    let mut s = format!("{x:.digits$}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s.replace('-', "−")
}

/// A file-name-safe version of `text`: letters, digits, `.`, `_` and `-` kept,
/// everything else turned into `-`, runs of `-` collapsed, at most 60 characters.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' {
            c
        } else {
            '-'
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    let out = out.trim_matches('-');
    let out: String = out.chars().take(60).collect();
    if out.is_empty() {
        "plot".into()
    } else {
        out
    }
}

// ---------------------------------------------------------------------------
// Rendering to SVG and PNG
// ---------------------------------------------------------------------------

pub(crate) type DrawResult<DB> =
    std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A figure that can be drawn on any plotters backend.
pub(crate) trait Figure {
    fn size(&self) -> (u32, u32);
    fn title(&self) -> String;
    fn caption(&self) -> String;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

fn ensure_font() -> Result<()> {
    static REGISTERED: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES)
                .map_err(|_| "the embedded font cannot be read".to_string())
        })
        .clone()
        .map_err(PlotError::Font)
}

fn with_suffix(stem: &Path, ext: &str) -> PathBuf {
    let mut s = stem.as_os_str().to_os_string();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Draws `fig` into `stem.svg` and `stem.png`; returns both paths.
pub(crate) fn render(fig: &impl Figure, stem: &Path) -> Result<Vec<PathBuf>> {
    ensure_font()?;
    let size = fig.size();
    let svg_path = with_suffix(stem, "svg");
    let png_path = with_suffix(stem, "png");
    let draw_err = |path: &Path, e: String| PlotError::Draw {
        path: path.display().to_string(),
        message: e,
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        fig.draw(&root)
            .and_then(|_| root.present())
            .map_err(|e| draw_err(&svg_path, e.to_string()))?;
    }
    // Title and caption, for the report and for screen readers.
    if let Some(end) = svg.find(">\n") {
        let meta = format!(
            "<title>{}</title>\n<desc>{}</desc>\n",
            xml_escape(&fig.title()),
            xml_escape(&fig.caption())
        );
        svg.insert_str(end + 2, &meta);
    }
    write_file_atomic(&svg_path, svg.as_bytes()).map_err(io_err(&svg_path))?;

    let name = png_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plot.png".into());
    let tmp = png_path.with_file_name(format!(".{name}.tmp-{}.png", std::process::id()));
    let drawn = {
        let root = BitMapBackend::new(&tmp, size).into_drawing_area();
        fig.draw(&root).and_then(|_| root.present())
    };
    if let Err(e) = drawn {
        let _ = std::fs::remove_file(&tmp);
        return Err(draw_err(&png_path, e.to_string()));
    }
    std::fs::rename(&tmp, &png_path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_err(&png_path)(e)
    })?;
    Ok(vec![svg_path, png_path])
}

/// Title, subtitle and an optional legend row at the top; returns the area below.
pub(crate) fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    legend: &[LegendItem],
) -> std::result::Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    header_scaled(root, title, subtitle, legend, 1.0)
}

/// [`header`] with its text `scale` times larger (for figures shown small).
fn header_scaled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    legend: &[LegendItem],
    scale: f64,
) -> std::result::Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (w, _) = root.dim_in_pixel();
    let mid = w as i32 / 2;
    // Shrink a long title until it fits.
    let mut size = 22.0 * scale;
    while size > 12.0 {
        let (tw, _) = root.estimate_text_size(title, &bold(size))?;
        if tw + 40 <= w {
            break;
        }
        size *= 0.93;
    }
    root.draw(&Text::new(
        title.to_string(),
        (mid, 14),
        anchored(bold(size), HPos::Center, VPos::Top),
    ))?;
    let mut y = 14 + (30.0 * scale) as i32;
    if !subtitle.is_empty() {
        root.draw(&Text::new(
            subtitle.to_string(),
            (mid, y),
            anchored(font(14.5 * scale).color(&MUTED), HPos::Center, VPos::Top),
        ))?;
        y += (24.0 * scale) as i32;
    }
    if !legend.is_empty() {
        y += draw_legend(root, legend, y + 4, scale)? + 4;
    }
    Ok(root.split_vertically(y + 4).1)
}

/// One entry of a legend row.
#[derive(Clone, Debug)]
pub(crate) struct LegendItem {
    pub(crate) label: String,
    pub(crate) color: RGBAColor,
    pub(crate) kind: LegendKind,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum LegendKind {
    Line,
    Band,
    Dot,
}

/// Splits items of the given widths into rows no wider than `width` (index ranges).
fn legend_rows(widths: &[i32], width: i32) -> Vec<std::ops::Range<usize>> {
    let mut rows = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (k, &w) in widths.iter().enumerate() {
        if k > start && used + w > width {
            rows.push(start..k);
            start = k;
            used = 0;
        }
        used += w;
    }
    if start < widths.len() {
        rows.push(start..widths.len());
    }
    rows
}

/// Draws a legend centred in rows from `y`, its text `scale` times the usual
/// size; returns the height used.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    y: i32,
    scale: f64,
) -> std::result::Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = root.dim_in_pixel();
    let style = font(14.0 * scale);
    let (key, gap, line) = (
        (26.0 * scale) as i32,
        (8.0 * scale) as i32,
        (26.0 * scale) as i32,
    );
    let widths: Vec<i32> = items
        .iter()
        .map(|item| {
            let text = root
                .estimate_text_size(&item.label, &style)
                .map_or(9 * item.label.chars().count() as i32, |s| s.0 as i32);
            key + gap + text + 3 * gap
        })
        .collect::<Vec<i32>>();
    let rows = legend_rows(&widths, w as i32 - 40);
    for (r, range) in rows.iter().enumerate() {
        let total: i32 = widths[range.clone()].iter().sum::<i32>() - 3 * gap;
        let mut x = ((w as i32 - total) / 2).max(10);
        let cy = y + line / 3 + line * r as i32;
        for k in range.clone() {
            let item = &items[k];
            match item.kind {
                LegendKind::Line => root.draw(&PathElement::new(
                    vec![(x, cy), (x + key, cy)],
                    item.color.stroke_width(3),
                ))?,
                LegendKind::Band => root.draw(&Rectangle::new(
                    [(x, cy - key / 4), (x + key, cy + key / 4)],
                    item.color.filled(),
                ))?,
                LegendKind::Dot => root.draw(&Circle::new(
                    (x + key / 2, cy),
                    (7.0 * scale) as i32,
                    item.color.filled(),
                ))?,
            }
            root.draw(&Text::new(
                item.label.clone(),
                (x + key + gap, cy),
                anchored(style.clone(), HPos::Left, VPos::Center),
            ))?;
            x += widths[k];
        }
    }
    Ok(line * rows.len() as i32)
}

// ---------------------------------------------------------------------------
// Trajectories
// ---------------------------------------------------------------------------

/// One point of a trajectory: the alignment (or its mean over replications) and,
/// for a sweep, its 5th and 95th percentiles (NaN when there is no band).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrajectoryPoint {
    pub step: f64,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// One pair's trajectory.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// The pair, `A-B`.
    pub pair: String,
    pub points: Vec<TrajectoryPoint>,
}

/// One panel: a title (a configuration's name, or empty) and its trajectories.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub title: String,
    pub trajectories: Vec<Trajectory>,
}

/// A figure of trajectory panels.
#[derive(Clone, Debug)]
pub struct TrajectoryFigure {
    pub title: String,
    pub subtitle: String,
    /// Says what is shown and from which file.
    pub caption: String,
    pub panels: Vec<Panel>,
}

impl TrajectoryFigure {
    fn has_band(&self) -> bool {
        self.panels.iter().any(|p| {
            p.trajectories.iter().any(|t| {
                t.points
                    .iter()
                    .any(|q| q.low.is_finite() && q.high.is_finite())
            })
        })
    }

    /// Pairs in order of first appearance: their colours, the same in every panel.
    fn pairs(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.panels {
            for t in &p.trajectories {
                if !out.contains(&t.pair) {
                    out.push(t.pair.clone());
                }
            }
        }
        out
    }

    fn grid(&self) -> (usize, usize) {
        let n = self.panels.len().max(1);
        let cols = match n {
            1 => 1,
            2..=4 => 2,
            5..=9 => 3,
            _ => 4,
        };
        (n.div_ceil(cols), cols)
    }
}

fn color_of(pairs: &[String], pair: &str) -> RGBColor {
    let k = pairs.iter().position(|p| p == pair).unwrap_or(0);
    PALETTE[k % PALETTE.len()]
}

impl Figure for TrajectoryFigure {
    fn size(&self) -> (u32, u32) {
        let (rows, cols) = self.grid();
        if rows * cols == 1 {
            return (1100, 680);
        }
        let width = 1280u32;
        let panel_h = ((width / cols as u32) as f64 * 0.66).max(250.0) as u32;
        let legend_rows = if self.pairs().len() > 5 { 2 } else { 1 };
        (width, 84 + 26 * legend_rows + rows as u32 * panel_h)
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn caption(&self) -> String {
        self.caption.clone()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let pairs = self.pairs();
        let mut legend: Vec<LegendItem> = pairs
            .iter()
            .map(|p| LegendItem {
                label: p.clone(),
                color: color_of(&pairs, p).to_rgba(),
                kind: LegendKind::Line,
            })
            .collect();
        if self.has_band() {
            legend.push(LegendItem {
                label: "5th–95th percentile".into(),
                color: MUTED.mix(0.25),
                kind: LegendKind::Band,
            });
        }
        let body = header(root, &self.title, &self.subtitle, &legend)?;
        let (rows, cols) = self.grid();
        let single = rows * cols == 1;
        // Small multiples share one x and one y axis title, drawn once at the
        // figure's left and bottom edges.
        let grid_area = if single {
            body
        } else {
            let (w, h) = body.dim_in_pixel();
            let (left, rest) = body.split_horizontally(34);
            let (grid_area, bottom) = rest.split_vertically(h as i32 - 34);
            left.draw(&Text::new(
                ALIGNMENT_LABEL,
                (14, (h as i32 - 34) / 2),
                anchored(font(16.0), HPos::Center, VPos::Center)
                    .transform(FontTransform::Rotate270),
            ))?;
            bottom.draw(&Text::new(
                STEP_LABEL,
                ((w as i32 - 34) / 2, 14),
                anchored(font(16.0), HPos::Center, VPos::Center),
            ))?;
            grid_area
        };
        let areas = grid_area.split_evenly((rows, cols));
        let (x0, x1) = step_range(&self.panels);
        for (panel, area) in self.panels.iter().zip(&areas) {
            let label_size = if single { 15.0 } else { 13.0 };
            let mut builder = ChartBuilder::on(area);
            builder
                .margin(if single { 18 } else { 8 })
                .margin_right(if single { 30 } else { 14 })
                .x_label_area_size(if single { 52 } else { 26 })
                .y_label_area_size(if single { 78 } else { 44 });
            if !panel.title.is_empty() {
                let (pw, _) = area.dim_in_pixel();
                let (text, size) = fit_text(
                    area,
                    &panel.title,
                    if single { 17.0 } else { 14.5 },
                    pw as i32 - 16,
                )?;
                builder.caption(text, bold(size));
            }
            let mut chart = builder.build_cartesian_2d(x0..x1, -1.0f64..1.0f64)?;
            let mut mesh = chart.configure_mesh();
            mesh.light_line_style(WHITE)
                .bold_line_style(GRID)
                .axis_style(MUTED)
                .label_style(font(label_size))
                .axis_desc_style(font(17.0))
                .y_labels(if single || rows <= 2 { 9 } else { 5 })
                .x_labels(if single { 10 } else { 6 })
                .y_label_formatter(&|y| short_number(*y))
                .x_label_formatter(&|x| short_number(*x));
            if single {
                mesh.x_desc(STEP_LABEL).y_desc(ALIGNMENT_LABEL);
            }
            mesh.draw()?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x0, 0.0), (x1, 0.0)],
                MUTED.mix(0.6).stroke_width(1),
            )))?;
            for t in &panel.trajectories {
                let color = color_of(&pairs, &t.pair);
                let band: Vec<&TrajectoryPoint> = t
                    .points
                    .iter()
                    .filter(|q| q.low.is_finite() && q.high.is_finite() && q.step.is_finite())
                    .collect();
                if band.len() >= 2 {
                    let mut poly: Vec<(f64, f64)> = band.iter().map(|q| (q.step, q.high)).collect();
                    poly.extend(band.iter().rev().map(|q| (q.step, q.low)));
                    chart.draw_series(std::iter::once(Polygon::new(
                        poly,
                        color.mix(0.16).filled(),
                    )))?;
                }
            }
            for t in &panel.trajectories {
                let color = color_of(&pairs, &t.pair);
                let line: Vec<(f64, f64)> = t
                    .points
                    .iter()
                    .filter(|q| q.step.is_finite() && q.value.is_finite())
                    .map(|q| (q.step, q.value.clamp(-1.0, 1.0)))
                    .collect();
                chart.draw_series(LineSeries::new(
                    line,
                    color.stroke_width(if single { 3 } else { 2 }),
                ))?;
            }
        }
        Ok(())
    }
}

fn step_range(panels: &[Panel]) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for q in panels
        .iter()
        .flat_map(|p| &p.trajectories)
        .flat_map(|t| &t.points)
    {
        if q.step.is_finite() {
            lo = lo.min(q.step);
            hi = hi.max(q.step);
        }
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi <= lo {
        hi = lo + 1.0;
    }
    (lo, hi)
}

/// Writes a figure of trajectory panels to `stem.svg` and `stem.png`.
pub fn trajectories(figure: &TrajectoryFigure, stem: &Path) -> Result<Vec<PathBuf>> {
    if figure
        .panels
        .iter()
        .all(|p| p.trajectories.iter().all(|t| t.points.is_empty()))
    {
        return Err(PlotError::Empty(format!(
            "{}: no trajectory has a point",
            stem.display()
        )));
    }
    render(figure, stem)
}

// ---------------------------------------------------------------------------
// Heatmap
// ---------------------------------------------------------------------------

/// A heatmap of `metric` over the grid of `x_key` × `y_key`.
#[derive(Clone, Debug)]
pub struct HeatmapFigure {
    pub title: String,
    pub subtitle: String,
    pub caption: String,
    pub x_key: String,
    pub y_key: String,
    pub metric: String,
    /// (x value, y value, metric value); NaN values are drawn grey.
    pub cells: Vec<(f64, f64, f64)>,
    /// The colour scale's range; `None` for the data's range.
    pub range: Option<(f64, f64)>,
}

fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    v.sort_by(|a, b| a.total_cmp(b));
    v.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * (1.0 + a.abs()));
    v
}

fn index_of(values: &[f64], x: f64) -> Option<usize> {
    values
        .iter()
        .position(|v| (v - x).abs() <= 1e-12 * (1.0 + x.abs()))
}

impl HeatmapFigure {
    fn scale(&self) -> (f64, f64) {
        if let Some((lo, hi)) = self.range {
            if lo.is_finite() && hi.is_finite() && hi > lo {
                return (lo, hi);
            }
        }
        let vals = distinct(self.cells.iter().map(|c| c.2));
        match (vals.first(), vals.last()) {
            (Some(&lo), Some(&hi)) if hi > lo => (lo, hi),
            (Some(&v), _) => (v - 0.5, v + 0.5),
            _ => (0.0, 1.0),
        }
    }
}

impl Figure for HeatmapFigure {
    fn size(&self) -> (u32, u32) {
        (860, 700)
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn caption(&self) -> String {
        self.caption.clone()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let body = header_scaled(root, &self.title, &self.subtitle, &[], 1.25)?;
        let (w, h) = body.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let xs = distinct(self.cells.iter().map(|c| c.0));
        let ys = distinct(self.cells.iter().map(|c| c.1));
        let (nx, ny) = (xs.len().max(1) as i32, ys.len().max(1) as i32);
        // Plot box: room for the y axis on the left, the colour bar on the right.
        let (left, right, top, bottom) = (140, w - 200, 10, h - 100);
        let side = ((right - left) / nx).min((bottom - top) / ny).max(8);
        let (pw, ph) = (side * nx, side * ny);
        let ox = left + (right - left - pw) / 2;
        let oy = top + (bottom - top - ph) / 2;
        let (lo, hi) = self.scale();
        let t = |v: f64| (v - lo) / (hi - lo);
        let mut filled = vec![vec![false; ny as usize]; nx as usize];
        let value_size = (side as f64 / 4.5).clamp(12.0, 26.0);
        for &(x, y, v) in &self.cells {
            let (Some(i), Some(j)) = (index_of(&xs, x), index_of(&ys, y)) else {
                continue;
            };
            filled[i][j] = true;
            let (i, j) = (i as i32, j as i32);
            // y grows upwards: row 0 at the bottom.
            let x0 = ox + i * side;
            let y0 = oy + (ny - 1 - j) * side;
            let color = sequential(t(v));
            body.draw(&Rectangle::new(
                [(x0, y0), (x0 + side, y0 + side)],
                color.filled(),
            ))?;
            body.draw(&Rectangle::new(
                [(x0, y0), (x0 + side, y0 + side)],
                WHITE.stroke_width(2),
            ))?;
            let ink = if luminance(color) > 0.55 { INK } else { WHITE };
            body.draw(&Text::new(
                short_number(v),
                (x0 + side / 2, y0 + side / 2),
                anchored(font(value_size).color(&ink), HPos::Center, VPos::Center),
            ))?;
        }
        for (i, col) in filled.iter().enumerate() {
            for (j, &f) in col.iter().enumerate() {
                if !f {
                    let x0 = ox + i as i32 * side;
                    let y0 = oy + (ny - 1 - j as i32) * side;
                    body.draw(&Rectangle::new(
                        [(x0 + 1, y0 + 1), (x0 + side - 1, y0 + side - 1)],
                        RGBColor(245, 245, 245).filled(),
                    ))?;
                }
            }
        }
        // Tick labels at the cell centres, then the axis titles.
        for (i, x) in xs.iter().enumerate() {
            body.draw(&Text::new(
                short_number(*x),
                (ox + i as i32 * side + side / 2, oy + ph + 10),
                anchored(font(19.0), HPos::Center, VPos::Top),
            ))?;
        }
        for (j, y) in ys.iter().enumerate() {
            body.draw(&Text::new(
                short_number(*y),
                (ox - 10, oy + (ny - 1 - j as i32) * side + side / 2),
                anchored(font(19.0), HPos::Right, VPos::Center),
            ))?;
        }
        body.draw(&Text::new(
            format!("{} (initial alignment and interest)", self.x_key),
            (ox + pw / 2, oy + ph + 48),
            anchored(bold(19.0), HPos::Center, VPos::Top),
        ))?;
        body.draw(&Text::new(
            format!("{} (initial alignment and interest)", self.y_key),
            (ox - 92, oy + ph / 2),
            anchored(bold(19.0), HPos::Center, VPos::Center).transform(FontTransform::Rotate270),
        ))?;
        // Colour bar.
        let (bx, bw) = (ox + pw + 50, 26);
        let (by0, by1) = (oy, oy + ph);
        let steps = 64;
        for s in 0..steps {
            let f0 = s as f64 / steps as f64;
            let f1 = (s + 1) as f64 / steps as f64;
            let ya = by1 - ((by1 - by0) as f64 * f1).round() as i32;
            let yb = by1 - ((by1 - by0) as f64 * f0).round() as i32;
            body.draw(&Rectangle::new(
                [(bx, ya), (bx + bw, yb)],
                sequential((f0 + f1) / 2.0).filled(),
            ))?;
        }
        body.draw(&Rectangle::new(
            [(bx, by0), (bx + bw, by1)],
            MUTED.stroke_width(1),
        ))?;
        for k in 0..=4 {
            let f = k as f64 / 4.0;
            let y = by1 - ((by1 - by0) as f64 * f).round() as i32;
            body.draw(&PathElement::new(
                vec![(bx + bw, y), (bx + bw + 6, y)],
                MUTED,
            ))?;
            body.draw(&Text::new(
                short_number(lo + (hi - lo) * f),
                (bx + bw + 10, y),
                anchored(font(17.0), HPos::Left, VPos::Center),
            ))?;
        }
        body.draw(&Text::new(
            self.metric.clone(),
            (bx + bw + 84, (by0 + by1) / 2),
            anchored(font(17.0), HPos::Center, VPos::Center).transform(FontTransform::Rotate90),
        ))?;
        Ok(())
    }
}

/// A friendly title for a metric column (`reciprocation_rate:USA>RUS` → "RUS's
/// reciprocation rate of USA's offers").
pub fn metric_title(metric: &str) -> String {
    let (name, subject) = metric.split_once(':').unwrap_or((metric, ""));
    let directed = subject.split_once('>');
    match (name, directed) {
        ("reciprocation_rate", Some((i, j))) => {
            format!("{j}'s reciprocation rate of {i}'s offers")
        }
        ("mean_p", Some((i, j))) => format!("Mean probability that {j} reciprocates {i}'s offers"),
        ("offers", Some((i, j))) => format!("Offers {i} makes to {j}"),
        ("final_alignment", _) if !subject.is_empty() => {
            format!("Final alignment of {subject}")
        }
        _ => metric.replace('_', " "),
    }
}

/// Whether a metric lives in [0, 1] (rates and probabilities), so that heatmaps
/// of it share one colour scale.
fn unit_metric(metric: &str) -> bool {
    let name = metric.split(':').next().unwrap_or(metric);
    matches!(name, "reciprocation_rate" | "mean_p" | "balance_index")
}

/// Writes the heatmap of `metric` over `x_key` × `y_key` to `path_stem.svg` and
/// `.png`; `cells` are (x, y, value).
pub fn heatmap(
    x_key: &str,
    y_key: &str,
    metric: &str,
    cells: &[(f64, f64, f64)],
    path_stem: &Path,
) -> Result<Vec<PathBuf>> {
    let fig = HeatmapFigure {
        title: metric_title(metric),
        subtitle: format!("{metric} over {x_key} × {y_key}"),
        caption: format!("Heatmap of {metric} over the grid of {x_key} (x) and {y_key} (y)."),
        x_key: x_key.to_string(),
        y_key: y_key.to_string(),
        metric: metric.to_string(),
        cells: cells.to_vec(),
        range: None,
    };
    write_heatmap(&fig, path_stem)
}

/// Writes a heatmap figure to `path_stem.svg` and `.png`.
pub fn write_heatmap(fig: &HeatmapFigure, path_stem: &Path) -> Result<Vec<PathBuf>> {
    if fig
        .cells
        .iter()
        .all(|c| !(c.0.is_finite() && c.1.is_finite()))
    {
        return Err(PlotError::Empty(format!(
            "{}: the heatmap has no cell",
            path_stem.display()
        )));
    }
    render(fig, path_stem)
}

// ---------------------------------------------------------------------------
// Network
// ---------------------------------------------------------------------------

/// The signed network at one step.
#[derive(Clone, Debug)]
pub struct NetworkFigure {
    pub title: String,
    pub subtitle: String,
    pub caption: String,
    /// State ids, one per node.
    pub ids: Vec<String>,
    /// Power of each node (sets its area).
    pub powers: Vec<f64>,
    /// Camp of each node (0, 1, …).
    pub camps: Vec<usize>,
    /// (i, j, alignment) with node indices.
    pub edges: Vec<(usize, usize, f64)>,
}

impl NetworkFigure {
    /// Node positions on a unit circle: camp c's arc is centred at 180° + c·360°/k
    /// (camp 0 on the left, camp 1 on the right); within a camp the most powerful
    /// state comes first, from the top of its arc.
    fn layout(&self) -> Vec<(f64, f64)> {
        use std::f64::consts::{FRAC_PI_2, PI};
        let n = self.ids.len();
        let k = self.camps.iter().copied().max().map_or(1, |m| m + 1);
        let mut pos = vec![(0.0, 0.0); n];
        if n == 0 {
            return pos;
        }
        let members: Vec<Vec<usize>> = (0..k)
            .map(|c| {
                let mut m: Vec<usize> = (0..n).filter(|&i| self.camps[i] == c).collect();
                m.sort_by(|&a, &b| {
                    self.powers[b]
                        .total_cmp(&self.powers[a])
                        .then_with(|| self.ids[a].cmp(&self.ids[b]))
                });
                m
            })
            .collect();
        let nonempty = members.iter().filter(|m| !m.is_empty()).count();
        if nonempty <= 1 {
            // One camp: the whole circle, clockwise from the top.
            let all: Vec<usize> = members.concat();
            for (r, &i) in all.iter().enumerate() {
                let angle = FRAC_PI_2 - 2.0 * PI * r as f64 / all.len() as f64;
                pos[i] = (angle.cos(), angle.sin());
            }
            return pos;
        }
        // Arcs halfway between equal and proportional to the camps' sizes, separated
        // by gaps; camp 0 centred on the left, the next camps following clockwise
        // (camp 1 on the right when there are two).
        let gap = 0.35;
        let free = 2.0 * PI - gap * nonempty as f64;
        let arcs: Vec<f64> = members
            .iter()
            .map(|m| {
                if m.is_empty() {
                    0.0
                } else {
                    free * 0.5 * (m.len() as f64 / n as f64 + 1.0 / nonempty as f64)
                }
            })
            .collect();
        // `end`: the counter-clockwise end of the current arc.
        let mut end = PI + arcs[0] / 2.0;
        for (c, m) in members.iter().enumerate() {
            if m.is_empty() {
                continue;
            }
            let start = end - arcs[c];
            let centre = (start + end) / 2.0;
            for (r, &i) in m.iter().enumerate() {
                let f = (r as f64 + 0.5) / m.len() as f64;
                // From the top of the arc down: on the left half the top is the
                // clockwise end, on the right half the counter-clockwise end.
                let angle = if centre.cos() < -1e-9 {
                    start + f * arcs[c]
                } else {
                    end - f * arcs[c]
                };
                pos[i] = (angle.cos(), angle.sin());
            }
            end = start - gap;
        }
        pos
    }
}

impl Figure for NetworkFigure {
    fn size(&self) -> (u32, u32) {
        (920, 840)
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn caption(&self) -> String {
        self.caption.clone()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let k = self.camps.iter().copied().max().map_or(1, |m| m + 1);
        let mut legend: Vec<LegendItem> = (0..k)
            .map(|c| LegendItem {
                label: format!("camp {c}"),
                color: CAMPS[c % CAMPS.len()].to_rgba(),
                kind: LegendKind::Dot,
            })
            .collect();
        legend.push(LegendItem {
            label: "allies (a > 0)".into(),
            color: ALLY.to_rgba(),
            kind: LegendKind::Line,
        });
        legend.push(LegendItem {
            label: "enemies (a < 0)".into(),
            color: ENEMY.to_rgba(),
            kind: LegendKind::Line,
        });
        let body = header_scaled(root, &self.title, &self.subtitle, &legend, 1.2)?;
        let (w, h) = body.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let note = format!("line width ∝ |a_ij|, |a_ij| < {MIN_EDGE} not drawn; node area ∝ power");
        body.draw(&Text::new(
            note,
            (w / 2, h - 12),
            anchored(font(15.0).color(&MUTED), HPos::Center, VPos::Bottom),
        ))?;
        let (cx, cy) = (w / 2, (h - 30) / 2);
        let radius = ((w.min(h - 30)) as f64 / 2.0 - 95.0).max(40.0);
        let unit = self.layout();
        let px: Vec<(i32, i32)> = unit
            .iter()
            .map(|&(x, y)| {
                (
                    cx + (x * radius).round() as i32,
                    cy - (y * radius).round() as i32,
                )
            })
            .collect();
        let max_power = self
            .powers
            .iter()
            .copied()
            .filter(|p| p.is_finite() && *p > 0.0)
            .fold(0.0f64, f64::max);
        let node_r: Vec<i32> = self
            .powers
            .iter()
            .map(|&p| {
                if max_power > 0.0 && p.is_finite() && p > 0.0 {
                    (5.0 + 27.0 * (p / max_power).sqrt()).round() as i32
                } else {
                    5
                }
            })
            .collect();
        let mut edges: Vec<&(usize, usize, f64)> = self
            .edges
            .iter()
            .filter(|e| {
                e.2.is_finite() && e.2.abs() >= MIN_EDGE && e.0 < px.len() && e.1 < px.len()
            })
            .collect();
        edges.sort_by(|a, b| a.2.abs().total_cmp(&b.2.abs()));
        for &&(i, j, a) in &edges {
            let color = if a > 0.0 { ALLY } else { ENEMY };
            let strength = a.abs().min(1.0);
            let alpha = 0.12 + 0.68 * strength * strength;
            let width = (1.0 + 6.0 * strength).round() as u32;
            body.draw(&PathElement::new(
                vec![px[i], px[j]],
                color.mix(alpha).stroke_width(width),
            ))?;
        }
        for (i, id) in self.ids.iter().enumerate() {
            let color = CAMPS[self.camps[i] % CAMPS.len()];
            body.draw(&Circle::new(px[i], node_r[i], color.filled()))?;
            body.draw(&Circle::new(px[i], node_r[i], WHITE.stroke_width(2)))?;
            let (ux, uy) = unit[i];
            let off = node_r[i] as f64 + 8.0;
            let lx = px[i].0 + (ux * off).round() as i32;
            let ly = px[i].1 - (uy * off).round() as i32;
            let h = if ux < -0.2 {
                HPos::Right
            } else if ux > 0.2 {
                HPos::Left
            } else {
                HPos::Center
            };
            let v = if uy > 0.7 {
                VPos::Bottom
            } else if uy < -0.7 {
                VPos::Top
            } else {
                VPos::Center
            };
            body.draw(&Text::new(id.clone(), (lx, ly), anchored(bold(18.0), h, v)))?;
        }
        Ok(())
    }
}

/// Writes the network figure to `path_stem.svg` and `.png`.
pub fn network(fig: &NetworkFigure, path_stem: &Path) -> Result<Vec<PathBuf>> {
    let n = fig.ids.len();
    if n == 0 {
        return Err(PlotError::Empty(format!(
            "{}: the network has no state",
            path_stem.display()
        )));
    }
    if fig.powers.len() != n || fig.camps.len() != n {
        return Err(PlotError::Empty(format!(
            "{}: {} states but {} powers and {} camps",
            path_stem.display(),
            n,
            fig.powers.len(),
            fig.camps.len()
        )));
    }
    render(fig, path_stem)
}

// ---------------------------------------------------------------------------
// Reading output files
// ---------------------------------------------------------------------------

/// A small CSV file read whole: its header and rows (`#` lines are comments).
#[derive(Clone, Debug)]
pub struct CsvTable {
    pub path: PathBuf,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl CsvTable {
    /// Reads `path`; an error names the file (and the line, for a bad row).
    pub fn read(path: &Path) -> Result<CsvTable> {
        let mut rdr = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .flexible(true)
            .from_path(path)
            .map_err(|e| csv_err(path, e))?;
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| csv_err(path, e))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_err(path, e))?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        Ok(CsvTable {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// The index of column `name`, or an error naming the file and the column.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            input_err(
                &self.path,
                format!("no column `{name}` (columns: {})", self.headers.join(", ")),
            )
        })
    }

    /// The index of column `name` if present.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Cell `col` of `row` ("" when the row is short).
    pub fn cell<'a>(&'a self, row: &'a [String], col: usize) -> &'a str {
        row.get(col).map(String::as_str).unwrap_or("")
    }
}

fn csv_err(path: &Path, e: csv::Error) -> PlotError {
    match e.kind() {
        csv::ErrorKind::Io(_) => {
            let message = e.to_string();
            match e.into_kind() {
                csv::ErrorKind::Io(source) => PlotError::Io {
                    path: path.display().to_string(),
                    source,
                },
                _ => input_err(path, message),
            }
        }
        _ => input_err(path, e.to_string()),
    }
}

/// Streams the rows of a large CSV file, handing `f` the cells of the `columns`
/// asked for (an error if one is missing) and the line number.
fn stream_csv(
    path: &Path,
    columns: &[&str],
    mut f: impl FnMut(&[&str], u64) -> Result<()>,
) -> Result<()> {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_path(path)
        .map_err(|e| csv_err(path, e))?;
    let headers = rdr.headers().map_err(|e| csv_err(path, e))?.clone();
    let idx: Vec<usize> = columns
        .iter()
        .map(|c| {
            headers.iter().position(|h| h == *c).ok_or_else(|| {
                input_err(
                    path,
                    format!(
                        "no column `{c}` (columns: {})",
                        headers.iter().collect::<Vec<_>>().join(", ")
                    ),
                )
            })
        })
        .collect::<Result<_>>()?;
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_err(path, e)),
        }
        let line = rec.position().map_or(0, |p| p.line());
        let cells: Vec<&str> = idx.iter().map(|&i| rec.get(i).unwrap_or("")).collect();
        f(&cells, line)?;
    }
    Ok(())
}

/// Parses a number cell; empty is NaN; anything else non-numeric is an error.
fn number(path: &Path, line: u64, column: &str, text: &str) -> Result<f64> {
    if text.is_empty() {
        return Ok(f64::NAN);
    }
    text.trim().parse::<f64>().map_err(|_| {
        input_err(
            path,
            format!("line {line}: column `{column}`: `{text}` is not a number"),
        )
    })
}

/// Reads a sweep's `manifest.json`.
pub fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
    serde_json::from_str(&text).map_err(|e| input_err(&path, e.to_string()))
}

/// The canonical key of an unordered pair: the two ids in sorted order.
fn pair_key(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

fn plots_dir(dir: &Path) -> Result<PathBuf> {
    let out = dir.join("plots");
    std::fs::create_dir_all(&out).map_err(io_err(&out))?;
    Ok(out)
}

// ---------------------------------------------------------------------------
// A run folder
// ---------------------------------------------------------------------------

/// What a run folder holds for the plots: every pair's alignment over steps, the
/// final powers and camps.
#[derive(Clone, Debug, Default)]
pub struct RunData {
    /// State ids in the order of `states.csv`.
    pub ids: Vec<String>,
    /// Power at the last step.
    pub powers: Vec<f64>,
    /// Camp of each state from `summary.csv` (0 when absent).
    pub camps: Vec<usize>,
    /// Pairs `(a, b)` as written in `alignments.csv`.
    pub pairs: Vec<(String, String)>,
    /// `series[k]`: (step, alignment) of pair k.
    pub series: Vec<Vec<(f64, f64)>>,
}

impl RunData {
    /// Reads `alignments.csv`, `states.csv` and `summary.csv` of a run folder.
    pub fn read(dir: &Path) -> Result<RunData> {
        let mut data = RunData::default();
        let path = dir.join("alignments.csv");
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        stream_csv(&path, &["step", "a", "b", "alignment"], |c, line| {
            let step = number(&path, line, "step", c[0])?;
            let value = number(&path, line, "alignment", c[3])?;
            let key = (c[1].to_string(), c[2].to_string());
            let k = match index.get(&key) {
                Some(&k) => k,
                None => {
                    index.insert(key.clone(), data.pairs.len());
                    data.pairs.push(key);
                    data.series.push(Vec::new());
                    data.pairs.len() - 1
                }
            };
            data.series[k].push((step, value));
            Ok(())
        })?;
        let path = dir.join("states.csv");
        let mut last_step = f64::NEG_INFINITY;
        let mut power: HashMap<String, f64> = HashMap::new();
        stream_csv(&path, &["step", "state", "power"], |c, line| {
            let step = number(&path, line, "step", c[0])?;
            let p = number(&path, line, "power", c[2])?;
            if !data.ids.iter().any(|s| s == c[1]) {
                data.ids.push(c[1].to_string());
            }
            if step >= last_step {
                last_step = step;
                power.insert(c[1].to_string(), p);
            }
            Ok(())
        })?;
        data.powers = data
            .ids
            .iter()
            .map(|id| power.get(id).copied().unwrap_or(f64::NAN))
            .collect();
        data.camps = vec![0; data.ids.len()];
        let path = dir.join("summary.csv");
        if path.exists() {
            stream_csv(&path, &["metric", "a", "value"], |c, line| {
                if c[0] == "camp" {
                    let v = number(&path, line, "value", c[2])?;
                    if let Some(i) = data.ids.iter().position(|s| s == c[1]) {
                        if v.is_finite() && v >= 0.0 {
                            data.camps[i] = v as usize;
                        }
                    }
                }
                Ok(())
            })?;
        }
        Ok(data)
    }

    /// The final power of state `id` (NaN if unknown).
    pub fn power(&self, id: &str) -> f64 {
        self.ids
            .iter()
            .position(|s| s == id)
            .map_or(f64::NAN, |i| self.powers[i])
    }

    /// The final alignment of pair k.
    pub fn last(&self, k: usize) -> f64 {
        self.series[k].last().map_or(f64::NAN, |p| p.1)
    }
}

/// The pairs a scenario names: those of its policies (actor-target) first, then
/// those listed in its `alignments.csv`, each once, as canonical keys.
fn named_pairs(scenario: &Path) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |k: (String, String)| {
        if !out.contains(&k) {
            out.push(k);
        }
    };
    let policies = scenario.join("policies.csv");
    if policies.exists() {
        let t = CsvTable::read(&policies)?;
        let (a, b) = (t.col("actor")?, t.col("target")?);
        for r in &t.rows {
            push(pair_key(t.cell(r, a), t.cell(r, b)));
        }
    }
    let listed = scenario.join("alignments.csv");
    if listed.exists() {
        let t = CsvTable::read(&listed)?;
        let (a, b) = (t.col("a")?, t.col("b")?);
        for r in &t.rows {
            push(pair_key(t.cell(r, a), t.cell(r, b)));
        }
    }
    Ok(out)
}

/// The key pairs of a run (indices into `data.pairs`): the pairs of its policies,
/// then those its scenario lists; if more than [`MAX_PAIRS`], the policy pairs and
/// then the listed pairs with the strongest final ties between powers, ranked by
/// |a_ij|·√(P_i P_j) (the weight of a tie in power-weighted balance), so that
/// USA-CHN outranks a tie as strong between two small states. Without a scenario
/// folder, the same ranking over every pair.
pub fn key_pairs(data: &RunData, scenario: &Path) -> Result<Vec<usize>> {
    let named = named_pairs(scenario)?;
    let index: HashMap<(String, String), usize> = data
        .pairs
        .iter()
        .enumerate()
        .map(|(k, (a, b))| (pair_key(a, b), k))
        .collect();
    let mut policy_count = 0;
    let policies = scenario.join("policies.csv");
    if policies.exists() {
        let t = CsvTable::read(&policies)?;
        let mut seen = Vec::new();
        let (a, b) = (t.col("actor")?, t.col("target")?);
        for r in &t.rows {
            let k = pair_key(t.cell(r, a), t.cell(r, b));
            if !seen.contains(&k) {
                seen.push(k);
            }
        }
        policy_count = seen.len();
    }
    let mut candidates: Vec<usize> = named.iter().filter_map(|k| index.get(k).copied()).collect();
    let mut fixed = policy_count.min(candidates.len()).min(MAX_PAIRS);
    if candidates.is_empty() {
        candidates = (0..data.pairs.len()).collect();
        fixed = 0;
    }
    if candidates.len() <= MAX_PAIRS {
        return Ok(candidates);
    }
    let mut rest = candidates.split_off(fixed);
    let weight = |k: usize| {
        let (a, b) = &data.pairs[k];
        let w = (data.power(a) * data.power(b)).sqrt();
        let x = data.last(k).abs() * if w.is_finite() { w } else { 1.0 };
        if x.is_finite() {
            x
        } else {
            0.0
        }
    };
    rest.sort_by(|&x, &y| weight(y).total_cmp(&weight(x)));
    candidates.extend(rest.into_iter().take(MAX_PAIRS - fixed));
    Ok(candidates)
}

/// Writes the plots of a run folder into `run_dir/plots/`: `trajectories` (the key
/// pairs' alignment over steps) and `network` (the final signed network with its
/// camps). Returns the files written.
pub fn write_run_plots(run_dir: &Path) -> Result<Vec<PathBuf>> {
    let data = RunData::read(run_dir)?;
    if data.pairs.is_empty() {
        return Err(PlotError::Empty(format!(
            "{} has no alignment rows",
            run_dir.join("alignments.csv").display()
        )));
    }
    let out = plots_dir(run_dir)?;
    let keys = key_pairs(&data, &run_dir.join("scenario"))?;
    // Titles hold nothing but the data (not the folder's name), so that a run redone
    // elsewhere draws the same bytes.
    let seed = run_seed(run_dir).map_or(String::new(), |s| format!(", seed {s}"));
    let panel = Panel {
        title: String::new(),
        trajectories: keys
            .iter()
            .map(|&k| Trajectory {
                pair: format!("{}-{}", data.pairs[k].0, data.pairs[k].1),
                points: data.series[k]
                    .iter()
                    .map(|&(step, value)| TrajectoryPoint {
                        step,
                        value,
                        low: f64::NAN,
                        high: f64::NAN,
                    })
                    .collect(),
            })
            .collect(),
    };
    let chosen = if keys.len() < data.pairs.len() {
        format!("{} key pairs of {}", keys.len(), data.pairs.len())
    } else {
        format!("all {} pairs", data.pairs.len())
    };
    let fig = TrajectoryFigure {
        title: "Alignment trajectories".to_string(),
        subtitle: format!("one run{seed}; {chosen}"),
        caption: format!(
            "Alignment of {chosen} over the steps of the run (policy pairs and pairs the \
             scenario lists, else the strongest ties), from alignments.csv."
        ),
        panels: vec![panel],
    };
    let mut written = trajectories(&fig, &out.join("trajectories"))?;
    let pos: HashMap<&str, usize> = data
        .ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let edges: Vec<(usize, usize, f64)> = data
        .pairs
        .iter()
        .enumerate()
        .filter_map(|(k, (a, b))| {
            Some((*pos.get(a.as_str())?, *pos.get(b.as_str())?, data.last(k)))
        })
        .collect();
    let last_step = data
        .series
        .first()
        .and_then(|s| s.last())
        .map_or(f64::NAN, |p| p.0);
    let camps = data.camps.iter().copied().max().map_or(0, |m| m + 1);
    let fig = NetworkFigure {
        title: format!("Alignment network at step {}", short_number(last_step)),
        subtitle: format!(
            "one run{seed}; {} states, {} camp{}",
            data.ids.len(),
            camps,
            if camps == 1 { "" } else { "s" }
        ),
        caption: format!(
            "The signed network at the last step: node colour = camp (summary.csv), node \
             area ∝ power (states.csv), edge colour = sign and width ∝ |a_ij| of the final \
             alignment (alignments.csv); ties weaker than {MIN_EDGE} are not drawn."
        ),
        ids: data.ids.clone(),
        powers: data.powers.clone(),
        camps: data.camps.clone(),
        edges,
    };
    written.extend(network(&fig, &out.join("network"))?);
    Ok(written)
}

/// The seed of a run, from its `scenario/params.csv`.
pub fn run_seed(dir: &Path) -> Option<String> {
    let t = CsvTable::read(&dir.join("scenario").join("params.csv")).ok()?;
    let (k, v) = (t.find("key")?, t.find("value")?);
    t.rows
        .iter()
        .find(|r| t.cell(r, k) == "seed")
        .map(|r| t.cell(r, v).to_string())
}

/// The name of an output folder (a run's folder does not record its scenario's).
pub fn run_name(dir: &Path) -> String {
    dir.canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(dir)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into())
}

// ---------------------------------------------------------------------------
// A sweep folder
// ---------------------------------------------------------------------------

/// Per configuration: the trajectories of `pairs` (`A-B` as in the file) from
/// `trajectories.csv` (mean and p05–p95), in the order of `pairs`.
fn read_sweep_trajectories(
    dir: &Path,
    configs: &[String],
    pairs: &[String],
) -> Result<Vec<Vec<Trajectory>>> {
    let path = dir.join("trajectories.csv");
    let wanted: HashMap<&str, usize> = configs
        .iter()
        .enumerate()
        .map(|(k, c)| (c.as_str(), k))
        .collect();
    let pair_index: HashMap<&str, usize> = pairs
        .iter()
        .enumerate()
        .map(|(k, p)| (p.as_str(), k))
        .collect();
    let mut out: Vec<Vec<Trajectory>> = vec![
        pairs
            .iter()
            .map(|p| Trajectory {
                pair: p.clone(),
                points: Vec::new(),
            })
            .collect();
        configs.len()
    ];
    let mut pair = String::new();
    stream_csv(
        &path,
        &["config", "step", "a", "b", "mean", "p05", "p95"],
        |c, line| {
            let Some(&k) = wanted.get(c[0]) else {
                return Ok(());
            };
            pair.clear();
            pair.push_str(c[2]);
            pair.push('-');
            pair.push_str(c[3]);
            let Some(&t) = pair_index.get(pair.as_str()) else {
                return Ok(());
            };
            out[k][t].points.push(TrajectoryPoint {
                step: number(&path, line, "step", c[1])?,
                value: number(&path, line, "mean", c[4])?,
                low: number(&path, line, "p05", c[5])?,
                high: number(&path, line, "p95", c[6])?,
            });
            Ok(())
        },
    )?;
    for ts in &mut out {
        ts.retain(|t| !t.points.is_empty());
    }
    Ok(out)
}

/// The pairs whose trajectories a sweep's figures show, the same in every panel:
/// all the aggregated pairs if at most [`MAX_PAIRS`]; else the [`priority_pairs`]
/// and then the strongest ties between powers in any configuration, ranked by
/// |mean final alignment|·√(power share product) (`final_alignment:A-B` and
/// `power_share:A` in `summary.csv`).
fn sweep_pairs(
    manifest: &Manifest,
    summary: &HashMap<(String, String), (f64, f64)>,
) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for c in &manifest.layout.configs {
        for p in &c.pairs {
            if !all.contains(p) {
                all.push(p.clone());
            }
        }
    }
    if all.len() <= MAX_PAIRS {
        return all;
    }
    let priority = priority_pairs(manifest);
    let score = |p: &String| {
        let first = priority.contains(p);
        let (a, b) = p.split_once('-').unwrap_or((p, ""));
        let strength = manifest
            .layout
            .configs
            .iter()
            .filter_map(|c| {
                let get = |m: String| summary.get(&(c.name.clone(), m)).map(|x| x.1);
                let mean = get(format!("final_alignment:{p}"))?;
                let w = match (
                    get(format!("power_share:{a}")),
                    get(format!("power_share:{b}")),
                ) {
                    (Some(x), Some(y)) if (x * y).is_finite() && x * y >= 0.0 => (x * y).sqrt(),
                    _ => 1.0,
                };
                Some(mean.abs() * w)
            })
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max);
        (first, strength)
    };
    let mut scored: Vec<(bool, f64, usize)> = all
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let (f, s) = score(p);
            (f, s, k)
        })
        .collect();
    scored.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)));
    scored.truncate(MAX_PAIRS);
    scored.into_iter().map(|(_, _, k)| all[k].clone()).collect()
}

/// `summary.csv` of a sweep: (config, metric) → (n, mean).
fn read_sweep_summary(dir: &Path) -> Result<HashMap<(String, String), (f64, f64)>> {
    let path = dir.join("summary.csv");
    let mut out = HashMap::new();
    stream_csv(&path, &["config", "metric", "n", "mean"], |c, line| {
        let n = number(&path, line, "n", c[2])?;
        let mean = number(&path, line, "mean", c[3])?;
        out.insert((c[0].to_string(), c[1].to_string()), (n, mean));
        Ok(())
    })?;
    Ok(out)
}

/// The pairs a sweep is about: those its configurations vary and those of its
/// policies (from the `reciprocation_rate:A>B` columns), as `A-B` with sorted ids.
pub fn priority_pairs(manifest: &Manifest) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let directed = manifest
        .layout
        .columns
        .iter()
        .filter_map(|c| c.strip_prefix("reciprocation_rate:"))
        .filter_map(|p| p.split_once('>'));
    let varying = manifest
        .layout
        .varying
        .iter()
        .filter(|k| is_pair_key(k))
        .filter_map(|k| k.split_once('-'));
    for (a, b) in directed.chain(varying) {
        let (a, b) = pair_key(a, b);
        let key = format!("{a}-{b}");
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

/// Whether a key names a pair (`RUS-CHN`) rather than a parameter.
pub fn is_pair_key(key: &str) -> bool {
    match key.split_once('-') {
        Some((a, b)) => {
            let ok =
                |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            ok(a) && ok(b)
        }
        None => false,
    }
}

/// One heatmap a sweep can draw: the configurations that set both pair keys to
/// numbers and agree on every other varying key.
#[derive(Clone, Debug)]
pub struct SweepGrid {
    pub x_key: String,
    pub y_key: String,
    /// The other varying keys' values shared by the grid's configurations
    /// (`key=value`), empty when they set none.
    pub fixed: Vec<String>,
    /// (config name, x, y).
    pub configs: Vec<(String, f64, f64)>,
}

/// The grids of a sweep that varies exactly two pair keys; one grid per
/// combination of the other varying keys, each with at least two cells that fill
/// at least half of its x × y grid.
pub fn sweep_grids(manifest: &Manifest) -> Vec<SweepGrid> {
    let layout = &manifest.layout;
    let pair_keys: Vec<usize> = layout
        .varying
        .iter()
        .enumerate()
        .filter(|(_, k)| is_pair_key(k))
        .map(|(i, _)| i)
        .collect();
    if pair_keys.len() != 2 {
        return Vec::new();
    }
    let (ix, iy) = (pair_keys[0], pair_keys[1]);
    let mut groups: BTreeMap<Vec<String>, SweepGrid> = BTreeMap::new();
    let mut order: Vec<Vec<String>> = Vec::new();
    for c in &layout.configs {
        let value = |i: usize| c.values.get(i).and_then(|v| v.trim().parse::<f64>().ok());
        let (Some(x), Some(y)) = (value(ix), value(iy)) else {
            continue;
        };
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let fixed: Vec<String> = layout
            .varying
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != ix && *i != iy)
            .filter_map(|(i, k)| {
                let v = c.values.get(i).map(String::as_str).unwrap_or("");
                (!v.is_empty()).then(|| format!("{k}={v}"))
            })
            .collect();
        let grid = groups.entry(fixed.clone()).or_insert_with(|| {
            order.push(fixed.clone());
            SweepGrid {
                x_key: layout.varying[ix].clone(),
                y_key: layout.varying[iy].clone(),
                fixed,
                configs: Vec::new(),
            }
        });
        let dup = grid.configs.iter().any(|&(_, gx, gy)| gx == x && gy == y);
        if !dup {
            grid.configs.push((c.name.clone(), x, y));
        }
    }
    order
        .into_iter()
        .filter_map(|k| groups.remove(&k))
        .filter(|g| {
            let xs = distinct(g.configs.iter().map(|c| c.1)).len();
            let ys = distinct(g.configs.iter().map(|c| c.2)).len();
            g.configs.len() >= 2 && 2 * g.configs.len() >= xs * ys
        })
        .collect()
}

/// The metrics a sweep's heatmaps show: each policy pair's reciprocation rate and
/// mean p (at most two policy pairs); else the balance index.
fn heatmap_metrics(manifest: &Manifest) -> Vec<String> {
    let cols = &manifest.layout.columns;
    let mut out = Vec::new();
    for c in cols
        .iter()
        .filter(|c| c.starts_with("reciprocation_rate:"))
        .take(2)
    {
        out.push(c.clone());
        let p = c.replacen("reciprocation_rate:", "mean_p:", 1);
        if cols.contains(&p) {
            out.push(p);
        }
    }
    if out.is_empty() && cols.iter().any(|c| c == "balance_index") {
        out.push("balance_index".into());
    }
    out
}

/// Writes the heatmaps of a sweep (see [`sweep_grids`]) of its key metrics.
fn write_sweep_heatmaps(dir: &Path, manifest: &Manifest, out: &Path) -> Result<Vec<PathBuf>> {
    let grids = sweep_grids(manifest);
    if grids.is_empty() {
        return Ok(Vec::new());
    }
    let summary = read_sweep_summary(dir)?;
    let mut written = Vec::new();
    for metric in heatmap_metrics(manifest) {
        for grid in grids.iter().take(4) {
            let mut n_min = f64::INFINITY;
            let mut n_max: f64 = 0.0;
            let cells: Vec<(f64, f64, f64)> = grid
                .configs
                .iter()
                .map(|(name, x, y)| {
                    let (n, mean) = summary
                        .get(&(name.clone(), metric.clone()))
                        .copied()
                        .unwrap_or((0.0, f64::NAN));
                    n_min = n_min.min(n);
                    n_max = n_max.max(n);
                    (*x, *y, mean)
                })
                .collect();
            let reps = if n_min == n_max {
                format!("{} replications per cell", short_number(n_max))
            } else {
                format!(
                    "{}–{} replications per cell",
                    short_number(n_min),
                    short_number(n_max)
                )
            };
            let fixed = if grid.fixed.is_empty() {
                String::new()
            } else {
                format!("; {}", grid.fixed.join(", "))
            };
            let title = if grids.len() == 1 {
                metric_title(&metric)
            } else if grid.fixed.is_empty() {
                format!("{} — base settings", metric_title(&metric))
            } else {
                format!("{} — {}", metric_title(&metric), grid.fixed.join(", "))
            };
            let fig = HeatmapFigure {
                title,
                subtitle: format!("mean of {metric} over {reps}{fixed}"),
                caption: format!(
                    "Mean of {metric} per configuration over the grid of {} (x) × {} (y){}; \
                     {reps}; from summary.csv and manifest.json.",
                    grid.x_key, grid.y_key, fixed
                ),
                x_key: grid.x_key.clone(),
                y_key: grid.y_key.clone(),
                metric: metric.clone(),
                cells,
                range: unit_metric(&metric).then_some((0.0, 1.0)),
            };
            let mut stem = format!("heatmap-{}", slug(&metric));
            if !grid.fixed.is_empty() {
                let _ = write!(stem, "-{}", slug(&grid.fixed.join("-")));
            }
            written.extend(write_heatmap(&fig, &out.join(stem))?);
        }
    }
    Ok(written)
}

/// A configuration's label for a panel: its name, unless the name only spells its
/// settings (a grid point), then the settings with short numbers:
/// `RUS-CHN −0.6, USA-CHN 0.2` for `RUS-CHN=-0.6/USA-CHN=0.19999999999999996`.
pub fn config_label(c: &crate::experiment::manifest::ConfigLayout) -> String {
    if c.settings.is_empty() || c.name != c.settings.join("/") {
        return c.name.clone();
    }
    c.settings
        .iter()
        .map(|s| match s.split_once('=') {
            Some((k, v)) => match v.trim().parse::<f64>() {
                Ok(x) => format!("{k} {}", short_number(x)),
                Err(_) => format!("{k} {v}"),
            },
            None => s.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the plots of a sweep folder into `sweep_dir/plots/`: the trajectory bands
/// of up to [`MAX_PAIRS`] pairs per configuration (small multiples,
/// [`PANELS_PER_FIGURE`] configurations a figure, at most
/// [`MAX_TRAJECTORY_FIGURES`] figures) and, when the sweep varies exactly two pair
/// keys, the heatmaps of its reciprocation metrics. Trajectory and heatmap files
/// of an earlier sweep into the same folder are removed. Returns the files
/// written.
pub fn write_sweep_plots(sweep_dir: &Path) -> Result<Vec<PathBuf>> {
    let manifest = read_manifest(sweep_dir)?;
    let out = plots_dir(sweep_dir)?;
    let configs: Vec<String> = manifest
        .layout
        .configs
        .iter()
        .map(|c| c.name.clone())
        .take(PANELS_PER_FIGURE * MAX_TRAJECTORY_FIGURES)
        .collect();
    let total = manifest.layout.configs.len();
    let mut written = Vec::new();
    if sweep_dir.join("trajectories.csv").exists() {
        let summary = read_sweep_summary(sweep_dir)?;
        let pairs = sweep_pairs(&manifest, &summary);
        let trajs = read_sweep_trajectories(sweep_dir, &configs, &pairs)?;
        let pages = configs.len().div_ceil(PANELS_PER_FIGURE);
        for page in 0..pages {
            let range =
                page * PANELS_PER_FIGURE..((page + 1) * PANELS_PER_FIGURE).min(configs.len());
            let panels: Vec<Panel> = range
                .clone()
                .map(|k| Panel {
                    title: if total == 1 {
                        String::new()
                    } else {
                        config_label(&manifest.layout.configs[k])
                    },
                    trajectories: trajs[k].clone(),
                })
                .collect();
            if panels.iter().all(|p| p.trajectories.is_empty()) {
                continue;
            }
            let shown = if pages > 1 || total > configs.len() {
                format!(
                    "configurations {}–{} of {}",
                    range.start + 1,
                    range.end,
                    total
                )
            } else if total == 1 {
                "one configuration".to_string()
            } else {
                format!("{total} configurations")
            };
            let fig = TrajectoryFigure {
                title: format!("Alignment trajectories — {}", manifest.scenario),
                subtitle: format!(
                    "mean over {} replications, band 5th–95th percentile; {shown}",
                    manifest.reps
                ),
                caption: format!(
                    "Mean alignment of each key pair over {} replications (line) with its \
                     5th–95th percentile band, one panel per configuration ({shown}), from \
                     trajectories.csv.",
                    manifest.reps
                ),
                panels,
            };
            let stem = if pages == 1 {
                "trajectories".to_string()
            } else {
                format!("trajectories-{}", page + 1)
            };
            written.extend(trajectories(&fig, &out.join(stem))?);
        }
    }
    written.extend(write_sweep_heatmaps(sweep_dir, &manifest, &out)?);
    prune_stale(&out, &written)?;
    Ok(written)
}

/// Removes the trajectory and heatmap files of `plots` that were not just
/// `written` (left by an earlier sweep into the same folder, they would show
/// configurations this sweep does not have).
fn prune_stale(plots: &Path, written: &[PathBuf]) -> Result<()> {
    let entries = std::fs::read_dir(plots).map_err(io_err(plots))?;
    for entry in entries {
        let path = entry.map_err(io_err(plots))?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ours = (name.starts_with("trajectories") || name.starts_with("heatmap-"))
            && (name.ends_with(".svg") || name.ends_with(".png"));
        if ours && !written.contains(&path) {
            std::fs::remove_file(&path).map_err(io_err(&path))?;
        }
    }
    Ok(())
}

/// Writes the plots of a claims folder into `dir/plots/`: the heatmaps of the grid
/// claim (model and null arms) from its `manifest.json` and `summary.csv`. Its
/// dozens of configurations' trajectories are left to `trajectories.csv`.
pub fn write_claims_plots(dir: &Path) -> Result<Vec<PathBuf>> {
    let manifest = read_manifest(dir)?;
    let out = plots_dir(dir)?;
    let written = write_sweep_heatmaps(dir, &manifest, &out)?;
    prune_stale(&out, &written)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_short() {
        assert_eq!(short_number(0.5), "0.5");
        assert_eq!(short_number(-0.25), "−0.25");
        assert_eq!(short_number(0.66666), "0.667");
        assert_eq!(short_number(12.345), "12.3");
        assert_eq!(short_number(-0.0001), "0");
        assert_eq!(short_number(f64::NAN), "—");
    }

    #[test]
    fn slugs_are_file_names() {
        assert_eq!(
            slug("reciprocation_rate:USA>RUS"),
            "reciprocation_rate-USA-RUS"
        );
        assert_eq!(slug("RUS-CHN=-0.5/USA-CHN=0.5"), "RUS-CHN-0.5-USA-CHN-0.5");
        assert_eq!(slug("///"), "plot");
    }

    #[test]
    fn the_colour_scale_runs_dark_to_light() {
        assert_eq!(sequential(0.0), RGBColor(68, 1, 84));
        assert_eq!(sequential(1.0), RGBColor(253, 231, 37));
        assert!(luminance(sequential(0.2)) < luminance(sequential(0.8)));
        assert_eq!(sequential(f64::NAN), NO_DATA);
        assert_eq!(sequential(7.0), sequential(1.0));
    }

    #[test]
    fn pair_keys_are_not_parameters() {
        assert!(is_pair_key("RUS-CHN"));
        assert!(!is_pair_key("loyalty"));
        assert!(!is_pair_key("RUS.growth"));
        assert!(!is_pair_key("USA>RUS.hardline"));
        assert!(!is_pair_key("-CHN"));
    }

    #[test]
    fn two_camps_sit_left_and_right() {
        let fig = NetworkFigure {
            title: String::new(),
            subtitle: String::new(),
            caption: String::new(),
            ids: ["USA", "RUS", "CHN", "GBR"].map(String::from).to_vec(),
            powers: vec![0.13, 0.04, 0.23, 0.03],
            camps: vec![1, 0, 0, 1],
            edges: vec![],
        };
        let pos = fig.layout();
        for (i, &c) in fig.camps.iter().enumerate() {
            if c == 0 {
                assert!(pos[i].0 < 0.0, "camp 0 on the left: {pos:?}");
            } else {
                assert!(pos[i].0 > 0.0, "camp 1 on the right: {pos:?}");
            }
        }
        // The most powerful member of each camp is higher up.
        assert!(pos[2].1 > pos[1].1 && pos[0].1 > pos[3].1, "{pos:?}");
    }

    #[test]
    fn stale_sweep_plots_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for f in [
            "trajectories-2.svg",
            "trajectories-2.png",
            "heatmap-x.svg",
            "heatmap-y.png",
            "network.svg",
            "mine.svg",
            "trajectories.svg",
        ] {
            std::fs::write(p.join(f), "x").unwrap();
        }
        prune_stale(p, &[p.join("trajectories.svg"), p.join("heatmap-x.svg")]).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "heatmap-x.svg",
                "mine.svg",
                "network.svg",
                "trajectories.svg"
            ]
        );
    }

    #[test]
    fn figures_are_written_as_svg_and_png_with_their_labels() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("h");
        let cells = [
            (-0.5, -0.5, 0.2),
            (0.5, -0.5, 0.4),
            (-0.5, 0.5, 0.6),
            (0.5, 0.5, f64::NAN),
        ];
        let files = heatmap(
            "RUS-CHN",
            "USA-CHN",
            "reciprocation_rate:USA>RUS",
            &cells,
            &stem,
        )
        .unwrap();
        assert_eq!(files.len(), 2);
        let svg = std::fs::read_to_string(&files[0]).unwrap();
        assert!(svg.contains("RUS-CHN (initial alignment and interest)"));
        assert!(svg.contains("<desc>Heatmap of reciprocation_rate:USA&gt;RUS"));
        assert!(svg.contains(">\n0.6\n<"), "the value printed in its cell");
        assert!(svg.contains(">\n—\n<"), "a missing value shows a dash");
        let png = std::fs::read(&files[1]).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
        assert!(matches!(
            heatmap("a", "b", "m", &[], &stem),
            Err(PlotError::Empty(_))
        ));
    }
}
