//! The figures of a run: `trajectories` (the key pairs' alignment over steps)
//! and `network` (the final signed network with its camps), drawn from a
//! [`RunPlotData`] — recorded in memory as the run goes ([`SeriesRecorder`], so
//! `entente run` never reads back its own CSV files) or read from a run folder
//! ([`RunPlotData::read`], for `entente report`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::network::{self, NetworkFigure};
use super::style::short_number;
use super::trajectories::{self, Panel, Trajectory, TrajectoryFigure, TrajectoryPoint};
use super::{plots_dir, prune_stale, Formats, PlotError, Result, MAX_PAIRS, MIN_EDGE};
use crate::engine::metrics::{Metric, Subject};
use crate::engine::model::{rank_pairs, tie_strength};
use crate::engine::{Model, Observer, Simulation};
use crate::format::{fixed9, NUMBER_MAX};
use crate::output::read::{self, run::Summary, ReadError};

/// What a run's figures show.
#[derive(Clone, Debug, Default)]
pub struct RunPlotData {
    /// State ids, in the run's order.
    pub ids: Vec<String>,
    /// Power at the last step.
    pub powers: Vec<f64>,
    /// Camp of each state at the end.
    pub camps: Vec<usize>,
    /// The run's seed, when known.
    pub seed: Option<String>,
    /// The last step.
    pub last_step: f64,
    /// Every pair's final tie: (state index, state index, alignment).
    pub edges: Vec<(usize, usize, f64)>,
    /// The key pairs drawn (at most [`MAX_PAIRS`], the first by the model's
    /// key-pair rule), with their alignment over steps.
    pub key_series: Vec<Trajectory>,
}

/// Records, at every step, the alignments of the pairs a run's figures may
/// show: the model's key pairs (every pair when the scenario names none).
pub struct SeriesRecorder<'m> {
    model: &'m Model,
    pairs: Vec<usize>,
    steps: Vec<f64>,
    /// Step-major: `pairs.len()` values a step.
    values: Vec<f64>,
}

impl<'m> SeriesRecorder<'m> {
    /// A recorder; `enabled: false` records nothing (no figures asked for).
    pub fn new(model: &'m Model, enabled: bool) -> Self {
        let pairs = match (enabled, model.key_pairs.is_empty()) {
            (false, _) => Vec::new(),
            (true, false) => model.key_pairs.clone(),
            (true, true) => (0..model.pairs.len()).collect(),
        };
        let steps = model.params().steps as usize + 1;
        SeriesRecorder {
            model,
            values: Vec::with_capacity(if enabled { steps * pairs.len() } else { 0 }),
            steps: Vec::with_capacity(if enabled { steps } else { 0 }),
            pairs,
        }
    }

    /// The figures' data at the end of the run `sim`, whose summary is `metrics`
    /// (with its `key_pair` ranks).
    pub fn finish(self, sim: &Simulation, metrics: &[Metric], seed: u64) -> RunPlotData {
        let model = self.model;
        let s = &model.scenario;
        let n = s.states.len();
        let alignments = sim.pair_alignments();
        let shares = sim.shares();
        // The first MAX_PAIRS of the recorded pairs in the order the summary's
        // `key_pair` metrics rank them (every pair by strength when there are none).
        let mut order: Vec<usize> = (0..self.pairs.len()).collect();
        if model.key_pairs.is_empty() {
            rank_pairs(
                &mut order,
                |_| None,
                |&r| {
                    let (a, b) = model.pairs[self.pairs[r]];
                    tie_strength(
                        alignments[self.pairs[r]],
                        shares[a as usize] * shares[b as usize],
                    )
                },
            );
        } else {
            let position: HashMap<usize, usize> = self
                .pairs
                .iter()
                .enumerate()
                .map(|(r, &k)| (k, r))
                .collect();
            let mut ranked: Vec<(f64, usize)> = metrics
                .iter()
                .filter(|m| m.name == "key_pair")
                .filter_map(|m| match m.subject {
                    Subject::Pair(i, j) => {
                        let k = model.pair_index(i as usize, j as usize)?;
                        Some((m.value, *position.get(&k)?))
                    }
                    _ => None,
                })
                .collect();
            ranked.sort_by(|x, y| x.0.total_cmp(&y.0));
            order = ranked.into_iter().map(|(_, r)| r).collect();
        }
        order.truncate(MAX_PAIRS);
        let id = |i: u32| s.states[i as usize].id.as_str();
        let stride = self.pairs.len();
        let key_series = order
            .iter()
            .map(|&r| {
                let (a, b) = model.pairs[self.pairs[r]];
                Trajectory {
                    pair: format!("{}-{}", id(a), id(b)),
                    points: self
                        .steps
                        .iter()
                        .enumerate()
                        .map(|(t, &step)| point(step, as_written(self.values[t * stride + r])))
                        .collect(),
                }
            })
            .collect();
        let mut camps = vec![0; n];
        for m in metrics.iter().filter(|m| m.name == "camp") {
            if let Subject::State(i) = m.subject {
                camps[i as usize] = camp(m.value);
            }
        }
        RunPlotData {
            ids: s.states.iter().map(|st| st.id.clone()).collect(),
            powers: sim.power().to_vec(),
            camps,
            seed: Some(seed.to_string()),
            last_step: sim.step_count() as f64,
            edges: model
                .pairs
                .iter()
                .zip(alignments)
                .map(|(&(a, b), &x)| (a as usize, b as usize, as_written(x)))
                .collect(),
            key_series,
        }
    }
}

