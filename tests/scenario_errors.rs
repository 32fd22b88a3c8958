//! Bad input (scenarios/README.md, "File format"): every case gets an error that names the file, the line
//! and, where there is one, the value; every error of a file is reported; and the
//! binary exits non-zero without writing any output.

mod common;

use std::path::Path;

use common::{entente, load_errors, scenario_with, stderr, stdout, TempScenario};
use entente::scenario::InputError;

/// The one error of a scenario, checked field by field and through its Display
/// (`DIR/file.csv:LINE: column `c`: value `v` message`).
fn assert_single(
    s: &TempScenario,
    file: &str,
    line: u64,
    column: Option<&str>,
    value: Option<&str>,
    message: &str,
) -> InputError {
    let errors = load_errors(&s.dir);
    assert_eq!(
        errors.len(),
        1,
        "expected one error, got:\n{}",
        lines(&errors)
    );
    let e = errors.into_iter().next().unwrap();
    check(&s.dir, &e, file, line, column, value, message);
    e
}

fn check(
    dir: &Path,
    e: &InputError,
    file: &str,
    line: u64,
    column: Option<&str>,
    value: Option<&str>,
    message: &str,
) {
    let path = dir.join(file).display().to_string();
    assert_eq!(e.file, path, "{e}");
    assert_eq!(e.line, Some(line), "{e}");
    assert_eq!(e.column.as_deref(), column, "{e}");
    assert_eq!(e.value.as_deref(), value, "{e}");
    assert!(
        e.message.contains(message),
        "message of `{e}` lacks `{message}`"
    );
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("{path}:{line}:")),
        "`{shown}` does not start with the file and line"
    );
    if let Some(c) = column {
        assert!(shown.contains(&format!("column `{c}`")), "{shown}");
    }
    if let Some(v) = value {
        assert!(shown.contains(&format!("value `{v}`")), "{shown}");
    }
}

fn lines(errors: &[InputError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}\n"))
        .collect::<String>()
}

const ALIGN_HEAD: &str = "a,b,alignment,interest\n";

#[test]
fn the_base_scenario_is_valid() {
    let s = scenario_with(&[]);
    let sc = entente::scenario::Scenario::load(&s.dir).unwrap();
    assert_eq!(sc.states.len(), 3);
    assert_eq!(sc.alignments.len(), 3);
    assert_eq!(sc.issues.len(), 2);
    assert_eq!(sc.policies.len(), 1);
    assert_eq!(sc.params.steps, 20);
}

#[test]
fn unknown_state_in_a_pair() {
    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment,interest\nUSA,RUS,-0.6,\nUSA,XXX,0.5,\n"),
    )]);
    let e = assert_single(
        &s,
        "alignments.csv",
        3,
        Some("b"),
        Some("XXX"),
        "is not a state of states.csv",
    );
    assert_eq!(
        e.to_string(),
        format!(
            "{}: column `b`: value `XXX` is not a state of states.csv",
            format_args!("{}:3", s.dir.join("alignments.csv").display())
        )
    );

    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment,interest\nYYY,RUS,-0.6,\n"),
    )]);
    assert_single(
        &s,
        "alignments.csv",
        2,
        Some("a"),
        Some("YYY"),
        "not a state",
    );

    let s = scenario_with(&[(
        "issues.csv",
        Some("id,a,b,salience,core\nukraine,USA,RUS,0.9,true\nkuriles,JPN,RUS,0.5,false\n"),
    )]);
    assert_single(&s, "issues.csv", 3, Some("a"), Some("JPN"), "not a state");

    let s = scenario_with(&[(
        "policies.csv",
        Some("start,actor,target,stance\n10,USA,RUS,hardline\n3,USA,IRN,hardline\n"),
    )]);
    assert_single(
        &s,
        "policies.csv",
        3,
        Some("target"),
        Some("IRN"),
        "not a state",
    );
}

#[test]
fn duplicate_state() {
    let s = scenario_with(&[(
        "states.csv",
        Some("id,power\nUSA,0.13\nRUS,0.04\nCHN,0.23\nUSA,0.2\n"),
    )]);
    assert_single(
        &s,
        "states.csv",
        5,
        Some("id"),
        Some("USA"),
        "duplicate state (first on line 2)",
    );
}

#[test]
fn duplicate_pair_in_either_order() {
    // same order
    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment,interest\nUSA,RUS,-0.6,\nRUS,CHN,0.6,\nUSA,RUS,-0.2,\n"),
    )]);
    let e = assert_single(
        &s,
        "alignments.csv",
        4,
        Some("b"),
        Some("USA-RUS"),
        "duplicate pair (first on line 2)",
    );
    assert!(e.to_string().contains("USA-RUS"));

    // reversed: B,A after A,B
    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment,interest\nUSA,RUS,-0.6,\nRUS,CHN,0.6,\nRUS,USA,-0.6,\n"),
    )]);
    assert_single(
        &s,
        "alignments.csv",
        4,
        Some("b"),
        Some("RUS-USA"),
        "duplicate pair (first on line 2)",
    );
}

