//! CSV tables of an output folder: small ones read whole ([`CsvTable`]), large
//! ones streamed row by row ([`stream`]); `#` lines are comments. Cells are
//! parsed by [`number`] (empty is NaN) and [`whole`], whose errors name the
//! file, the line, the column and the text.

use std::io;
use std::path::{Path, PathBuf};

/// Why an output folder could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A file cannot be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// A row of a CSV file is malformed, or a cell is not what its column holds.
    #[error("{}:{line}: {message}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The row's line number, from 1 (0 when unknown).
        line: u64,
        /// What is wrong (for a bad cell: the column and the text).
        message: String,
    },
    /// A CSV file lacks a column the reader needs.
    #[error("{}: no column `{column}` (columns: {columns})", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column needed.
        column: String,
        /// The columns it has, comma-separated.
        columns: String,
    },
    /// A file holds something other than it should (no rows, bad JSON, …).
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A folder holds none of the sets of files that mark an output folder.
    #[error("{} is not an entente output folder: expected {expected}", path.display())]
    NotAnOutput {
        /// The folder.
        path: PathBuf,
        /// The marking files of each kind of folder, spelled for the message.
        expected: String,
    },
}

/// The result of reading an output folder.
pub type Result<T> = std::result::Result<T, ReadError>;

impl ReadError {
    /// Turns an I/O error on `path` into a [`ReadError::Io`] that names it (for
    /// `map_err`).
    pub fn io(path: &Path) -> impl FnOnce(io::Error) -> ReadError + '_ {
        move |source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A [`ReadError::Invalid`]: `path` holds something other than it should; `message`
    /// says what.
    pub fn invalid(path: &Path, message: impl Into<String>) -> ReadError {
        ReadError::Invalid {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    fn csv(path: &Path, e: csv::Error) -> ReadError {
        let line = e.position().map_or(0, |p| p.line());
        let message = e.to_string();
        match e.into_kind() {
            csv::ErrorKind::Io(source) => ReadError::Io {
                path: path.to_path_buf(),
                source,
            },
            _ => ReadError::Malformed {
                path: path.to_path_buf(),
                line,
                message,
            },
        }
    }
}

fn reader(path: &Path) -> Result<csv::Reader<std::fs::File>> {
    csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_path(path)
        .map_err(|e| ReadError::csv(path, e))
}

fn missing(path: &Path, column: &str, headers: &[&str]) -> ReadError {
    ReadError::MissingColumn {
        path: path.to_path_buf(),
        column: column.to_string(),
        columns: headers.join(", "),
    }
}

/// A small CSV file read whole: its header and rows.
#[derive(Clone, Debug)]
pub struct CsvTable {
    /// The file read.
    pub path: PathBuf,
    /// The column names of its header, trimmed.
    pub headers: Vec<String>,
    /// Its rows, each a list of cells as written (a short row has fewer cells).
    pub rows: Vec<Vec<String>>,
}

impl CsvTable {
    /// Reads `path`; an error names the file (and the line, for a bad row).
    pub fn read(path: &Path) -> Result<CsvTable> {
        let mut rdr = reader(path)?;
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| ReadError::csv(path, e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| ReadError::csv(path, e))?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        Ok(CsvTable {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// The index of column `name`, or an error naming the file and the column.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.find(name).ok_or_else(|| {
            let headers: Vec<&str> = self.headers.iter().map(String::as_str).collect();
            missing(&self.path, name, &headers)
        })
    }

    /// The index of column `name` if present.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Cell `col` of `row` ("" when the row is short).
    pub fn cell<'a>(&'a self, row: &'a [String], col: usize) -> &'a str {
        row.get(col).map(String::as_str).unwrap_or("")
    }
}

/// Streams the rows of a CSV file, handing `f` the cells of the `columns` asked
/// for (trimmed; an error if a column is missing) and the row's line number.
pub fn stream<E: From<ReadError>>(
    path: &Path,
    columns: &[&str],
    mut f: impl FnMut(&[&str], u64) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let mut rdr = reader(path)?;
    let headers = rdr.headers().map_err(|e| ReadError::csv(path, e))?.clone();
    let idx: Vec<usize> = columns
        .iter()
        .map(|c| {
            headers.iter().position(|h| h.trim() == *c).ok_or_else(|| {
                let names: Vec<&str> = headers.iter().collect();
                missing(path, c, &names)
            })
        })
        .collect::<Result<_>>()?;
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(ReadError::csv(path, e).into()),
        }
        let line = rec.position().map_or(0, |p| p.line());
        let cells: Vec<&str> = idx
            .iter()
            .map(|&i| rec.get(i).unwrap_or("").trim())
            .collect();
        f(&cells, line)?;
    }
    Ok(())
}

/// Parses a number cell; empty is NaN; anything else non-numeric is an error.
pub fn number(path: &Path, line: u64, column: &str, text: &str) -> Result<f64> {
    if text.is_empty() {
        return Ok(f64::NAN);
    }
    text.trim()
        .parse::<f64>()
        .map_err(|_| ReadError::Malformed {
            path: path.to_path_buf(),
            line,
            message: format!("column `{column}`: `{text}` is not a number"),
        })
}

/// Parses a whole number cell (a step).
pub fn whole(path: &Path, line: u64, column: &str, text: &str) -> Result<u64> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| ReadError::Malformed {
            path: path.to_path_buf(),
            line,
            message: format!("column `{column}`: `{text}` is not a whole number"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_cells_are_named_by_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "# a comment\nstep,x\n0,1.5\n1,abc\n").unwrap();
        let mut seen = Vec::new();
        let err = stream::<ReadError>(&path, &["x", "step"], |c, line| {
            seen.push(number(&path, line, "x", c[0])?);
            whole(&path, line, "step", c[1])?;
            Ok(())
        })
        .unwrap_err()
        .to_string();
        assert_eq!(seen, [1.5]);
        assert!(
            err.ends_with("t.csv:4: column `x`: `abc` is not a number"),
            "{err}"
        );
        let err = stream::<ReadError>(&path, &["y"], |_, _| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("no column `y` (columns: step, x)"), "{err}");
        assert!(number(&path, 1, "x", "").unwrap().is_nan());
        let t = CsvTable::read(&path).unwrap();
        assert_eq!((t.col("x").unwrap(), t.rows.len()), (1, 2));
    }
}
