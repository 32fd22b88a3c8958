//! The output folders of every command, and the marker that tells entente's
//! folders from everything else (see the [module doc](super)).
//!
//! A command describes its output with an [`Output`] (command, id, inputs,
//! `--force`), checks the destination before any work ([`Output::check`]), writes
//! into a temporary folder beside it ([`Output::begin`] → [`OutDir::path`]) and
//! commits: the marker, listing every file written, goes in last, then the folder
//! is renamed into place, replacing the old one. Commands that add one file to an
//! existing output (`report`, `export`) use [`add_file`], which records it in the
//! marker.

use std::io;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic::{file_name, parent_of, temp_prefix};
use super::{cleanup, write_file_atomic};

/// The marker file of a folder entente wrote.
pub const MARKER: &str = "entente.json";

/// What a folder's marker says: which command wrote it, the id of what it holds,
/// and every file in it that entente wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// `run`, `sweep`, `compare`, `claims`, `merge`, `landscape`, …
    pub command: String,
    /// The run, sweep or experiment the folder holds (e.g. the sweep id).
    pub id: String,
    /// Every file the command wrote, relative (`/`-separated), sorted.
    pub files: Vec<String>,
    /// Files added later by `report` or `export` (which may replace them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<String>,
}

impl Marker {
    fn lists(&self, rel: &str) -> bool {
        rel == MARKER || self.files.iter().chain(&self.added).any(|f| f == rel)
    }
}

/// Why an output cannot be written or read.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The destination exists and is a file (or another non-folder).
    #[error("{} exists and is not a folder; choose another --out", path.display())]
    NotAFolder {
        /// The destination.
        path: PathBuf,
    },
    /// The destination is a folder that has no marker and holds files.
    #[error("{} is a folder entente did not write (it holds {file} and no {MARKER}); choose another --out, or empty it", path.display())]
    Foreign {
        /// The destination.
        path: PathBuf,
        /// The first file found in it, relative to it.
        file: String,
    },
    /// The destination is an entente output that holds a file its marker does not list.
    #[error("{} holds {file}, which entente did not write; move it away or choose another --out", path.display())]
    ForeignFile {
        /// The destination.
        path: PathBuf,
        /// The unlisted file, relative to the destination.
        file: String,
    },
    /// `report` or `export` asked to write into an output folder other than the
    /// one it reads, or into a subfolder of one.
    #[error("{}: {} is an output entente wrote; write into the folder being read, or into a folder of your own", path.display(), folder.display())]
    IntoOtherOutput {
        /// The file asked for.
        path: PathBuf,
        /// The output folder it would lie in.
        folder: PathBuf,
    },
    /// The destination holds another command's output (or, for a keyed output,
    /// another id's), and `--force` was not given.
    #[error("{} holds the output of `entente {command}` ({id}), not this one's ({expected}); add --force to replace it, or choose another --out", path.display())]
    Other {
        /// The destination.
        path: PathBuf,
        /// The command its marker names.
        command: String,
        /// The id its marker names.
        id: String,
        /// The id of the output being written.
        expected: String,
    },
    /// The output is, contains or lies inside one of the command's inputs.
    #[error("the output {} {relation} the input {}; choose another --out", path.display(), input.display())]
    Overlap {
        /// The destination.
        path: PathBuf,
        /// How the two overlap: `is`, `contains` or `lies inside`.
        relation: &'static str,
        /// The input, as given.
        input: PathBuf,
    },
    /// A folder read as an entente output has no marker.
    #[error("{} is not a finished entente output (it has no {MARKER}){hint}", path.display())]
    NoMarker {
        /// The folder read.
        path: PathBuf,
        /// What to do about it, with its leading `; ` (an unfinished sweep:
        /// `--resume`), or empty.
        hint: String,
    },
    /// A folder read is the output of another command than those accepted.
    #[error("{} was written by `entente {found}`; expected the output of {expected}", path.display())]
    WrongCommand {
        /// The folder read.
        path: PathBuf,
        /// The command its marker names.
        found: String,
        /// The commands accepted, each quoted, joined by `or` for the message.
        expected: String,
    },
    /// A folder's marker cannot be read or parsed.
    #[error("{} cannot be read", path.display())]
    BadMarker {
        /// The marker file.
        path: PathBuf,
        /// Why: the OS error, or the JSON error as an I/O error.
        #[source]
        source: io::Error,
    },
    /// A file `report` or `export` adds outside an entente output already exists
    /// (or is a folder).
    #[error("{} exists and entente did not write it; remove it or choose another --out", path.display())]
    Exists {
        /// The file to be written.
        path: PathBuf,
    },
    /// A `--name` that is not a plain file name.
    #[error("--name {name:?} is not a plain name ({why}); use letters, digits, `-`, `_` or `.`")]
    BadName {
        /// The name given.
        name: String,
        /// What is wrong with it (`it starts with a dot`, …).
        why: &'static str,
    },
    /// Any other I/O error.
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl From<OutputError> for io::Error {
    fn from(e: OutputError) -> io::Error {
        match e {
            OutputError::Io(e) => e,
            e => io::Error::other(e),
        }
    }
}

