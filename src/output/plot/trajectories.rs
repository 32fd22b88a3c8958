//! Alignment over steps: one line per pair, a p05–p95 band when the data come
//! from a sweep, one panel per configuration (small multiples sharing their axes
//! and legend).

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;

use super::figure::{render, DrawResult, Figure, Formats};
use super::style::{
    anchored, bold, fit_text, font, header, short_number, LegendItem, LegendKind, GRID, MUTED,
    PALETTE,
};
use super::{PlotError, Result, ALIGNMENT_LABEL, STEP_LABEL};

/// One point of a trajectory: the alignment (or its mean over replications) and,
/// for a sweep, its 5th and 95th percentiles (NaN when there is no band).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrajectoryPoint {
    /// The step, from 0 (the initial state).
    pub step: f64,
    /// The alignment, or its mean over the replications, in [−1, 1].
    pub value: f64,
    /// The 5th percentile over the replications (NaN without a band).
    pub low: f64,
    /// The 95th percentile over the replications (NaN without a band).
    pub high: f64,
}

/// One pair's trajectory.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// The pair, `A-B`.
    pub pair: String,
    /// Its points, in step order.
    pub points: Vec<TrajectoryPoint>,
}

/// One panel: a title (a configuration's name, or empty) and its trajectories.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// The panel's title: a configuration's name, or empty.
    pub title: String,
    /// The pairs drawn in the panel, one line (and band) each.
    pub trajectories: Vec<Trajectory>,
}

/// A figure of trajectory panels.
#[derive(Clone, Debug)]
pub struct TrajectoryFigure {
    /// The title, drawn at the top.
    pub title: String,
    /// The line under the title.
    pub subtitle: String,
    /// Says what is shown and from which file.
    pub caption: String,
    /// The panels, laid out in a grid of up to 4 columns, row by row.
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

/// Writes a figure of trajectory panels to `stem.svg` and/or `stem.png`.
pub fn write(figure: &TrajectoryFigure, stem: &Path, formats: Formats) -> Result<Vec<PathBuf>> {
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
    render(figure, stem, formats)
}
