//! `entente run` (docs/model.md §3): the five outputs and their shape, `--set` of a pair
//! and of a parameter, a run redone from its own `scenario/` copy byte for byte,
//! and the summary on the terminal.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_same_bytes, crate_path, entente, read_csv, snapshot, stderr, stdout};

const STEPS: usize = 50;
/// The triangle's pairs in canonical order (states sorted by id: CHN, RUS, USA).
const PAIRS: [(&str, &str); 3] = [("CHN", "RUS"), ("CHN", "USA"), ("RUS", "USA")];
const STATES: [&str; 3] = ["CHN", "RUS", "USA"];

/// Runs the triangle for 50 steps with seed 3 (plus `extra` arguments) into
/// `root/name`; returns the folder and stdout.
fn run_triangle(root: &Path, name: &str, extra: &[&str]) -> (PathBuf, String) {
    run_scenario("scenarios/triangle", root, name, extra)
}

/// [`run_triangle`] with another scenario folder.
fn run_scenario(scenario: &str, root: &Path, name: &str, extra: &[&str]) -> (PathBuf, String) {
    let out = root.join(name);
    let mut args = vec![
        "run",
        scenario,
        "--out",
        out.to_str().unwrap(),
        "--steps",
        "50",
        "--seed",
        "3",
    ];
    args.extend_from_slice(extra);
    let o = entente(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (out, stdout(&o))
}

fn num(s: &str) -> f64 {
    s.parse()
        .unwrap_or_else(|_| panic!("`{s}` is not a number"))
}

#[test]
fn the_five_outputs_and_their_shape() {
    let root = tempfile::tempdir().unwrap();
    let (out, _) = run_triangle(root.path(), "run", &[]);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "alignments.csv",
            "entente.json",
            "events.csv",
            "plots",
            "scenario",
            "states.csv",
            "summary.csv"
        ]
    );

    // alignments.csv: one row per pair per step, steps 0..=50, pairs in order
    let (header, rows) = read_csv(&out.join("alignments.csv"));
    assert_eq!(header, ["step", "a", "b", "alignment", "interest"]);
    assert_eq!(rows.len(), 3 * (STEPS + 1));
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 5, "{row:?}");
        assert_eq!(row[0], (k / 3).to_string());
        assert_eq!((row[1].as_str(), row[2].as_str()), PAIRS[k % 3]);
        let (a, b) = (num(&row[3]), num(&row[4]));
        assert!(
            (-1.0..=1.0).contains(&a) && (-1.0..=1.0).contains(&b),
            "{row:?}"
        );
    }
    // step 0 is the scenario: interest defaults to the alignment
    let step0: Vec<(&str, &str)> = rows[..3]
        .iter()
        .map(|r| (r[3].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(step0, [("0.6", "0.6"), ("-0.5", "-0.5"), ("-0.6", "-0.6")]);

    // states.csv: one row per state per step; power grows by `growth` each step
    let (header, rows) = read_csv(&out.join("states.csv"));
    assert_eq!(header, ["step", "state", "power", "hardliners", "trend"]);
    assert_eq!(rows.len(), 3 * (STEPS + 1));
    let input = [
        ("CHN", 0.2306, 0.001),
        ("RUS", 0.0365, -0.0008),
        ("USA", 0.1331, -0.0003),
    ];
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(row[0], (k / 3).to_string());
        assert_eq!(row[1], STATES[k % 3]);
        let (_, p0, g) = input[k % 3];
        let mut p = p0;
        for _ in 0..k / 3 {
            p *= 1.0 + g;
        }
        assert_eq!(num(&row[2]), p, "power of {} at step {}", row[1], k / 3);
        assert!((0.0..=1.0).contains(&num(&row[3])));
        if k < 3 {
            assert_eq!(row[4], "0", "no trend at step 0");
        }
    }

    // events.csv: p = σ(U) on every row that has them
    let (header, events) = read_csv(&out.join("events.csv"));
    assert_eq!(
        header,
        [
            "step",
            "kind",
            "actor",
            "target",
            "issue",
            "utility",
            "probability",
            "outcome"
        ]
    );
    let mut offers = 0;
    let mut rebuffs = 0;
    let mut rebuffed_at = [false; STEPS + 1];
    for e in &events {
        assert_eq!(e.len(), 8, "{e:?}");
        let step: usize = e[0].parse().unwrap();
        assert!((1..=STEPS).contains(&step), "{e:?}");
        if !e[5].is_empty() {
            let (u, p) = (num(&e[5]), num(&e[6]));
            assert!(
                (p - 1.0 / (1.0 + (-u).exp())).abs() < 1e-12,
                "p ≠ σ(U) in {e:?}"
            );
        }
        if e[1] == "offer" {
            // the triangle's one policy: USA → RUS from step 10, every 10 steps,
            // on the most salient open peripheral issue
            assert_eq!((e[2].as_str(), e[3].as_str()), ("USA", "RUS"));
            assert_eq!(step % 10, 0, "{e:?}");
            assert!(["arms_control", "counterterrorism"].contains(&e[4].as_str()));
            assert!(["reciprocated", "rebuffed"].contains(&e[7].as_str()));
            offers += 1;
            rebuffs += usize::from(e[7] == "rebuffed");
            rebuffed_at[step] |= e[7] == "rebuffed";
        }
    }
    assert!((1..=5).contains(&offers), "{offers} offers");

    // summary.csv: metric,a,b,value with the balance index and the offers
    let (header, summary) = read_csv(&out.join("summary.csv"));
    assert_eq!(header, ["metric", "a", "b", "value"]);
    let value = |name: &str, a: &str, b: &str| -> f64 {
        let row = summary
            .iter()
            .find(|r| r[0] == name && r[1] == a && r[2] == b)
            .unwrap_or_else(|| panic!("no {name},{a},{b} in summary.csv"));
        num(&row[3])
    };
    assert_eq!(value("offers", "USA", "RUS"), offers as f64);
    assert_eq!(
        value("reciprocations", "USA", "RUS"),
        (offers - rebuffs) as f64
    );
    let aggressions = events.iter().filter(|e| e[1] == "aggression").count();
    assert_eq!(value("aggressions", "", ""), aggressions as f64);
    // the final alignments (alignments.csv rounds to 9 decimals, summary.csv is
    // exact), and the balance index of the one triad: 1 if the product of its ties
    // is positive, else 0
    let last = &read_csv(&out.join("alignments.csv")).1[3 * STEPS..];
    let mut product = 1.0;
    for (row, (a, b)) in last.iter().zip(PAIRS) {
        assert!((value("final_alignment", a, b) - num(&row[3])).abs() <= 5e-10);
        product *= num(&row[3]);
    }
    let bi = value("balance_index", "", "");
    assert_eq!(bi, if product > 0.0 { 1.0 } else { 0.0 });
    // each rebuff raises the offerer's hardliners by backlash = 0.03; each step
    // they relax toward their baseline 0.5 by hardliner_relaxation = 0.005
    let mut h: f64 = 0.5;
    for &rebuffed in &rebuffed_at[1..] {
        let rise = if rebuffed { 0.03 } else { 0.0 };
        h = (h + (1.0 - (1.0 - 0.005)) * (0.5 - h) + rise).clamp(0.0, 1.0);
    }
    assert_eq!(value("hardliners", "USA", ""), h);

    // scenario/: the five canonical files, seed and steps resolved
    let scenario = snapshot(&out.join("scenario"));
    let files: Vec<String> = scenario.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        files,
        [
            "alignments.csv",
            "issues.csv",
            "params.csv",
            "policies.csv",
            "states.csv"
        ]
    );
    let params = std::fs::read_to_string(out.join("scenario/params.csv")).unwrap();
    assert!(params.starts_with("key,value\n"), "{params}");
    assert!(params.lines().any(|l| l == "steps,50"), "{params}");
    assert!(params.lines().any(|l| l == "seed,3"), "{params}");
}

