//! The signed network at one step: camps coloured (camp 0 on the left arc,
//! camp 1 on the right), node area ∝ power, edges green (allies) or red
//! (enemies) with width ∝ |a_ij|.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::figure::{render, DrawResult, Figure, Formats};
use super::style::{
    anchored, bold, font, header_scaled, LegendItem, LegendKind, ALLY, CAMPS, ENEMY, MUTED,
};
use super::{PlotError, Result, MIN_EDGE};

/// The signed network at one step.
#[derive(Clone, Debug)]
pub struct NetworkFigure {
    /// The title, drawn at the top.
    pub title: String,
    /// The line under the title.
    pub subtitle: String,
    /// Says what is shown and from which file (the SVG's `<desc>`).
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

/// Writes the network figure to `path_stem.svg` and/or `.png`.
pub fn write(fig: &NetworkFigure, path_stem: &Path, formats: Formats) -> Result<Vec<PathBuf>> {
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
    render(fig, path_stem, formats)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
