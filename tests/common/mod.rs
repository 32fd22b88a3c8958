//! Helpers shared by the integration tests: scenario folders written from CSV
//! strings, the binary, byte-for-byte folder snapshots and an observer that records
//! every step.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use entente::engine::{Observer, Simulation};
use entente::scenario::{InputError, Scenario};
use nalgebra::DMatrix;

/// A valid three-state scenario (the triangle, with small numbers), file by file.
pub const BASE: &[(&str, &str)] = &[
    (
        "states.csv",
        "id,name,power,growth,revisionism,hardliners\n\
         USA,United States,0.13,0,0.1,0.5\n\
         RUS,Russia,0.04,0,0.8,0.6\n\
         CHN,China,0.23,0,0.5,0.5\n",
    ),
    (
        "alignments.csv",
        "a,b,alignment,interest\n\
         USA,RUS,-0.6,\n\
         USA,CHN,-0.5,\n\
         RUS,CHN,0.6,\n",
    ),
    (
        "issues.csv",
        "id,a,b,salience,core\n\
         ukraine,USA,RUS,0.9,true\n\
         arms,USA,RUS,0.6,false\n",
    ),
    (
        "policies.csv",
        "start,actor,target,stance,end,issue,offer,every\n\
         10,USA,RUS,less_hardline,,peripheral,0.5,10\n",
    ),
    ("params.csv", "key,value\nsteps,20\n"),
];

/// Writes `files` (name, contents) into `dir`, creating it.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// A temporary folder holding a scenario folder `scenario/` made of [`BASE`] with
/// some files replaced (or added); `None` as contents removes a file.
pub struct TempScenario {
    pub root: tempfile::TempDir,
    pub dir: PathBuf,
}

pub fn scenario_with(changes: &[(&str, Option<&str>)]) -> TempScenario {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("scenario");
    write_files(&dir, BASE);
    for (name, text) in changes {
        match text {
            Some(t) => std::fs::write(dir.join(name), t).unwrap(),
            None => std::fs::remove_file(dir.join(name)).unwrap(),
        }
    }
    TempScenario { root, dir }
}

/// The errors of loading `dir`; panics if it loads.
pub fn load_errors(dir: &Path) -> Vec<InputError> {
    match Scenario::load(dir) {
        Ok(_) => panic!("{} loaded, but errors were expected", dir.display()),
        Err(e) => {
            assert!(!e.errors.is_empty(), "an Err without errors");
            e.errors
        }
    }
}

/// A path inside the crate (e.g. `scenarios/triangle`).
pub fn crate_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs the `entente` binary with `args` in the crate folder.
pub fn entente(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the entente binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir` (recursively), by relative path, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Asserts that two folder snapshots hold the same files with the same bytes,
/// naming the first file and line that differ.
pub fn assert_same_bytes(
    left: &BTreeMap<PathBuf, Vec<u8>>,
    right: &BTreeMap<PathBuf, Vec<u8>>,
    what: &str,
) {
    let names = |m: &BTreeMap<PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(left), names(right), "{what}: different files");
    for (name, bytes) in left {
        let other = &right[name];
        if bytes != other {
            let (l, r) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(other),
            );
            let at = l
                .lines()
                .zip(r.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(l.lines().count().min(r.lines().count()));
            panic!(
                "{what}: {} differs at line {}:\n  left:  {:?}\n  right: {:?}",
                name.display(),
                at + 1,
                l.lines().nth(at),
                r.lines().nth(at)
            );
        }
    }
}

/// Records the alignment matrix and the hardliners after every step (step 0 first).
#[derive(Default)]
pub struct Recorder {
    pub alignments: Vec<DMatrix<f64>>,
    pub hardliners: Vec<Vec<f64>>,
}

impl Observer for Recorder {
    fn observe(&mut self, sim: &Simulation) {
        assert_eq!(sim.step_count() as usize, self.alignments.len());
        self.alignments.push(sim.alignments().clone());
        self.hardliners.push(sim.hardliners().to_vec());
    }
}

/// Reads a CSV file written by entente into its header and rows of cells, with
/// a real CSV reader (quoted fields may hold commas), as pandas or R would.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let header = reader
        .headers()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .iter()
                .map(String::from)
                .collect()
        })
        .collect();
    (header, rows)
}

/// Marks `dir`, a folder made by hand, as the finished output of `command` (its
/// `entente.json` listing the files in it), as entente marks what it writes.
pub fn mark_as_output(dir: &Path, command: &str) {
    let files: Vec<String> = snapshot(dir)
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let marker = serde_json::json!({ "command": command, "id": "by hand", "files": files });
    std::fs::write(dir.join("entente.json"), marker.to_string()).unwrap();
}
