//! Output folders as a user meets them (issue 9): entente never deletes or
//! mixes a file it did not write, never writes into or over its inputs, reads
//! only folders it finished (their marker), cleans up after Ctrl-C, a kill or a
//! failed write, and reruns one replication of a sweep on its own.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{crate_path, entente, read_csv, snapshot, stderr, write_files};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs entente and asserts it failed with exit status 1; returns stderr.
fn refused(args: &[&str]) -> String {
    let o = entente(args);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "entente {args:?} did not fail:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn ok(args: &[&str]) -> Output {
    let o = entente(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "entente {args:?}:\n{}",
        stderr(&o)
    );
    o
}

/// Every entry under `dir` whose name marks an entente temporary.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && (name.contains(".tmp-") || name.contains(".old-")) {
            found.push(e.path());
        }
        if e.path().is_dir() {
            found.extend(temporaries(&e.path()));
        }
    }
    found
}

/// A copy of the bundled triangle scenario in `root/name`.
fn triangle_copy(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(crate_path("scenarios/triangle")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    dir
}

fn short_run(out: &Path) -> Vec<String> {
    [
        "run",
        "scenarios/triangle",
        "--steps",
        "20",
        "--out",
        s(out),
    ]
    .map(String::from)
    .to_vec()
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

// Reproduction 1: `mkdir d; echo x > d/summary.csv; echo keep > d/thesis.docx;
// entente run scenarios/triangle --out d` deleted thesis.docx.
#[test]
fn a_run_never_deletes_a_file_it_did_not_write() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("d");
    write_files(&d, &[("summary.csv", "x\n"), ("thesis.docx", "keep\n")]);
    let before = snapshot(&d);
    let err = refused(&args(&short_run(&d)));
    assert!(
        err.contains(&format!(
            "{} is a folder entente did not write (it holds summary.csv and no entente.json)",
            d.display()
        )),
        "{err}"
    );
    assert_eq!(snapshot(&d), before);
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);

    // A folder entente wrote, to which the user added a file: rerunning into it
    // is refused, naming the file, which stays.
    let r = root.path().join("r");
    ok(&args(&short_run(&r)));
    let marker: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(r.join("entente.json")).unwrap()).unwrap();
    assert_eq!(marker["command"], "run");
    assert_eq!(marker["id"], "seed 1");
    assert!(marker["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "scenario/states.csv"));
    std::fs::write(r.join("plots/thesis.docx"), "keep").unwrap();
    let err = refused(&args(&short_run(&r)));
    assert!(
        err.contains("holds plots/thesis.docx, which entente did not write"),
        "{err}"
    );
    assert_eq!(std::fs::read(r.join("plots/thesis.docx")).unwrap(), b"keep");
    // Without it, the run replaces its own folder.
    std::fs::remove_file(r.join("plots/thesis.docx")).unwrap();
    ok(&args(&short_run(&r)));
    // A run replaces another run; another command's output needs --force.
    let mut other = short_run(&r);
    other[1] = "scenarios/anglo-russian-1907".into();
    ok(&args(&other));
    let sweep = [&TRIANGLE_SWEEP[..], &["--out", s(&r)]].concat();
    let err = refused(&sweep);
    assert!(
        err.contains("holds the output of `entente run` (seed ") && err.contains("add --force"),
        "{err}"
    );
    ok(&[&sweep[..], &["--force"]].concat());
}

// Reproduction 2: `cp -r scenarios/world-2024 w; entente sweep w --reps 10 --out w`
// wrote into the scenario; `entente run w --out w` then deleted its README.md.
#[test]
fn an_output_never_lands_in_or_over_its_input() {
    let root = tempfile::tempdir().unwrap();
    let w = triangle_copy(root.path(), "w");
    let before = snapshot(&w);
    let sweep = |out: &Path| {
        refused(&[
            "sweep",
            s(&w),
            "--reps",
            "10",
            "--steps",
            "5",
            "--quiet",
            "--out",
            s(out),
        ])
    };
    let err = sweep(&w);
    assert!(
        err.contains(&format!(
            "the output {0} is the input {0}; choose another --out",
            w.display()
        )),
        "{err}"
    );
    let err = sweep(&w.join("out"));
    assert!(err.contains("lies inside the input"), "{err}");
    let err = sweep(root.path());
    assert!(err.contains("contains the input"), "{err}");
    for out in [w.clone(), w.join("runs"), root.path().to_path_buf()] {
        let err = refused(&["run", s(&w), "--steps", "5", "--out", s(&out)]);
        assert!(err.contains("the input"), "{err}");
    }
    // A configurations file is an input too.
    let configs = root.path().join("cfg/configs.csv");
    write_files(
        &root.path().join("cfg"),
        &[("configs.csv", "config,loyalty\na,1\n")],
    );
    let err = refused(&[
        "compare",
        "scenarios/triangle",
        "--configs",
        s(&configs),
        "--out",
        s(&root.path().join("cfg")),
    ]);
    assert!(err.contains("contains the input"), "{err}");
    assert_eq!(snapshot(&w), before, "the scenario folder changed");
    // A run's own scenario/ copy reruns elsewhere, never into the run.
    let r = root.path().join("r");
    ok(&["run", s(&w), "--steps", "5", "--out", s(&r)]);
    let err = refused(&["run", s(&r.join("scenario")), "--out", s(&r)]);
    assert!(err.contains("contains the input"), "{err}");
    // It replays elsewhere byte for byte, although --steps 5 ended the run before
    // the scenario's first offer (step 12): the record is the run as it ran.
    let again = root.path().join("again");
    ok(&["run", s(&r.join("scenario")), "--out", s(&again)]);
    for file in ["alignments.csv", "events.csv", "summary.csv"] {
        assert_eq!(
            std::fs::read(r.join(file)).unwrap(),
            std::fs::read(again.join(file)).unwrap(),
            "{file}"
        );
    }
}

fn shard(root: &Path, i: u64) -> PathBuf {
    let out = root.join(format!("s{i}"));
    ok(&[
        "sweep",
        "scenarios/triangle",
        "--reps",
        "6",
        "--steps",
        "10",
        "--quiet",
        "--shard",
        &format!("{i}/3"),
        "--out",
        s(&out),
    ]);
    out
}

// Reproduction 3: `entente merge s0 s1 s2 --out s0` overwrote shard 0.
#[test]
fn merge_never_writes_over_a_shard_and_reads_only_finished_ones() {
    let root = tempfile::tempdir().unwrap();
    let shards: Vec<PathBuf> = (0..3).map(|i| shard(root.path(), i)).collect();
    let before = snapshot(&shards[0]);
    let list: Vec<&str> = shards.iter().map(|p| s(p)).collect();
    let err = refused(&[&["merge"], &list[..], &["--out", list[0]]].concat());
    assert!(
        err.contains(&format!("the output {0} is the input {0}", list[0])),
        "{err}"
    );
    assert_eq!(snapshot(&shards[0]), before);
    let err = refused(&[&["merge"], &list[..], &["--out", s(root.path())]].concat());
    assert!(err.contains("contains the input"), "{err}");
    let merged = root.path().join("merged");
    ok(&[&["merge"], &list[..], &["--out", s(&merged)]].concat());
    // Merging again replaces the merge; the shards still merge.
    ok(&[&["merge"], &list[..], &["--out", s(&merged)]].concat());

    // A shard without its marker (interrupted, or copied by hand) is not a result.
    std::fs::remove_file(shards[2].join("entente.json")).unwrap();
    let err = refused(
        &[
            &["merge"],
            &list[..],
            &["--out", s(&root.path().join("m2"))],
        ]
        .concat(),
    );
    assert!(
        err.contains(&format!(
            "{} is not a finished entente output (it has no entente.json)",
            list[2]
        )),
        "{err}"
    );
    assert!(!root.path().join("m2").exists());
}

const TRIANGLE_SWEEP: [&str; 7] = [
    "sweep",
    "scenarios/triangle",
    "--reps",
    "4",
    "--steps",
    "10",
    "--quiet",
];

fn sweep_id(dir: &Path) -> String {
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    m["sweep_id"].as_str().unwrap().to_string()
}

// Reproduction 4: a sweep without --resume silently replaced a different
// finished sweep in its folder.
#[test]
fn a_sweep_replaces_another_finished_experiment_only_with_force() {
    let root = tempfile::tempdir().unwrap();
    let x = root.path().join("x");
    ok(&[&TRIANGLE_SWEEP[..], &["--out", s(&x)]].concat());
    let first = snapshot(&x);
    let id = sweep_id(&x);
    let other = [&TRIANGLE_SWEEP[..], &["--set", "loyalty=2", "--out", s(&x)]].concat();
    let err = refused(&other);
    assert!(
        err.contains(&format!(
            "{} holds the output of `entente sweep` ({id}), not this one's (",
            x.display()
        )) && err.contains("add --force to replace it"),
        "{err}"
    );
    assert_eq!(snapshot(&x), first, "the finished sweep changed");
    // The same sweep again is no other experiment: it is redone in place.
    ok(&[&TRIANGLE_SWEEP[..], &["--out", s(&x)]].concat());
    assert_eq!(snapshot(&x), first);
    ok(&[&other[..], &["--force"]].concat());
    assert_ne!(sweep_id(&x), id);
    assert_ne!(snapshot(&x), first);
}

// Reproduction 5: `compare --out X`, then `sweep scenarios/triangle --out X`,
// then `report X` showed the stale comparison under the sweep's manifest.
#[test]
fn a_folder_never_mixes_two_experiments() {
    let root = tempfile::tempdir().unwrap();
    let configs = root.path().join("configs.csv");
    std::fs::write(&configs, "config,loyalty\nlow,0.5\nhigh,2\n").unwrap();
    let x = root.path().join("x");
    ok(&[
        "compare",
        "scenarios/triangle",
        "--configs",
        s(&configs),
        "--reps",
        "3",
        "--steps",
        "10",
        "--quiet",
        "--out",
        s(&x),
    ]);
    assert!(x.join("compare.csv").exists());
    let err = refused(&[&TRIANGLE_SWEEP[..], &["--out", s(&x)]].concat());
    assert!(
        err.contains("holds the output of `entente compare`"),
        "{err}"
    );
    assert!(x.join("compare.csv").exists());
    ok(&[&TRIANGLE_SWEEP[..], &["--out", s(&x), "--force"]].concat());
    assert!(
        !x.join("compare.csv").exists(),
        "the comparison of another experiment stayed"
    );
    let o = ok(&["report", s(&x)]);
    assert!(
        common::stdout(&o).starts_with("sweep report → "),
        "{}",
        common::stdout(&o)
    );
}

// Reproduction 6: `--name ../../evil` wrote outside the scenario's output folder.
#[test]
fn a_name_is_a_name_not_a_path() {
    for name in [
        "../../evil",
        "a/b",
        "..",
        ".hidden",
        "",
        "<b>",
        "two words",
        "a;rm",
    ] {
        for command in ["sweep", "claims"] {
            let err = refused(&[
                command,
                "scenarios/triangle",
                "--reps",
                "2",
                "--quiet",
                "--name",
                name,
            ]);
            assert!(
                err.contains(&format!("--name {name:?} is not a plain name")),
                "{command} {name:?}: {err}"
            );
        }
    }
    assert!(!crate_path("outputs/evil").exists());
    assert!(!crate_path("outputs/triangle/sweep-..").exists());
}

#[test]
fn a_folder_without_its_marker_is_never_read_as_a_result() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path().join("r");
    ok(&args(&short_run(&r)));
    let sweep = root.path().join("s");
    ok(&[&TRIANGLE_SWEEP[..], &["--out", s(&sweep)]].concat());
    for dir in [&r, &sweep] {
        std::fs::remove_file(dir.join("entente.json")).unwrap();
        let err = refused(&["report", s(dir)]);
        assert!(
            err.contains("is not a finished entente output (it has no entente.json)"),
            "{err}"
        );
        assert!(!dir.join("report.html").exists());
    }
    let err = refused(&["export", s(&r)]);
    assert!(err.contains("is not a finished entente output"), "{err}");
    // --resume does not take the unmarked files for a finished sweep.
    let err = refused(&[&TRIANGLE_SWEEP[..], &["--out", s(&sweep), "--resume"]].concat());
    assert!(
        err.contains("is a folder entente did not write (it holds aggregates.bin"),
        "{err}"
    );
}