#[test]
fn set_a_pair_and_a_parameter() {
    let root = tempfile::tempdir().unwrap();
    let (out, _) = run_triangle(
        root.path(),
        "set",
        &["--set", "RUS-CHN=0.2", "--set", "loyalty=2"],
    );
    let (_, rows) = read_csv(&out.join("alignments.csv"));
    // RUS-CHN is written CHN,RUS; both alignment and interest are set
    assert_eq!(rows[0], ["0", "CHN", "RUS", "0.2", "0.2"]);
    // the other pairs keep the scenario's values
    assert_eq!(rows[1], ["0", "CHN", "USA", "-0.5", "-0.5"]);
    let params = std::fs::read_to_string(out.join("scenario/params.csv")).unwrap();
    assert!(params.lines().any(|l| l == "loyalty,2"), "{params}");
    assert!(!params.lines().any(|l| l == "loyalty,8"), "{params}");
    let alignments = std::fs::read_to_string(out.join("scenario/alignments.csv")).unwrap();
    assert!(
        alignments.lines().any(|l| l == "CHN,RUS,0.2,0.2"),
        "{alignments}"
    );
    // loyalty enters the U of every offer: the runs differ from the plain one
    let (plain, _) = run_triangle(root.path(), "plain", &["--set", "RUS-CHN=0.2"]);
    assert_ne!(
        std::fs::read(plain.join("events.csv")).unwrap(),
        std::fs::read(out.join("events.csv")).unwrap(),
        "loyalty=2 changed no offer"
    );
}

