//! What a sweep runs: named configurations (a `--configs` file) × grid axes
//! (`--grid KEY=LO:HI:COUNT`), each a list of settings applied to the base
//! scenario, × replications; and which slice of those runs a shard takes.
//!
//! Runs are numbered `config × reps + rep`, configurations in file order then grid
//! order; a run's generator comes from (seed, config, rep) alone.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use super::aggregate::{CELL_BYTES, MEMORY_BUDGET};
use crate::engine::{Model, RunId};
use crate::scenario::params::ParamValue;
use crate::scenario::{InputError, PairKey, Scenario, Setting, SettingKey};

/// Most configurations a sweep may have: each keeps its compiled model for the
/// whole sweep (tens of kilobytes for world-2024), and a grid's configurations
/// are crossed before anything runs.
pub const MAX_CONFIGS: u64 = 100_000;

/// Most runs a sweep may have: the integer aggregates are exact up to ten million
/// runs, and `runs.csv` keeps one row per run in memory until it is written.
pub const MAX_RUNS: u64 = 10_000_000;

/// One axis of a grid: `count` values evenly spaced from `lo` to `hi` inclusive.
#[derive(Clone, Debug, PartialEq)]
pub struct GridAxis {
    /// The key it sets, as typed: a parameter, a pair `A-B` or `ID.attribute` (the
    /// values are numbers).
    pub key: String,
    /// The first value.
    pub lo: f64,
    /// The last value (above or below `lo`; equal to it when `count` is 1).
    pub hi: f64,
    /// The number of values, 1 to 10000: the factor by which the axis multiplies
    /// the configurations.
    pub count: usize,
}

impl FromStr for GridAxis {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let usage =
            || format!("`{s}` is not KEY=LO:HI:COUNT (e.g. loyalty=0:8:5 or RUS-CHN=-0.5:0.7:4)");
        let (key, range) = s.split_once('=').ok_or_else(usage)?;
        let parts: Vec<&str> = range.split(':').collect();
        let [lo, hi, count] = parts.as_slice() else {
            return Err(usage());
        };
        let number = |t: &str, what: &str| -> Result<f64, String> {
            match t.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(x),
                _ => Err(format!("`{s}`: {what} `{t}` is not a finite number")),
            }
        };
        let (lo, hi) = (number(lo, "LO")?, number(hi, "HI")?);
        let count = match count.trim().parse::<usize>() {
            Ok(c) if (1..=10_000).contains(&c) => c,
            _ => {
                return Err(format!(
                    "`{s}`: COUNT `{count}` is not a whole number from 1 to 10000"
                ))
            }
        };
        if count == 1 && lo != hi {
            return Err(format!("`{s}`: COUNT 1 needs LO = HI"));
        }
        let key = key.trim();
        if key.is_empty() {
            return Err(usage());
        }
        Ok(GridAxis {
            key: key.to_string(),
            lo,
            hi,
            count,
        })
    }
}

impl GridAxis {
    /// The axis's values as text, shortest round-trip form.
    pub fn values(&self) -> Vec<String> {
        (0..self.count)
            .map(|k| {
                let x = if self.count == 1 {
                    self.lo
                } else {
                    self.lo + (self.hi - self.lo) * k as f64 / (self.count - 1) as f64
                };
                ParamValue::render(&x)
            })
            .collect()
    }
}

impl fmt::Display for GridAxis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={}:{}:{}",
            self.key,
            ParamValue::render(&self.lo),
            ParamValue::render(&self.hi),
            self.count
        )
    }
}

/// `--shard I/N`: this process runs the runs whose number is I modulo N.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// I: this shard runs the runs whose number is I modulo N, from 0.
    pub index: u64,
    /// N: the number of shards (1 for a whole sweep).
    pub count: u64,
}

impl Shard {
    /// The whole sweep, `0/1`: every run.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Whether run `run` belongs to this shard (round robin: balanced across
    /// configurations and replications).
    pub fn owns(&self, run: u64) -> bool {
        run % self.count == self.index
    }