#[test]
fn report_and_export_add_files_that_are_recorded_and_never_overwrite_others() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path().join("r");
    ok(&args(&short_run(&r)));
    ok(&["report", s(&r)]);
    ok(&["report", s(&r)]);
    ok(&["export", s(&r), "--step", "initial"]);
    let marker: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(r.join("entente.json")).unwrap()).unwrap();
    assert_eq!(
        marker["added"],
        serde_json::json!(["network-0.graphml", "report.html"])
    );
    // Not over one of the run's own files, nor over a file of the user's.
    let before = std::fs::read(r.join("summary.csv")).unwrap();
    let err = refused(&["report", s(&r), "--out", s(&r.join("summary.csv"))]);
    assert!(err.contains("is the input"), "{err}");
    assert_eq!(std::fs::read(r.join("summary.csv")).unwrap(), before);
    let mine = root.path().join("mine.html");
    std::fs::write(&mine, "keep").unwrap();
    let err = refused(&["report", s(&r), "--out", s(&mine)]);
    assert!(err.contains("exists and entente did not write it"), "{err}");
    assert_eq!(std::fs::read(&mine).unwrap(), b"keep");
    // A rerun replaces the folder with what it added.
    ok(&args(&short_run(&r)));
    assert!(!r.join("report.html").exists());
}

