//! `entente merge`: shard folders → the outputs one unsharded sweep writes.
//! Refuses shards of different sweeps (their manifests disagree), a folder that is
//! not a finished sweep (no marker: an unfinished or interrupted shard), and names
//! the shards that are missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::aggregate::Trajectories;
use super::manifest::{Manifest, ShardInfo};
use super::spec::Shard;
use super::sweep::{read_aggregates, RunRow, SweepState};

/// The most missing shards an error lists by number.
pub const MISSING_LISTED: usize = 20;

/// Why shard folders cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A file of a shard folder cannot be read or parsed.
    #[error("{path}: {message}")]
    Read {
        /// The file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A shard's manifest names another sweep (or shard count, or layout) than the
    /// first folder's.
    #[error("{path} belongs to another sweep than {first} (sweep id {found} vs {expected})")]
    OtherSweep {
        /// The folder that does not belong.
        path: String,
        /// The first folder given, which the others are checked against.
        first: String,
        /// Its sweep id and shard count, `ID (N shards)`.
        found: String,
        /// The first folder's sweep id and shard count, `ID (N shards)`.
        expected: String,
    },
    /// A shard of the same sweep, but split into another number of shards.
    #[error("{path} is a shard of the same sweep as {first}, but of {found} shards where {first} is of {expected}: merge the shards of one --shard count")]
    OtherShardCount {
        /// The folder of the other count.
        path: String,
        /// The first folder given.
        first: String,
        /// Its shard count.
        found: u64,
        /// The first folder's shard count.
        expected: u64,
    },
    /// Two folders hold the same shard.
    #[error("{path} and {other} are both shard {index}/{count}")]
    Duplicate {
        /// The second folder of the shard.
        path: String,
        /// The first folder of the shard.
        other: String,
        /// The shard's index, from 0.
        index: u64,
        /// The number of shards.
        count: u64,
    },
    /// Shards of the sweep are not among the folders.
    #[error("missing shard{} {}{} of {count} (shards are numbered 0 to {})", if .missing.len() == 1 { "" } else { "s" }, .missing.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", "), if *.more > 0 { format!(" and {} more", .more) } else { String::new() }, .count - 1)]
    Missing {
        /// The indices of the first missing shards (at most [`MISSING_LISTED`]),
        /// in increasing order.
        missing: Vec<u64>,
        /// How many more are missing.
        more: u64,
        /// The number of shards.
        count: u64,
    },
    /// No folders were given.
    #[error("no shard folders given")]
    Nothing,
    /// A folder is not a finished sweep output (no marker, or another command's).
    #[error(transparent)]
    NotFinished(Box<crate::files::OutputError>),
}

