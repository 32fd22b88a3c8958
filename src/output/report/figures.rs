//! The figures of a report: every figure file of `plots/` (SVG, or PNG where a
//! figure has no SVG) embedded as an image — `<img src="data:image/svg+xml;base64,…">`
//! — so that the page stays one file and nothing in a figure can run in it;
//! titled and captioned from the SVG's own `<title>` and `<desc>`.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use maud::{html, Markup};

use super::Page;

/// The figure files of `dir/plots/`, in reading order: trajectories, heatmaps,
/// the network, the rest; one per figure, its SVG where there is one.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join("plots")) else {
        return Vec::new();
    };
    let all: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            let image = p.extension().is_some_and(|x| x == "svg" || x == "png");
            image && !hidden
        })
        .collect();
    let mut files: Vec<PathBuf> = all
        .iter()
        .filter(|p| {
            p.extension().is_some_and(|x| x == "svg") || !all.contains(&p.with_extension("svg"))
        })
        .cloned()
        .collect();
    let rank = |p: &PathBuf| {
        let n = p
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let r = ["trajectories", "heatmap", "network"]
            .iter()
            .position(|s| n.starts_with(s))
            .unwrap_or(3);
        (r, n)
    };
    files.sort_by_key(rank);
    files
}

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

/// One figure: its image and caption; `None` (with a note) when unreadable.
struct Figure {
    name: String,
    /// Heatmaps go two to a row.
    heat: bool,
    html: Markup,
}

fn figure(path: &Path, number: usize, dir: &Path) -> std::result::Result<Figure, Markup> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| {
        html! { p.note.error { "plots/" (name) ": " (e.to_string()) } }
    })?;
    let svg = name.ends_with(".svg");
    let text = if svg {
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        String::new()
    };
    let title = svg_meta(&text, "title").unwrap_or_else(|| name.clone());
    let caption = svg_meta(&text, "desc").unwrap_or_default();
    let mime = if svg { "image/svg+xml" } else { "image/png" };
    let src = format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    );
    let stem = name.trim_end_matches(".svg").trim_end_matches(".png");
    let png = format!("{stem}.png");
    let also_png = svg && dir.join("plots").join(&png).is_file();
    let heat = name.starts_with("heatmap");
    let narrow = heat || name.starts_with("network");
    let html = html! {
        figure class=[narrow.then_some("narrow")] {
            div.plot { img src=(src) alt=(title); }
            figcaption {
                b { "Figure " (number) ". " (title.trim_end_matches('.')) "." }
                " " (caption) " "
                span.src { "plots/" (name) @if also_png { ", plots/" (png) } }
            }
        }
    };
    Ok(Figure { name, heat, html })
}

/// The figures section of the page, with `note` (why the plots could not be
/// drawn) when there is one.
pub fn section(dir: &Path, page: &mut Page, note: Option<String>) {
    let paths = files(dir);
    if paths.is_empty() && note.is_none() {
        return;
    }
    let mut notes: Vec<Markup> = Vec::new();
    let mut figures: Vec<Figure> = Vec::new();
    for path in &paths {
        match figure(path, figures.len() + 1, dir) {
            Ok(f) => figures.push(f),
            Err(n) => notes.push(n),
        }
    }
    // Runs of two or more heatmaps share a grid.
    let mut groups: Vec<(bool, Vec<&Figure>)> = Vec::new();
    for f in &figures {
        match groups.last_mut() {
            Some((true, g)) if f.heat => g.push(f),
            _ => groups.push((f.heat, vec![f])),
        }
    }
    debug_assert!(figures.iter().all(|f| !f.name.is_empty()));
    page.section(
        "figures",
        "Figures",
        "",
        html! {
            @if let Some(n) = &note { p.note.error { (n) } }
            @for n in &notes { (n) }
            @for (heat, group) in &groups {
                @if *heat && group.len() >= 2 {
                    div.figgrid { @for f in group { (f.html) } }
                } @else {
                    @for f in group { (f.html) }
                }
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_titles_and_captions_are_read_back() {
        let svg = "<svg>\n<title>A &amp; B</title>\n<desc>from x.csv &lt;here&gt;</desc>\n</svg>";
        assert_eq!(svg_meta(svg, "title").unwrap(), "A & B");
        assert_eq!(svg_meta(svg, "desc").unwrap(), "from x.csv <here>");
        assert!(svg_meta(svg, "g").is_none());
    }

    #[test]
    fn figures_are_embedded_as_images_whatever_they_hold() {
        let dir = tempfile::tempdir().unwrap();
        let plots = dir.path().join("plots");
        std::fs::create_dir(&plots).unwrap();
        // A figure file with a script: as an image it cannot run.
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<title>T &lt;1&gt;</title>\n<desc>D</desc>\n<script>alert(1)</script></svg>";
        std::fs::write(plots.join("network.svg"), svg).unwrap();
        std::fs::write(plots.join("network.png"), b"\x89PNG").unwrap();
        std::fs::write(plots.join("trajectories.png"), b"\x89PNG").unwrap();
        std::fs::write(plots.join(".tmp.svg"), "x").unwrap();
        assert_eq!(
            files(dir.path()),
            [plots.join("trajectories.png"), plots.join("network.svg")]
        );
        let mut page = Page::default();
        section(dir.path(), &mut page, None);
        let html = page.finish(crate::output::read::FolderKind::Run, "x", dir.path());
        assert!(
            !html.contains("<script"),
            "the figure's text is not in the page"
        );
        let encoded = base64::engine::general_purpose::STANDARD.encode(svg);
        assert!(html.contains(&format!(
            "<img src=\"data:image/svg+xml;base64,{encoded}\" alt=\"T &lt;1&gt;\">"
        )));
        assert!(html.contains("src=\"data:image/png;base64,iVBORw==\""));
        assert!(html.contains("plots/network.svg, plots/network.png"));
    }
}