#[test]
fn self_pair() {
    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment,interest\nUSA,RUS,-0.6,\nCHN,CHN,0.3,\n"),
    )]);
    assert_single(&s, "alignments.csv", 3, Some("b"), Some("CHN"), "self-pair");

    let s = scenario_with(&[(
        "issues.csv",
        Some("id,a,b,salience,core\nx,RUS,RUS,0.5,false\n"),
    )]);
    assert_single(&s, "issues.csv", 2, Some("b"), Some("RUS"), "self-pair");

    let s = scenario_with(&[(
        "policies.csv",
        Some("start,actor,target,stance\n1,USA,USA,hardline\n"),
    )]);
    assert_single(
        &s,
        "policies.csv",
        2,
        Some("target"),
        Some("USA"),
        "is the actor itself",
    );
}

#[test]
fn numbers_out_of_range() {
    let cases: &[(&str, &str, u64, &str, &str, &str)] = &[
        (
            "alignments.csv",
            "a,b,alignment,interest\nUSA,RUS,1.5,0\n",
            2,
            "alignment",
            "1.5",
            "is outside [-1, 1]",
        ),
        (
            "alignments.csv",
            "a,b,alignment,interest\nUSA,RUS,-0.6,\nUSA,CHN,-0.5,-1.01\n",
            3,
            "interest",
            "-1.01",
            "is outside [-1, 1]",
        ),
        (
            "states.csv",
            "id,power\nUSA,0.1\nRUS,0\nCHN,0.2\n",
            3,
            "power",
            "0",
            "is outside [1e-12, 1e12]",
        ),
        (
            "states.csv",
            "id,power\nUSA,0.1\nRUS,0.1\nCHN,-0.2\n",
            4,
            "power",
            "-0.2",
            "is outside [1e-12, 1e12]",
        ),
        (
            "states.csv",
            "id,hardliners\nUSA,0.5\nRUS,2\nCHN,0\n",
            3,
            "hardliners",
            "2",
            "is outside [0, 1]",
        ),
        (
            "states.csv",
            "id,revisionism\nUSA,0.5\nRUS,1\nCHN,-0.1\n",
            4,
            "revisionism",
            "-0.1",
            "is outside [0, 1]",
        ),
        (
            "issues.csv",
            "id,a,b,salience,core\nukraine,USA,RUS,0,true\n",
            2,
            "salience",
            "0",
            "is outside (0, 1]",
        ),
        (
            "issues.csv",
            "id,a,b,salience,core\nukraine,USA,RUS,1.2,true\n",
            2,
            "salience",
            "1.2",
            "is outside (0, 1]",
        ),
        (
            "policies.csv",
            "start,actor,target,stance,offer\n1,USA,RUS,less_hardline,0\n",
            2,
            "offer",
            "0",
            "is outside (0, 1]",
        ),
    ];
    for &(file, text, line, column, value, message) in cases {
        let s = scenario_with(&[(file, Some(text))]);
        assert_single(&s, file, line, Some(column), Some(value), message);
    }
}

#[test]
fn nan_and_infinity() {
    let cases: &[(&str, &str, u64, &str, &str)] = &[
        (
            "alignments.csv",
            "a,b,alignment,interest\nUSA,RUS,NaN,0\n",
            2,
            "alignment",
            "NaN",
        ),
        (
            "alignments.csv",
            "a,b,alignment,interest\nUSA,RUS,0.1,nan\n",
            2,
            "interest",
            "nan",
        ),
        (
            "alignments.csv",
            "a,b,alignment,interest\nUSA,RUS,-inf,0\n",
            2,
            "alignment",
            "-inf",
        ),
        (
            "states.csv",
            "id,power\nUSA,inf\nRUS,1\nCHN,1\n",
            2,
            "power",
            "inf",
        ),
        (
            "states.csv",
            "id,growth\nUSA,0\nRUS,infinity\nCHN,0\n",
            3,
            "growth",
            "infinity",
        ),
        (
            "issues.csv",
            "id,a,b,salience\nukraine,USA,RUS,NaN\n",
            2,
            "salience",
            "NaN",
        ),
        (
            "policies.csv",
            "start,actor,target,stance,offer\n1,USA,RUS,less_hardline,inf\n",
            2,
            "offer",
            "inf",
        ),
    ];
    for &(file, text, line, column, value) in cases {
        let s = scenario_with(&[(file, Some(text))]);
        assert_single(
            &s,
            file,
            line,
            Some(column),
            Some(value),
            "is not a finite number",
        );
    }
    // and text that is no number at all
    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment,interest\nUSA,RUS,strong,0\n"),
    )]);
    assert_single(
        &s,
        "alignments.csv",
        2,
        Some("alignment"),
        Some("strong"),
        "is not a number",
    );
}

#[test]
fn nan_and_infinity_in_params() {
    for (text, line, key, value) in [
        ("key,value\nsteps,20\nnoise,NaN\n", 3, "noise", "NaN"),
        ("key,value\nloyalty,inf\n", 2, "loyalty", "inf"),
    ] {
        let s = scenario_with(&[("params.csv", Some(text))]);
        let e = assert_single(
            &s,
            "params.csv",
            line,
            Some("value"),
            Some(value),
            "not a finite number",
        );
        assert!(e.to_string().contains(key), "{e}");
    }
}