/// Checks that `name` (a `--name`) names one folder: not empty, not `.` or `..`,
/// no path separator, no leading dot, no control character.
pub fn check_name(name: &str) -> Result<(), OutputError> {
    let why = if name.is_empty() {
        "it is empty"
    } else if name.contains(['/', '\\']) {
        "it holds a path separator"
    } else if name.starts_with('.') {
        "it starts with a dot"
    } else if name.chars().any(char::is_control) {
        "it holds a control character"
    } else if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        "it holds a character other than these"
    } else {
        return Ok(());
    };
    Err(OutputError::BadName {
        name: name.to_string(),
        why,
    })
}

/// The marker of `dir`, if it has one.
pub fn read_marker(dir: &Path) -> Result<Option<Marker>, OutputError> {
    let path = dir.join(MARKER);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => return Ok(None),
        Err(source) => return Err(OutputError::BadMarker { path, source }),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| OutputError::BadMarker {
            path,
            source: e.into(),
        })
}

/// The marker of `dir`, which must be a finished output of one of `commands`
/// (any command when empty): a folder without its marker is never read as a
/// result.
pub fn require_marker(dir: &Path, commands: &[&str]) -> Result<Marker, OutputError> {
    let Some(marker) = read_marker(dir)? else {
        let hint = if dir.join(".progress").is_dir() {
            "; it holds an unfinished sweep: finish it with --resume".to_string()
        } else {
            String::new()
        };
        return Err(OutputError::NoMarker {
            path: dir.to_path_buf(),
            hint,
        });
    };
    if !commands.is_empty() && !commands.contains(&marker.command.as_str()) {
        return Err(OutputError::WrongCommand {
            path: dir.to_path_buf(),
            found: marker.command,
            expected: commands
                .iter()
                .map(|c| format!("`entente {c}`"))
                .collect::<Vec<_>>()
                .join(" or "),
        });
    }
    Ok(marker)
}