    /// The shard of this Slurm array task, when `SLURM_ARRAY_TASK_ID` and
    /// `SLURM_ARRAY_TASK_COUNT` are set: see [`Shard::of_array_task`].
    pub fn from_slurm_env() -> Result<Option<Shard>, String> {
        let var = |name: &str| std::env::var(name).ok();
        let Some(id) = var("SLURM_ARRAY_TASK_ID") else {
            return Ok(None);
        };
        let number = |name: &str, text: Option<String>, default: u64| match text {
            None => Ok(default),
            Some(t) => t
                .trim()
                .parse::<u64>()
                .map_err(|_| format!("{name}=`{t}` is not a whole number")),
        };
        let id = number("SLURM_ARRAY_TASK_ID", Some(id), 0)?;
        let min = number("SLURM_ARRAY_TASK_MIN", var("SLURM_ARRAY_TASK_MIN"), 0)?;
        let step = number("SLURM_ARRAY_TASK_STEP", var("SLURM_ARRAY_TASK_STEP"), 1)?;
        let (count, max) = match (var("SLURM_ARRAY_TASK_COUNT"), var("SLURM_ARRAY_TASK_MAX")) {
            (Some(count), max) => {
                let count = number("SLURM_ARRAY_TASK_COUNT", Some(count), 0)?;
                let last = (min + step * count).saturating_sub(step);
                (count, number("SLURM_ARRAY_TASK_MAX", max, last)?)
            }
            // Slurm before 17.11 sets no count: the range gives it.
            (None, Some(max)) => {
                let max = number("SLURM_ARRAY_TASK_MAX", Some(max), 0)?;
                (max.saturating_sub(min) / step.max(1) + 1, max)
            }
            (None, None) => {
                return Err(
                    "SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT \
                            nor SLURM_ARRAY_TASK_MAX: give --shard I/N"
                        .into(),
                )
            }
        };
        Shard::of_array_task(id, count, min, max, step).map(Some)
    }