#[test]
fn missing_required_column() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "alignments.csv",
            "a,b,interest\nUSA,RUS,0.2\n",
            "`alignment`",
        ),
        ("states.csv", "name,power\nUS,1\n", "`id`"),
        ("issues.csv", "id,a,b,core\nx,USA,RUS,true\n", "`salience`"),
        (
            "policies.csv",
            "start,actor,target\n1,USA,RUS\n",
            "`stance`",
        ),
        ("params.csv", "key\nsteps\n", "`value`"),
    ];
    for &(file, text, name) in cases {
        let s = scenario_with(&[(file, Some(text))]);
        let e = assert_single(&s, file, 1, None, None, "missing required column");
        assert!(e.message.contains(name), "`{e}` does not name {name}");
    }
    // a required file that is missing altogether
    let s = scenario_with(&[("alignments.csv", None)]);
    let errors = load_errors(&s.dir);
    assert_eq!(errors.len(), 1, "{}", lines(&errors));
    assert_eq!(
        errors[0].file,
        s.dir.join("alignments.csv").display().to_string()
    );
    assert!(
        errors[0].message.contains("cannot be read"),
        "{}",
        errors[0]
    );
}

#[test]
fn missing_required_cell() {
    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment,interest\nUSA,RUS,,0.2\n"),
    )]);
    assert_single(
        &s,
        "alignments.csv",
        2,
        Some("alignment"),
        Some(""),
        "is required",
    );
}

#[test]
fn unknown_column_is_named() {
    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment,intrest\nUSA,RUS,0.1,0.2\n"),
    )]);
    let e = assert_single(
        &s,
        "alignments.csv",
        1,
        None,
        None,
        "unknown column `intrest`",
    );
    assert!(e.to_string().contains("`intrest`"));

    let s = scenario_with(&[(
        "issues.csv",
        Some("id,a,b,salience,core,note\nukraine,USA,RUS,0.9,true,x\n"),
    )]);
    assert_single(&s, "issues.csv", 1, None, None, "unknown column `note`");

    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment,intrest,note\nUSA,RUS,0.1,0.2,x\n"),
    )]);
    let e = assert_single(&s, "alignments.csv", 1, None, None, "unknown columns");
    assert!(
        e.message.contains("`intrest`") && e.message.contains("`note`"),
        "{e}"
    );
}

#[test]
fn header_errors_name_the_header_line_after_comments() {
    // The header is on line 3, after two comment lines.
    let s = scenario_with(&[(
        "alignments.csv",
        Some("# ties of the triangle\n# -1 antagonism, +1 alliance\na,b,alignment,intrest\nUSA,RUS,0.1,0.2\n"),
    )]);
    assert_single(
        &s,
        "alignments.csv",
        3,
        None,
        None,
        "unknown column `intrest`",
    );
}

#[test]
fn empty_files() {
    for file in [
        "states.csv",
        "alignments.csv",
        "issues.csv",
        "policies.csv",
        "params.csv",
    ] {
        for text in ["", "\n", "# only a comment\n"] {
            let s = scenario_with(&[(file, Some(text))]);
            let errors = load_errors(&s.dir);
            let e = &errors[0];
            assert_eq!(e.file, s.dir.join(file).display().to_string(), "{e}");
            assert_eq!(e.line, None, "{e}");
            assert!(e.message.contains("is empty"), "{e}");
            assert!(
                e.to_string()
                    .starts_with(&s.dir.join(file).display().to_string()),
                "{e}"
            );
            if file != "states.csv" {
                assert_eq!(errors.len(), 1, "{file} {text:?}:\n{}", lines(&errors));
            }
        }
    }
    // a states file with a header and no states
    let s = scenario_with(&[
        ("states.csv", Some("id,power\n")),
        ("alignments.csv", Some(ALIGN_HEAD)),
        ("issues.csv", None),
        ("policies.csv", None),
    ]);
    let errors = load_errors(&s.dir);
    assert_eq!(errors.len(), 1, "{}", lines(&errors));
    assert!(errors[0].message.contains("no states"), "{}", errors[0]);
}

#[test]
fn an_unreadable_states_file_does_not_bury_its_error() {
    // states.csv cannot be read (empty, or a misspelt column): its own error must
    // not come with a claim that every state named elsewhere "is not a state of
    // states.csv" — USA, RUS and CHN are in the file.
    for text in ["", "id,powr\nUSA,1\nRUS,1\nCHN,1\n"] {
        let s = scenario_with(&[("states.csv", Some(text))]);
        let errors = load_errors(&s.dir);
        assert!(errors[0].file.ends_with("states.csv"), "{}", lines(&errors));
        assert_eq!(
            errors.len(),
            1,
            "states.csv {text:?} gives cascading errors:\n{}",
            lines(&errors)
        );
    }
}

#[test]
fn a_bad_alignment_with_an_empty_interest_is_one_error() {
    // interest is optional and defaults to the alignment; a bad alignment must not
    // also report the empty interest cell as "required".
    for bad in ["1.5", "NaN", "strong"] {
        let text = format!("a,b,alignment,interest\nUSA,RUS,{bad},\n");
        let s = scenario_with(&[("alignments.csv", Some(&text))]);
        assert_single(&s, "alignments.csv", 2, Some("alignment"), Some(bad), "");
    }
}

