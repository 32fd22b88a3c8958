//! Input errors that name the file, line, column and value, and the collection of
//! all of them that loading a scenario returns.

use std::fmt;

/// One problem in one place of one input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The file, as the user named it (e.g. `scenarios/triangle/states.csv`).
    pub file: String,
    /// 1-based line number, when the problem is on a line.
    pub line: Option<u64>,
    /// The column, when the problem is in a cell.
    pub column: Option<String>,
    /// The offending value, when there is one.
    pub value: Option<String>,
    /// What is wrong, as a phrase that follows the value: "is outside [0, 1]".
    pub message: String,
}

impl InputError {
    /// A problem with the whole file `file` (missing, unreadable, a missing column).
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_string(),
            line: None,
            column: None,
            value: None,
            message: message.into(),
        }
    }

    /// A problem on line `line` (1-based) of `file`.
    pub fn line(file: &str, line: u64, message: impl Into<String>) -> Self {
        InputError {
            line: Some(line),
            ..InputError::file(file, message)
        }
    }

    /// A problem with the value `value` of column `column` on line `line` of `file`.
    pub fn cell(
        file: &str,
        line: u64,
        column: &str,
        value: &str,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            line: Some(line),
            column: Some(column.to_string()),
            value: Some(value.to_string()),
            ..InputError::file(file, message)
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ":")?;
        if let Some(column) = &self.column {
            write!(f, " column `{column}`:")?;
        }
        if let Some(value) = &self.value {
            write!(f, " value `{value}`")?;
        }
        write!(f, " {}", self.message)
    }
}

/// Every problem found while loading a scenario (never just the first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The problems, in the order found.
    pub errors: Vec<InputError>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.errors {
            writeln!(f, "{e}")?;
        }
        let n = self.errors.len();
        write!(
            f,
            "{n} error{} in the scenario",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for ScenarioError {}
