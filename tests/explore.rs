//! `entente explore` end to end on the triangle at tiny sizes: the EMA
//! Workbench's files, one row per experiment and per experiment and claim;
//! the same bytes on 1 or 2 threads and from merged shards; a bad ranges file
//! refused with its line; `--set` taking a weight out of the design; the report.

mod common;

use std::path::Path;

use common::{crate_path, entente, read_csv, stderr, stdout};

const FILES: [&str; 6] = [
    "experiments.csv",
    "outcomes.csv",
    "verdicts.csv",
    "prim_boxes.csv",
    "prim_trajectory.csv",
    "sensitivity.csv",
];

fn explore(out: &Path, extra: &[&str]) -> std::process::Output {
    let triangle = crate_path("scenarios/triangle");
    let mut args = vec![
        "explore",
        triangle.to_str().unwrap(),
        "--samples",
        "6",
        "--reps",
        "2",
        "--steps",
        "40",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    entente(&args)
}

#[test]
fn experiments_outcomes_and_their_analysis() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("x");
    let o = explore(&out, &["--threads", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("per verdict, 95% CI"), "{text}");
    assert!(text.contains("Where each claim is not supported"), "{text}");

    let (header, rows) = read_csv(&out.join("experiments.csv"));
    assert_eq!(header[0], "experiment");
    assert!(header.contains(&"balance".to_string()) && header.contains(&"breach".to_string()));
    assert_eq!(rows.len(), 6);
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("explore.json")).unwrap()).unwrap();
    for (k, key) in header.iter().enumerate().skip(1) {
        let range = record["ranges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == key.as_str())
            .unwrap();
        let (lo, hi) = (
            range["low"].as_f64().unwrap(),
            range["high"].as_f64().unwrap(),
        );
        // A Latin hypercube: one point in each sixth of every range (linear or log).
        let log = range["scale"] == "log";
        let mut strata: Vec<usize> = rows
            .iter()
            .map(|r| {
                let v: f64 = r[k].parse().unwrap();
                assert!(lo <= v && v <= hi, "{key} {v}");
                let u = if log {
                    (v / lo).ln() / (hi / lo).ln()
                } else {
                    (v - lo) / (hi - lo)
                };
                (u * 6.0) as usize
            })
            .collect();
        strata.sort();
        assert_eq!(strata, [0, 1, 2, 3, 4, 5], "{key}");
    }

    let (header, rows) = read_csv(&out.join("outcomes.csv"));
    assert_eq!(
        header,
        [
            "experiment",
            "claim",
            "metric",
            "effect",
            "ci_low",
            "ci_high",
            "null_effect",
            "null_ci_low",
            "null_ci_high",
            "difference",
            "difference_ci_low",
            "difference_ci_high",
            "verdict",
            "category",
            "holds"
        ]
    );
    assert_eq!(rows.len(), 6 * 10);
    for r in &rows {
        assert_eq!(r[14] == "true", r[13] == "supported", "{r:?}");
        assert!(
            ["supported", "holds without its mechanism", "contradicted"].contains(&r[12].as_str())
                || r[12] == "inconclusive at N=2",
            "{r:?}"
        );
    }

    // Shares per claim add up to all experiments.
    let (_, rows) = read_csv(&out.join("verdicts.csv"));
    assert_eq!(rows.len(), 10 * 4);
    for claim in rows.chunks(4) {
        let n: usize = claim.iter().map(|r| r[2].parse::<usize>().unwrap()).sum();
        assert_eq!(n, 6, "{claim:?}");
    }
    // A claim's box, when it has one, is described in words with its numbers.
    let (header, rows) = read_csv(&out.join("prim_boxes.csv"));
    assert_eq!(header[..4], ["claim", "coverage", "density", "mass"]);
    for r in &rows {
        let words = if r[12] == "anywhere" {
            format!("claim {} fails across the space", r[0])
        } else {
            format!("claim {} fails where {}", r[0], r[12])
        };
        assert!(text.contains(&words), "{words}\n{text}");
    }
    assert!(out.join("plots/explore-1a.svg").is_file());

    let o = entente(&["report", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for needle in [
        "Verdicts over the plausible space",
        "Where each claim is not supported",
        "The ranges explored",
        "data:image/svg+xml;base64,",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
}

#[test]
fn same_bytes_on_one_thread_and_from_merged_shards() {
    let root = tempfile::tempdir().unwrap();
    let whole = root.path().join("whole");
    let o = explore(&whole, &["--threads", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut shards = Vec::new();
    for i in 0..2 {
        let dir = root.path().join(format!("shard{i}"));
        let o = explore(&dir, &["--shard", &format!("{i}/2"), "--threads", "2"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains("`entente merge`"));
        assert!(!dir.join("outcomes.csv").exists());
        shards.push(dir);
    }
    let merged = root.path().join("merged");
    let o = entente(&[
        "merge",
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("Where each claim is not supported"));
    for f in FILES.iter().chain(&["runs.csv", "explore.json"]) {
        assert_eq!(
            std::fs::read(whole.join(f)).unwrap(),
            std::fs::read(merged.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn bad_ranges_are_refused_and_set_fixes_a_weight() {
    let root = tempfile::tempdir().unwrap();
    let ranges = root.path().join("ranges.csv");
    std::fs::write(
        &ranges,
        "key,low,high,scale\nbalance,0.2,1,linear\nwedge,3,1,linear\n",
    )
    .unwrap();
    let out = root.path().join("bad");
    let o = explore(&out, &["--ranges", ranges.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains("ranges.csv:3: column `key`: value `wedge`")
            && err.contains("low 3 is not below high 1"),
        "{err}"
    );
    assert!(!out.exists());

    std::fs::write(&ranges, "key,low,high\nbalance,0.2,1\n").unwrap();
    let out = root.path().join("fixed");
    let o = explore(
        &out,
        &["--ranges", ranges.to_str().unwrap(), "--set", "wedge=3"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (header, rows) = read_csv(&out.join("experiments.csv"));
    assert!(!header.contains(&"wedge".to_string()), "{header:?}");
    let b = header.iter().position(|h| h == "balance").unwrap();
    for r in &rows {
        let v: f64 = r[b].parse().unwrap();
        assert!((0.2..=1.0).contains(&v), "{v}");
    }
}