#[test]
fn unknown_parameter_key_is_named() {
    let s = scenario_with(&[("params.csv", Some("key,value\nsteps,20\nloyality,2\n"))]);
    let errors = load_errors(&s.dir);
    assert_eq!(errors.len(), 1, "{}", lines(&errors));
    let e = &errors[0];
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("{}:3:", s.dir.join("params.csv").display())),
        "{shown}"
    );
    assert!(shown.contains("loyality"), "{shown}");
    assert!(shown.contains("parameter"), "{shown}");
    // The cell at fault is the key, not the value `2`.
    assert_eq!(e.column.as_deref(), Some("key"), "{shown}");
    assert_eq!(e.value.as_deref(), Some("loyality"), "{shown}");
}

#[test]
fn bad_value_for_a_known_key() {
    for (text, line, key, value, message) in [
        ("key,value\ndt,2\n", 2, "dt", "2", "is outside (0, 1]"),
        (
            "key,value\nsteps,20\ntopology,full\n",
            3,
            "topology",
            "full",
            "is not one of auto, complete, listed",
        ),
        (
            "key,value\nsteps,1.5\n",
            2,
            "steps",
            "1.5",
            "is not a non-negative integer",
        ),
        (
            "key,value\nbalance_weighting,mass\n",
            2,
            "balance_weighting",
            "mass",
            "is not one of uniform, power",
        ),
    ] {
        let s = scenario_with(&[("params.csv", Some(text))]);
        let e = assert_single(&s, "params.csv", line, Some("value"), Some(value), message);
        let shown = e.to_string();
        assert!(shown.contains(&format!("`{key}`")), "{shown}");
        // the value is named once: the message is a phrase that follows it
        assert_eq!(
            shown.matches(&format!("value `{value}`")).count(),
            1,
            "the value is repeated in `{shown}`"
        );
    }
}

#[test]
fn duplicate_parameter_key() {
    let s = scenario_with(&[("params.csv", Some("key,value\nsteps,20\nsteps,30\n"))]);
    assert_single(
        &s,
        "params.csv",
        3,
        Some("key"),
        Some("steps"),
        "duplicate key (first on line 2)",
    );
}

#[test]
fn policy_with_unknown_issue() {
    let s = scenario_with(&[(
        "policies.csv",
        Some("start,actor,target,stance,end,issue,offer,every\n10,USA,RUS,less_hardline,,ukrane,0.5,10\n"),
    )]);
    assert_single(
        &s,
        "policies.csv",
        2,
        Some("issue"),
        Some("ukrane"),
        "is not an issue of issues.csv",
    );
    // an issue of another pair
    let s = scenario_with(&[(
        "policies.csv",
        Some("start,actor,target,stance,end,issue\n10,USA,CHN,less_hardline,,ukraine\n"),
    )]);
    assert_single(
        &s,
        "policies.csv",
        2,
        Some("issue"),
        Some("ukraine"),
        "another pair",
    );
}

#[test]
fn policy_ending_before_it_starts() {
    // `end` is the last step a policy acts in (inclusive), so end < start is an
    // error (and 0, the initial state, is no step at all).
    let s = scenario_with(&[(
        "policies.csv",
        Some(
            "start,actor,target,stance,end,issue,offer,every\n\
             10,USA,RUS,less_hardline,9,peripheral,0.5,10\n",
        ),
    )]);
    assert_single(
        &s,
        "policies.csv",
        2,
        Some("end"),
        Some("9"),
        "is before start 10",
    );
    let s = scenario_with(&[(
        "policies.csv",
        Some("start,actor,target,stance,end\n10,USA,RUS,hardline,11\n3,USA,RUS,hardline,-1\n"),
    )]);
    assert_single(&s, "policies.csv", 3, Some("end"), Some("-1"), "not a step");
    let s = scenario_with(&[(
        "policies.csv",
        Some("start,actor,target,stance,end\n10,USA,RUS,hardline,0\n"),
    )]);
    assert_single(&s, "policies.csv", 2, Some("end"), Some("0"), "not a step");
}

#[test]
fn a_policy_with_end_equal_to_start_acts_once() {
    use entente::engine::{EventKind, Model, Observer, RunId, Simulation};
    let s = scenario_with(&[(
        "policies.csv",
        Some("start,actor,target,stance,end,issue,offer,every\n5,USA,RUS,hardline,5,,,1\n"),
    )]);
    let scenario = entente::scenario::Scenario::load(&s.dir).unwrap();
    assert_eq!(scenario.policies[0].end, Some(5));
    let model = Model::new(scenario);
    struct Hardline(Vec<u64>);
    impl Observer for Hardline {
        fn observe(&mut self, sim: &Simulation) {
            for e in sim.events() {
                if e.kind == EventKind::Hardline {
                    self.0.push(e.step);
                }
            }
        }
    }
    let mut seen = Hardline(Vec::new());
    Simulation::new(&model, RunId::new(1, 0, 0)).run(&mut seen);
    assert_eq!(seen.0, [5]);
}

#[test]
fn bad_stance_and_every() {
    let s = scenario_with(&[(
        "policies.csv",
        Some("start,actor,target,stance,every\n1,USA,RUS,soft,1\n1,USA,RUS,hardline,0\n"),
    )]);
    let errors = load_errors(&s.dir);
    assert_eq!(errors.len(), 2, "{}", lines(&errors));
    check(
        &s.dir,
        &errors[0],
        "policies.csv",
        2,
        Some("stance"),
        Some("soft"),
        "is not less_hardline or hardline",
    );
    check(
        &s.dir,
        &errors[1],
        "policies.csv",
        3,
        Some("every"),
        Some("0"),
        "at least 1",
    );
}

