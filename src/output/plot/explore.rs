//! The figures of an exploration (`entente explore`), one per claim in
//! `plots/explore-<claim>.svg` (and `.png`): on the left the experiments on two
//! weights — those the PRIM box where the claim fails restricts, most significant
//! first, then those that drive the claim's effect most — coloured by verdict,
//! with the box drawn; on the right the first-order
//! sensitivity index of every weight as bars.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::figure::{render, DrawResult, Figure, Formats};
use super::style::{font, header, short_number, slug, LegendItem, LegendKind, GRID, INK, MUTED};
use super::PlotError;
use crate::experiment::explore::{box_sentence, ClaimAnalysis, ExploreRecord, Outcome, CATEGORIES};

/// Colours of the verdicts, in [`CATEGORIES`] order.
const VERDICT_COLORS: [RGBColor; 4] = [
    RGBColor(26, 150, 65),
    RGBColor(148, 103, 189),
    RGBColor(215, 48, 39),
    RGBColor(160, 160, 160),
];

/// At most this many weights are drawn as bars.
const MAX_BARS: usize = 12;

struct ClaimFigure {
    title: String,
    subtitle: String,
    /// Names and values of the two axes' weights.
    x_key: String,
    y_key: String,
    /// (x, y, category) of every experiment.
    points: Vec<(f64, f64, usize)>,
    /// The PRIM box on the two axes: ((x_low, x_high), (y_low, y_high)).
    prim: Option<((f64, f64), (f64, f64))>,
    x_span: (f64, f64),
    y_span: (f64, f64),
    /// (weight, first-order index), largest first.
    bars: Vec<(String, f64)>,
}

impl Figure for ClaimFigure {
    fn size(&self) -> (u32, u32) {
        (1160, 600)
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn caption(&self) -> String {
        format!(
            "{}. Left: every experiment on {} and {} (the weights the box restricts, then those that drive the effect most), coloured by verdict{}. Right: first-order Sobol' index of each weight for the claim's effect (from experiments.csv and outcomes.csv).",
            self.subtitle,
            self.x_key,
            self.y_key,
            if self.prim.is_some() { ", with the PRIM box where it is not supported" } else { "" }
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let legend: Vec<LegendItem> = CATEGORIES
            .iter()
            .zip(VERDICT_COLORS)
            .map(|(c, color)| LegendItem {
                label: c.replace('_', " "),
                color: color.to_rgba(),
                kind: LegendKind::Dot,
            })
            .collect();
        let body = header(root, &self.title, &self.subtitle, &legend)?;
        let (left, right) = body.split_horizontally(640);
        let pad = |(lo, hi): (f64, f64)| {
            let d = (hi - lo).max(1e-12) * 0.03;
            (lo - d)..(hi + d)
        };
        let mut chart = ChartBuilder::on(&left)
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(pad(self.x_span), pad(self.y_span))?;
        chart
            .configure_mesh()
            .light_line_style(GRID)
            .bold_line_style(GRID)
            .label_style(font(12.0))
            .axis_desc_style(font(13.0))
            .x_desc(self.x_key.as_str())
            .y_desc(self.y_key.as_str())
            .x_label_formatter(&|v| short_number(*v))
            .y_label_formatter(&|v| short_number(*v))
            .draw()?;
        // Failures on top, so that a small region of them stays visible.
        for c in [0, 1, 3, 2] {
            chart.draw_series(
                self.points
                    .iter()
                    .filter(|p| p.2 == c)
                    .map(|&(x, y, c)| Circle::new((x, y), 4, VERDICT_COLORS[c].mix(0.85).filled())),
            )?;
        }
        if let Some(((x0, x1), (y0, y1))) = self.prim {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x0, y0), (x1, y1)],
                INK.stroke_width(3),
            )))?;
        }

        let n = self.bars.len().max(1);
        let mut bars = ChartBuilder::on(&right)
            .margin(16)
            .margin_left(8)
            .x_label_area_size(48)
            .y_label_area_size(150)
            .build_cartesian_2d(0.0..1.0f64, 0.0..n as f64)?;
        let names: Vec<String> = self.bars.iter().map(|b| b.0.clone()).collect();
        bars.configure_mesh()
            .disable_y_mesh()
            .light_line_style(GRID)
            .bold_line_style(GRID)
            .label_style(font(12.0))
            .axis_desc_style(font(13.0))
            .x_desc("first-order index S_i")
            .y_labels(n * 2 + 1)
            .y_label_formatter(&|v| {
                // Labels at the bar centres only.
                let k = (n as f64 - v - 0.5).round();
                if (n as f64 - v - 0.5 - k).abs() < 1e-6 && k >= 0.0 && (k as usize) < names.len() {
                    names[k as usize].clone()
                } else {
                    String::new()
                }
            })
            .draw()?;
        bars.draw_series(self.bars.iter().enumerate().map(|(k, (_, s))| {
            let top = (n - k) as f64 - 0.15;
            Rectangle::new(
                [(0.0, top - 0.7), (s.max(0.0), top)],
                RGBColor(59, 81, 139).filled(),
            )
        }))?;
        if self.bars.is_empty() {
            right.draw(&Text::new(
                "no index: the effect does not vary".to_string(),
                (40, 60),
                font(13.0).color(&MUTED),
            ))?;
        }
        Ok(())
    }
}