/// An absolute form of `path` with symbolic links resolved as far as it exists
/// and `.`/`..` resolved in the rest, so that two spellings of one place compare
/// equal.
fn resolve(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for c in rest.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    c => out.push(c.as_os_str()),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Refuses an output that is, contains or lies inside one of `inputs`.
fn check_inputs(dest: &Path, inputs: &[PathBuf]) -> Result<(), OutputError> {
    let out = resolve(dest);
    for input in inputs {
        let inp = resolve(input);
        let relation = if out == inp {
            "is"
        } else if out.starts_with(&inp) {
            "lies inside"
        } else if inp.starts_with(&out) {
            "contains"
        } else {
            continue;
        };
        return Err(OutputError::Overlap {
            path: dest.to_path_buf(),
            relation,
            input: input.clone(),
        });
    }
    Ok(())
}

/// The files under `dir`, relative and `/`-separated, sorted; folders are walked,
/// not listed.
fn list_files(dir: &Path) -> io::Result<Vec<String>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                walk(root, &path, out)?;
            } else {
                let rel = path.strip_prefix(root).expect("under root");
                let parts: Vec<_> = rel.iter().map(|p| p.to_string_lossy()).collect();
                out.push(parts.join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// The output of one command: what it is (command and id), what it reads, and
/// whether it may replace the output of another command or id.
#[derive(Clone, Debug)]
pub struct Output {
    /// The command that writes the output (`run`, `sweep`, …), as the marker records it.
    pub command: String,
    /// The id of what the output holds (the run, sweep or experiment), as the marker
    /// records it.
    pub id: String,
    /// Folders and files the command reads: the output may not be, contain or lie
    /// inside one of them.
    pub inputs: Vec<PathBuf>,
    /// Whether the output may replace another command's output (or, when `keyed`,
    /// another id's): `--force`.
    pub force: bool,
    /// A folder inside the output where the command keeps what an interrupted
    /// command needs to resume (a sweep's `.progress`); it is accepted in a
    /// folder without marker, and replaced with the folder.
    pub work: Option<String>,
    /// Whether the id is what the folder holds, so that replacing the same
    /// command's output of another id needs `force` too (a sweep: another
    /// experiment); otherwise only another command's output does (a run
    /// replaces a run).
    pub keyed: bool,
}

impl Output {
    /// An output of `command` holding `id`, with no inputs, no `--force`, no work
    /// folder and not keyed.
    pub fn new(command: impl Into<String>, id: impl Into<String>) -> Self {
        Output {
            command: command.into(),
            id: id.into(),
            inputs: Vec::new(),
            force: false,
            work: None,
            keyed: false,
        }
    }

    /// Adds an input (a scenario folder, a configurations file, a shard folder).
    pub fn input(mut self, path: impl Into<PathBuf>) -> Self {
        self.inputs.push(path.into());
        self
    }

    /// Whether the output of another command or id may be replaced (`--force`).
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// See [`Output::keyed`].
    pub fn keyed(mut self) -> Self {
        self.keyed = true;
        self
    }

    /// See [`Output::work`].
    pub fn work(mut self, name: &str) -> Self {
        self.work = Some(name.to_string());
        self
    }

    /// Whether `rel` (a file in the destination) belongs to the work folder.
    fn in_work(&self, rel: &str) -> bool {
        self.work
            .as_deref()
            .is_some_and(|w| rel.strip_prefix(w).is_some_and(|r| r.starts_with('/')))
    }

    /// Checks, before any work, that `dest` may be written by this command (see
    /// the module doc), and removes the temporaries that dead processes left
    /// beside it and in it.
    pub fn check(&self, dest: &Path) -> Result<(), OutputError> {
        check_inputs(dest, &self.inputs)?;
        cleanup::remove_stale(&parent_of(dest), Some(&file_name(dest)));
        self.check_existing(dest)
    }

    fn check_existing(&self, dest: &Path) -> Result<(), OutputError> {
        let meta = match std::fs::symlink_metadata(dest) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e.into()),
            Ok(meta) => meta,
        };
        if !meta.is_dir() {
            return Err(OutputError::NotAFolder {
                path: dest.to_path_buf(),
            });
        }
        cleanup::remove_stale(dest, None);
        if let Some(work) = &self.work {
            cleanup::remove_stale(&dest.join(work), None);
        }
        let files = list_files(dest)?;
        let leftover = |name: &str| cleanup::is_temporary(name.rsplit('/').next().unwrap_or(name));
        match read_marker(dest)? {
            Some(marker) => {
                let other = marker.command != self.command || (self.keyed && marker.id != self.id);
                if other && !self.force {
                    return Err(OutputError::Other {
                        path: dest.to_path_buf(),
                        command: marker.command,
                        id: marker.id,
                        expected: self.id.clone(),
                    });
                }
                if let Some(file) = files
                    .into_iter()
                    .find(|f| !marker.lists(f) && !self.in_work(f) && !leftover(f))
                {
                    return Err(OutputError::ForeignFile {
                        path: dest.to_path_buf(),
                        file,
                    });
                }
            }
            None => {
                if let Some(file) = files.into_iter().find(|f| !self.in_work(f)) {
                    return Err(OutputError::Foreign {
                        path: dest.to_path_buf(),
                        file,
                    });
                }
            }
        }
        Ok(())
    }

    /// Checks `dest` and starts writing: the files go into [`OutDir::path`], a
    /// temporary folder beside `dest`, until [`OutDir::commit`].
    pub fn begin(&self, dest: &Path) -> Result<OutDir, OutputError> {
        self.check(dest)?;
        let parent = parent_of(dest);
        std::fs::create_dir_all(&parent)?;
        let (tmp, live) = cleanup::create_registered(
            || {
                tempfile::Builder::new()
                    .permissions(super::folder_mode())
                    .prefix(&temp_prefix(dest, "tmp"))
                    .tempdir_in(&parent)
            },
            |t| t.path(),
        )?;
        Ok(OutDir {
            dest: dest.to_path_buf(),
            tmp,
            output: self.clone(),
            _live: live,
        })
    }
}

