//! Sweeps: the same bytes on 1 or 2 threads, in one piece or in shards, killed
//! and resumed; confidence intervals that shrink as 1/√reps; clear errors.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::entente;

const BIN: &str = env!("CARGO_BIN_EXE_entente");
const FILES: [&str; 3] = ["runs.csv", "summary.csv", "trajectories.csv"];

fn ok(args: &[&str]) {
    let out = entente(args);
    assert!(
        out.status.success(),
        "entente {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn same_files(a: &Path, b: &Path) {
    for f in FILES {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn dir(root: &Path, name: &str) -> PathBuf {
    root.join(name)
}

const SWEEP: [&str; 8] = [
    "sweep",
    "scenarios/triangle",
    "--reps",
    "30",
    "--steps",
    "60",
    "--grid",
    "loyalty=0:8:3",
];

#[test]
fn one_and_two_threads_give_the_same_bytes() {
    let root = tempfile::tempdir().unwrap();
    let (one, two) = (dir(root.path(), "one"), dir(root.path(), "two"));
    ok(&[
        &SWEEP[..],
        &["--threads", "1", "--quiet", "--out", one.to_str().unwrap()],
    ]
    .concat());
    ok(&[
        &SWEEP[..],
        &["--threads", "2", "--quiet", "--out", two.to_str().unwrap()],
    ]
    .concat());
    same_files(&one, &two);
    let runs = std::fs::read_to_string(one.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 3 * 30, "one row per run");
    assert!(runs
        .lines()
        .next()
        .unwrap()
        .starts_with("run,config,rep,seed,loyalty,error,"));
    assert!(
        !one.join(".progress").exists(),
        "the checkpoint is removed once the outputs are in place"
    );
    let manifest = std::fs::read_to_string(one.join("manifest.json")).unwrap();
    for field in [
        "entente_version",
        "command_line",
        "scenario_hash",
        "sweep_id",
        "\"reps\": 30",
    ] {
        assert!(manifest.contains(field), "manifest lacks {field}");
    }
}

#[test]
fn three_shards_merged_equal_the_whole_sweep() {
    let root = tempfile::tempdir().unwrap();
    let whole = dir(root.path(), "whole");
    ok(&[&SWEEP[..], &["--quiet", "--out", whole.to_str().unwrap()]].concat());
    let mut shards = Vec::new();
    for i in 0..3 {
        let s = dir(root.path(), &format!("shard{i}"));
        ok(&[
            &SWEEP[..],
            &[
                "--quiet",
                "--shard",
                &format!("{i}/3"),
                "--out",
                s.to_str().unwrap(),
            ],
        ]
        .concat());
        shards.push(s);
    }
    let rows: usize = shards
        .iter()
        .map(|s| {
            std::fs::read_to_string(s.join("runs.csv"))
                .unwrap()
                .lines()
                .count()
                - 1
        })
        .sum();
    assert_eq!(rows, 90, "the shards are disjoint and cover every run");
    let merged = dir(root.path(), "merged");
    let s: Vec<&str> = shards.iter().map(|s| s.to_str().unwrap()).collect();
    ok(&[&["merge"], &s[..], &["--out", merged.to_str().unwrap()]].concat());
    same_files(&whole, &merged);

    // a missing shard is named
    let out = entente(&[
        "merge",
        s[0],
        s[2],
        "--out",
        root.path().join("bad").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing shard 1 of 3"), "{err}");
    // a shard of another sweep is refused
    let other = dir(root.path(), "other");
    ok(&[
        "sweep",
        "scenarios/triangle",
        "--reps",
        "30",
        "--steps",
        "60",
        "--seed",
        "9",
        "--shard",
        "1/3",
        "--quiet",
        "--out",
        other.to_str().unwrap(),
    ]);
    let out = entente(&[
        "merge",
        s[0],
        other.to_str().unwrap(),
        s[2],
        "--out",
        root.path().join("bad").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("belongs to another sweep"), "{err}");
    assert!(
        !root.path().join("bad").exists(),
        "no output from a refused merge"
    );

    // Damaged, edited or mixed-up shard folders, made from copies of the real ones.
    let copy = |name: &str, from: &Path| {
        let to = dir(root.path(), name);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
        to
    };
    let set_in_manifest = |folder: &Path, key: &str, value: serde_json::Value| {
        let path = folder.join("manifest.json");
        let mut m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        m[key] = value;
        std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    };
    let merge_err = |dirs: &[&Path]| {
        let mut args = vec!["merge".to_string()];
        args.extend(dirs.iter().map(|d| d.to_str().unwrap().to_string()));
        args.extend([
            "--out".into(),
            root.path().join("bad").display().to_string(),
        ]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = entente(&args);
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };

    // a shard of the same sweep split another way is named as such
    let halves = dir(root.path(), "half");
    ok(&[
        &SWEEP[..],
        &[
            "--quiet",
            "--shard",
            "1/2",
            "--out",
            halves.to_str().unwrap(),
        ],
    ]
    .concat());
    let err = merge_err(&[&shards[0], &halves]);
    assert!(
        err.contains("is a shard of the same sweep as") && err.contains("but of 2 shards where"),
        "{err}"
    );

    // A manifest whose shard is no shard, or whose count is absurd, is an error
    // naming the file, never a panic or an allocation sized by it.
    let edited = |name: &str, index: u64, count: u64| {
        let folder = copy(name, &shards[0]);
        let shard = serde_json::json!({ "index": index, "count": count });
        set_in_manifest(&folder, "shard", shard);
        folder
    };
    let beyond = edited("beyond", 7, 3);
    let err = merge_err(&[&beyond, &shards[1], &shards[2]]);
    assert!(
        err.contains("manifest.json: shard 7/3 is not a shard I/N with 0 <= I < N"),
        "{err}"
    );
    // an absurd count is refused by the rows it would have to hold, without
    // allocating by it
    let huge = edited("huge", 0, u64::MAX);
    let err = merge_err(&[&huge]);
    assert!(
        err.contains(&format!(
            "runs.csv: line 3: run 3 is more than shard 0/{} has",
            u64::MAX
        )),
        "{err}"
    );
    // A shard whose contents were damaged or mixed up is refused, naming what is
    // wrong, instead of merging into outputs that contradict their manifest.
    let runs_of = |d: &Path| std::fs::read_to_string(d.join("runs.csv")).unwrap();
    let truncated = copy("truncated", &shards[1]);
    let text = runs_of(&truncated);
    let cut: Vec<&str> = text.lines().collect();
    std::fs::write(
        truncated.join("runs.csv"),
        cut[..cut.len() - 1].join("\n") + "\n",
    )
    .unwrap();
    let err = merge_err(&[&shards[0], &truncated, &shards[2]]);
    assert!(
        err.contains("runs.csv: has 29 rows, but shard 1/3 of 90 runs has 30"),
        "{err}"
    );
    let repeated = copy("repeated", &shards[1]);
    let text = runs_of(&repeated);
    let second = text.lines().nth(1).unwrap().to_string();
    std::fs::write(repeated.join("runs.csv"), text.clone() + &second + "\n").unwrap();
    let err = merge_err(&[&shards[0], &repeated, &shards[2]]);
    assert!(
        err.contains("line 32: run 1 is more than shard 1/3 has"),
        "{err}"
    );
    let reseeded = copy("reseeded", &shards[1]);
    set_in_manifest(&reseeded, "seed", serde_json::json!(12345));
    let err = merge_err(&[&reseeded, &shards[0], &shards[2]]);
    assert!(
        err.contains("its fields do not hash to its sweep_id"),
        "{err}"
    );
    let swapped = copy("swapped", &shards[1]);
    std::fs::copy(
        shards[2].join("aggregates.bin"),
        swapped.join("aggregates.bin"),
    )
    .unwrap();
    let err = merge_err(&[&shards[0], &swapped, &shards[2]]);
    assert!(
        err.contains("holds the aggregates of shard 2/3 of sweep"),
        "{err}"
    );
    // and many missing shards are listed up to 20
    let first_of_30 = dir(root.path(), "first-of-30");
    ok(&[
        &SWEEP[..],
        &[
            "--quiet",
            "--shard",
            "0/30",
            "--out",
            first_of_30.to_str().unwrap(),
        ],
    ]
    .concat());
    let err = merge_err(&[&first_of_30]);
    assert!(
        err.contains("missing shards 1, 2, 3,") && err.contains("19, 20 and 9 more of 30"),
        "{err}"
    );
    assert!(!root.path().join("bad").exists());
}

#[test]
fn a_killed_sweep_resumes_to_the_same_bytes() {
    let root = tempfile::tempdir().unwrap();
    let args = [
        "sweep",
        "scenarios/triangle",
        "--reps",
        "1000",
        "--steps",
        "40",
        "--quiet",
        "--checkpoint-every",
        "0",
    ];
    let clean = dir(root.path(), "clean");
    ok(&[&args[..], &["--out", clean.to_str().unwrap()]].concat());

    // Killed right after its third checkpoint (SIGABRT: no cleanup, as SIGKILL),
    // at the same point whatever the machine's speed.
    let killed = dir(root.path(), "killed");
    let status = Command::new(BIN)
        .args(args)
        .args(["--out", killed.to_str().unwrap()])
        .env("ENTENTE_ABORT_AFTER_CHECKPOINTS", "3")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), None, "the sweep was not killed");
    assert!(killed.join(".progress/checkpoint.bin").exists());
    assert!(!killed.join("runs.csv").exists() && !killed.join("entente.json").exists());

    // without --resume it refuses to start over an unfinished sweep
    let out = entente(&[&args[..], &["--out", killed.to_str().unwrap()]].concat());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"));
    ok(&[&args[..], &["--out", killed.to_str().unwrap(), "--resume"]].concat());
    same_files(&clean, &killed);

    // a checkpoint of another sweep is not resumed
    let other = dir(root.path(), "other");
    std::fs::create_dir_all(other.join(".progress")).unwrap();
    std::fs::write(other.join(".progress/checkpoint.bin"), b"not a checkpoint").unwrap();
    let out = entente(&[&args[..], &["--out", other.to_str().unwrap(), "--resume"]].concat());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
}

#[test]
fn confidence_intervals_shrink_as_one_over_root_reps() {
    use entente::experiment::manifest::{Layout, Manifest};
    use entente::experiment::progress::ProgressMode;
    use entente::experiment::spec::{Shard, SweepSpec};
    use entente::experiment::sweep::{execute, SweepOptions};
    use entente::output::sweep::summaries;
    use entente::scenario::Scenario;

    let half_width = |reps: u64| -> f64 {
        let root = tempfile::tempdir().unwrap();
        let mut scenario =
            Scenario::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/triangle"))
                .unwrap();
        scenario.params.steps = 60;
        let spec = SweepSpec::new(scenario, &[], Vec::new(), &[], reps).unwrap();
        let models = spec.models().unwrap();
        let manifest = Manifest::new(&spec, Layout::new(&spec, &models), &[], Shard::WHOLE);
        let opts = SweepOptions {
            out: root.path().join("s"),
            threads: Some(2),
            shard: Shard::WHOLE,
            resume: false,
            progress: ProgressMode::Silent,
            checkpoint_every: Duration::from_secs(60),
        };
        let state = execute(&spec, &models, &manifest, &opts).unwrap();
        let col = manifest
            .layout
            .columns
            .iter()
            .position(|c| c == "final_alignment:RUS-USA")
            .unwrap();
        let s = summaries(&manifest, &state.rows)
            .into_iter()
            .find(|(_, c, _)| *c == col)
            .unwrap()
            .2;
        assert_eq!(s.n, reps);
        s.half_width()
    };
    let (h100, h1600) = (half_width(100), half_width(1600));
    let ratio = h100 / h1600;
    assert!(
        (3.2..=4.8).contains(&ratio),
        "16× the reps should shrink the CI about 4×, got {ratio}"
    );
}

#[test]
fn bad_grid_configs_and_shard_values_are_explained() {
    let root = tempfile::tempdir().unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--grid".into(), "loyalty=0:1".into()],
            "KEY=LO:HI:COUNT",
        ),
        (
            vec!["--grid".into(), "loyalty=0:x:3".into()],
            "HI `x` is not a finite number",
        ),
        (
            vec!["--grid".into(), "loyality=0:1:3".into()],
            "unknown parameter `loyality`",
        ),
        (
            vec!["--grid".into(), "RUS-XYZ=0:1:3".into()],
            "`XYZ` is not a state",
        ),
        (
            vec!["--grid".into(), "dt=0:2:3".into()],
            "is outside (0, 1]",
        ),
        (
            vec!["--shard".into(), "3/3".into()],
            "is not I/N with 0 <= I < N",
        ),
        (vec!["--shard".into(), "1-3".into()], "is not I/N"),
    ];
    for (extra, expected) in cases {
        let mut args = vec![
            "sweep",
            "scenarios/triangle",
            "--reps",
            "2",
            "--quiet",
            "--out",
        ];
        let out_dir = root.path().join("never");
        args.push(out_dir.to_str().unwrap());
        args.extend(extra.iter().map(String::as_str));
        let out = entente(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{extra:?} was accepted");
        assert!(
            err.contains(expected),
            "{extra:?}: expected `{expected}` in:\n{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out_dir.exists(), "{extra:?} wrote output");
    }
    let configs = root.path().join("configs.csv");
    std::fs::write(
        &configs,
        "config,RUS-CHN,loyalty\ntoday,0.6,2\nbad,1.7,2\nworse,0.1,many\n",
    )
    .unwrap();
    let out = entente(&[
        "sweep",
        "scenarios/triangle",
        "--reps",
        "2",
        "--configs",
        configs.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("configs.csv:3: column `RUS-CHN`: value `1.7`"),
        "{err}"
    );
    assert!(
        err.contains("configs.csv:4: column `loyalty`: value `many`"),
        "{err}"
    );
    std::fs::write(&configs, "name,loyalty\na,1\n").unwrap();
    let err = String::from_utf8_lossy(
        &entente(&[
            "sweep",
            "scenarios/triangle",
            "--reps",
            "2",
            "--configs",
            configs.to_str().unwrap(),
        ])
        .stderr,
    )
    .to_string();
    assert!(err.contains("the first column must be `config`"), "{err}");
}

/// Runs `entente sweep scenarios/triangle ARGS… --quiet --out ROOT/out` and
/// returns whether it failed, its stderr, and whether it left `out` behind.
fn refused(root: &Path, args: &[&str]) -> (String, bool) {
    let out_dir = root.join("out");
    let out = entente(
        &[
            &["sweep", "scenarios/triangle", "--quiet", "--out"][..],
            &[out_dir.to_str().unwrap()],
            args,
        ]
        .concat(),
    );
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success(), "{args:?} was accepted");
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    (err, out_dir.exists())
}

#[test]
fn absurd_run_counts_are_refused_before_anything_is_allocated() {
    let root = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (
            &["--reps", "99999999999"][..],
            "1 configuration(s) × 99999999999 replications is more than the 10000000 runs",
        ),
        (
            &["--reps", "1001", "--grid", "loyalty=0:1:10000"][..],
            "10000 configuration(s) × 1001 replications is more than the 10000000 runs",
        ),
        // refused before it is crossed (it filled 24 GB building models before
        // the aggregates' check could run)
        (
            &[
                "--reps",
                "1",
                "--grid",
                "loyalty=0:1:1000",
                "--grid",
                "wedge=0:1:1000",
            ][..],
            "1000000 configurations is more than the 100000 a sweep may have",
        ),
    ] {
        let (err, left) = refused(root.path(), args);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!left, "{args:?} left the output folder behind");
    }
}

#[test]
fn oversized_trajectory_aggregates_are_refused_with_the_memory_they_need() {
    let root = tempfile::tempdir().unwrap();
    let out_dir = root.path().join("out");
    // 100 configurations × 200001 steps × 70 pairs: a terabyte. (At 1000000 steps
    // world-2024's power would compound past its limit.)
    let out = entente(&[
        "sweep",
        "scenarios/world-2024",
        "--reps",
        "1",
        "--steps",
        "200000",
        "--grid",
        "loyalty=0:1:100",
        "--threads",
        "2",
        "--quiet",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for part in [
        "the trajectory aggregates would need 1105.7 GiB",
        "of memory (100 configuration(s) × 200001 steps × 70 tracked pairs",
        "more than the 4 GiB budget",
        "fewer --steps, --track fewer pairs",
        "--shard does not help",
    ] {
        assert!(err.contains(part), "expected `{part}` in:\n{err}");
    }
    assert!(!out_dir.exists(), "a refused sweep wrote output");
}

#[test]
fn a_key_set_twice_is_refused_naming_it() {
    let root = tempfile::tempdir().unwrap();
    let configs = root.path().join("configs.csv");
    std::fs::write(&configs, "config,RUS-CHN\na,0.1\nb,0.2\n").unwrap();
    let configs = configs.to_str().unwrap();
    for (args, expected) in [
        (
            &["--grid", "loyalty=0:1:3", "--grid", "loyalty=2:3:2"][..],
            "`loyalty` is set twice, by --grid loyalty=0:1:3 and by --grid loyalty=2:3:2",
        ),
        (
            &["--grid", "RUS-CHN=0:1:3", "--grid", "CHN-RUS=0:0.5:2"][..],
            "`CHN-RUS` is set twice, by --grid RUS-CHN=0:1:3 and by --grid CHN-RUS=0:0.5:2",
        ),
        (
            &["--configs", configs, "--grid", "CHN-RUS=0:0.5:2"][..],
            "`CHN-RUS` is set twice, by the --configs column `RUS-CHN` and by --grid CHN-RUS=0:0.5:2",
        ),
        (
            &["--set", "loyalty=3", "--grid", "loyalty=0:1:2"][..],
            "`loyalty` is set twice, by --set loyalty=3 and by --grid loyalty=0:1:2",
        ),
        (
            &["--set", "CHN-RUS=0.4", "--configs", configs][..],
            "`CHN-RUS` is set twice, by --set CHN-RUS=0.4 and by the configurations (`RUS-CHN`)",
        ),
    ] {
        let (err, left) = refused(root.path(), &[&["--reps", "2"][..], args].concat());
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!left, "{args:?} wrote output");
    }
}

#[test]
fn configs_files_with_a_repeated_column_or_unreadable_are_explained() {
    let root = tempfile::tempdir().unwrap();
    let configs = root.path().join("configs.csv");
    let path = configs.to_str().unwrap();
    for (header, expected) in [
        (
            "config,RUS-CHN,loyalty,RUS-CHN",
            ":1: column `RUS-CHN`: sets the same key as column 2 (`RUS-CHN`)",
        ),
        (
            "config,RUS-CHN,CHN-RUS",
            ":1: column `CHN-RUS`: sets the same key as column 2 (`RUS-CHN`)",
        ),
    ] {
        std::fs::write(&configs, format!("{header}\na,0.1,0.2,0.3\n")).unwrap();
        let (err, _) = refused(root.path(), &["--reps", "2", "--configs", path]);
        assert!(err.contains(&format!("{path}{expected}")), "{err}");
        assert!(err.contains("1 error in the configurations file"), "{err}");
    }
    let missing = root.path().join("nope.csv");
    let (err, _) = refused(
        root.path(),
        &["--reps", "2", "--configs", missing.to_str().unwrap()],
    );
    assert!(
        err.contains(&format!(
            "cannot read the configurations file {}: No such file",
            missing.display()
        )),
        "{err}"
    );
    assert!(!err.contains(":0") && !err.contains("scenario"), "{err}");
}

#[test]
fn resuming_with_other_arguments_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let done = dir(root.path(), "done");
    let d = done.to_str().unwrap();
    ok(&[&SWEEP[..], &["--quiet", "--out", d]].concat());
    let before = std::fs::read(done.join("runs.csv")).unwrap();
    let id = |dir: &Path| {
        let m = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
        let v: serde_json::Value = serde_json::from_str(&m).unwrap();
        v["sweep_id"].as_str().unwrap().to_string()
    };
    let done_id = id(&done);

    // a finished folder is not overwritten by another sweep
    let out = entente(
        &[
            &SWEEP[..],
            &["--set", "wedge=3", "--quiet", "--resume", "--out", d],
        ]
        .concat(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "cannot resume: {d} holds a different sweep (id {done_id}; this command's is "
        )),
        "{err}"
    );
    assert_eq!(std::fs::read(done.join("runs.csv")).unwrap(), before);
    // resuming the same finished sweep is still a no-op
    ok(&[&SWEEP[..], &["--quiet", "--resume", "--out", d]].concat());

    // a sweep killed before its first checkpoint is not started over as another
    let killed = dir(root.path(), "killed");
    std::fs::create_dir_all(killed.join(".progress")).unwrap();
    std::fs::copy(
        done.join("manifest.json"),
        killed.join(".progress/manifest.json"),
    )
    .unwrap();
    let k = killed.to_str().unwrap();
    let mut more = SWEEP;
    more[3] = "31";
    let out = entente(&[&more[..], &["--quiet", "--resume", "--out", k]].concat());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("holds a different sweep (id {done_id};")),
        "{err}"
    );
    assert!(!killed.join("runs.csv").exists());
    // with the same arguments it resumes
    ok(&[&SWEEP[..], &["--quiet", "--resume", "--out", k]].concat());
    same_files(&done, &killed);
}