impl Observer for SeriesRecorder<'_> {
    fn observe(&mut self, sim: &Simulation) {
        if self.pairs.is_empty() {
            return;
        }
        self.steps.push(sim.step_count() as f64);
        let a = sim.pair_alignments();
        self.values.extend(self.pairs.iter().map(|&k| a[k]));
    }
}

/// An alignment as `alignments.csv` holds it (9 decimals), so that figures
/// drawn from memory and from the folder are the same bytes.
fn as_written(x: f64) -> f64 {
    let mut cell = [0; NUMBER_MAX];
    let len = fixed9(&mut cell, x);
    std::str::from_utf8(&cell[..len])
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(f64::NAN)
}

fn point(step: f64, value: f64) -> TrajectoryPoint {
    TrajectoryPoint {
        step,
        value,
        low: f64::NAN,
        high: f64::NAN,
    }
}

fn camp(value: f64) -> usize {
    if value.is_finite() && value >= 0.0 {
        value as usize
    } else {
        0
    }
}

impl RunPlotData {
    /// Reads a run folder: the states and their final power (`states.csv`), the
    /// camps and the ranked key pairs (`summary.csv`), every pair's final
    /// alignment and the key pairs' series (`alignments.csv`). A folder whose
    /// `summary.csv` has no `key_pair` rows (written before they were) ranks
    /// every pair by the same rule without its policy pairs.
    pub fn read(dir: &Path) -> Result<RunPlotData> {
        let summary = Summary::read(dir)?;
        let ranked = summary.key_pairs();
        let wanted: HashMap<(&str, &str), usize> = ranked
            .iter()
            .take(MAX_PAIRS)
            .enumerate()
            .map(|(r, (a, b))| ((a.as_str(), b.as_str()), r))
            .collect();
        // Each pair's final alignment, and the series of the key pairs (of every
        // pair without key_pair rows, until they are ranked), by the pair's place
        // in alignments.csv.
        let mut pairs: HashMap<(String, String), usize> = HashMap::new();
        let mut ends: Vec<(String, String)> = Vec::new();
        let mut finals: Vec<f64> = Vec::new();
        let mut series: Vec<Vec<TrajectoryPoint>> = Vec::new();
        let mut last_step = f64::NAN;
        read::run::alignments::<ReadError>(dir, |row, _| {
            let key = (row.a.to_string(), row.b.to_string());
            let k = match pairs.get(&key) {
                Some(&k) => k,
                None => {
                    pairs.insert(key.clone(), ends.len());
                    ends.push(key);
                    finals.push(f64::NAN);
                    series.push(Vec::new());
                    ends.len() - 1
                }
            };
            finals[k] = row.alignment;
            if k == 0 {
                last_step = row.step as f64;
            }
            let keep = ranked.is_empty()
                || wanted.contains_key(&(row.a, row.b))
                || wanted.contains_key(&(row.b, row.a));
            if keep {
                series[k].push(point(row.step as f64, row.alignment));
            }
            Ok(())
        })?;
        let path = dir.join("alignments.csv");
        if ends.is_empty() {
            return Err(PlotError::Empty(format!(
                "{} has no alignment rows",
                path.display()
            )));
        }
        // The states and their power at the last step.
        let mut data = RunPlotData {
            seed: read::run::seed(dir),
            last_step,
            ..RunPlotData::default()
        };
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut last = 0;
        read::run::states::<ReadError>(dir, |row, _| {
            let i = match index.get(row.state) {
                Some(&i) => i,
                None => {
                    index.insert(row.state.to_string(), data.ids.len());
                    data.ids.push(row.state.to_string());
                    data.powers.push(f64::NAN);
                    data.ids.len() - 1
                }
            };
            if row.step >= last {
                last = row.step;
                data.powers[i] = row.power;
            }
            Ok(())
        })?;
        data.camps = data
            .ids
            .iter()
            .map(|id| camp(summary.get("camp", id, "")))
            .collect();
        for ((a, b), &x) in ends.iter().zip(&finals) {
            let (Some(&i), Some(&j)) = (index.get(a), index.get(b)) else {
                return Err(ReadError::invalid(
                    &path,
                    format!("pair {a}-{b} of states not in states.csv"),
                )
                .into());
            };
            data.edges.push((i, j, x));
        }
        let mut order: Vec<usize> = Vec::new();
        if ranked.is_empty() {
            order = (0..ends.len()).collect();
            let power = |i: usize| data.powers[i];
            rank_pairs(
                &mut order,
                |_| None,
                |&k| {
                    let (i, j, a) = data.edges[k];
                    tie_strength(a, power(i) * power(j))
                },
            );
            order.truncate(MAX_PAIRS);
        } else {
            for (a, b) in ranked.iter().take(MAX_PAIRS) {
                let k = pairs
                    .get(&(a.clone(), b.clone()))
                    .or_else(|| pairs.get(&(b.clone(), a.clone())));
                let Some(&k) = k else {
                    return Err(ReadError::invalid(
                        &dir.join("summary.csv"),
                        format!("key pair {a}-{b} is not in alignments.csv"),
                    )
                    .into());
                };
                order.push(k);
            }
        }
        data.key_series = order
            .into_iter()
            .map(|k| Trajectory {
                pair: format!("{}-{}", ends[k].0, ends[k].1),
                points: std::mem::take(&mut series[k]),
            })
            .collect();
        Ok(data)
    }
}