/// An output folder being written; dropped before [`OutDir::commit`], it is
/// removed and the destination is left as it was.
#[derive(Debug)]
pub struct OutDir {
    dest: PathBuf,
    tmp: tempfile::TempDir,
    output: Output,
    _live: cleanup::Registered,
}

impl OutDir {
    /// Where to write the files now.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// The final destination.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Writes the marker (last), then moves the folder into place, replacing the
    /// old one (checked again: it may have changed while the command ran).
    pub fn commit(self) -> Result<PathBuf, OutputError> {
        let dir = self.tmp.path();
        let files = list_files(dir)?;
        let marker = Marker {
            command: self.output.command.clone(),
            id: self.output.id.clone(),
            files,
            added: Vec::new(),
        };
        write_marker(dir, &marker)?;
        let parent = parent_of(&self.dest);
        // No signal cleanup while the old folder is moved out and the new one in.
        let _critical = cleanup::critical();
        self.output.check_existing(&self.dest)?;
        let old = match std::fs::symlink_metadata(&self.dest) {
            Ok(_) => {
                let old = tempfile::Builder::new()
                    .permissions(super::folder_mode())
                    .prefix(&temp_prefix(&self.dest, "old"))
                    .tempdir_in(&parent)?
                    .keep();
                // Renaming a folder onto an empty one replaces it.
                std::fs::rename(&self.dest, &old)?;
                Some(old)
            }
            Err(_) => None,
        };
        let tmp = self.tmp.keep();
        if let Err(e) = std::fs::rename(&tmp, &self.dest) {
            if let Some(old) = &old {
                let _ = std::fs::rename(old, &self.dest);
            }
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e.into());
        }
        if let Some(old) = old {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(self.dest)
    }
}

fn write_marker(dir: &Path, marker: &Marker) -> io::Result<()> {
    let mut json = serde_json::to_string_pretty(marker).map_err(io::Error::other)?;
    json.push('\n');
    write_file_atomic(dir.join(MARKER), json.as_bytes())
}