fn read_err(path: &Path, message: impl ToString) -> MergeError {
    MergeError::Read {
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

/// Reads one finished sweep or shard folder: manifest, rows and aggregates. A
/// folder without the marker of a sweep is refused: it is not a result.
pub fn read_folder(dir: &Path) -> Result<(Manifest, SweepState), MergeError> {
    crate::files::require_marker(dir, &["sweep", "compare", "claims", "explore", "merge"])
        .map_err(|e| MergeError::NotFinished(Box::new(e)))?;
    let mpath = dir.join("manifest.json");
    let text = std::fs::read_to_string(&mpath).map_err(|e| {
        read_err(
            &mpath,
            format!("cannot be read ({e}); is this a finished sweep folder?"),
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| read_err(&mpath, e))?;
    let (index, count) = (manifest.shard.index, manifest.shard.count);
    if count == 0 || index >= count {
        return Err(read_err(
            &mpath,
            format!("shard {index}/{count} is not a shard I/N with 0 <= I < N"),
        ));
    }
    // Every field the sweep id hashes (scenario, seed, reps, grid, parameters,
    // layout) is as the sweep wrote it, and the run count is what they make.
    let configs = manifest.layout.configs.len() as u64;
    if manifest.identity() != manifest.sweep_id {
        return Err(read_err(
            &mpath,
            "has been changed since the sweep wrote it: its fields do not hash to its sweep_id",
        ));
    }
    if manifest.reps.checked_mul(configs) != Some(manifest.runs) {
        return Err(read_err(
            &mpath,
            format!(
                "says {} runs, but {} configurations × {} reps make {}",
                manifest.runs,
                configs,
                manifest.reps,
                configs.saturating_mul(manifest.reps)
            ),
        ));
    }
    let rpath = dir.join("runs.csv");
    let rows = read_runs(&rpath, &manifest)?;
    check_rows(&rpath, &rows, &manifest)?;
    let apath = dir.join("aggregates.bin");
    let (owner, trajectories): (_, Vec<Trajectories>) =
        read_aggregates(&apath).map_err(|e| read_err(&apath, e))?;
    if owner != (manifest.sweep_id.clone(), index, count) {
        return Err(read_err(
            &apath,
            format!(
                "holds the aggregates of shard {}/{} of sweep {}, not of this folder's shard {index}/{count} of {}",
                owner.1, owner.2, owner.0, manifest.sweep_id
            ),
        ));
    }
    if trajectories.len() != manifest.layout.configs.len() {
        return Err(read_err(
            &apath,
            "does not match the manifest's configurations",
        ));
    }
    // Each configuration's aggregate holds its finished runs, no more, no fewer
    // (counted in one pass: an exploration has thousands of configurations).
    let mut finished = vec![0u64; trajectories.len()];
    for r in rows.iter().filter(|r| r.error.is_none()) {
        finished[r.config] += 1;
    }
    for (c, (t, &finished)) in trajectories.iter().zip(&finished).enumerate() {
        if t.steps * t.pairs > 0 && t.runs != finished {
            return Err(read_err(
                &apath,
                format!(
                    "holds {} runs of configuration {c}, but runs.csv has {finished} finished ones",
                    t.runs
                ),
            ));
        }
    }
    let shard = Shard {
        index: manifest.shard.index,
        count: manifest.shard.count,
    };
    Ok((
        manifest.clone(),
        SweepState {
            sweep_id: manifest.sweep_id,
            shard,
            next: manifest.runs,
            rows,
            trajectories,
        },
    ))
}

/// The rows of a shard are exactly the runs it owns (I mod N of the sweep's),
/// each once and in order, each with its configuration and replication: a
/// truncated, duplicated or renumbered `runs.csv` is refused, not merged.
fn check_rows(path: &Path, rows: &[RunRow], manifest: &Manifest) -> Result<(), MergeError> {
    let shard = Shard {
        index: manifest.shard.index,
        count: manifest.shard.count,
    };
    let reps = manifest.reps.max(1);
    let mut owned = (shard.index..manifest.runs).step_by(shard.count as usize);
    for (k, row) in rows.iter().enumerate() {
        let line = k + 2;
        match owned.next() {
            Some(run) if run == row.run => {}
            Some(run) => {
                return Err(read_err(
                    path,
                    format!(
                        "line {line}: run {} where shard {shard} has run {run} (a row missing, repeated or out of order)",
                        row.run
                    ),
                ))
            }
            None => {
                return Err(read_err(
                    path,
                    format!("line {line}: run {} is more than shard {shard} has", row.run),
                ))
            }
        }
        if row.config as u64 != row.run / reps || row.rep != row.run % reps {
            return Err(read_err(
                path,
                format!(
                    "line {line}: run {} is configuration {}, replication {}, not {} and {}",
                    row.run,
                    row.run / reps,
                    row.run % reps,
                    row.config,
                    row.rep
                ),
            ));
        }
    }
    let left = owned.count();
    if left > 0 {
        return Err(read_err(
            path,
            format!(
                "has {} rows, but shard {shard} of {} runs has {} (truncated?)",
                rows.len(),
                manifest.runs,
                rows.len() + left
            ),
        ));
    }
    Ok(())
}

/// Parses `runs.csv` back into rows (numbers round-trip exactly).
fn read_runs(path: &Path, manifest: &Manifest) -> Result<Vec<RunRow>, MergeError> {
    let layout = &manifest.layout;
    let mut reader = csv::Reader::from_path(path).map_err(|e| read_err(path, e))?;
    let fixed = 4 + layout.varying.len() + 1;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| read_err(path, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let bad = |what: &str| read_err(path, format!("line {line}: {what}"));
        if record.len() != fixed + layout.columns.len() {
            return Err(bad("has the wrong number of fields for its manifest"));
        }
        let num = |i: usize| {
            record[i]
                .parse::<u64>()
                .map_err(|_| bad("a run, rep or seed is not a number"))
        };
        let config = layout
            .configs
            .iter()
            .position(|c| c.name == record[1])
            .ok_or_else(|| bad("names an unknown configuration"))?;
        let error = Some(record[fixed - 1].to_string()).filter(|e| !e.is_empty());
        let values = (fixed..record.len())
            .map(|i| {
                if record[i].is_empty() {
                    Ok(f64::NAN)
                } else {
                    record[i]
                        .parse::<f64>()
                        .map_err(|_| bad("a metric is not a number"))
                }
            })
            .collect::<Result<Vec<f64>, _>>()?;
        rows.push(RunRow {
            run: num(0)?,
            config,
            rep: num(2)?,
            seed: num(3)?,
            error,
            values,
        });
    }
    Ok(rows)
}

/// Merges shard folders into one state and a manifest for the whole sweep.
pub fn merge(dirs: &[PathBuf]) -> Result<(Manifest, SweepState), MergeError> {
    let mut parts = Vec::new();
    for d in dirs {
        parts.push((d.clone(), read_folder(d)?));
    }
    let Some((first_dir, (first, _))) = parts.first().cloned() else {
        return Err(MergeError::Nothing);
    };
    let count = first.shard.count;
    // By index: a manifest may say any shard count, so nothing is sized by it.
    let mut seen: BTreeMap<u64, PathBuf> = BTreeMap::new();
    for (dir, (m, _)) in &parts {
        if m.sweep_id == first.sweep_id && m.shard.count != count {
            return Err(MergeError::OtherShardCount {
                path: dir.display().to_string(),
                first: first_dir.display().to_string(),
                found: m.shard.count,
                expected: count,
            });
        }
        if m.sweep_id != first.sweep_id || m.layout != first.layout {
            return Err(MergeError::OtherSweep {
                path: dir.display().to_string(),
                first: first_dir.display().to_string(),
                found: format!("{} ({} shards)", m.sweep_id, m.shard.count),
                expected: format!("{} ({} shards)", first.sweep_id, count),
            });
        }
        if let Some(other) = seen.insert(m.shard.index, dir.clone()) {
            return Err(MergeError::Duplicate {
                path: dir.display().to_string(),
                other: other.display().to_string(),
                index: m.shard.index,
                count,
            });
        }
    }
    if seen.len() as u64 != count {
        let missing: Vec<u64> = (0..count)
            .filter(|i| !seen.contains_key(i))
            .take(MISSING_LISTED)
            .collect();
        let more = count - seen.len() as u64 - missing.len() as u64;
        return Err(MergeError::Missing {
            missing,
            more,
            count,
        });
    }
    let mut parts = parts.into_iter().map(|(_, p)| p);
    let (_, mut state) = parts.next().expect("at least one part");
    for (_, s) in parts {
        state.rows.extend(s.rows);
        for (a, b) in state.trajectories.iter_mut().zip(&s.trajectories) {
            a.merge(b);
        }
    }
    state.rows.sort_by_key(|r| r.run);
    state.shard = Shard::WHOLE;
    let mut manifest = first;
    manifest.shard = ShardInfo { index: 0, count: 1 };
    manifest.command_line = std::env::args().collect();
    Ok((manifest, state))
}
