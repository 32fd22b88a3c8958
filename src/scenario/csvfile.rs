//! Reading one scenario CSV file into raw serde rows, with its line numbers.
//!
//! Raw rows hold every cell as an optional string; `load.rs` turns them into typed
//! values and reports each bad cell. Here we check only what concerns the file as a
//! whole: that it exists and is not empty, that every column is known and every
//! required column present, that no quote is left open, that no cell holds a
//! control character, and that each record deserializes.
//!
//! Line endings are normalized first (CRLF and a lone CR both end a line), lines of
//! only spaces and tabs read as blank, and a missing final newline is supplied, so
//! every line number counts the lines as an editor shows them.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::error::InputError;

/// A raw row and the 1-based line it came from.
pub(crate) struct Line<T> {
    pub line: u64,
    pub row: T,
}

/// Reads `dir/name`. Returns `None` (after recording why) when nothing can be read.
/// A missing optional file reads as no rows.
pub(crate) fn read_rows<T: DeserializeOwned>(
    dir: &Path,
    name: &str,
    known: &[&str],
    required: &[&str],
    optional_file: bool,
    errors: &mut Vec<InputError>,
) -> Option<Vec<Line<T>>> {
    let path = dir.join(name);
    let label = path.display().to_string();
    let bytes = match std::fs::read(&path) {
        Ok(b) => normalized(&b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && optional_file => {
            return Some(Vec::new())
        }
        Err(e) => {
            errors.push(InputError::file(&label, format!("cannot be read: {e}")));
            return None;
        }
    };
    if let Some(line) = unterminated_quote(&bytes) {
        errors.push(InputError::line(
            &label,
            line,
            "has a quote `\"` that is never closed (the rest of the file would be one cell)",
        ));
        return None;
    }
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(bytes.as_slice());
    let headers = match reader.headers() {
        Ok(h) if !(h.is_empty() || h.len() == 1 && h[0].is_empty()) => h.clone(),
        Ok(_) => {
            errors.push(InputError::file(
                &label,
                "is empty (a header row is required)",
            ));
            return None;
        }
        Err(e) => {
            errors.push(InputError::file(
                &label,
                format!("has an unreadable header: {e}"),
            ));
            return None;
        }
    };
    let mut lines = LineCounter::new(&bytes);
    let header_line = lines.content_line(0);
    let mut ok = true;
    let unknown: Vec<&str> = headers.iter().filter(|h| !known.contains(h)).collect();
    if !unknown.is_empty() {
        errors.push(InputError::line(
            &label,
            header_line,
            format!(
                "unknown column{} {} (expected some of: {})",
                if unknown.len() == 1 { "" } else { "s" },
                quoted(&unknown),
                known.join(", ")
            ),
        ));
        ok = false;
    }
    let mut seen = Vec::new();
    for h in headers.iter() {
        if seen.contains(&h) {
            errors.push(InputError::line(
                &label,
                header_line,
                format!("column `{h}` appears twice"),
            ));
            ok = false;
        }
        seen.push(h);
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !headers.iter().any(|h| h == *r))
        .collect();
    if !missing.is_empty() {
        errors.push(InputError::line(
            &label,
            header_line,
            format!(
                "missing required column{} {}",
                if missing.len() == 1 { "" } else { "s" },
                quoted(&missing)
            ),
        ));
        ok = false;
    }
    if !ok {
        return None;
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record
                    .position()
                    .map_or(0, |p| lines.content_line(p.byte()));
                if record.iter().all(str::is_empty) {
                    continue; // a blank line
                }
                let control = record
                    .iter()
                    .zip(headers.iter())
                    .find(|(v, _)| v.chars().any(char::is_control));
                // Reported, and the row still read: its id stays declared.
                if let Some((value, column)) = control {
                    errors.push(InputError::cell(
                        &label,
                        line,
                        column,
                        &value.escape_debug().to_string(),
                        "contains a control character (tabs, NUL and the like are not allowed in a cell)",
                    ));
                }
                match record.deserialize::<T>(Some(&headers)) {
                    Ok(row) => rows.push(Line { line, row }),
                    Err(e) => errors.push(InputError::line(
                        &label,
                        line,
                        format!("cannot be read: {e}"),
                    )),
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.content_line(p.byte()));
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("has {len} fields where the header has {expected_len}")
                    }
                    _ => format!("cannot be read: {e}"),
                };
                errors.push(InputError::line(&label, line, message));
                // The reader recovers after a bad record; keep going to report all.
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }
    Some(rows)
}