/// Writes one figure per claim into `dir/plots/`; returns the files written.
pub fn write_explore_plots(
    dir: &Path,
    record: &ExploreRecord,
    outcomes: &[Outcome],
    analyses: &[ClaimAnalysis],
) -> Result<Vec<PathBuf>, PlotError> {
    let out = dir.join("plots");
    std::fs::create_dir_all(&out).map_err(|source| PlotError::Io {
        path: out.clone(),
        source,
    })?;
    let keys = record.keys();
    let mut written = Vec::new();
    for a in analyses {
        let mut order: Vec<usize> = (0..keys.len()).collect();
        let s = |j: usize| {
            if a.sensitivity[j].is_finite() {
                a.sensitivity[j]
            } else {
                -1.0
            }
        };
        order.sort_by(|&x, &y| s(y).total_cmp(&s(x)).then(x.cmp(&y)));
        // The axes: the weights the chosen box restricts, most significant first,
        // then those that drive the effect most.
        let mut axes: Vec<usize> = Vec::new();
        if let Some((_, p)) = &a.prim {
            let mut dims = p.chosen.restricted.clone();
            dims.sort_by(|&x, &y| p.quasi_p[x].total_cmp(&p.quasi_p[y]).then(x.cmp(&y)));
            axes.extend(dims);
        }
        for &j in &order {
            if !axes.contains(&j) {
                axes.push(j);
            }
        }
        let (jx, jy) = (axes[0], axes.get(1).copied().unwrap_or(axes[0]));
        let span = |j: usize| (record.ranges[j].low, record.ranges[j].high);
        let points = outcomes
            .iter()
            .filter(|o| o.label == a.label)
            .map(|o| {
                let p = &record.points[o.experiment];
                (p[jx], p[jy], o.category)
            })
            .collect();
        let prim = a
            .prim
            .as_ref()
            .map(|(_, p)| (p.chosen.limits[jx], p.chosen.limits[jy]));
        let fig = ClaimFigure {
            title: format!("Claim {}: where it holds ({})", a.label, a.metric),
            subtitle: box_sentence(a, &keys),
            x_key: keys[jx].clone(),
            y_key: keys[jy].clone(),
            points,
            prim,
            x_span: span(jx),
            y_span: span(jy),
            bars: order
                .iter()
                .filter(|&&j| a.sensitivity[j].is_finite())
                .take(MAX_BARS)
                .map(|&j| (keys[j].clone(), a.sensitivity[j]))
                .collect(),
        };
        let stem = out.join(format!("explore-{}", slug(&a.label)));
        written.extend(render(&fig, &stem, Formats::Svg)?);
    }
    Ok(written)
}
