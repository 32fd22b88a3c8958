//! Reading one scenario CSV file into raw serde rows, with its line numbers.
//!
//! Raw rows hold every cell as an optional string; `load.rs` turns them into typed
//! values and reports each bad cell. Here we check only what concerns the file as a
//! whole: that it exists and is not empty, that every column is known and every
//! required column present, and that each record deserializes.

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
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && optional_file => {
            return Some(Vec::new())
        }
        Err(e) => {
            errors.push(InputError::file(&label, format!("cannot be read: {e}")));
            return None;
        }
    };
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
    use super::LineCounter;

    fn content_line(bytes: &[u8], at: u64) -> u64 {
        LineCounter::new(bytes).content_line(at)
    }

    #[test]
    fn lines_skip_comments_and_blanks() {
        let text = b"# a comment\n\nid,power\n# another\nUSA,1\n";
        assert_eq!(content_line(text, 0), 3);
        assert_eq!(content_line(text, 21), 5);
        assert_eq!(content_line(b"id\n", 0), 1);
    }
}
