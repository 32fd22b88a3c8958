//! A sweep's folder (and a compare or claims folder, which are sweeps):
//! `manifest.json`, `summary.csv` (per configuration and metric) and
//! `trajectories.csv` (streamed).

use std::collections::HashMap;
use std::path::Path;

use super::table::{number, stream, ReadError, Result};
use crate::experiment::manifest::Manifest;

/// Reads a sweep's `manifest.json`.
pub fn manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(ReadError::io(&path))?;
    serde_json::from_str(&text).map_err(|e| ReadError::invalid(&path, e.to_string()))
}

/// One row of a sweep's `summary.csv`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stat {
    /// The number of runs with a finite value of the metric.
    pub n: f64,
    /// Their mean (NaN when empty).
    pub mean: f64,
    /// The lower end of the 95% CI of the mean (NaN when empty).
    pub ci_low: f64,
    /// The upper end of the 95% CI of the mean (NaN when empty).
    pub ci_high: f64,
}

/// A sweep's `summary.csv`: (config, metric) → its statistics.
pub fn summary(dir: &Path) -> Result<HashMap<(String, String), Stat>> {
    let path = dir.join("summary.csv");
    let mut out = HashMap::new();
    stream::<ReadError>(
        &path,
        &["config", "metric", "n", "mean", "ci_low", "ci_high"],
        |c, line| {
            let stat = Stat {
                n: number(&path, line, "n", c[2])?,
                mean: number(&path, line, "mean", c[3])?,
                ci_low: number(&path, line, "ci_low", c[4])?,
                ci_high: number(&path, line, "ci_high", c[5])?,
            };
            out.insert((c[0].to_string(), c[1].to_string()), stat);
            Ok(())
        },
    )?;
    Ok(out)
}

/// A row of `trajectories.csv`.
#[derive(Clone, Copy, Debug)]
pub struct TrajectoryRow<'a> {
    /// The configuration's name.
    pub config: &'a str,
    /// The step, from 0 (the initial state).
    pub step: f64,
    /// The pair's first state id.
    pub a: &'a str,
    /// The pair's second state id.
    pub b: &'a str,
    /// The mean alignment over the configuration's replications at the step.
    pub mean: f64,
    /// The 5th percentile of the alignment over the replications.
    pub p05: f64,
    /// The 95th percentile of the alignment over the replications.
    pub p95: f64,
}

/// Streams a sweep's `trajectories.csv`.
pub fn trajectories(dir: &Path, mut f: impl FnMut(TrajectoryRow) -> Result<()>) -> Result<()> {
    let path = dir.join("trajectories.csv");
    stream(
        &path,
        &["config", "step", "a", "b", "mean", "p05", "p95"],
        |c, line| {
            f(TrajectoryRow {
                config: c[0],
                step: number(&path, line, "step", c[1])?,
                a: c[2],
                b: c[3],
                mean: number(&path, line, "mean", c[4])?,
                p05: number(&path, line, "p05", c[5])?,
                p95: number(&path, line, "p95", c[6])?,
            })
        },
    )
}