/// Writes the figures of a run into `run_dir/plots/` in `formats`; returns the
/// files written.
pub fn write_run_plots(
    data: &RunPlotData,
    run_dir: &Path,
    formats: Formats,
) -> Result<Vec<PathBuf>> {
    if formats == Formats::None {
        return Ok(Vec::new());
    }
    if data.edges.is_empty() {
        return Err(PlotError::Empty(format!(
            "{}: the run has no pairs",
            run_dir.display()
        )));
    }
    let out = plots_dir(run_dir)?;
    // Titles hold nothing but the data (not the folder's name), so that a run
    // redone elsewhere draws the same bytes.
    let seed = data
        .seed
        .as_ref()
        .map_or(String::new(), |s| format!(", seed {s}"));
    let shown = data.key_series.len();
    let total = data.edges.len();
    let chosen = if shown < total {
        format!("{shown} key pairs of {total}")
    } else {
        format!("all {total} pairs")
    };
    let fig = TrajectoryFigure {
        title: "Alignment trajectories".to_string(),
        subtitle: format!("one run{seed}; {chosen}"),
        caption: format!(
            "Alignment of {chosen} over the steps of the run (policy pairs and pairs the \
             scenario lists, else the strongest ties), from alignments.csv."
        ),
        panels: vec![Panel {
            title: String::new(),
            trajectories: data.key_series.clone(),
        }],
    };
    let mut written = trajectories::write(&fig, &out.join("trajectories"), formats)?;
    let camps = data.camps.iter().copied().max().map_or(0, |m| m + 1);
    let fig = NetworkFigure {
        title: format!("Alignment network at step {}", short_number(data.last_step)),
        subtitle: format!(
            "one run{seed}; {} states, {} camp{}",
            data.ids.len(),
            camps,
            if camps == 1 { "" } else { "s" }
        ),
        caption: format!(
            "The signed network at the last step: node colour = camp (summary.csv), node \
             area ∝ power (states.csv), edge colour = sign and width ∝ |a_ij| of the final \
             alignment (alignments.csv); ties weaker than {MIN_EDGE} are not drawn."
        ),
        ids: data.ids.clone(),
        powers: data.powers.clone(),
        camps: data.camps.clone(),
        edges: data.edges.clone(),
    };
    written.extend(network::write(&fig, &out.join("network"), formats)?);
    prune_stale(&out, &["trajectories", "network"], &written)?;
    Ok(written)
}
