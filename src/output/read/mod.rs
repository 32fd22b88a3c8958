//! The one reader of entente's output folders, shared by `plot`, `report` and
//! `export`: what kind of folder it is ([`FolderKind::detect`]), its CSV tables
//! ([`table`]), a run's files ([`run`]) and a sweep's ([`sweep`]). Errors name
//! the file, and the line and value for a bad cell.
//!
//! Readers take the key pairs a run wrote (`key_pair` rows of its
//! `summary.csv`, ranked by [`Model::rank_key_pairs`](crate::engine::Model::rank_key_pairs))
//! or a sweep's `manifest.json` lists, rather than working them out again.

pub mod run;
pub mod sweep;
pub mod table;

use std::path::Path;

pub use table::{CsvTable, ReadError};

/// The kinds of output folder, told apart by the files they hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderKind {
    /// A run's folder: `alignments.csv` and `summary.csv`.
    Run,
    /// A sweep's folder: `manifest.json`.
    Sweep,
    /// A comparison's folder: a sweep with `compare.csv`.
    Compare,
    /// The claims' folder: a sweep with `claims.csv`.
    Claims,
    /// An exploration's folder: a sweep with `explore.json` and `verdicts.csv`.
    Explore,
}

impl FolderKind {
    /// Each kind with the files that mark it, the most specific first (claims and
    /// compare folders are sweeps too). A new kind of folder adds a row here.
    const MARKERS: &'static [(FolderKind, &'static [&'static str])] = &[
        (FolderKind::Explore, &["explore.json", "verdicts.csv"]),
        (FolderKind::Claims, &["claims.csv"]),
        (FolderKind::Compare, &["compare.csv"]),
        (FolderKind::Sweep, &["manifest.json"]),
        (FolderKind::Run, &["alignments.csv", "summary.csv"]),
    ];

    /// The kind of `dir`, from the files present.
    pub fn detect(dir: &Path) -> Result<FolderKind, ReadError> {
        Self::MARKERS
            .iter()
            .find(|(_, files)| files.iter().all(|f| dir.join(f).is_file()))
            .map(|&(kind, _)| kind)
            .ok_or_else(|| ReadError::NotAnOutput {
                path: dir.to_path_buf(),
                expected: Self::MARKERS
                    .iter()
                    .map(|(k, files)| format!("{} ({})", files.join(" with "), k.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The kind as the command that writes it is named (`run`, `sweep`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FolderKind::Run => "run",
            FolderKind::Sweep => "sweep",
            FolderKind::Compare => "compare",
            FolderKind::Claims => "claims",
            FolderKind::Explore => "explore",
        }
    }
}

/// The name of an output folder (a run's folder does not record its scenario's).
pub fn folder_name(dir: &Path) -> String {
    dir.canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(dir)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_kinds_come_from_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let err = FolderKind::detect(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("is not an entente output folder") && err.contains("claims.csv (claims)"),
            "{err}"
        );
        std::fs::write(dir.path().join("summary.csv"), "metric,a,b,value\n").unwrap();
        assert!(FolderKind::detect(dir.path()).is_err(), "summary.csv alone");
        std::fs::write(
            dir.path().join("alignments.csv"),
            "step,a,b,alignment,interest\n",
        )
        .unwrap();
        assert_eq!(FolderKind::detect(dir.path()).unwrap(), FolderKind::Run);
        std::fs::write(dir.path().join("manifest.json"), "{}").unwrap();
        assert_eq!(FolderKind::detect(dir.path()).unwrap(), FolderKind::Sweep);
        std::fs::write(dir.path().join("compare.csv"), "").unwrap();
        assert_eq!(FolderKind::detect(dir.path()).unwrap(), FolderKind::Compare);
        std::fs::write(dir.path().join("claims.csv"), "").unwrap();
        assert_eq!(FolderKind::detect(dir.path()).unwrap(), FolderKind::Claims);
    }
}
