//! Temporaries removed after an interruption.
//!
//! Every temporary file or folder entente writes is registered here while it
//! exists. [`remove_temporaries_on_signals`] (called once by the command line)
//! starts a thread that, on SIGINT or SIGTERM, removes them all and exits with
//! 128 + the signal; what `--resume` needs (a sweep's `.progress/checkpoint.bin`)
//! is not a temporary and stays. A process killed outright (SIGKILL, power loss)
//! cannot clean up: its temporaries carry its pid in their name
//! (`.NAME.tmp-PID-…`), and [`remove_stale`] removes those of dead processes when
//! a command writes to the same place again.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The temporaries of this process that exist now.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A registered temporary; dropping it unregisters it (the caller removes or
/// renames the path itself).
#[derive(Debug)]
pub struct Registered(PathBuf);

/// Creates a temporary with `make` and registers it (at `path_of` it) in one
/// step: the signal thread holds the same lock, so an interrupt cannot fall
/// between the creation and the registration and leave the temporary behind.
pub fn create_registered<T>(
    make: impl FnOnce() -> std::io::Result<T>,
    path_of: impl FnOnce(&T) -> &Path,
) -> std::io::Result<(T, Registered)> {
    let mut list = live();
    let made = make()?;
    let path = path_of(&made).to_path_buf();
    list.push(path.clone());
    Ok((made, Registered(path)))
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut list = live();
        if let Some(k) = list.iter().rposition(|p| *p == self.0) {
            list.swap_remove(k);
        }
    }
}

/// Whether `path` lies inside a temporary folder of this process (an output
/// folder being written).
pub(crate) fn in_live_folder(path: &Path) -> bool {
    live().iter().any(|p| path.starts_with(p) && path != p)
}

/// Holds off the signal cleanup while a folder is swapped into place (the
/// cleanup waits for the guard to drop), so that a signal never leaves the
/// destination missing half-way through a replacement.
pub(crate) fn critical() -> MutexGuard<'static, Vec<PathBuf>> {
    live()
}

fn remove(path: &Path) {
    let _ = match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(_) => Ok(()),
    };
}

/// Starts the thread that removes this process's temporaries on SIGINT or SIGTERM
/// and then exits with status 128 + the signal (130, 143). (Elsewhere than Unix,
/// nothing: the stale temporaries are removed at the next start instead.)
#[cfg(not(unix))]
pub fn remove_temporaries_on_signals() -> std::io::Result<()> {
    Ok(())
}

/// Starts the thread that removes this process's temporaries on SIGINT or SIGTERM
/// and then exits with status 128 + the signal (130, 143).
#[cfg(unix)]
pub fn remove_temporaries_on_signals() -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::Builder::new()
        .name("entente-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until exit: no new temporary starts and no swap is half-done.
                let list = live();
                for path in list.iter() {
                    remove(path);
                }
                let name = if signal == SIGINT {
                    "SIGINT"
                } else {
                    "SIGTERM"
                };
                eprintln!(
                    "entente: stopped by {name}; its temporary files are removed (a sweep \
                     keeps its checkpoint: --resume continues it)"
                );
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// Whether process `pid` is running. Only Linux's `/proc` tells without a system
/// call; elsewhere every process counts as alive, so nothing is removed wrongly.
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// The pid in a temporary's name `.NAME.KIND-PID-…` when `NAME` is `base` (any
/// name when `base` is `None`) and KIND is `tmp` or `old`.
fn temporary_pid(name: &str, base: Option<&str>) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (head, tail) = ["tmp", "old"].iter().find_map(|kind| {
        let at = rest.rfind(&format!(".{kind}-"))?;
        Some((&rest[..at], &rest[at + kind.len() + 2..]))
    })?;
    if base.is_some_and(|b| b != head) {
        return None;
    }
    let (pid, _) = tail.split_once('-')?;
    pid.parse().ok()
}

/// Whether `name` is the name of an entente temporary (of any process).
pub(crate) fn is_temporary(name: &str) -> bool {
    temporary_pid(name, None).is_some()
}

/// Removes the temporaries in `dir` left by processes that are no longer running:
/// those beside the output `base` (its name) when given, else all of them.
/// Returns what it removed.
pub fn remove_stale(dir: &Path, base: Option<&str>) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = temporary_pid(&name.to_string_lossy(), base) else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) {
            remove(&entry.path());
            removed.push(entry.path());
        }
    }
    removed.sort();
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporaries_are_told_by_name_and_pid() {
        assert_eq!(
            temporary_pid(".run-1.tmp-123-abc", Some("run-1")),
            Some(123)
        );
        assert_eq!(temporary_pid(".runs.csv.tmp-9-x1", None), Some(9));
        assert_eq!(temporary_pid(".a.b.old-77-0", Some("a.b")), Some(77));
        assert_eq!(temporary_pid(".run-1.tmp-123-abc", Some("run-2")), None);
        assert_eq!(temporary_pid("run.tmp-1-a", None), None);
        assert_eq!(temporary_pid(".notes.tmp", None), None);
        assert_eq!(temporary_pid(".x.tmp-abc-1", None), None);
    }

    #[test]
    fn only_the_temporaries_of_dead_processes_are_removed() {
        if !Path::new("/proc/self").exists() {
            return; // liveness is known on Linux only; elsewhere nothing is removed
        }
        let root = tempfile::tempdir().unwrap();
        // No process has pid 4 000 000 000 (above Linux's pid_max).
        let dead = root.path().join(".out.tmp-4000000000-abc");
        let mine = root
            .path()
            .join(format!(".out.tmp-{}-abc", std::process::id()));
        let other = root.path().join(".other.old-4000000000-abc");
        let user = root.path().join("out.tmp-4000000000-abc");
        std::fs::create_dir(&dead).unwrap();
        std::fs::write(dead.join("alignments.csv"), "x").unwrap();
        for f in [&mine, &other, &user] {
            std::fs::write(f, "x").unwrap();
        }
        assert_eq!(remove_stale(root.path(), Some("out")), vec![dead.clone()]);
        assert!(!dead.exists() && mine.exists() && other.exists());
        assert_eq!(remove_stale(root.path(), None), vec![other.clone()]);
        assert!(mine.exists() && user.exists());
    }
}