/// Sends `signal` (a `kill` name) to `pid`.
fn kill(signal: &str, pid: u32) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

/// Waits until `found` holds or 60 s have passed.
fn wait_for(what: &str, mut found: impl FnMut() -> bool) {
    let start = Instant::now();
    while !found() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no {what} appeared"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn ctrl_c_or_a_kill_during_a_run_removes_its_temporary_folder() {
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("r");
        // A long run that is stopped early.
        let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
            .args(["run", "scenarios/triangle", "--steps", "200000"])
            .args(["--out", s(&out)])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for("temporary folder", || !temporaries(root.path()).is_empty());
        kill(signal, child.id());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "SIG{signal}");
        assert_eq!(
            std::fs::read_dir(root.path()).unwrap().count(),
            0,
            "SIG{signal} left {:?}",
            temporaries(root.path())
        );
    }
}

#[test]
fn ctrl_c_during_a_sweep_keeps_only_what_resume_needs() {
    let root = tempfile::tempdir().unwrap();
    // Far too long to finish before the signal (resuming it is tested in
    // tests/sweep.rs).
    let sweep = [
        "sweep",
        "scenarios/triangle",
        "--reps",
        "10000000",
        "--steps",
        "20",
        "--quiet",
        "--checkpoint-every",
        "0",
    ];
    let out = root.path().join("s");
    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(sweep)
        .args(["--out", s(&out)])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("checkpoint", || {
        out.join(".progress/checkpoint.bin").exists()
    });
    kill("INT", child.id());
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert!(
        temporaries(root.path()).is_empty(),
        "{:?}",
        temporaries(root.path())
    );
    let left: Vec<_> = snapshot(&out).into_keys().collect();
    assert_eq!(
        left,
        [
            PathBuf::from(".progress/checkpoint.bin"),
            PathBuf::from(".progress/manifest.json")
        ]
    );
    // Nothing reads it as a result; without --resume it is not started over.
    assert!(refused(&["report", s(&out)]).contains("holds an unfinished sweep"));
    let err = refused(&[&sweep[..], &["--out", s(&out)]].concat());
    assert!(err.contains("add --resume to continue it"), "{err}");
}

