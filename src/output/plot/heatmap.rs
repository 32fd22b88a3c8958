//! One metric over a grid of two keys (the reciprocation heatmap over RUS-CHN ×
//! USA-CHN): a sequential colour scale with a colour bar and the value printed
//! in each cell.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;

use super::figure::{render, DrawResult, Figure, Formats};
use super::style::{
    anchored, bold, font, header_scaled, luminance, sequential, short_number, INK, MUTED,
};
use super::{PlotError, Result};

/// A heatmap of `metric` over the grid of `x_key` × `y_key`.
#[derive(Clone, Debug)]
pub struct HeatmapFigure {
    /// The title, drawn at the top.
    pub title: String,
    /// The line under the title: the metric over the two keys.
    pub subtitle: String,
    /// Says what is shown and from which file (the SVG's `<desc>`).
    pub caption: String,
    /// The grid key of the x axis (a parameter or a pair key such as `RUS-CHN`).
    pub x_key: String,
    /// The grid key of the y axis.
    pub y_key: String,
    /// The metric coloured, a `runs.csv` column.
    pub metric: String,
    /// (x value, y value, metric value); NaN values are drawn grey.
    pub cells: Vec<(f64, f64, f64)>,
    /// The colour scale's range; `None` for the data's range.
    pub range: Option<(f64, f64)>,
}

pub(super) fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
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
pub(super) fn unit_metric(metric: &str) -> bool {
    let name = metric.split(':').next().unwrap_or(metric);
    matches!(name, "reciprocation_rate" | "mean_p" | "balance_index")
}

/// Writes the heatmap of `metric` over `x_key` × `y_key` to `path_stem.svg`
/// and/or `.png`; `cells` are (x, y, value).
pub fn heatmap(
    x_key: &str,
    y_key: &str,
    metric: &str,
    cells: &[(f64, f64, f64)],
    path_stem: &Path,
    formats: Formats,
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
    write(&fig, path_stem, formats)
}

/// Writes a heatmap figure to `path_stem.svg` and/or `.png`.
pub fn write(fig: &HeatmapFigure, path_stem: &Path, formats: Formats) -> Result<Vec<PathBuf>> {
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
    render(fig, path_stem, formats)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let metric = "reciprocation_rate:USA>RUS";
        let files = heatmap("RUS-CHN", "USA-CHN", metric, &cells, &stem, Formats::Both).unwrap();
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
            heatmap("a", "b", "m", &[], &stem, Formats::Svg),
            Err(PlotError::Empty(_))
        ));
        // One format asked for, one file written.
        let svg_only = heatmap("x", "y", "m", &cells, &dir.path().join("s"), Formats::Svg).unwrap();
        assert_eq!(svg_only, [dir.path().join("s.svg")]);
        let png_only = heatmap("x", "y", "m", &cells, &dir.path().join("p"), Formats::Png).unwrap();
        assert_eq!(png_only, [dir.path().join("p.png")]);
        assert!(!dir.path().join("p.svg").exists());
    }
}