    /// Task `id` of a Slurm job array `--array=MIN-MAX:STEP` of `count` tasks is
    /// shard (id − MIN) / STEP of `count`: `--array=0-3`, `--array=1-4` and
    /// `--array=0-6:2` all make four shards 0..3. An array that is not one such
    /// range (`--array=0,3,7`) is refused rather than leaving shards that no task
    /// runs. A throttle (`--array=0-15%4`) changes none of these numbers.
    pub fn of_array_task(
        id: u64,
        count: u64,
        min: u64,
        max: u64,
        step: u64,
    ) -> Result<Shard, String> {
        let array = format!("task {id} of a job array {min}-{max}:{step} of {count} tasks");
        let evenly = step >= 1
            && count >= 1
            && max >= min
            && (max - min).is_multiple_of(step)
            && (max - min) / step + 1 == count;
        if !evenly {
            return Err(format!(
                "{array}: the array is not one range MIN-MAX:STEP of COUNT tasks, so its tasks \
                 cannot number the shards; use --array=0-{}, or --shard I/N",
                count.saturating_sub(1)
            ));
        }
        if id < min || id > max || !(id - min).is_multiple_of(step) {
            return Err(format!("{array}: the task is not in the array"));
        }
        Ok(Shard {
            index: (id - min) / step,
            count,
        })
    }
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{s}` is not I/N with 0 <= I < N (e.g. --shard 0/4, as --array=0-3 numbers tasks)"
            )
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            i.trim().parse::<u64>().map_err(|_| bad())?,
            n.trim().parse::<u64>().map_err(|_| bad())?,
        );
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A named configuration: settings applied to the base scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigSpec {
    /// Its name: the `config` cell of its row, followed in a [`SweepSpec`] by
    /// `/KEY=VALUE` for each grid axis (a grid point alone is named by those, the
    /// base scenario alone `base`).
    pub name: String,
    /// Its settings, applied in order to the base scenario: the non-empty cells of
    /// its row, then one per grid axis.
    pub settings: Vec<Setting>,
}

/// Why a `--configs` file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigsError {
    /// The file cannot be read.
    #[error("cannot read the configurations file {path}")]
    Unreadable {
        /// The file, as given.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Its header, rows or cells are wrong: every error, each with file, line and
    /// value.
    #[error("{}{} error{} in the configurations file", .0.iter().map(|e| format!("{e}\n")).collect::<String>(), .0.len(), if .0.len() == 1 { "" } else { "s" })]
    Invalid(Vec<InputError>),
}

/// Reads a `--configs` file: first column `config` (the name), other columns keys
/// (parameters or pairs) with one value per row; an empty cell leaves the key as
/// the scenario has it. Every bad cell is reported with file, line and value.
pub fn read_configs(path: &Path, base: &Scenario) -> Result<Vec<ConfigSpec>, ConfigsError> {
    let label = path.display().to_string();
    let fail = |line: u64, message: String| {
        ConfigsError::Invalid(vec![InputError::line(&label, line, message)])
    };
    let bytes = std::fs::read(path).map_err(|source| ConfigsError::Unreadable {
        path: label.clone(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| fail(1, format!("has an unreadable header: {e}")))?
        .clone();
    if headers.get(0) != Some("config") {
        return Err(fail(
            1,
            format!(
                "the first column must be `config`, not `{}`",
                headers.get(0).unwrap_or("")
            ),
        ));
    }
    // A key set by two columns would silently take the later one.
    let keys: Vec<String> = headers.iter().map(SettingKey::canonical).collect();
    for (k, key) in keys.iter().enumerate().skip(1) {
        if let Some(first) = keys[1..k].iter().position(|x| x == key) {
            return Err(ConfigsError::Invalid(vec![InputError {
                column: Some(headers[k].to_string()),
                ..InputError::line(
                    &label,
                    1,
                    format!(
                        "sets the same key as column {} (`{}`)",
                        first + 2,
                        &headers[first + 1]
                    ),
                )
            }]));
        }
    }
    let mut errors = Vec::new();
    let mut configs: Vec<ConfigSpec> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(InputError::line(
                    &label,
                    e.position().map_or(0, |p| p.line()),
                    format!("cannot be read: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let name = record.get(0).unwrap_or("").to_string();
        if name.is_empty() || name.contains(['/', ',', '"']) {
            errors.push(InputError::cell(
                &label,
                line,
                "config",
                &name,
                "is not a configuration name (non-empty, no `/`, `,` or `\"`)",
            ));
            continue;
        }
        if configs.iter().any(|c| c.name == name) {
            errors.push(InputError::cell(
                &label,
                line,
                "config",
                &name,
                "is a duplicate configuration",
            ));
            continue;
        }
        let mut settings = Vec::new();
        let mut trial = base.clone();
        for (key, value) in headers.iter().zip(record.iter()).skip(1) {
            if value.is_empty() {
                continue;
            }
            match trial.apply(key, value) {
                Ok(()) => settings.push(Setting {
                    key: key.to_string(),
                    value: value.to_string(),
                }),
                Err(e) => errors.push(InputError::cell(&label, line, key, value, e.to_string())),
            }
        }
        configs.push(ConfigSpec { name, settings });
    }
    if configs.is_empty() && errors.is_empty() {
        errors.push(InputError::file(&label, "has no configurations"));
    }
    if errors.is_empty() {
        Ok(configs)
    } else {
        Err(ConfigsError::Invalid(errors))
    }
}

/// Everything that defines a sweep's runs.
#[derive(Clone, Debug)]
pub struct SweepSpec {
    /// The base scenario, with `--set` applied.
    pub base: Scenario,
    /// The configurations crossed with every grid axis, in the order runs are
    /// numbered (one, `base`, without `--configs` or a grid).
    pub configs: Vec<ConfigSpec>,
    /// The keys that vary across configurations (columns of `runs.csv`).
    pub varying: Vec<String>,
    /// Replications per configuration, at least 1.
    pub reps: u64,
    /// The sweep's seed (the base scenario's `seed`), the same for every run: a
    /// run's generators come from (seed, config, rep).
    pub seed: u64,
    /// The pairs whose trajectories are aggregated; `None`: each
    /// configuration's key pairs (those its scenario names).
    pub track: Option<Vec<PairKey>>,
    /// Whether the tracked pairs' trajectories are aggregated (`trajectories.csv`);
    /// their end-of-run metrics are reported either way.
    pub trajectories: bool,
}