#[test]
fn too_many_threads_are_refused() {
    let root = tempfile::tempdir().unwrap();
    let (err, left) = refused(root.path(), &["--reps", "2", "--threads", "100000"]);
    assert!(
        err.contains("--threads 100000 is more than the 1024 a sweep may use"),
        "{err}"
    );
    assert!(!left);
    // up to the maximum is fine, and costs no more than the runs to do
    ok(&[
        "sweep",
        "scenarios/triangle",
        "--reps",
        "2",
        "--steps",
        "5",
        "--threads",
        "1024",
        "--quiet",
        "--out",
        root.path().join("ok").to_str().unwrap(),
    ]);
}

#[test]
fn write_errors_name_the_output_folder_once() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out_dir = file.join("x");
    let out = entente(&[
        "sweep",
        "scenarios/triangle",
        "--reps",
        "2",
        "--quiet",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "writing the sweep into {}: Not a directory (os error 20)",
            out_dir.display()
        )),
        "{err}"
    );
    assert_eq!(err.matches("os error").count(), 1, "{err}");
}

#[test]
fn compare_help_names_its_default_folder() {
    let out = entente(&["compare", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("outputs/<scenario>/<command>-<name or the first 8")
            && help.contains("compare-demo/"),
        "{help}"
    );
}

/// Two shards given one --out (a Slurm array with a fixed --out): the second is
/// refused with advice that keeps the first, never "add --force".
#[test]
fn a_shard_does_not_offer_to_replace_its_sibling() {
    let root = tempfile::tempdir().unwrap();
    let out = dir(root.path(), "one-folder");
    let shard = |i: u32| {
        entente(&[
            "sweep",
            "scenarios/triangle",
            "--reps",
            "8",
            "--steps",
            "10",
            "--quiet",
            "--shard",
            &format!("{i}/4"),
            "--out",
            out.to_str().unwrap(),
        ])
    };
    assert!(shard(0).status.success());
    let before = std::fs::read(out.join("runs.csv")).unwrap();
    let second = shard(1);
    let err = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{err}");
    assert!(err.contains("holds another shard of this sweep"), "{err}");
    assert!(err.contains("give each shard its own --out"), "{err}");
    assert!(!err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(out.join("runs.csv")).unwrap(), before);
}