#[test]
fn a_start_removes_the_temporaries_of_dead_processes() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("s");
    // What a SIGKILL during the final writes of a sweep left (no process has pid
    // 4 000 000 000), beside a user's file that looks alike but is not one.
    let stale_dir = root.path().join(".s.tmp-4000000000-AbC123");
    write_files(&stale_dir, &[("runs.csv", "run\n")]);
    write_files(
        &out.join(".progress"),
        &[(".checkpoint.bin.tmp-4000000000-x", "partial")],
    );
    write_files(root.path(), &[("s.tmp-4000000000-notes", "keep")]);
    ok(&[&TRIANGLE_SWEEP[..], &["--out", s(&out)]].concat());
    assert!(!stale_dir.exists());
    assert!(temporaries(root.path()).is_empty());
    assert!(root.path().join("s.tmp-4000000000-notes").exists());
}

/// Runs entente with its files limited to `kib` KiB (RLIMIT_FSIZE; SIGXFSZ is
/// ignored so that a write past it fails with EFBIG, as on a full disk).
fn with_file_limit(kib: u64, args: &[&str]) -> Output {
    Command::new("bash")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {kib}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_entente"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("bash runs")
}

#[test]
fn a_failed_write_leaves_nothing_and_names_the_folder_and_the_os_error() {
    let cases: [(&str, Vec<&str>, &str); 3] = [
        (
            "run",
            vec!["run", "scenarios/world-2024", "--steps", "50"],
            "the run",
        ),
        (
            "sweep",
            vec!["sweep", "scenarios/triangle", "--reps", "300", "--quiet"],
            "the sweep",
        ),
        (
            "claims",
            vec![
                "claims",
                "scenarios/world-2024",
                "--reps",
                "2",
                "--steps",
                "20",
                "--quiet",
            ],
            "the",
        ),
    ];
    for (name, args, what) in cases {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join(name);
        let o = with_file_limit(64, &[&args[..], &["--out", s(&out)]].concat());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(&format!("writing {what}")) && err.contains(&out.display().to_string()),
            "{name}: {err}"
        );
        assert!(
            err.contains("File too large (os error 27)"),
            "{name}: {err}"
        );
        assert_eq!(err.matches("os error").count(), 1, "{err}");
        assert!(
            temporaries(root.path()).is_empty(),
            "{name}: {:?}",
            temporaries(root.path())
        );
        // Nothing that looks finished: no marker and none of the results.
        let left: BTreeMap<_, _> = snapshot(root.path());
        assert!(
            left.keys()
                .all(|k| k.starts_with(format!("{name}/.progress"))),
            "{name} left {:?}",
            left.keys().collect::<Vec<_>>()
        );
    }
}

