//! Each key is set once, everywhere (issue 9): `--set` twice on one key (in either
//! spelling of a pair), a grid axis or a configuration column over `--steps`, and a
//! seed that would vary inside a sweep are refused, naming both sources, before
//! anything is written.

mod common;

use common::{entente, stderr};

fn refused(args: &[&str], expected: &str) {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let mut all = args.to_vec();
    all.extend(["--out", out.to_str().unwrap()]);
    let o = entente(&all);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{all:?} was not refused: {err}");
    assert!(
        err.contains(expected),
        "{all:?}: `{expected}` not in:\n{err}"
    );
    assert!(!out.exists(), "{all:?} wrote output");
}

#[test]
fn a_key_given_twice_to_set_is_refused_by_run_and_sweep() {
    for command in [&["run"][..], &["sweep", "--reps", "2", "--quiet"]] {
        let with = |extra: &[&'static str]| {
            let mut v = vec![command[0], "scenarios/triangle"];
            v.extend_from_slice(&command[1..]);
            v.extend_from_slice(extra);
            v
        };
        refused(
            &with(&["--set", "loyalty=1", "--set", "loyalty=2"]),
            "--set loyalty=1 and --set loyalty=2 set the same key",
        );
        refused(
            &with(&["--set", "CHN-RUS=0.1", "--set", "RUS-CHN=0.9"]),
            "--set CHN-RUS=0.1 and --set RUS-CHN=0.9 set the same key",
        );
    }
}

#[test]
fn the_seed_cannot_vary_within_a_sweep() {
    refused(
        &[
            "sweep",
            "scenarios/triangle",
            "--reps",
            "2",
            "--quiet",
            "--grid",
            "seed=1:5:5",
        ],
        "`seed` cannot vary within a sweep (--grid seed=1:5:5)",
    );
    let root = tempfile::tempdir().unwrap();
    let configs = root.path().join("configs.csv");
    std::fs::write(&configs, "config,seed\na,1\nb,2\n").unwrap();
    refused(
        &[
            "sweep",
            "scenarios/triangle",
            "--reps",
            "2",
            "--quiet",
            "--configs",
            configs.to_str().unwrap(),
        ],
        "`seed` cannot vary within a sweep (the --configs column `seed`)",
    );
}

#[test]
fn steps_from_a_grid_or_a_configuration_do_not_override_the_steps_option() {
    refused(
        &[
            "sweep",
            "scenarios/triangle",
            "--reps",
            "2",
            "--quiet",
            "--steps",
            "50",
            "--grid",
            "steps=10:20:2",
        ],
        "`steps` is set twice, by --set steps=50 and by --grid steps=10:20:2",
    );
    let root = tempfile::tempdir().unwrap();
    let configs = root.path().join("configs.csv");
    std::fs::write(&configs, "config,steps\nshort,10\nlong,20\n").unwrap();
    refused(
        &[
            "sweep",
            "scenarios/triangle",
            "--reps",
            "2",
            "--quiet",
            "--steps",
            "50",
            "--configs",
            configs.to_str().unwrap(),
        ],
        "`steps` is set twice, by --set steps=50 and by the configurations (`steps`)",
    );
    // without --steps the grid is the one source of the steps, and runs
    let out = root.path().join("ok");
    let o = entente(&[
        "sweep",
        "scenarios/triangle",
        "--reps",
        "2",
        "--quiet",
        "--grid",
        "steps=10:20:2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let header = runs.lines().next().unwrap();
    assert_eq!(header.matches("seed").count(), 1, "{header}");
}

/// Every kind of key is parsed once, in one place, and a key that names nothing
/// says which part is wrong, for `--set`, `--grid` and `--track` alike.
#[test]
fn a_key_that_names_nothing_says_why() {
    let cases: [(&[&str], &str); 8] = [
        (
            &["run", "scenarios/triangle", "--set=-CHN=0.3"],
            "--set: `-CHN` is not a pair of states `A-B`",
        ),
        (
            &["run", "scenarios/triangle", "--set", "XYZ-RUS=0.3"],
            "--set: `XYZ-RUS`: `XYZ` is not a state of the scenario",
        ),
        (
            &["run", "scenarios/triangle", "--set", "XYZ.growth=0.01"],
            "--set: `XYZ.growth`: `XYZ` is not a state of the scenario",
        ),
        (
            &["run", "scenarios/triangle", "--set", "USA>USA.hardline=off"],
            "--set: `USA>USA.hardline` names one state twice",
        ),
        (
            &["run", "scenarios/triangle", "--set", "RUS.wealth=1"],
            "`RUS.wealth` is not a state attribute (power, growth, revisionism, hardliners, hedging)",
        ),
        (
            &["run", "scenarios/triangle", "--set", "USA>RUS.soft=on"],
            "`USA>RUS.soft` is not a state attribute",
        ),
        (
            &["sweep", "scenarios/triangle", "--reps", "2", "--quiet", "--grid", "XYZ-RUS=0:1:2"],
            "`XYZ` is not a state of the scenario",
        ),
        (
            &["sweep", "scenarios/triangle", "--reps", "2", "--quiet", "--track", "RUS-XYZ"],
            "cannot track `RUS-XYZ`: not a pair of evolving states",
        ),
    ];
    for (args, expected) in cases {
        refused(args, expected);
    }
    // a --track that is not a pair at all is a usage error (status 2), from clap
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let o = entente(&[
        "sweep",
        "scenarios/triangle",
        "--reps",
        "2",
        "--track",
        "USA",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`USA` is not a pair of states `A-B`"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

/// What cannot be done right is refused before anything runs: a pair tracked
/// twice, and `compare` or `claims` in shards (their analyses need every run, and
/// `merge` does not redo them).
#[test]
fn half_done_analyses_and_repeated_pairs_are_refused() {
    refused(
        &[
            "sweep",
            "scenarios/triangle",
            "--reps",
            "2",
            "--quiet",
            "--track",
            "RUS-CHN,CHN-RUS",
        ],
        "--track names the pair CHN-RUS twice",
    );
    refused(
        &[
            "compare",
            "scenarios/world-2024",
            "--configs",
            "scenarios/world-2024/triangles.csv",
            "--reps",
            "4",
            "--quiet",
            "--shard",
            "0/2",
        ],
        "`entente compare` analyses the whole sweep and does not run in shards (shard 0/2 from --shard)",
    );
    refused(
        &[
            "claims",
            "scenarios/triangle",
            "--reps",
            "3",
            "--quiet",
            "--shard",
            "1/2",
        ],
        "`entente claims` analyses the whole sweep and does not run in shards",
    );
}

/// `claims --set` of a key a selected claim varies in its own arms is refused:
/// the arms would overwrite it, and the run would not be what was asked.
#[test]
fn claims_refuse_a_set_their_arms_would_overwrite() {
    refused(
        &[
            "claims",
            "scenarios/triangle",
            "--claims",
            "1a",
            "--reps",
            "3",
            "--quiet",
            "--set",
            "RUS-CHN=0.1",
        ],
        "--set RUS-CHN=0.1: claim 1a sets CHN-RUS itself in each of its arms",
    );
    refused(
        &[
            "claims",
            "scenarios/triangle",
            "--claims",
            "2",
            "--reps",
            "3",
            "--quiet",
            "--set",
            "RUS.growth=0.1",
        ],
        "claim 2 sets RUS.growth itself",
    );
}