#[test]
fn a_run_is_redone_from_its_scenario_copy() {
    let root = tempfile::tempdir().unwrap();
    for (name, extra) in [
        ("plain", &[][..]),
        ("set", &["--set", "RUS-CHN=0.2", "--set", "loyalty=2"][..]),
    ] {
        let (first, _) = run_triangle(root.path(), name, extra);
        let again = root.path().join(format!("{name}-again"));
        let o = entente(&[
            "run",
            first.join("scenario").to_str().unwrap(),
            "--out",
            again.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        // every output, scenario/ included
        assert_same_bytes(&snapshot(&first), &snapshot(&again), name);
    }
}

#[test]
fn the_terminal_summary() {
    let root = tempfile::tempdir().unwrap();
    let (out, text) = run_triangle(root.path(), "run", &[]);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("triangle: 3 states, 3 pairs (complete), 3 issues, 1 policy, 50 steps"),
        "{text}"
    );
    assert!(first.ends_with(&out.display().to_string()), "{text}");
    let line = |prefix: &str| {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{text}"))
            .to_string()
    };
    let camps = line("camps:");
    for id in STATES {
        assert!(camps.contains(id), "{camps}");
    }
    // the balance index as in summary.csv, to 3 decimals
    let (_, summary) = read_csv(&out.join("summary.csv"));
    let bi = summary.iter().find(|r| r[0] == "balance_index").unwrap()[3].clone();
    assert!(
        line("balance index:").contains(&format!("{:.3}", num(&bi))),
        "{text}"
    );
    // reciprocation of the policy's target, with the offer count of events.csv
    let (_, events) = read_csv(&out.join("events.csv"));
    let offers = events.iter().filter(|e| e[1] == "offer").count();
    let rec = line("reciprocation:");
    assert!(rec.contains("RUS to USA"), "{rec}");
    assert!(rec.contains(&format!("of {offers} offers")), "{rec}");
}

#[test]
fn a_second_run_replaces_the_first_and_leaves_no_temporary_files() {
    let root = tempfile::tempdir().unwrap();
    let (out, _) = run_triangle(root.path(), "run", &[]);
    let first = snapshot(&out);
    let (out2, _) = run_triangle(root.path(), "run", &["--set", "noise=0.5"]);
    assert_eq!(out, out2);
    assert_ne!(first, snapshot(&out), "the second run replaced nothing");
    let left: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["run"]);
}

