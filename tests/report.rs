//! `entente report`: one self-contained HTML page per output folder, with the plots
//! of `plots/` (drawn when missing) embedded as images; and the plots themselves.

mod common;

use std::path::Path;

use common::{crate_path, entente, stderr, stdout};

fn ok(args: &[&str]) -> String {
    let o = entente(args);
    assert!(
        o.status.success(),
        "entente {args:?} failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The page loads nothing from outside: no script, no stylesheet link, no remote
/// source, no URL at all.
fn assert_self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in [
        "<script",
        "<link",
        "src=\"http",
        "src='http",
        "http://",
        "https://",
        "@import",
    ] {
        assert!(!lower.contains(bad), "the report holds `{bad}`");
    }
    assert!(lower.starts_with("<!doctype html>"));
    assert!(lower.contains("<style>"), "inline CSS");
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_run_report_is_one_self_contained_page_with_its_numbers_and_plots() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let out_s = out.to_str().unwrap();
    ok(&["run", "scenarios/triangle", "--steps", "40", "--out", out_s]);
    let printed = ok(&["report", out_s]);
    assert!(printed.contains("run report"), "{printed}");
    let html = read(&out.join("report.html"));
    assert_self_contained(&html);
    assert_eq!(
        html.matches("<img src=\"data:image/svg+xml;base64,")
            .count(),
        2,
        "trajectories and network embedded as images"
    );
    assert!(!html.contains("<svg xmlns"), "no figure inlined as text");

    // The balance index of summary.csv, exact (in the full table) and rounded (in
    // the summary card).
    let summary = read(&out.join("summary.csv"));
    let value = summary
        .lines()
        .find_map(|l| l.strip_prefix("balance_index,,,"))
        .expect("summary.csv has the balance index");
    assert!(html.contains(&format!("<td class=\"num\">{value}</td>")));
    let rounded = format!("{:.3}", value.parse::<f64>().unwrap());
    assert!(html.contains(&rounded), "balance index {rounded} shown");
    // Camps and the policy pair's reciprocation.
    assert!(html.contains("{CHN RUS} vs {USA}") || html.contains("{USA} vs {CHN RUS}"));
    assert!(html.contains("Reciprocation per policy pair"));
    // The key pairs' final alignment with their S-scores from summary.csv.
    let s = summary
        .lines()
        .find_map(|l| l.strip_prefix("s_score,RUS,USA,"))
        .expect("summary.csv has S-scores");
    let s = format!("{:.3}", s.parse::<f64>().unwrap())
        .trim_end_matches('0')
        .trim_end_matches('.')
        .replace('-', "−");
    assert!(
        html.contains("<th class=\"num\">S</th>"),
        "an S-score column"
    );
    assert!(
        html.contains(&format!("<td class=\"num\">{s}</td>")),
        "S of RUS-USA: {s}"
    );

    // The plots were drawn by `run`, as SVG only by default, with titled,
    // labelled axes.
    let plots = files_in(&out.join("plots"));
    assert_eq!(plots, ["network.svg", "trajectories.svg"]);
    let traj = read(&out.join("plots/trajectories.svg"));
    assert!(traj.contains("step (month)"));
    assert!(traj.contains("alignment a_ij (−1 enemy … +1 ally)"));
    for pair in ["CHN-RUS", "CHN-USA", "RUS-USA"] {
        assert!(traj.contains(pair), "legend names {pair}");
    }
    let net = read(&out.join("plots/network.svg"));
    for id in ["USA", "RUS", "CHN", "camp 0", "camp 1"] {
        assert!(net.contains(&format!(">\n{id}\n<")), "network labels {id}");
    }
    // The captions say where a figure comes from.
    assert!(html.contains("from alignments.csv"));
    // The key pairs' final alignments, in the order summary.csv ranks them.
    let ranked: Vec<String> = summary
        .lines()
        .filter_map(|l| l.strip_prefix("key_pair,"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("<td>{}-{}</td>", f[0], f[1])
        })
        .collect();
    assert_eq!(ranked.len(), 3, "{summary}");
    let at: Vec<usize> = ranked
        .iter()
        .map(|p| html.find(p.as_str()).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{ranked:?} in order");

    // Drawn again from the folder, the figures are the same bytes as drawn from
    // memory by `run`.
    let svg = |f: &str| std::fs::read(out.join("plots").join(f)).unwrap();
    let (traj, net) = (svg("trajectories.svg"), svg("network.svg"));
    std::fs::remove_dir_all(out.join("plots")).unwrap();
    ok(&["report", out_s, "--plots", "both"]);
    assert_eq!(svg("trajectories.svg"), traj);
    assert_eq!(svg("network.svg"), net);
    let png = std::fs::read(out.join("plots/network.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(png.len() > 10_000, "a drawn PNG, not an empty one");
    let html = read(&out.join("report.html"));
    assert!(html.contains("plots/network.svg, plots/network.png"));

    // PNG alone, or nothing at all, when asked.
    let png_out = tmp.path().join("png");
    let png_s = png_out.to_str().unwrap();
    ok(&[
        "run",
        "scenarios/triangle",
        "--steps",
        "40",
        "--out",
        png_s,
        "--plots",
        "png",
    ]);
    assert_eq!(
        files_in(&png_out.join("plots")),
        ["network.png", "trajectories.png"]
    );
    ok(&["report", png_s]);
    assert_eq!(
        read(&png_out.join("report.html"))
            .matches("<img src=\"data:image/png;base64,")
            .count(),
        2,
        "PNGs are embedded when there is no SVG"
    );
    let none = tmp.path().join("none");
    ok(&[
        "run",
        "scenarios/triangle",
        "--steps",
        "40",
        "--out",
        none.to_str().unwrap(),
        "--plots",
        "none",
    ]);
    assert!(!none.join("plots").exists());
}

#[test]
fn a_sweep_over_two_pairs_gets_trajectory_bands_a_heatmap_and_a_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sweep");
    let out_s = out.to_str().unwrap();
    ok(&[
        "sweep",
        "scenarios/triangle",
        "--reps",
        "5",
        "--steps",
        "30",
        "--grid",
        "RUS-CHN=-0.5:0.5:2",
        "--grid",
        "USA-CHN=-0.5:0.5:2",
        "--out",
        out_s,
        "--quiet",
        "--plots",
        "both",
    ]);
    let report = tmp.path().join("elsewhere/page.html");
    let printed = ok(&["report", out_s, "--output", report.to_str().unwrap()]);
    assert!(printed.contains("sweep report"), "{printed}");
    assert!(!out.join("report.html").exists(), "--output moves the page");
    let html = read(&report);
    assert_self_contained(&html);

    let plots = files_in(&out.join("plots"));
    let heat = "heatmap-reciprocation_rate-USA-RUS";
    for f in [
        format!("{heat}.svg"),
        format!("{heat}.png"),
        "trajectories.svg".into(),
        "trajectories.png".into(),
    ] {
        assert!(plots.contains(&f), "{f} in {plots:?}");
    }
    let svg = read(&out.join(format!("plots/{heat}.svg")));
    assert!(svg.contains("RUS-CHN (initial alignment and interest)"));
    assert!(svg.contains("USA-CHN (initial alignment and interest)"));
    assert!(
        svg.contains("reciprocation_rate:USA&gt;RUS"),
        "colour bar label"
    );
    // Each cell's value is printed: the means of summary.csv, rounded.
    let summary = read(&out.join("summary.csv"));
    for line in summary
        .lines()
        .filter(|l| l.contains(",reciprocation_rate:USA>RUS,"))
    {
        let mean: f64 = line.split(',').nth(3).unwrap().parse().unwrap();
        let shown = format!("{mean:.3}");
        let shown = shown.trim_end_matches('0').trim_end_matches('.');
        assert!(
            svg.contains(&format!(">\n{shown}\n<")),
            "cell {shown} in the heatmap"
        );
    }
    let traj = read(&out.join("plots/trajectories.svg"));
    assert!(traj.contains("step (month)") && traj.contains("5th–95th percentile"));
    for panel in [
        "RUS-CHN −0.5, USA-CHN −0.5",
        "RUS-CHN −0.5, USA-CHN 0.5",
        "RUS-CHN 0.5, USA-CHN −0.5",
        "RUS-CHN 0.5, USA-CHN 0.5",
    ] {
        assert!(traj.contains(panel), "a panel for {panel}");
    }

    // The page: what ran, the metrics per configuration, every figure inline.
    assert!(html.contains("What ran") && html.contains("Key metrics per configuration"));
    assert!(html.matches("<figure").count() >= 3);
    assert!(
        html.contains("RUS's reciprocation rate of USA's offers"),
        "the heatmap's caption"
    );
}

#[test]
fn a_compare_report_puts_configurations_in_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let configs = tmp.path().join("configs.csv");
    std::fs::write(
        &configs,
        "config,RUS-CHN,USA-CHN\ntoday,0.6,-0.5\ndetente,-0.5,0.3\n",
    )
    .unwrap();
    let out = tmp.path().join("cmp");
    let out_s = out.to_str().unwrap();
    ok(&[
        "compare",
        "scenarios/triangle",
        "--configs",
        configs.to_str().unwrap(),
        "--reps",
        "4",
        "--steps",
        "20",
        "--out",
        out_s,
        "--quiet",
        "--plots",
        "none",
    ]);
    assert!(!out.join("plots").exists(), "--plots none draws nothing");
    assert!(ok(&["report", out_s]).contains("compare report"));
    let drawn = files_in(&out.join("plots"));
    assert!(
        drawn.contains(&"trajectories.svg".to_string())
            && drawn.iter().all(|f| f.ends_with(".svg")),
        "the report draws what it embeds: {drawn:?}"
    );
    let html = read(&out.join("report.html"));
    assert_self_contained(&html);
    let head = html
        .split("<section id=\"compare\">")
        .nth(1)
        .expect("a comparison section");
    let thead = &head[..head.find("</thead>").unwrap()];
    assert!(
        thead.find(">today<").unwrap() < thead.find(">detente<").unwrap(),
        "one column per configuration, in order"
    );
    assert!(head.contains("reference") && head.contains("Δ"));
}

#[test]
fn a_claims_report_colours_verdicts_and_escapes_every_text() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("claims.csv"),
        "claim,statement,experiment,metric,effect,ci_low,ci_high,null_effect,null_ci_low,null_ci_high,verdict\n\
         1,\"Trends <b>against</b> Russia & co\",grid,mean_p:USA>RUS,-1.4,-1.7,-1.1,-0.2,-0.3,-0.1,supported\n\
         2,Emboldening,no approach vs approach,aggressions:RUS,0.3,-7.4,8.1,0,-4.4,4.4,inconclusive at this N\n",
    )
    .unwrap();
    common::mark_as_output(dir, "claims");
    ok(&["report", dir.to_str().unwrap()]);
    let html = read(&dir.join("report.html"));
    assert_self_contained(&html);
    assert!(html.contains("Trends &lt;b&gt;against&lt;/b&gt; Russia &amp; co"));
    assert!(!html.contains("<b>against</b>"));
    assert!(html.contains("<span class=\"badge good\">supported</span>"));
    assert!(html.contains("<span class=\"badge warn\">inconclusive at this N</span>"));
    assert!(
        html.contains("−1.4") && html.contains("[−1.7, −1.1]"),
        "effect with its CI"
    );
}

#[test]
fn a_folder_that_is_no_output_is_an_error_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let o = entente(&["report", tmp.path().to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("is not a finished entente output (it has no entente.json)"),
        "{}",
        stderr(&o)
    );
    assert!(!tmp.path().join("report.html").exists());
    let o = entente(&["report", crate_path("no/such/folder").to_str().unwrap()]);
    assert!(!o.status.success());
}

#[test]
fn a_damaged_run_folder_still_gets_a_page_with_the_reason_plots_are_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("summary.csv"),
        "metric,a,b,value\nbalance_index,,,0.75\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("alignments.csv"),
        "step,a,b,alignment,interest\n0,A,B,oops,0\n",
    )
    .unwrap();
    common::mark_as_output(dir, "run");
    ok(&["report", dir.to_str().unwrap()]);
    let html = read(&dir.join("report.html"));
    assert!(html.contains("0.750"), "the summary is shown");
    assert!(
        html.contains("The plots could not be drawn") && html.contains("`oops` is not a number"),
        "the page says why there is no figure"
    );
}
