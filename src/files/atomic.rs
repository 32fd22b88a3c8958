//! One file written atomically: under a unique temporary name in its destination's
//! folder (so the rename never crosses file systems), flushed to disk (unless it is
//! part of an output folder being written, see [`super`]), then renamed into place. tempfile makes the name unique and removes the temporary when the
//! write fails; the name starts with `.NAME.tmp-PID-` so that a later start can
//! tell a dead process's leftover from a live one's ([`super::cleanup`]).
//!
//! An error names the file and keeps the OS error as its source; the command that
//! called names the output folder (`writing the sweep into OUT: writing runs.csv:
//! File too large (os error 27)`), once.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::cleanup;

/// The file name of `path` (`out` when it has none, e.g. `/`).
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into())
}

/// The folder `path` is in (`.` for a bare name).
pub(crate) fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The prefix of a temporary of this process beside `dest`, of kind `kind`
/// (`tmp` while being written, `old` while being replaced).
pub(crate) fn temp_prefix(dest: &Path, kind: &str) -> String {
    format!(".{}.{kind}-{}-", file_name(dest), std::process::id())
}

/// Writing a file failed: the error names it, and keeps the OS error as its source.
#[derive(Debug, thiserror::Error)]
#[error("writing {file}")]
pub struct WriteError {
    /// The file being written, as the error names it.
    pub file: String,
    /// The OS error.
    #[source]
    pub source: io::Error,
}

/// An [`io::Error`] of the same kind that names `file` (the OS error stays its source).
fn in_file(file: &Path, source: io::Error) -> io::Error {
    io::Error::new(
        source.kind(),
        WriteError {
            file: file_name(file),
            source,
        },
    )
}

/// Writes `bytes` to `path` atomically: either the whole new file is there, or the
/// old one (or none) and no temporary. Creates the parent folders.
pub fn write_file_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> io::Result<()> {
    let path = path.as_ref();
    let dir = parent_of(path);
    let fail = |e| in_file(path, e);
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let (mut tmp, _live) = cleanup::create_registered(
        || {
            tempfile::Builder::new()
                .permissions(super::file_mode())
                .prefix(&temp_prefix(path, "tmp"))
                .tempfile_in(&dir)
        },
        |t| t.path(),
    )
    .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    if !cleanup::in_live_folder(path) {
        tmp.as_file().sync_all().map_err(fail)?;
    }
    // On failure the PersistError holds the temporary, which its drop removes.
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// [`write_file_atomic`] for writers that take a path rather than bytes (the PNG
/// encoder): `write` creates the file at the temporary path it is given; its
/// errors are returned as they are, and the I/O errors around it through `io`.
pub fn write_path_atomic<E>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
    io: impl FnOnce(io::Error) -> E,
) -> Result<(), E> {
    let dir = parent_of(path);
    // The same extension: encoders tell the format by it.
    let suffix = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let made = std::fs::create_dir_all(&dir).and_then(|()| {
        cleanup::create_registered(
            || {
                tempfile::Builder::new()
                    .permissions(super::file_mode())
                    .prefix(&temp_prefix(path, "tmp"))
                    .suffix(&suffix)
                    .tempfile_in(&dir)
                    .map(|file| file.into_temp_path())
            },
            |t| t,
        )
    });
    // Removed on drop, on every early return below.
    let (tmp, _live) = match made {
        Ok(made) => made,
        Err(e) => return Err(io(in_file(path, e))),
    };
    write(&tmp)?;
    let flushed = if cleanup::in_live_folder(path) {
        Ok(())
    } else {
        std::fs::File::open(&tmp).and_then(|f| f.sync_all())
    };
    let persisted = flushed.and_then(|()| tmp.persist(path).map_err(|e| e.error));
    persisted.map_err(|e| io(in_file(path, e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_stays() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("a/b.csv");
        write_file_atomic(&path, b"one").unwrap();
        write_file_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(root.path().join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["b.csv"]);
    }

    #[test]
    fn a_failed_write_names_the_file_and_the_os_error() {
        let root = tempfile::tempdir().unwrap();
        // A file where the folder should be: the OS refuses to create inside it.
        std::fs::write(root.path().join("f"), "x").unwrap();
        let e = write_file_atomic(root.path().join("f/g/h.csv"), b"x").unwrap_err();
        let chain = format!("{}: {}", e, std::error::Error::source(&e).unwrap());
        assert_eq!(chain, "writing h.csv: Not a directory (os error 20)");
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
