//! The [`Figure`] trait every plot implements, and [`render`], which draws a
//! figure into the files [`Formats`] asks for: the SVG drawn into memory (its
//! `<title>` and `<desc>` added) and written atomically, the PNG rasterised
//! under a temporary name and renamed.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::style::{FONT, FONT_BYTES};
use super::{io_err, PlotError, Result};
use crate::files::{write_file_atomic, write_path_atomic};
use crate::output::xml;

/// Which files a figure is written to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Formats {
    /// `NAME.svg`, which the HTML report embeds.
    #[default]
    Svg,
    /// `NAME.png` (rasterising costs more than the rest of a small run).
    Png,
    /// `NAME.svg` and `NAME.png`.
    Both,
    /// No figures.
    None,
}

impl Formats {
    /// Whether an SVG file is written (`svg` or `both`).
    pub fn svg(self) -> bool {
        matches!(self, Formats::Svg | Formats::Both)
    }

    /// Whether a PNG file is written (`png` or `both`).
    pub fn png(self) -> bool {
        matches!(self, Formats::Png | Formats::Both)
    }
}

pub(super) type DrawResult<DB> =
    std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A figure that can be drawn on any plotters backend.
pub trait Figure {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// The title, drawn at the top and written as the SVG's `<title>`.
    fn title(&self) -> String;
    /// Says what is shown and from which file.
    fn caption(&self) -> String;
    /// Draws the figure on `root`, which has [`Figure::size`].
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

fn draw_err(path: &Path, e: impl ToString) -> PlotError {
    PlotError::Draw {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Draws `fig` into `stem.svg` and/or `stem.png`; returns the paths written.
pub fn render(fig: &impl Figure, stem: &Path, formats: Formats) -> Result<Vec<PathBuf>> {
    ensure_font()?;
    let size = fig.size();
    let mut written = Vec::new();
    if formats.svg() {
        let svg_path = with_suffix(stem, "svg");
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            fig.draw(&root)
                .and_then(|_| root.present())
                .map_err(|e| draw_err(&svg_path, e))?;
        }
        // Title and caption, for the report and for screen readers.
        if let Some(end) = svg.find(">\n") {
            let meta = format!(
                "<title>{}</title>\n<desc>{}</desc>\n",
                xml::escape(&fig.title()),
                xml::escape(&fig.caption())
            );
            svg.insert_str(end + 2, &meta);
        }
        write_file_atomic(&svg_path, svg.as_bytes()).map_err(io_err(&svg_path))?;
        written.push(svg_path);
    }
    if formats.png() {
        let png_path = with_suffix(stem, "png");
        write_path_atomic(
            &png_path,
            |tmp| {
                let root = BitMapBackend::new(tmp, size).into_drawing_area();
                fig.draw(&root)
                    .and_then(|_| root.present())
                    .map_err(|e| draw_err(&png_path, e))
            },
            io_err(&png_path),
        )?;
        written.push(png_path);
    }
    Ok(written)
}
