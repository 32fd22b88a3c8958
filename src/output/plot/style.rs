//! The house style of the figures: colours (a categorical palette, camp colours,
//! a sequential viridis scale), the embedded font and text sizes, short numbers
//! and file-name slugs, and the header (title, subtitle, legend rows) every
//! figure starts with.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, RGBAColor};

pub(super) const FONT: &str = "sans-serif";
pub(super) const FONT_BYTES: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");

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
pub(super) const CAMPS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(23, 190, 207),
    RGBColor(127, 127, 127),
];
pub(super) const ALLY: RGBColor = RGBColor(26, 150, 65);
pub(super) const ENEMY: RGBColor = RGBColor(215, 48, 39);
pub(super) const INK: RGBColor = RGBColor(33, 37, 41);
pub(super) const MUTED: RGBColor = RGBColor(100, 106, 115);
pub(super) const GRID: RGBColor = RGBColor(232, 234, 237);
pub(super) const NO_DATA: RGBColor = RGBColor(210, 210, 210);

/// Viridis, sampled at nine points: dark purple (low) to yellow (high); readable in
/// grey and by colour-blind readers.
pub(super) const VIRIDIS: [(u8, u8, u8); 9] = [
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

pub(super) fn luminance(c: RGBColor) -> f64 {
    (0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64) / 255.0
}

/// Text sizes below are in the units of a 12 px body text; this scales them to
/// plotters' font sizes, which measure the whole line height.
pub(super) const TEXT_SCALE: f64 = 1.2;

pub(super) fn font(size: f64) -> TextStyle<'static> {
    (FONT, size * TEXT_SCALE).into_font().color(&INK)
}

pub(super) fn bold(size: f64) -> TextStyle<'static> {
    (FONT, size * TEXT_SCALE, FontStyle::Bold)
        .into_font()
        .color(&INK)
}

pub(super) fn anchored<'a>(style: TextStyle<'a>, h: HPos, v: VPos) -> TextStyle<'a> {
    style.pos(Pos::new(h, v))
}

/// `text` at the largest size ≤ `size` (down to 70% of it) that fits `width`
/// pixels, cut with `…` if it does not fit even then.
pub(super) fn fit_text<DB: DrawingBackend>(
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

/// Title, subtitle and an optional legend row at the top; returns the area below.
pub(super) fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    legend: &[LegendItem],
) -> std::result::Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    header_scaled(root, title, subtitle, legend, 1.0)
}

/// [`header`] with its text `scale` times larger (for figures shown small).
pub(super) fn header_scaled<DB: DrawingBackend>(
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
pub(super) struct LegendItem {
    pub label: String,
    pub color: RGBAColor,
    pub kind: LegendKind,
}

#[derive(Clone, Copy, Debug)]
pub(super) enum LegendKind {
    Line,
    Band,
    Dot,
}

/// Splits items of the given widths into rows no wider than `width` (index ranges).
pub(super) fn legend_rows(widths: &[i32], width: i32) -> Vec<std::ops::Range<usize>> {
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
pub(super) fn draw_legend<DB: DrawingBackend>(
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
}
