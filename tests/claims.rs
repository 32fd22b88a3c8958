//! `entente claims` end to end on the triangle: one row per claim experiment with
//! its effect, CI, null check and a verdict; the headline surface with both arms;
//! and a cast that cannot be tested is refused up front.

mod common;

use common::{crate_path, entente, read_csv, stderr, stdout};

#[test]
fn claims_table_and_surface() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("claims");
    let triangle = crate_path("scenarios/triangle");
    let o = entente(&[
        "claims",
        triangle.to_str().unwrap(),
        "--reps",
        "6",
        "--steps",
        "120",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let (header, rows) = read_csv(&out.join("claims.csv"));
    assert_eq!(
        header,
        [
            "claim",
            "label",
            "statement",
            "experiment",
            "metric",
            "n",
            "effect",
            "ci_low",
            "ci_high",
            "null_setting",
            "null_effect",
            "null_ci_low",
            "null_ci_high",
            "verdict"
        ]
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let claims: Vec<&str> = rows.iter().map(|r| r[col("claim")].as_str()).collect();
    for k in 1..=8 {
        assert!(
            claims.contains(&k.to_string().as_str()),
            "claim {k} missing"
        );
    }
    for r in &rows {
        let verdict = r[col("verdict")].as_str();
        assert!(
            ["supported", "contradicted", "inconclusive at this N"].contains(&verdict),
            "{verdict}"
        );
        assert!(
            !r[col("null_setting")].is_empty(),
            "claim {} has no null",
            r[0]
        );
        let number = |name: &str| r[col(name)].parse::<f64>().unwrap();
        let (effect, low, high) = (number("effect"), number("ci_low"), number("ci_high"));
        assert!(low <= effect && effect <= high, "{r:?}");
        // the verdict follows from the CI for the directional claims
        if verdict == "supported" || verdict == "contradicted" {
            assert!(low > 0.0 || high < 0.0 || r[0] == "5", "{r:?}");
        }
    }

    let (header, rows) = read_csv(&out.join("surface.csv"));
    assert_eq!(header[0], "arm");
    let arms: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(arms.iter().filter(|&&a| a == "model").count(), 16);
    assert_eq!(arms.iter().filter(|&&a| a == "mechanism_off").count(), 16);
    assert!(stdout(&o).contains("verdict"), "{}", stdout(&o));
}

#[test]
fn a_cast_without_an_approach_is_refused() {
    let triangle = crate_path("scenarios/triangle");
    let dir = triangle.to_str().unwrap();
    for (args, message) in [
        (
            vec!["--actor", "RUS", "--target", "USA"],
            "has no less-hardline policy from RUS to USA (policies.csv)",
        ),
        (
            vec!["--actor", "USA", "--target", "USA"],
            "--actor USA, --target USA and --third CHN must be three different states",
        ),
    ] {
        let mut all = vec!["claims", dir, "--reps", "2", "--quiet"];
        all.extend(args);
        let o = entente(&all);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        assert!(stderr(&o).contains(message), "{}", stderr(&o));
    }
}