/// Why a sweep cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// A configuration's settings do not apply to the base scenario, or it lacks a
    /// pair to track.
    #[error("configuration `{config}`: {message}")]
    Config {
        /// The configuration's name.
        config: String,
        /// Why, from the setting's or the tracking's error.
        message: String,
    },
    /// `--reps 0`.
    #[error("--reps must be at least 1")]
    NoReps,
    /// One key set by two sources (`--set`, a `--configs` column, a `--grid` axis;
    /// `A-B` and `B-A` are one key), where the later would silently win.
    #[error("`{key}` is set twice, by {first} and by {second}: set each key once")]
    TwiceSet {
        /// The key, as one of the two spelled it.
        key: String,
        /// The source that set it first (`--set KEY=VALUE`, `--grid …`, the
        /// `--configs` column …).
        first: String,
        /// The source that set it again.
        second: String,
    },
    /// `seed` set by a `--configs` column or a `--grid` axis: a sweep has one seed.
    #[error("`{key}` cannot vary within a sweep ({by}): every run's generator comes from the sweep's seed, its configuration and its replication; set the seed with --seed and the number of replications with --reps")]
    SeedVaries {
        /// The key (`seed`).
        key: String,
        /// The column or axis that sets it.
        by: String,
    },
    /// `--track` names one pair twice (in either spelling).
    #[error("--track names the pair {pair} twice")]
    TrackedTwice {
        /// The pair, in its one spelling.
        pair: String,
    },
    /// More than [`MAX_CONFIGS`] configurations.
    #[error("{configs} configurations is more than the {MAX_CONFIGS} a sweep may have (each holds its compiled model for the whole sweep): use fewer grid values or split the sweep")]
    TooManyConfigs {
        /// Configurations once crossed with the grid (saturating, never wrapping).
        configs: u128,
    },
    /// The trajectory aggregates of every configuration would take more than
    /// [`MEMORY_BUDGET`]: refused before the models are built.
    #[error("the trajectory aggregates would need {gib:.1} GiB of memory ({configs} configuration(s) × {steps} steps × {pairs} tracked pairs × {CELL_BYTES} bytes, plus one configuration's worth per worker thread), more than the 4 GiB budget: use fewer --steps, --track fewer pairs, fewer configurations or fewer --threads (--shard does not help: every shard holds every configuration's aggregates)")]
    TooMuchMemory {
        /// The memory the sweep's own aggregates would need, in GiB (2³⁰ bytes).
        gib: f64,
        /// The number of configurations.
        configs: usize,
        /// Rows of the first configuration's trajectory (its steps + 1).
        steps: usize,
        /// Tracked pairs of the first configuration.
        pairs: usize,
    },
    /// More than [`MAX_RUNS`] runs in all.
    #[error("{configs} configuration(s) × {reps} replications is more than the {MAX_RUNS} runs a sweep may have: use fewer --reps or grid values, or split the sweep")]
    TooManyRuns {
        /// Configurations once crossed with the grid (saturating, never wrapping).
        configs: u128,
        /// Replications per configuration.
        reps: u64,
    },
}