/// Writes one file of `report` or `export`. Inside a folder entente wrote, it may
/// be a new file or one added before, never one of the folder's own files, and it
/// is recorded in the marker; elsewhere it must not lie inside one of `inputs` (the
/// folder being read) or replace an existing file.
pub fn add_file(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<(), OutputError> {
    if path.is_dir() {
        return Err(OutputError::Exists {
            path: path.to_path_buf(),
        });
    }
    let dir = parent_of(path);
    let name = file_name(path);
    // Into a folder entente wrote only when it is the folder being read, and
    // only beside its files: never into another output, nor into a subfolder
    // (plots/, scenario/) that its marker does not cover.
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    for ancestor in dir.ancestors().filter(|a| !a.as_os_str().is_empty()) {
        if read_marker(ancestor)?.is_some()
            && !(same(ancestor, &dir) && inputs.iter().any(|i| same(i, ancestor)))
        {
            return Err(OutputError::IntoOtherOutput {
                path: path.to_path_buf(),
                folder: ancestor.to_path_buf(),
            });
        }
    }
    if let Some(mut marker) = read_marker(&dir)? {
        if marker.files.contains(&name) || name == MARKER {
            return Err(OutputError::Overlap {
                path: path.to_path_buf(),
                relation: "is",
                input: dir.join(&name),
            });
        }
        write_file_atomic(path, bytes)?;
        if !marker.added.contains(&name) {
            marker.added.push(name);
            marker.added.sort();
            write_marker(&dir, &marker)?;
        }
        return Ok(());
    }
    let inputs: Vec<PathBuf> = inputs.iter().map(|p| p.to_path_buf()).collect();
    check_inputs(path, &inputs)?;
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(OutputError::Exists {
            path: path.to_path_buf(),
        });
    }
    Ok(write_file_atomic(path, bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn nothing_appears_until_commit_and_the_marker_lists_every_file() {
        let root = tempfile::tempdir().unwrap();
        let dest = root.path().join("a/run");
        let out = Output::new("run", "r1");
        let dir = out.begin(&dest).unwrap();
        write(dir.path(), "x.csv", "1");
        write(dir.path(), "plots/p.svg", "<svg/>");
        assert!(!dest.exists());
        dir.commit().unwrap();
        let m = read_marker(&dest).unwrap().unwrap();
        assert_eq!((m.command.as_str(), m.id.as_str()), ("run", "r1"));
        assert_eq!(m.files, ["plots/p.svg", "x.csv"]);
        // An abandoned write leaves the old output and no temporary.
        let dir = out.begin(&dest).unwrap();
        let tmp = dir.path().to_path_buf();
        drop(dir);
        assert!(!tmp.exists() && dest.join("x.csv").exists());
        // A new commit replaces the whole folder.
        let again = out.begin(&dest).unwrap();
        write(again.path(), "y.csv", "2");
        again.commit().unwrap();
        assert!(!dest.join("x.csv").exists() && dest.join("y.csv").exists());
        assert_eq!(std::fs::read_dir(root.path().join("a")).unwrap().count(), 1);
    }

    #[test]
    fn refuses_what_it_did_not_write_naming_a_file() {
        let root = tempfile::tempdir().unwrap();
        let mine = root.path().join("mine");
        write(&mine, "notes.txt", "keep");
        let e = Output::new("run", "r").begin(&mine).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{} is a folder entente did not write (it holds notes.txt and no entente.json); \
                 choose another --out, or empty it",
                mine.display()
            )
        );
        let file = root.path().join("file");
        std::fs::write(&file, "precious").unwrap();
        let e = Output::new("run", "r").begin(&file).unwrap_err();
        assert!(e.to_string().contains("exists and is not a folder"), "{e}");
        // A folder of entente's with a file added by the user.
        let run = root.path().join("run");
        let dir = Output::new("run", "r").begin(&run).unwrap();
        write(dir.path(), "summary.csv", "x");
        dir.commit().unwrap();
        write(&run, "sub/thesis.docx", "keep");
        let e = Output::new("run", "r").begin(&run).unwrap_err();
        assert!(
            e.to_string()
                .contains("holds sub/thesis.docx, which entente did not write"),
            "{e}"
        );
        assert_eq!(
            std::fs::read_to_string(run.join("sub/thesis.docx")).unwrap(),
            "keep"
        );
        assert_eq!(
            std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
            "keep"
        );
        // an empty folder is fine
        let empty = root.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        Output::new("run", "r")
            .begin(&empty)
            .unwrap()
            .commit()
            .unwrap();
    }

    #[test]
    fn another_command_or_id_needs_force() {
        let root = tempfile::tempdir().unwrap();
        let dest = root.path().join("x");
        let keyed = |c, id| Output::new(c, id).keyed();
        keyed("compare", "c1")
            .begin(&dest)
            .unwrap()
            .commit()
            .unwrap();
        for out in [
            keyed("sweep", "c1"),
            keyed("compare", "c2"),
            Output::new("run", "c1"),
        ] {
            let e = out.begin(&dest).unwrap_err();
            assert!(
                e.to_string()
                    .contains("holds the output of `entente compare` (c1)"),
                "{e}"
            );
            out.force(true).begin(&dest).unwrap();
        }
        keyed("compare", "c1").begin(&dest).unwrap();
        // Without a key only the command counts: a run replaces another run.
        let run = |id| Output::new("run", id);
        run("r1")
            .force(true)
            .begin(&dest)
            .unwrap()
            .commit()
            .unwrap();
        run("r2").begin(&dest).unwrap().commit().unwrap();
    }

    #[test]
    fn an_output_may_not_overlap_an_input() {
        let root = tempfile::tempdir().unwrap();
        let scenario = root.path().join("s");
        write(&scenario, "states.csv", "x");
        for (dest, relation) in [
            (scenario.clone(), "is"),
            (scenario.join("out"), "lies inside"),
            (root.path().to_path_buf(), "contains"),
            (scenario.join("../s/./"), "is"),
        ] {
            let e = Output::new("run", "r")
                .input(&scenario)
                .check(&dest)
                .unwrap_err();
            assert!(
                e.to_string().contains(&format!(" {relation} the input")),
                "{dest:?}: {e}"
            );
        }
        Output::new("run", "r")
            .input(&scenario)
            .check(&root.path().join("s2"))
            .unwrap();
    }

    #[test]
    fn added_files_are_recorded_and_main_files_are_never_replaced() {
        let root = tempfile::tempdir().unwrap();
        let run = root.path().join("run");
        let dir = Output::new("run", "r").begin(&run).unwrap();
        write(dir.path(), "summary.csv", "s");
        dir.commit().unwrap();
        add_file(&run.join("report.html"), b"1", &[&run]).unwrap();
        add_file(&run.join("report.html"), b"2", &[&run]).unwrap();
        assert_eq!(read_marker(&run).unwrap().unwrap().added, ["report.html"]);
        let e = add_file(&run.join("summary.csv"), b"x", &[&run]).unwrap_err();
        assert!(e.to_string().contains("is the input"), "{e}");
        assert_eq!(std::fs::read(run.join("summary.csv")).unwrap(), b"s");
        // The added file belongs to entente: the folder can be replaced.
        Output::new("run", "r")
            .begin(&run)
            .unwrap()
            .commit()
            .unwrap();
        assert!(!run.join("report.html").exists());
        // Elsewhere an existing file is refused.
        let mine = root.path().join("mine.html");
        std::fs::write(&mine, "keep").unwrap();
        assert!(add_file(&mine, b"x", &[&run]).is_err());
        assert_eq!(std::fs::read(&mine).unwrap(), b"keep");
    }

    #[test]
    fn names_are_names() {
        for bad in ["", "..", "../../evil", "a/b", ".hidden", "a\0b", "a\\b"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        check_name("demo-1.2_x").unwrap();
    }

    #[test]
    fn the_work_folder_of_an_unfinished_command_is_accepted() {
        let root = tempfile::tempdir().unwrap();
        let dest = root.path().join("sweep");
        write(&dest, ".progress/checkpoint.bin", "x");
        assert!(Output::new("sweep", "s").check(&dest).is_err());
        let out = Output::new("sweep", "s").work(".progress");
        out.check(&dest).unwrap();
        out.begin(&dest).unwrap().commit().unwrap();
        assert!(!dest.join(".progress").exists());
        assert!(require_marker(&dest, &["sweep"]).is_ok());
        assert!(require_marker(&dest, &["run"]).is_err());
    }
}