#[test]
fn every_error_of_a_file_is_reported() {
    let s = scenario_with(&[(
        "alignments.csv",
        Some(
            "a,b,alignment,interest\n\
             USA,RUS,1.5,-0.6\n\
             USA,XXX,0.2,\n\
             RUS,CHN,0.6,\n\
             CHN,CHN,0.1,\n",
        ),
    )]);
    let errors = load_errors(&s.dir);
    assert_eq!(errors.len(), 3, "{}", lines(&errors));
    check(
        &s.dir,
        &errors[0],
        "alignments.csv",
        2,
        Some("alignment"),
        Some("1.5"),
        "outside",
    );
    check(
        &s.dir,
        &errors[1],
        "alignments.csv",
        3,
        Some("b"),
        Some("XXX"),
        "not a state",
    );
    check(
        &s.dir,
        &errors[2],
        "alignments.csv",
        5,
        Some("b"),
        Some("CHN"),
        "self-pair",
    );
    // several bad cells on one line are each reported
    let s = scenario_with(&[(
        "states.csv",
        Some("id,power,revisionism,hardliners\nUSA,0,2,-1\nRUS,1,0,0\nCHN,1,0,0\n"),
    )]);
    let errors = load_errors(&s.dir);
    let columns: Vec<_> = errors.iter().map(|e| e.column.clone().unwrap()).collect();
    assert_eq!(columns, ["power", "revisionism", "hardliners"]);
    assert!(errors.iter().all(|e| e.line == Some(2)));
}

#[test]
fn errors_of_every_file_are_reported_together() {
    let s = scenario_with(&[
        ("states.csv", Some("id,power\nUSA,1\nRUS,1\nCHN,1\nUSA,2\n")),
        (
            "alignments.csv",
            Some("a,b,alignment,interest\nUSA,RUS,2,0\nRUS,USA,0.1,0.1\n"),
        ),
        ("issues.csv", Some("id,a,b,salience\nukraine,USA,RUS,0\n")),
        (
            "policies.csv",
            Some("start,actor,target,stance,end\n5,USA,RUS,hardline,4\n"),
        ),
        ("params.csv", Some("key,value\nnoise,-1\n")),
    ]);
    let errors = load_errors(&s.dir);
    let files: Vec<String> = errors
        .iter()
        .map(|e| {
            Path::new(&e.file)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        files,
        [
            "states.csv",
            "alignments.csv",
            "alignments.csv",
            "issues.csv",
            "policies.csv",
            "params.csv"
        ],
        "{}",
        lines(&errors)
    );
    let at: Vec<_> = errors.iter().map(|e| e.line).collect();
    assert_eq!(
        at,
        [Some(5), Some(2), Some(3), Some(2), Some(2), Some(2)],
        "{}",
        lines(&errors)
    );
    // The Display of the whole set lists each error, then the count.
    let all = entente::scenario::ScenarioError {
        errors: errors.clone(),
    }
    .to_string();
    assert!(all.ends_with("6 errors in the scenario"), "{all}");
    assert_eq!(all.lines().count(), 7, "{all}");
}

#[test]
fn a_bad_state_row_does_not_cascade_into_its_pairs() {
    // RUS has a bad power; its pairs and policies still name a declared state.
    let s = scenario_with(&[("states.csv", Some("id,power\nUSA,1\nRUS,0\nCHN,1\n"))]);
    assert_single(&s, "states.csv", 3, Some("power"), Some("0"), "outside");
}

#[test]
fn line_numbers_count_comments_and_blank_lines() {
    let s = scenario_with(&[(
        "alignments.csv",
        Some(
            "a,b,alignment,interest\n\
             # the Cold War\n\
             USA,RUS,-0.6,\n\
             \n\
             # the Sino-Russian entente\n\
             RUS,CHN,7,0\n",
        ),
    )]);
    assert_single(
        &s,
        "alignments.csv",
        6,
        Some("alignment"),
        Some("7"),
        "outside",
    );
}

#[test]
fn ragged_rows_are_reported_by_line() {
    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment,interest\nUSA,RUS,-0.6\nUSA,CHN,-0.5,,x\nRUS,CHN,0.6,\n"),
    )]);
    let errors = load_errors(&s.dir);
    assert_eq!(errors.len(), 2, "{}", lines(&errors));
    assert_eq!(errors[0].line, Some(2), "{}", errors[0]);
    assert_eq!(errors[1].line, Some(3), "{}", errors[1]);
    assert!(errors[0].message.contains("fields"), "{}", errors[0]);
}

#[test]
fn a_folder_that_does_not_exist() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("nowhere");
    let errors = load_errors(&dir);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().contains("nowhere"), "{}", errors[0]);
}

// ---- through the binary ----------------------------------------------------

fn bad_scenario() -> TempScenario {
    scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment,interest\nUSA,RUS,-0.6,\nUSA,XXX,0.5,\nRUS,CHN,NaN,0.6\n"),
    )])
}