impl SweepSpec {
    /// Crosses the configurations (or the base alone) with every grid axis.
    /// `base` carries the `--set` settings `set` (with `--steps` and `--seed` as
    /// `steps=…` and `seed=…`); every key is then set by one source only — one
    /// `--set`, a configuration column or a grid axis — since otherwise the last
    /// would silently win. The seed cannot vary: it is the sweep's.
    pub fn new(
        base: Scenario,
        set: &[Setting],
        configs: Vec<ConfigSpec>,
        grid: &[GridAxis],
        reps: u64,
    ) -> Result<Self, SpecError> {
        if reps == 0 {
            return Err(SpecError::NoReps);
        }
        if let Some((first, second)) = Setting::first_repeat(set) {
            return Err(SpecError::TwiceSet {
                key: second.key.clone(),
                first: format!("--set {first}"),
                second: format!("--set {second}"),
            });
        }
        let seeded = configs
            .iter()
            .flat_map(|c| &c.settings)
            .map(|s| (s.key.as_str(), format!("the --configs column `{}`", s.key)))
            .chain(grid.iter().map(|a| (a.key.as_str(), format!("--grid {a}"))));
        for (key, by) in seeded {
            if key.trim() == "seed" {
                return Err(SpecError::SeedVaries {
                    key: key.trim().to_string(),
                    by,
                });
            }
        }
        // (canonical key, how it was set), `--set` first.
        let mut sources: Vec<(String, String)> = set
            .iter()
            .map(|f| {
                (
                    SettingKey::canonical(&f.key),
                    format!("--set {}={}", f.key, f.value),
                )
            })
            .collect();
        let fixed = sources.len();
        for c in &configs {
            for s in &c.settings {
                let key = SettingKey::canonical(&s.key);
                if let Some(f) = sources[..fixed].iter().position(|(k, _)| *k == key) {
                    return Err(SpecError::TwiceSet {
                        key: set[f].key.clone(),
                        first: sources[f].1.clone(),
                        second: format!("the configurations (`{}`)", s.key),
                    });
                }
                if !sources.iter().any(|(k, _)| *k == key) {
                    sources.push((key, format!("the --configs column `{}`", s.key)));
                }
            }
        }
        for axis in grid {
            let key = SettingKey::canonical(&axis.key);
            let second = format!("--grid {axis}");
            if let Some((_, first)) = sources.iter().find(|(k, _)| *k == key) {
                return Err(SpecError::TwiceSet {
                    key: axis.key.clone(),
                    first: first.clone(),
                    second,
                });
            }
            sources.push((key, second));
        }
        // Checked before anything is allocated per configuration or run.
        let configs_count = grid.iter().fold(configs.len().max(1) as u128, |n, a| {
            n.saturating_mul(a.count as u128)
        });
        if configs_count > MAX_CONFIGS as u128 {
            return Err(SpecError::TooManyConfigs {
                configs: configs_count,
            });
        }
        if configs_count.saturating_mul(reps as u128) > MAX_RUNS as u128 {
            return Err(SpecError::TooManyRuns {
                configs: configs_count,
                reps,
            });
        }
        let mut crossed = if configs.is_empty() {
            vec![ConfigSpec {
                name: String::new(),
                settings: Vec::new(),
            }]
        } else {
            configs
        };
        for axis in grid {
            let mut next = Vec::with_capacity(crossed.len() * axis.count);
            for c in &crossed {
                for v in axis.values() {
                    let mut settings = c.settings.clone();
                    settings.push(Setting {
                        key: axis.key.clone(),
                        value: v.clone(),
                    });
                    let part = format!("{}={v}", axis.key);
                    let name = if c.name.is_empty() {
                        part
                    } else {
                        format!("{}/{part}", c.name)
                    };
                    next.push(ConfigSpec { name, settings });
                }
            }
            crossed = next;
        }
        for c in &mut crossed {
            if c.name.is_empty() {
                c.name = "base".into();
            }
        }
        let mut varying: Vec<String> = Vec::new();
        for c in &crossed {
            for s in &c.settings {
                if !varying.contains(&s.key) {
                    varying.push(s.key.clone());
                }
            }
        }
        let spec = SweepSpec {
            seed: base.params.seed,
            base,
            configs: crossed,
            varying,
            reps,
            track: None,
            trajectories: true,
        };
        for k in 0..spec.configs.len() {
            spec.scenario(k)?;
        }
        Ok(spec)
    }

    /// The scenario of configuration `k`.
    pub fn scenario(&self, k: usize) -> Result<Scenario, SpecError> {
        let c = &self.configs[k];
        let mut s = self.base.clone();
        s.apply_all(&c.settings).map_err(|e| SpecError::Config {
            config: c.name.clone(),
            message: e.to_string(),
        })?;
        s.params.seed = self.seed;
        Ok(s)
    }

    /// The compiled models of every configuration. The first one's trajectory
    /// size, times the configurations, is checked against [`MEMORY_BUDGET`]
    /// before the others are built: a grid too large to aggregate is refused
    /// before its models fill the memory.
    pub fn models(&self) -> Result<Vec<Model>, SpecError> {
        let model = |k: usize| -> Result<Model, SpecError> {
            let mut model = Model::new(self.scenario(k)?);
            if let Some(track) = &self.track {
                model.key_pairs = track
                    .iter()
                    .map(|key| {
                        let s = &model.scenario;
                        let (a, b) = key.ids();
                        let found = s
                            .state_index(a)
                            .zip(s.state_index(b))
                            .and_then(|(a, b)| model.pair_index(a, b));
                        found.ok_or_else(|| SpecError::Config {
                            config: self.configs[k].name.clone(),
                            message: format!("cannot track `{key}`: not a pair of evolving states"),
                        })
                    })
                    .collect::<Result<_, _>>()?;
            }
            Ok(model)
        };
        let mut models = Vec::with_capacity(self.configs.len());
        for k in 0..self.configs.len() {
            let m = model(k)?;
            if k == 0 && self.trajectories {
                let steps = m.params().steps as usize + 1;
                let pairs = m.key_pairs.len();
                let bytes =
                    self.configs.len() as u128 * steps as u128 * pairs as u128 * CELL_BYTES as u128;
                if bytes > MEMORY_BUDGET as u128 {
                    return Err(SpecError::TooMuchMemory {
                        gib: bytes as f64 / (1u64 << 30) as f64,
                        configs: self.configs.len(),
                        steps,
                        pairs,
                    });
                }
            }
            models.push(m);
        }
        Ok(models)
    }

