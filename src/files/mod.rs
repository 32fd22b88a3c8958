//! Files and folders written safely: the lowest floor of the output side.
//!
//! Every command writes through this module, and it imports nothing else of the
//! crate, so that `experiment/` (checkpoints, `aggregates.bin`) and `output/` (the
//! CSV files, plots, report) can both use it without an import running back up a
//! floor. It holds three things:
//!
//! - [`write_file_atomic`]: one file written under a unique temporary name beside
//!   its destination (tempfile), flushed to disk and renamed into place; on any
//!   error the temporary is removed and the error names the folder and the OS error;
//! - [`Output`] and [`OutDir`]: **one output-folder mechanism** for every command.
//!   A folder entente writes carries a marker, [`MARKER`], naming the command, its
//!   id and every file it wrote, written last; entente replaces a folder only if it
//!   holds the marker, and only when every file in it is one the marker lists; it
//!   refuses, naming a file, a non-empty folder without the marker; it refuses an
//!   output folder that is, contains or lies inside one of the command's inputs;
//!   replacing the output of another command or id needs `force`;
//!   [`read_marker`] is how readers (report, export, merge, `--resume`) tell a
//!   finished output from anything else;
//! - [`cleanup`]: the temporaries of the running process are removed on SIGINT or
//!   SIGTERM, and those of dead processes when a command starts again.
//!
//! What is flushed to disk (fsync): every file written on its own — a checkpoint,
//! a report, an export, a marker updated by them — before it replaces the old one,
//! so that a power loss leaves the old file or the new, whole. The files of an
//! output folder are not flushed one by one: a run writes a dozen, and each flush
//! costs about 6 ms on this project's VM disk, several times the run itself. The
//! folder is renamed into place only once every file in it is closed and its
//! marker written, so a killed or failing command leaves the old folder or the
//! new one, never a mix; only a power loss in the seconds after a commit, before
//! the system writes its cache out, could leave a marked folder with short files.

pub mod atomic;
pub mod cleanup;
pub mod folder;

pub use atomic::{write_file_atomic, write_path_atomic};
pub use folder::{
    add_file, check_name, read_marker, require_marker, Marker, OutDir, Output, OutputError, MARKER,
};

/// The mode of the files entente writes: 0666 less the user's umask (0644 under
/// the usual 022), as a plain `open` would give — not the 0600 of a temporary
/// file, which would keep the outputs from collaborators on a shared cluster.
pub(crate) fn file_mode() -> std::fs::Permissions {
    mode(0o666)
}

/// The mode of the folders entente writes: 0777 less the umask (0755 under 022).
pub(crate) fn folder_mode() -> std::fs::Permissions {
    mode(0o777)
}

#[cfg(unix)]
fn mode(bits: u32) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    // The mode is given to open(2)/mkdir(2), which apply the umask.
    std::fs::Permissions::from_mode(bits)
}

#[cfg(not(unix))]
fn mode(_bits: u32) -> std::fs::Permissions {
    std::fs::metadata(".")
        .map(|m| m.permissions())
        .unwrap_or_else(|_| unreachable!())
}