#[test]
fn the_default_output_folder() {
    let cwd = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args([
            "run",
            crate_path("scenarios/triangle").to_str().unwrap(),
            "--steps",
            "5",
            "--seed",
            "3",
        ])
        .current_dir(cwd.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = cwd.path().join("outputs/triangle/run-3");
    assert!(out.join("summary.csv").is_file(), "{}", stdout(&o));
    assert_eq!(read_csv(&out.join("alignments.csv")).1.len(), 3 * 6);
}

/// Signorino & Ritter's S between two states' portfolios of final alignments
/// (self-alignment 1), computed by hand from `alignments.csv`, equals `summary.csv`.
#[test]
fn s_scores_of_every_pair_match_the_final_alignments() {
    let root = tempfile::tempdir().unwrap();
    let (out, _) = run_triangle(root.path(), "s", &[]);
    let (_, rows) = read_csv(&out.join("alignments.csv"));
    let last: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "50").collect();
    let a = |x: &str, y: &str| -> f64 {
        if x == y {
            return 1.0;
        }
        let r = last
            .iter()
            .find(|r| (r[1] == x && r[2] == y) || (r[1] == y && r[2] == x))
            .unwrap();
        num(&r[3])
    };
    let (_, summary) = read_csv(&out.join("summary.csv"));
    let s_rows: Vec<&Vec<String>> = summary.iter().filter(|r| r[0] == "s_score").collect();
    assert_eq!(s_rows.len(), 3, "one unweighted S per pair");
    assert_eq!(
        summary
            .iter()
            .filter(|r| r[0] == "s_score_weighted")
            .count(),
        3
    );
    for r in s_rows {
        let (i, j) = (r[1].as_str(), r[2].as_str());
        // S = 1 − 2·Σ_k |a_ik − a_jk| / (Σ_k 1 · 2), k over the three states
        let d: f64 = STATES.iter().map(|k| (a(i, k) - a(j, k)).abs()).sum();
        let by_hand = 1.0 - 2.0 * d / (3.0 * 2.0);
        assert!(
            (num(&r[3]) - by_hand).abs() < 1e-8, // alignments.csv has 9 decimals
            "{i}-{j}: {} vs {by_hand}",
            r[3]
        );
    }
}

/// `--out` never deletes what entente did not write: a scenario folder, a user's
/// folder or a file are refused before any work, untouched, with nothing beside them.
#[test]
fn out_refuses_a_folder_or_file_it_did_not_write() {
    let root = tempfile::tempdir().unwrap();
    let scenario = root.path().join("mine");
    common::write_files(&scenario, common::BASE);
    let notes = root.path().join("notes");
    common::write_files(&notes, &[("README.md", "my notes")]);
    let file = root.path().join("precious.txt");
    std::fs::write(&file, "precious").unwrap();
    let before = snapshot(root.path());
    let dir = scenario.to_str().unwrap();
    for (out, message) in [
        (dir, format!("is the input {dir}; choose another --out")),
        (
            notes.to_str().unwrap(),
            "is a folder entente did not write (it holds README.md and no entente.json)".into(),
        ),
        (file.to_str().unwrap(), "exists and is not a folder".into()),
    ] {
        let o = common::entente(&["run", dir, "--out", out]);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        assert!(
            stderr(&o).contains(&format!("writing the run into {out}: "))
                && stderr(&o).contains(&format!("{out} {message}")),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(snapshot(root.path()), before, "something was touched");
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 3);
}

/// State ids longer than the writer's 16-byte copy unit take its multi-chunk
/// path: the files equal those of the short ids with the ids replaced.
#[test]
// Ids are at most 16 characters; a pair of them (33 bytes) spans three copy units.
fn long_state_ids_are_written_whole() {
    let long = |text: &str| {
        text.replace("USA", "USA_LONG_ID_0016")
            .replace("RUS", "RUS_LONGER_ID_16")
    };
    let root = tempfile::tempdir().unwrap();
    let scenario = root.path().join("long");
    std::fs::create_dir(&scenario).unwrap();
    for entry in std::fs::read_dir(crate_path("scenarios/triangle")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(scenario.join(path.file_name().unwrap()), long(&text)).unwrap();
        }
    }
    let (short, _) = run_triangle(root.path(), "short", &[]);
    let (out, _) = run_scenario(scenario.to_str().unwrap(), root.path(), "long-out", &[]);
    for file in ["alignments.csv", "states.csv", "events.csv", "summary.csv"] {
        let expected = long(&std::fs::read_to_string(short.join(file)).unwrap());
        let written = std::fs::read_to_string(out.join(file)).unwrap();
        assert_eq!(written, expected, "{file}");
    }
}
