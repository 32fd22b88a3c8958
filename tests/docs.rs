//! The documentation stays true to the code: the parameter tables of the README and
//! of `docs/model.md` are exactly what `entente params` prints from the code.

mod common;

use common::{crate_path, entente, stdout};

/// The lines of `text` from the `| key | default |` header through the table's last row.
fn parameter_table(text: &str) -> Vec<&str> {
    let mut lines = text
        .lines()
        .skip_while(|l| !l.starts_with("| key | default |"));
    let mut table: Vec<&str> = Vec::new();
    for line in lines.by_ref() {
        if !line.starts_with('|') {
            break;
        }
        table.push(line);
    }
    table
}

fn assert_table_is_current(doc: &str) {
    let printed = entente(&["params"]);
    assert!(printed.status.success());
    let printed = stdout(&printed);
    let expected = parameter_table(&printed);
    assert!(expected.len() > 30, "`entente params` printed no table");
    let text = std::fs::read_to_string(crate_path(doc)).unwrap();
    let found = parameter_table(&text);
    for (row, want) in expected.iter().enumerate() {
        assert_eq!(
            found.get(row),
            Some(want),
            "{doc}: parameter table row {row} differs from `entente params`"
        );
    }
    assert_eq!(found.len(), expected.len(), "{doc}: extra parameter rows");
}

#[test]
fn readme_parameter_table_is_the_code() {
    assert_table_is_current("README.md");
}

#[test]
fn model_doc_parameter_table_is_the_code() {
    assert_table_is_current("docs/model.md");
}