#[test]
fn validate_reports_every_error_on_stderr_and_exits_1() {
    let s = bad_scenario();
    let o = entente(&["validate", s.dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let file = s.dir.join("alignments.csv").display().to_string();
    assert!(
        err.contains(&format!(
            "{file}:3: column `b`: value `XXX` is not a state of states.csv"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{file}:4: column `alignment`: value `NaN`")),
        "{err}"
    );
    assert!(err.contains("2 errors"), "{err}");
    assert!(!stdout(&o).contains("ok"), "{}", stdout(&o));
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn validate_accepts_the_triangle() {
    let o = entente(&["validate", "scenarios/triangle"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("ok:"), "{out}");
    assert!(out.contains("3 states"), "{out}");
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn run_of_a_bad_scenario_writes_nothing() {
    let s = bad_scenario();
    let parent = s.root.path().join("outputs");
    let out = parent.join("run");
    let o = entente(&[
        "run",
        s.dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_ne!(o.status.code(), Some(0));
    assert!(o.status.code().is_some(), "killed by a signal");
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("alignments.csv:3"), "{err}");
    assert!(!out.exists(), "{} was written", out.display());
    // nor any temporary folder beside it
    if parent.exists() {
        let left: Vec<_> = std::fs::read_dir(&parent).unwrap().collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}

#[test]
fn run_with_a_bad_setting_writes_nothing() {
    let s = scenario_with(&[]);
    for set in [
        "loyalty=abc",
        "loyality=2",
        "USA-XXX=0.2",
        "USA-RUS=3",
        "dt=0",
    ] {
        let out = s.root.path().join(format!("out-{}", set.replace('=', "_")));
        let o = entente(&[
            "run",
            s.dir.to_str().unwrap(),
            "--set",
            set,
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "--set {set}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        let key = set.split('=').next().unwrap();
        assert!(err.contains(key), "--set {set}: {err}");
        assert!(!out.exists(), "--set {set} wrote {}", out.display());
    }
}

#[test]
fn a_policy_cannot_start_at_step_0() {
    let s = scenario_with(&[(
        "policies.csv",
        Some("start,actor,target,stance,end,issue,offer,every\n0,USA,RUS,less_hardline,,peripheral,0.5,10\n"),
    )]);
    assert_single(
        &s,
        "policies.csv",
        2,
        Some("start"),
        Some("0"),
        "is not a step (a whole number ≥ 1; step 0 is the initial state)",
    );
}

#[test]
fn a_flag_names_every_spelling_it_accepts() {
    let s = scenario_with(&[(
        "issues.csv",
        Some("id,a,b,salience,core\nx,USA,RUS,0.5,maybe\n"),
    )]);
    assert_single(
        &s,
        "issues.csv",
        2,
        Some("core"),
        Some("maybe"),
        "is not true or false (also yes/no, 1/0; empty is false)",
    );
}

/// Settings that could not act are errors, not silent no-ops; options name themselves.
#[test]
fn settings_that_do_nothing_or_conflict_are_refused() {
    let s = scenario_with(&[]);
    let dir = s.dir.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--set", "USA>CHN.less_hardline=off"],
            "error: --set: `USA>CHN.less_hardline`: value `off` has nothing to act on: \
             no less-hardline policy from USA to CHN",
        ),
        (
            &["--set", "USA>RUS.hardline=every:6@0"],
            "has no whole step S ≥ 1 in every:K@S",
        ),
        (&["--steps", "1000001"], "error: --steps: "),
        (
            &["--seed", "6", "--set", "seed=7"],
            "error: --seed and --set seed=… both set the seed: give one",
        ),
    ];
    for (args, message) in cases {
        let out = s.root.path().join("out");
        let mut all = vec!["run", dir, "--out", out.to_str().unwrap()];
        all.extend_from_slice(args);
        let o = entente(&all);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "{args:?} wrote output");
    }
}

// ---- no silent no-ops (issue 9) -------------------------------------------

/// `validate` and `run` of a scenario folder: both refuse with `message` on stderr,
/// exit 1 and write nothing.
fn both_refuse(s: &TempScenario, extra: &[&str], message: &str) {
    let dir = s.dir.to_str().unwrap();
    let out = s.root.path().join("out");
    let mut run = vec!["run", dir, "--out", out.to_str().unwrap()];
    run.extend_from_slice(extra);
    let mut commands = vec![run];
    if extra.is_empty() {
        commands.push(vec!["validate", dir]);
    }
    for args in commands {
        let o = entente(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}{}", stdout(&o));
        assert!(
            err.contains(message),
            "{args:?}: `{message}` not in:\n{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.exists(), "{args:?} wrote output");
    }
}

#[test]
fn a_misnamed_file_names_the_closest_expected_name() {
    for (name, closest) in [("policy.csv", "policies.csv"), ("Issues.csv", "issues.csv")] {
        let s = scenario_with(&[(name, Some("start,actor,target,stance\n"))]);
        let errors = load_errors(&s.dir);
        assert_eq!(errors.len(), 1, "{}", lines(&errors));
        let e = &errors[0];
        assert_eq!(e.file, s.dir.join(name).display().to_string());
        assert!(
            e.message.contains(&format!("did you mean `{closest}`?")),
            "{e}"
        );
        both_refuse(&s, &[], &format!("did you mean `{closest}`?"));
    }
    // files that are not CSV (a README, notes) are not part of the format and are left alone
    let s = scenario_with(&[("README.md", Some("# notes\n")), ("notes.txt", Some("x"))]);
    entente::scenario::Scenario::load(&s.dir).unwrap();
}

#[test]
fn a_policy_that_can_never_act_is_an_error_at_its_line() {
    let head = "start,actor,target,stance,end,issue,offer,every\n";
    let cases = [
        // starts after the last step (steps = 20)
        (
            "21,USA,RUS,less_hardline,,peripheral,0.5,1\n",
            "start",
            "21",
            "is after the last step 20",
        ),
        // USA-CHN has no issue at all: nothing to offer
        (
            "5,USA,CHN,less_hardline,,,0.5,1\n",
            "issue",
            "any",
            "has nothing to offer",
        ),
        // USA-RUS has a core and a peripheral issue, USA-CHN no core one
        (
            "5,USA,CHN,less_hardline,,core,0.5,1\n",
            "issue",
            "core",
            "which has no core issue",
        ),
    ];
    for (row, column, value, message) in cases {
        let text = format!("{head}10,USA,RUS,less_hardline,,peripheral,0.5,10\n{row}");
        let s = scenario_with(&[("policies.csv", Some(&text))]);
        assert_single(&s, "policies.csv", 3, Some(column), Some(value), message);
        both_refuse(&s, &[], message);
    }
    // a hardline policy acts whatever the issues of its pair
    let text = format!("{head}5,USA,CHN,hardline,,core,,3\n");
    let s = scenario_with(&[("policies.csv", Some(&text))]);
    entente::scenario::Scenario::load(&s.dir).unwrap();
    // a shorter run asked for on the command line only cuts it short
    let s = scenario_with(&[]);
    let out = s.root.path().join("short");
    let o = entente(&[
        "run",
        s.dir.to_str().unwrap(),
        "--steps",
        "9",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn ids_follow_one_rule() {
    let long = "A".repeat(100_000);
    let cases = [
        ("usa", "usa", "is not a state id"),
        ("U-S", "U-S", "is not a state id"),
        ("1US", "1US", "starting with a letter"),
        (
            long.as_str(),
            &format!("{}…", "A".repeat(40)),
            "1 to 16 characters",
        ),
    ];
    for (id, shown, message) in cases {
        let text = format!("id\n{id}\nRUS\nCHN\n");
        let s = scenario_with(&[
            ("states.csv", Some(&text)),
            ("alignments.csv", Some("a,b,alignment\nRUS,CHN,0.5\n")),
            ("issues.csv", None),
            ("policies.csv", None),
        ]);
        assert_single(&s, "states.csv", 2, Some("id"), Some(shown), message);
    }
    let s = scenario_with(&[(
        "issues.csv",
        Some("id,a,b,salience\nNATO_enlargement2,USA,RUS,0.5\n_x,USA,RUS,0.5\n"),
    )]);
    assert_single(
        &s,
        "issues.csv",
        3,
        Some("id"),
        Some("_x"),
        "is not an issue id",
    );
}

#[test]
fn control_characters_are_refused() {
    let s = scenario_with(&[(
        "states.csv",
        Some("id,name\nUSA,United\u{0}States\nRUS,Russia\nCHN,Chi\tna\n"),
    )]);
    let errors = load_errors(&s.dir);
    assert_eq!(errors.len(), 2, "{}", lines(&errors));
    check(
        &s.dir,
        &errors[0],
        "states.csv",
        2,
        Some("name"),
        Some("United\\0States"),
        "control character",
    );
    check(
        &s.dir,
        &errors[1],
        "states.csv",
        4,
        Some("name"),
        Some("Chi\\tna"),
        "control character",
    );
}

#[test]
fn power_has_a_positive_minimum() {
    let s = scenario_with(&[("states.csv", Some("id,power\nUSA,1e-320\nRUS,1\nCHN,1\n"))]);
    assert_single(
        &s,
        "states.csv",
        2,
        Some("power"),
        Some("1e-320"),
        "is outside [1e-12, 1e12]",
    );
}

#[test]
fn an_unterminated_quote_is_one_error_at_its_line() {
    for (text, line) in [
        (
            "a,b,alignment,interest\nUSA,RUS,-0.6,\n\"USA,CHN,-0.5,\nRUS,CHN,0.6,\n",
            3,
        ),
        // in the last field of the file
        (
            "a,b,alignment,interest\nUSA,RUS,-0.6,\nUSA,CHN,-0.5,\nRUS,CHN,0.6,\"",
            4,
        ),
    ] {
        let s = scenario_with(&[("alignments.csv", Some(text))]);
        let errors = load_errors(&s.dir);
        assert_eq!(errors.len(), 1, "{}", lines(&errors));
        assert_eq!(errors[0].line, Some(line), "{}", errors[0]);
        assert!(errors[0].message.contains("never closed"), "{}", errors[0]);
    }
}

#[test]
fn line_endings_blank_lines_and_a_last_comment_are_read_as_an_editor_shows_them() {
    // CR-only line endings: the bad value is on line 3
    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment\rUSA,RUS,-0.6\rUSA,CHN,7\rRUS,CHN,0.6\r"),
    )]);
    assert_single(
        &s,
        "alignments.csv",
        3,
        Some("alignment"),
        Some("7"),
        "is outside [-1, 1]",
    );
    // a line of spaces is blank; the error after it is on its own line
    let s = scenario_with(&[(
        "alignments.csv",
        Some("a,b,alignment\nUSA,RUS,-0.6\n   \t \nUSA,CHN,7\nRUS,CHN,0.6\n"),
    )]);
    assert_single(
        &s,
        "alignments.csv",
        4,
        Some("alignment"),
        Some("7"),
        "is outside [-1, 1]",
    );
    // a final comment line without a newline is a comment
    let s = scenario_with(&[("params.csv", Some("key,value\nsteps,20\n# the end"))]);
    entente::scenario::Scenario::load(&s.dir).unwrap();
}

#[test]
fn the_seed_accepts_its_documented_maximum() {
    let s = scenario_with(&[(
        "params.csv",
        Some("key,value\nsteps,20\nseed,9007199254740992\n"),
    )]);
    let sc = entente::scenario::Scenario::load(&s.dir).unwrap();
    assert_eq!(sc.params.seed, 1 << 53);
    let s = scenario_with(&[(
        "params.csv",
        Some("key,value\nsteps,20\nseed,9007199254740993\n"),
    )]);
    assert_single(
        &s,
        "params.csv",
        3,
        Some("value"),
        Some("9007199254740993"),
        "is outside 0 to 2^53",
    );
}

#[test]
fn a_scenario_that_cannot_run_is_refused_by_validate_and_run_alike() {
    // one state
    let s = scenario_with(&[
        ("states.csv", Some("id\nUSA\n")),
        ("alignments.csv", Some("a,b,alignment\n")),
        ("issues.csv", None),
        ("policies.csv", None),
    ]);
    both_refuse(&s, &[], "has 1 state: a run needs at least two");
    // listed, and no pair named: nothing evolves
    let s = scenario_with(&[
        ("alignments.csv", Some("a,b,alignment\n")),
        ("issues.csv", None),
        ("policies.csv", None),
        ("params.csv", Some("key,value\nsteps,20\ntopology,listed\n")),
    ]);
    both_refuse(&s, &[], "names no pair, so nothing evolves");
}

#[test]
fn power_that_would_overflow_is_refused_with_a_figure() {
    let s = scenario_with(&[
        (
            "states.csv",
            Some("id,power,growth\nA,1e12,0.49\nB,1,0\nC,1,0\n"),
        ),
        ("alignments.csv", Some("a,b,alignment\nA,B,0.5\n")),
        ("issues.csv", None),
        ("policies.csv", None),
        ("params.csv", Some("key,value\nsteps,1800\n")),
    ]);
    let e = assert_single(
        &s,
        "states.csv",
        2,
        Some("growth"),
        Some("0.49"),
        "reach 1e324 by step 1800",
    );
    assert!(e.message.contains("at most 508 steps"), "{e}");
    both_refuse(&s, &[], "move the growth toward 0 or lower the steps");
    // the bundled triangle at the documented maximum of steps
    let o = entente(&[
        "run",
        "scenarios/triangle",
        "--steps",
        "1000000",
        "--out",
        s.root.path().join("t").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("move the growth toward 0 or lower the steps"),
        "{}",
        stderr(&o)
    );
}

/// Power decaying is harmless until it nears the smallest normal float: a
/// decline to 1e-106 runs; one to below 1e-290 is refused, saying so.
#[test]
fn decaying_power_is_refused_only_near_underflow() {
    let root = tempfile::tempdir().unwrap();
    let run = |steps: &str, growth: &str| {
        entente(&[
            "run",
            "scenarios/triangle",
            "--steps",
            steps,
            "--set",
            &format!("RUS.growth={growth}"),
            "--set",
            "CHN.growth=0",
            "--set",
            "USA.growth=0",
            "--plots",
            "none",
            "--force",
            "--out",
            root.path().join("r").to_str().unwrap(),
        ])
    };
    let o = run("3000", "-0.08");
    assert_eq!(
        o.status.code(),
        Some(0),
        "1e-106 is harmless: {}",
        stderr(&o)
    );
    let o = run("10000", "-0.08");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("below 1e-290"), "{}", stderr(&o));
}

#[test]
fn aggression_utilities_stay_finite_when_the_probability_rounds_to_one() {
    let s = scenario_with(&[]);
    let out = s.root.path().join("out");
    let o = entente(&[
        "run",
        s.dir.to_str().unwrap(),
        "--set",
        "aggression_base=50",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let events = std::fs::read_to_string(out.join("events.csv")).unwrap();
    let aggressions: Vec<&str> = events
        .lines()
        .filter(|l| l.contains(",aggression,"))
        .collect();
    assert!(!aggressions.is_empty(), "{events}");
    for row in aggressions {
        let cells: Vec<&str> = row.split(',').collect();
        let u: f64 = cells[5]
            .parse()
            .unwrap_or_else(|_| panic!("utility of {row}"));
        assert!(u.is_finite() && u > 40.0, "{row}");
        assert_eq!(cells[6], "1", "{row}");
    }
}

/// A key in params.csv that names nothing is reported under its own column,
/// with the key once.
#[test]
fn a_params_key_naming_nothing_is_an_error_of_the_key_column() {
    let s = scenario_with(&[("params.csv", Some("key,value\nXYZ.growth,0.01\n"))]);
    let e = assert_single(
        &s,
        "params.csv",
        2,
        Some("key"),
        Some("XYZ.growth"),
        "names `XYZ`, which is not a state of the scenario",
    );
    assert_eq!(e.to_string().matches("XYZ.growth").count(), 1, "{e}");
}