/// The cells of a run's summary.csv by runs.csv column name.
fn run_metrics(run: &Path) -> BTreeMap<String, String> {
    let (_, rows) = read_csv(&run.join("summary.csv"));
    let mut out = BTreeMap::new();
    for r in rows {
        let (metric, a, b, value) = (&r[0], &r[1], &r[2], &r[3]);
        let keys = match (a.is_empty(), b.is_empty()) {
            (true, _) => vec![metric.clone()],
            (false, true) => vec![format!("{metric}:{a}")],
            (false, false) => vec![format!("{metric}:{a}-{b}"), format!("{metric}:{a}>{b}")],
        };
        for k in keys {
            out.insert(k, value.clone());
        }
    }
    out
}

#[test]
fn one_replication_of_a_sweep_reruns_on_its_own_byte_for_byte() {
    let root = tempfile::tempdir().unwrap();
    let sweep = root.path().join("s");
    let common = [
        "scenarios/triangle",
        "--steps",
        "30",
        "--seed",
        "7",
        "--set",
        "wedge=2",
    ];
    ok(&[
        &["sweep"],
        &common[..],
        &[
            "--reps",
            "5",
            "--grid",
            "loyalty=0:4:3",
            "--quiet",
            "--out",
            s(&sweep),
        ],
    ]
    .concat());
    let (header, rows) = read_csv(&sweep.join("runs.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert!(
        rows.iter().all(|r| r[col("seed")] == "7"),
        "seed is the sweep's"
    );
    // Configuration 1 (loyalty = 2), replication 3: run 1 × 5 + 3.
    let row = &rows[8];
    assert_eq!((&row[col("run")][..], &row[col("rep")][..]), ("8", "3"));
    assert_eq!(row[col("loyalty")].parse::<f64>(), Ok(2.0));
    let run = root.path().join("r");
    ok(&[
        &["run"],
        &common[..],
        &[
            "--set",
            "loyalty=2",
            "--config-index",
            "1",
            "--replication",
            "3",
            "--out",
            s(&run),
        ],
    ]
    .concat());
    let metrics = run_metrics(&run);
    let first_metric = col("error") + 1;
    for (k, name) in header.iter().enumerate().skip(first_metric) {
        assert_eq!(
            metrics.get(name),
            Some(&row[k]),
            "{name}: the rerun differs from runs.csv row 8"
        );
    }
    // Another replication is another run.
    let other = root.path().join("o");
    ok(&[
        &["run"],
        &common[..],
        &[
            "--set",
            "loyalty=2",
            "--config-index",
            "1",
            "--replication",
            "4",
            "--out",
            s(&other),
        ],
    ]
    .concat());
    assert_ne!(run_metrics(&other), metrics);
}

/// A full disk, for real: a 1 MiB tmpfs that `.ci/run` mounts (it needs root) and
/// names in `ENTENTE_TEST_TMPFS`; run with `cargo test --test outputs --
/// --ignored`.
#[test]
#[ignore = "needs a small tmpfs named by ENTENTE_TEST_TMPFS (mounted by .ci/run)"]
fn a_full_disk_leaves_nothing_behind() {
    let disk = PathBuf::from(
        std::env::var_os("ENTENTE_TEST_TMPFS").expect("ENTENTE_TEST_TMPFS names a small tmpfs"),
    );
    for (name, args) in [
        ("run", vec!["run", "scenarios/world-2024"]),
        (
            "sweep",
            vec!["sweep", "scenarios/world-2024", "--reps", "50", "--quiet"],
        ),
    ] {
        let out = disk.join(name);
        let o = entente(&[&args[..], &["--out", s(&out)]].concat());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(&format!("into {}: ", out.display()))
                && err.contains("No space left on device (os error 28)"),
            "{name}: {err}"
        );
        let left: Vec<_> = snapshot(&disk).into_keys().collect();
        assert!(
            left.iter()
                .all(|k| k.starts_with(format!("{name}/.progress"))),
            "{name} left {left:?}"
        );
        let _ = std::fs::remove_dir_all(&out);
    }
}