    /// Tracks only these pairs' trajectories, checking that every configuration
    /// has them.
    pub fn with_track(mut self, pairs: Vec<PairKey>) -> Result<Self, SpecError> {
        if let Some(k) = (1..pairs.len()).find(|&k| pairs[..k].contains(&pairs[k])) {
            return Err(SpecError::TrackedTwice {
                pair: pairs[k].to_string(),
            });
        }
        self.track = Some(pairs);
        self.models()?;
        Ok(self)
    }

    /// Reports the tracked pairs' metrics but aggregates no trajectories (for
    /// sweeps of thousands of configurations, whose aggregates would not fit).
    pub fn without_trajectories(mut self) -> Self {
        self.trajectories = false;
        self
    }

    /// The number of runs of the whole sweep, configurations × reps (every
    /// shard's, not this one's).
    pub fn run_count(&self) -> u64 {
        self.configs.len() as u64 * self.reps
    }

    /// The configuration, replication and generator of run `run`.
    pub fn run_id(&self, run: u64) -> (usize, RunId) {
        let config = run / self.reps;
        (
            config as usize,
            RunId::new(self.seed, config, run % self.reps),
        )
    }

    /// The value of `key` in configuration `k` (empty when the configuration does
    /// not set it).
    pub fn value(&self, k: usize, key: &str) -> &str {
        self.configs[k]
            .settings
            .iter()
            .rev()
            .find(|s| s.key == key)
            .map_or("", |s| s.value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_evenly_numbered_slurm_array_makes_shards_0_to_n() {
        for (min, max, step) in [(0, 3, 1), (1, 4, 1), (0, 6, 2), (10, 19, 3)] {
            let count = (max - min) / step + 1;
            let shards: Vec<u64> = (min..=max)
                .step_by(step as usize)
                .map(|id| {
                    Shard::of_array_task(id, count, min, max, step)
                        .unwrap()
                        .index
                })
                .collect();
            assert_eq!(shards, (0..count).collect::<Vec<_>>(), "{min}-{max}:{step}");
        }
        // --array=0,3,7 (3 tasks over 0..7), and a task outside its array
        let e = Shard::of_array_task(3, 3, 0, 7, 1).unwrap_err();
        assert!(e.contains("not one range MIN-MAX:STEP"), "{e}");
        assert!(e.contains("use --array=0-2, or --shard I/N"), "{e}");
        let e = Shard::of_array_task(5, 4, 0, 6, 2).unwrap_err();
        assert!(
            e.contains("task 5 of a job array 0-6:2 of 4 tasks: the task is not in the array"),
            "{e}"
        );
    }

    #[test]
    fn grid_axes_parse_and_space_evenly() {
        let g: GridAxis = "RUS-CHN=-0.5:0.5:5".parse().unwrap();
        assert_eq!(g.values(), vec!["-0.5", "-0.25", "0", "0.25", "0.5"]);
        assert!("loyalty=0:1"
            .parse::<GridAxis>()
            .unwrap_err()
            .contains("KEY=LO:HI:COUNT"));
        assert!("loyalty=0:x:3"
            .parse::<GridAxis>()
            .unwrap_err()
            .contains("HI `x`"));
        assert!("loyalty=0:1:0"
            .parse::<GridAxis>()
            .unwrap_err()
            .contains("COUNT `0`"));
        assert!("loyalty=0:1:1"
            .parse::<GridAxis>()
            .unwrap_err()
            .contains("LO = HI"));
    }

    #[test]
    fn shards_partition_the_runs() {
        assert_eq!(
            "2/3".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 3 }
        );
        for bad in ["3/3", "1", "a/2", "0/0", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        for run in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.owns(run)).count(), 1);
        }
    }
}
