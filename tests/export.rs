//! `entente export`: a run's network at one step as GraphML and DOT, checked
//! against the run's own alignments.csv.

mod common;

use std::path::{Path, PathBuf};

use common::{entente, stderr, stdout};
use entente::output::export::{read_network, to_graphml};

/// Runs the triangle for 20 steps into a temporary folder.
fn triangle_run() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("run");
    let o = entente(&[
        "run",
        "scenarios/triangle",
        "--steps",
        "20",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    (root, out)
}

/// (a, b, alignment text) of every pair at `step`, as the run wrote them.
fn alignments_at(out: &Path, step: &str) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(out.join("alignments.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("step,a,b,alignment,interest"));
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|r| r[0] == step)
        .map(|r| (r[1].to_string(), r[2].to_string(), r[3].to_string()))
        .collect()
}

/// A tiny well-formedness check: every tag closes in order, the root is `graphml`.
fn assert_balanced_xml(x: &str) {
    assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = x;
    let mut roots = 0;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').expect("an unclosed `<`") + open;
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "`<` inside a tag: {tag}");
        let text = &rest[..open];
        assert!(!text.contains('>'), "a stray `>` in text: {text}");
        if tag.starts_with('?') {
            assert!(tag.ends_with('?'));
        } else if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name.trim()), "mismatched </{name}>");
        } else {
            let name = tag.split_whitespace().next().unwrap();
            if stack.is_empty() {
                roots += 1;
                assert_eq!(name, "graphml");
            }
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        // attribute values are quoted and have no raw `&` outside entities
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes: {tag}");
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert_eq!(roots, 1);
    assert!(rest.trim().is_empty());
}

#[test]
fn graphml_of_step_20_has_the_runs_alignments() {
    let (_root, out) = triangle_run();
    let o = entente(&[
        "export",
        out.to_str().unwrap(),
        "--step",
        "20",
        "--format",
        "graphml",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = out.join("network-20.graphml");
    assert_eq!(stdout(&o).trim(), path.display().to_string());
    let x = std::fs::read_to_string(&path).unwrap();
    assert_balanced_xml(&x);
    assert_eq!(x.matches("<node ").count(), 3);
    assert_eq!(x.matches("<edge ").count(), 3);
    for id in ["USA", "RUS", "CHN"] {
        assert!(x.contains(&format!("<node id=\"{id}\">")), "{id}");
    }
    assert!(x.contains("<data key=\"name\">United States</data>"));
    assert!(x.contains("<data key=\"step\">20</data>"));
    let ties = alignments_at(&out, "20");
    assert_eq!(ties.len(), 3);
    for (a, b, alignment) in &ties {
        let start = x
            .find(&format!("source=\"{a}\" target=\"{b}\">"))
            .unwrap_or_else(|| panic!("no edge {a}-{b}"));
        let edge = &x[start..start + x[start..].find("</edge>").unwrap()];
        assert!(
            edge.contains(&format!("<data key=\"alignment\">{alignment}</data>")),
            "{a}-{b} should have alignment {alignment}: {edge}"
        );
        let sign = if alignment.starts_with('-') {
            "-1"
        } else {
            "1"
        };
        assert!(
            edge.contains(&format!("<data key=\"sign\">{sign}</data>")),
            "{edge}"
        );
        assert!(edge.contains("<data key=\"interest\">"));
    }
    // step 20 is not step 0: the export is of the step asked for
    assert_ne!(ties, alignments_at(&out, "0"));
    // the library reads the same network, and the final step by default
    let net = read_network(&out, None).unwrap();
    assert_eq!(net.step, 20);
    assert_eq!(to_graphml(&net), x);
}

#[test]
fn dot_of_step_20_colours_edges_by_sign() {
    let (root, out) = triangle_run();
    let file = root.path().join("drawing.dot");
    let o = entente(&[
        "export",
        out.to_str().unwrap(),
        "--step",
        "20",
        "--format",
        "dot",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), file.display().to_string());
    let d = std::fs::read_to_string(&file).unwrap();
    assert!(d.starts_with("graph \"run step 20\" {\n") && d.ends_with("}\n"));
    assert_eq!(d.matches('{').count(), d.matches('}').count());
    assert_eq!(d.lines().filter(|l| l.contains(" -- ")).count(), 3, "{d}");
    assert_eq!(d.lines().filter(|l| l.contains("fillcolor=")).count(), 3);
    for (a, b, alignment) in alignments_at(&out, "20") {
        let line = d
            .lines()
            .find(|l| l.starts_with(&format!("  \"{a}\" -- \"{b}\" [")))
            .unwrap_or_else(|| panic!("no edge {a}-{b}: {d}"));
        let (colour, sign) = if alignment.starts_with('-') {
            ("#b2182b", "-1")
        } else {
            ("#1b7837", "1")
        };
        assert!(line.contains(&format!("color=\"{colour}\"")), "{line}");
        assert!(line.contains(&format!("alignment={alignment},")), "{line}");
        assert!(line.contains(&format!("sign={sign},")), "{line}");
    }
    // with the default output: OUT/network-20.dot (20 is the final step)
    let o = entente(&["export", out.to_str().unwrap(), "--format", "dot"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("network-20.dot")).unwrap(),
        d
    );
}

#[test]
fn a_missing_step_is_an_error_naming_it() {
    let (_root, out) = triangle_run();
    let o = entente(&["export", out.to_str().unwrap(), "--step", "21"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("step 21 is not in the run") && err.contains("steps 0 to 20"),
        "{err}"
    );
    assert!(err.contains("states.csv"), "{err}");
    assert!(!out.join("network-21.graphml").exists());
    // not a run folder at all: refused before anything is read
    let o = entente(&["export", "scenarios/triangle"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(
            "scenarios/triangle is not a finished entente output (it has no entente.json)"
        ),
        "{}",
        stderr(&o)
    );
    // a bad format is refused by the parser
    let o = entente(&["export", out.to_str().unwrap(), "--format", "svg"]);
    assert!(!o.status.success());
}
