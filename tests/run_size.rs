//! A run that cannot finish sensibly is refused up front (issue 9): `validate` and
//! `run` estimate the output and memory of a run and refuse above the documented
//! limits with the figure and the way out (`--every K`, `--force`); `--every K`
//! writes the per-step tables every K steps, at step 0 and at the last step.

mod common;

use std::fmt::Write as _;

use common::{entente, read_csv, stderr, stdout, write_files};

/// Ten states without growth, every pair listed: ~2.7 kB of table rows a step.
fn ten_states(root: &std::path::Path, steps: u64) -> std::path::PathBuf {
    let dir = root.join("ten");
    let ids: Vec<String> = (0..10).map(|i| format!("S{i}")).collect();
    let mut states = String::from("id,power\n");
    let mut alignments = String::from("a,b,alignment\n");
    for (i, a) in ids.iter().enumerate() {
        writeln!(states, "{a},1").unwrap();
        for b in &ids[i + 1..] {
            writeln!(alignments, "{a},{b},0.1").unwrap();
        }
    }
    write_files(
        &dir,
        &[
            ("states.csv", &states),
            ("alignments.csv", &alignments),
            ("params.csv", &format!("key,value\nsteps,{steps}\n")),
        ],
    );
    dir
}

#[test]
fn a_run_too_big_to_write_is_refused_with_its_size_and_the_way_out() {
    let root = tempfile::tempdir().unwrap();
    let dir = ten_states(root.path(), 1_000_000);
    let out = root.path().join("out");
    for args in [
        vec!["run", dir.to_str().unwrap(), "--out", out.to_str().unwrap()],
        vec!["validate", dir.to_str().unwrap()],
    ] {
        let o = entente(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
        for part in [
            "the run would write about 2.",
            " GB of alignments.csv and states.csv, more than the 1.1 GB limit",
            "--every 2 writes about 1/2 of it",
            "--force",
        ] {
            assert!(err.contains(part), "{args:?}: `{part}` not in {err}");
        }
        assert!(!out.exists());
    }
}

#[test]
fn every_k_writes_the_tables_every_k_steps_and_the_last_one() {
    let root = tempfile::tempdir().unwrap();
    let dir = ten_states(root.path(), 25);
    let out = root.path().join("out");
    let o = entente(&[
        "run",
        dir.to_str().unwrap(),
        "--every",
        "10",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (file, per_step) in [("alignments.csv", 45), ("states.csv", 10)] {
        let (_, rows) = read_csv(&out.join(file));
        let mut steps: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(steps.len(), 4 * per_step, "{file}");
        steps.dedup();
        assert_eq!(steps, ["0", "10", "20", "25"], "{file}");
    }
    // the rows written are those of the full run
    let full = root.path().join("full");
    let o = entente(&[
        "run",
        dir.to_str().unwrap(),
        "--out",
        full.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (_, all) = read_csv(&full.join("alignments.csv"));
    let (_, some) = read_csv(&out.join("alignments.csv"));
    let kept: Vec<&Vec<String>> = all
        .iter()
        .filter(|r| ["0", "10", "20", "25"].contains(&r[0].as_str()))
        .collect();
    assert_eq!(kept.len(), some.len());
    assert!(kept.iter().zip(&some).all(|(a, b)| *a == b));
    assert_eq!(
        std::fs::read(full.join("events.csv")).unwrap(),
        std::fs::read(out.join("events.csv")).unwrap()
    );
    let o = entente(&[
        "run",
        dir.to_str().unwrap(),
        "--every",
        "0",
        "--out",
        root.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn every_k_brings_a_run_within_the_limit() {
    // with --every large enough the refused scenario runs within the limit
    // (what --force would write is not made here: gigabytes)
    let root = tempfile::tempdir().unwrap();
    let dir = ten_states(root.path(), 1_000_000);
    let sizes = entente::output::run::run_size(
        &entente::engine::Model::new(entente::scenario::Scenario::load(&dir).unwrap()),
        2,
    );
    assert!(sizes.refusal(2).is_none(), "{sizes:?}");
    assert!(sizes.output_bytes > 900_000_000, "{sizes:?}");
}