/// Outputs get the modes a plain `open`/`mkdir` would (0666/0777 less the umask),
/// not a temporary file's 0600, so that collaborators on a shared cluster can
/// read them.
#[cfg(target_os = "linux")]
#[test]
fn outputs_are_readable_as_the_umask_allows() {
    use std::os::unix::fs::PermissionsExt;
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let umask = status
        .lines()
        .find_map(|l| l.strip_prefix("Umask:"))
        .map(|m| u32::from_str_radix(m.trim(), 8).unwrap())
        .expect("Umask in /proc/self/status");
    let root = tempfile::tempdir().unwrap();
    let run = root.path().join("run");
    let sweep = root.path().join("sweep");
    for args in [
        vec![
            "run",
            "scenarios/triangle",
            "--steps",
            "5",
            "--out",
            run.to_str().unwrap(),
        ],
        vec![
            "sweep",
            "scenarios/triangle",
            "--reps",
            "2",
            "--steps",
            "5",
            "--quiet",
            "--out",
            sweep.to_str().unwrap(),
        ],
    ] {
        let o = common::entente(&args);
        assert!(o.status.success(), "{}", common::stderr(&o));
    }
    for dir in [&run, &sweep] {
        for (path, _) in common::snapshot(dir) {
            let full = dir.join(&path);
            let mode = std::fs::metadata(&full).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o666 & !umask, "{}", full.display());
        }
        let mode = std::fs::metadata(dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o777 & !umask, "{}", dir.display());
    }
}

/// `report` and `export` write beside the folder they read, or into a folder of
/// the user's, never into another output entente wrote or into a subfolder of
/// one (the marker would not list the file, or would list another command's).
#[test]
fn report_and_export_never_write_into_another_output() {
    let root = tempfile::tempdir().unwrap();
    let run = root.path().join("run");
    let other = root.path().join("other");
    for out in [&run, &other] {
        let o = entente(&[
            "run",
            "scenarios/triangle",
            "--steps",
            "5",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let before = snapshot(&other);
    for (command, target) in [
        ("report", other.join("report.html")),
        ("report", other.join("plots/x.html")),
        ("report", run.join("plots/x.html")),
        ("export", other.join("n.graphml")),
    ] {
        let o = entente(&[
            command,
            run.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{command} {}", target.display());
        assert!(
            stderr(&o).contains("is an output entente wrote; write into the folder being read"),
            "{}",
            stderr(&o)
        );
        assert!(!target.exists());
    }
    assert_eq!(snapshot(&other), before, "the other output is untouched");
    let o = entente(&[
        "report",
        run.to_str().unwrap(),
        "--out",
        run.join("report.html").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}
