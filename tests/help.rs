//! `--help` of every subcommand, snapshotted in `tests/help.txt`: a change of a
//! flag or of its text shows in review. After a deliberate change, rewrite the
//! snapshot with `ENTENTE_BLESS=1 cargo test --test help` and read the diff.

mod common;

use common::{crate_path, entente, stderr, stdout};

const COMMANDS: [&str; 11] = [
    "run",
    "validate",
    "sweep",
    "merge",
    "compare",
    "claims",
    "explore",
    "landscape",
    "export",
    "report",
    "params",
];

/// The help of `entente` and of each subcommand, with the crate's path filtered.
fn all_help() -> String {
    let mut text = String::new();
    for command in [None].into_iter().chain(COMMANDS.map(Some)) {
        let args: Vec<&str> = command.into_iter().chain(["--help"]).collect();
        let o = entente(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        text += &format!("$ entente {}\n{}\n", args.join(" "), stdout(&o));
    }
    text.replace(env!("CARGO_MANIFEST_DIR"), "<crate>")
}

#[test]
fn help_of_every_subcommand_matches_the_snapshot() {
    let path = crate_path("tests/help.txt");
    let text = all_help();
    if std::env::var_os("ENTENTE_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if text != expected {
        let line = text
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(text.lines().count().min(expected.lines().count()));
        panic!(
            "--help differs from tests/help.txt at line {}:\n  now:      {:?}\n  snapshot: {:?}\n\
             (after a deliberate change: ENTENTE_BLESS=1 cargo test --test help)",
            line + 1,
            text.lines().nth(line),
            expected.lines().nth(line)
        );
    }
}

/// Every subcommand that writes names `--out` (one spelling everywhere), and a
/// flag name means one thing: `--step` takes a number, `initial` or `final`.
#[test]
fn one_flag_vocabulary() {
    let help = all_help();
    for old in ["--output", "-o,"] {
        assert!(!help.contains(old), "{old} is still shown");
    }
    for command in [
        "run",
        "sweep",
        "merge",
        "compare",
        "claims",
        "explore",
        "landscape",
        "export",
        "report",
    ] {
        let o = entente(&[command, "--help"]);
        assert!(stdout(&o).contains("--out "), "{command} has no --out");
    }
    for command in ["export", "landscape"] {
        let o = entente(&[command, "--help"]);
        assert!(
            stdout(&o).contains("a number, `initial` (0) or `final`"),
            "{command}: {}",
            stdout(&o)
        );
    }
}
