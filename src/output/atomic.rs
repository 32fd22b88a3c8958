//! Atomic outputs: a folder or file is written under a temporary name beside its
//! destination and renamed into place when complete.

use std::io;
use std::path::{Path, PathBuf};

/// A folder being written; it appears at its destination on [`AtomicDir::commit`]
/// and is removed if dropped before.
#[derive(Debug)]
pub struct AtomicDir {
    dest: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

fn sibling(dest: &Path, tag: &str) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    dest.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

impl AtomicDir {
    /// Starts writing the folder `dest` (its parents are created).
    ///
    /// An existing `dest` is replaced on commit only if it is an empty folder or
    /// holds `signature`, the file every output of this kind has (`summary.csv`
    /// for a run): anything else — a file, the user's own folder, a scenario —
    /// is refused before any work, so that `--out` never deletes what entente did
    /// not write.
    pub fn create(dest: impl AsRef<Path>, signature: &str) -> io::Result<Self> {
        let dest = dest.as_ref().to_path_buf();
        check_replaceable(&dest, signature)?;
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = sibling(&dest, "tmp");
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir(&tmp)?;
        Ok(AtomicDir {
            dest,
            tmp,
            committed: false,
        })
    }

    /// Where to write the files now.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// The final destination.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Moves the finished folder into place, replacing an older one.
    pub fn commit(mut self) -> io::Result<PathBuf> {
        let old = sibling(&self.dest, "old");
        let replaced = self.dest.exists();
        if replaced {
            std::fs::rename(&self.dest, &old)?;
        }
        std::fs::rename(&self.tmp, &self.dest)?;
        self.committed = true;
        if replaced {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(self.dest.clone())
    }
}

impl Drop for AtomicDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Whether an output folder may replace `dest` (see [`AtomicDir::create`]).
fn check_replaceable(dest: &Path, signature: &str) -> io::Result<()> {
    let refuse = |what: &str| {
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} {what}; choose another output folder or remove it",
                dest.display()
            ),
        ))
    };
    match std::fs::symlink_metadata(dest) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(meta) if !meta.is_dir() => refuse("exists and is not a folder"),
        Ok(_) if dest.join(signature).is_file() => Ok(()),
        Ok(_) if std::fs::read_dir(dest)?.next().is_none() => Ok(()),
        Ok(_) => refuse(&format!(
            "is a folder that entente did not write (it has no {signature})"
        )),
    }
}

/// Writes a file under a temporary name and renames it into place.
pub fn write_file_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> io::Result<()> {
    let path = path.as_ref();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = sibling(path, "tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_until_commit_and_a_drop_cleans_up() {
        let root = tempfile::tempdir().unwrap();
        let dest = root.path().join("a/run");
        let dir = AtomicDir::create(&dest, "x.csv").unwrap();
        std::fs::write(dir.path().join("x.csv"), "1").unwrap();
        assert!(!dest.exists());
        dir.commit().unwrap();
        assert_eq!(std::fs::read_to_string(dest.join("x.csv")).unwrap(), "1");
        let dir = AtomicDir::create(&dest, "x.csv").unwrap();
        let tmp = dir.path().to_path_buf();
        drop(dir);
        assert!(!tmp.exists());
        assert!(
            dest.join("x.csv").exists(),
            "an abandoned write leaves the old output"
        );
        let again = AtomicDir::create(&dest, "x.csv").unwrap();
        std::fs::write(again.path().join("y.csv"), "2").unwrap();
        again.commit().unwrap();
        assert!(!dest.join("x.csv").exists() && dest.join("y.csv").exists());
    }

    #[test]
    fn refuses_to_replace_what_it_did_not_write() {
        let root = tempfile::tempdir().unwrap();
        let mine = root.path().join("mine");
        std::fs::create_dir(&mine).unwrap();
        std::fs::write(mine.join("notes.txt"), "keep").unwrap();
        let e = AtomicDir::create(&mine, "summary.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{} is a folder that entente did not write (it has no summary.csv); \
                 choose another output folder or remove it",
                mine.display()
            )
        );
        let file = root.path().join("file");
        std::fs::write(&file, "precious").unwrap();
        let e = AtomicDir::create(&file, "summary.csv").unwrap_err();
        assert!(e.to_string().contains("exists and is not a folder"), "{e}");
        // nothing was touched or left beside them
        assert_eq!(
            std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
            "keep"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 2);
        // an empty folder is fine
        let empty = root.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        AtomicDir::create(&empty, "summary.csv")
            .unwrap()
            .commit()
            .unwrap();
    }
}