/// The file with every line ending made `\n` (CRLF and a lone CR alike), lines of
/// only spaces and tabs emptied (the csv reader skips empty lines) and a final `\n`
/// added when missing (the reader would take a last `#` line without one for data).
fn normalized(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 1);
    let mut line_start = 0;
    let mut k = 0;
    let end_line = |out: &mut Vec<u8>, start: usize| {
        if out[start..].iter().all(|&b| b == b' ' || b == b'\t') {
            out.truncate(start);
        }
        out.push(b'\n');
        out.len()
    };
    while k < bytes.len() {
        match bytes[k] {
            b'\r' => {
                line_start = end_line(&mut out, line_start);
                if bytes.get(k + 1) == Some(&b'\n') {
                    k += 1;
                }
            }
            b'\n' => line_start = end_line(&mut out, line_start),
            b => out.push(b),
        }
        k += 1;
    }
    if line_start < out.len() {
        end_line(&mut out, line_start);
    }
    out
}

/// The line of a quote that opens a quoted cell and is never closed, if any (the
/// csv reader would read the rest of the file into that cell and report whatever
/// follows from it, often many lines later). A quote opens a cell only at its start;
/// inside one, `""` is a quote character.
fn unterminated_quote(bytes: &[u8]) -> Option<u64> {
    let (mut line, mut opened) = (1u64, None);
    let mut cell_start = true;
    let mut line_start = true;
    let mut k = 0;
    while k < bytes.len() {
        let b = bytes[k];
        match opened {
            Some(_) if b == b'"' => {
                if bytes.get(k + 1) == Some(&b'"') {
                    k += 1;
                } else {
                    opened = None;
                }
            }
            Some(_) => {}
            None if line_start && b == b'#' => {
                // a comment: skip to its end
                while k < bytes.len() && bytes[k] != b'\n' {
                    k += 1;
                }
                continue;
            }
            None if cell_start && b == b'"' => opened = Some(line),
            None => {}
        }
        if b == b'\n' {
            line += 1;
        }
        line_start = b == b'\n' && opened.is_none();
        cell_start = opened.is_none() && (b == b',' || b == b'\n');
        k += 1;
    }
    opened
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The 1-based line of the first line at or after a byte position that is neither
/// blank nor a `#` comment: where the csv reader's record really starts (its own
/// position is where it began skipping comments and blank lines). Positions are
/// asked in increasing order, so each newline is counted once (O(file size) for the
/// whole file instead of O(size) per record).
pub(crate) struct LineCounter<'b> {
    bytes: &'b [u8],
    /// Newlines in `bytes[..at]` are `line - 1`.
    at: usize,
    line: u64,
}

impl<'b> LineCounter<'b> {
    pub(crate) fn new(bytes: &'b [u8]) -> Self {
        LineCounter {
            bytes,
            at: 0,
            line: 1,
        }
    }

    pub(crate) fn content_line(&mut self, at: u64) -> u64 {
        let bytes = self.bytes;
        let at = (at as usize).min(bytes.len());
        if at < self.at {
            self.at = 0;
            self.line = 1;
        }
        self.line += bytes[self.at..at].iter().filter(|&&b| b == b'\n').count() as u64;
        self.at = at;
        skip_to_content(bytes, at, self.line)
    }
}

fn skip_to_content(bytes: &[u8], mut at: usize, mut line: u64) -> u64 {
    loop {
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |k| at + k);
        let text = &bytes[at..end];
        let skip = text.iter().all(|b| b.is_ascii_whitespace()) || text.first() == Some(&b'#');
        if !skip || end >= bytes.len() {
            return line;
        }
        at = end + 1;
        line += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::{normalized, unterminated_quote, LineCounter};

    fn content_line(bytes: &[u8], at: u64) -> u64 {
        LineCounter::new(bytes).content_line(at)
    }

    #[test]
    fn line_endings_blank_lines_and_a_last_line_are_normalized() {
        assert_eq!(normalized(b"a,b\r1,2\r\n3,4"), b"a,b\n1,2\n3,4\n");
        assert_eq!(normalized(b"a\n  \t\n# c"), b"a\n\n# c\n");
        assert_eq!(normalized(b""), b"");
    }

    #[test]
    fn an_open_quote_is_found_on_its_line() {
        assert_eq!(unterminated_quote(b"a,b\n\"x,1\n2,3\n"), Some(2));
        assert_eq!(unterminated_quote(b"a,b\n1,\"x\n"), Some(2));
        assert_eq!(unterminated_quote(b"a,b\n\"x\"\"y\",1\n"), None);
        assert_eq!(unterminated_quote(b"a,b\n\"multi\nline\",1\n"), None);
        // a quote inside an unquoted cell or a comment opens nothing
        assert_eq!(unterminated_quote(b"a,b\nx\"y,1\n# it's \"\n"), None);
    }

    #[test]
    fn lines_skip_comments_and_blanks() {
        let text = b"# a comment\n\nid,power\n# another\nUSA,1\n";
        assert_eq!(content_line(text, 0), 3);
        assert_eq!(content_line(text, 21), 5);
        assert_eq!(content_line(b"id\n", 0), 1);
    }
}
