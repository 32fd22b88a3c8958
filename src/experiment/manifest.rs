//! `manifest.json`: what a sweep ran — version, command line, scenario hash,
//! resolved parameters, configurations, seed, reps, shard — and the layout of its
//! outputs, enough to reproduce every byte and to check that shards belong together.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::spec::{Shard, SweepSpec};
use crate::engine::metrics::Metric;
use crate::engine::{Model, RunMetrics, Simulation};

/// One configuration's place in the outputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigLayout {
    /// The configuration's name (`base` when the sweep has only the base scenario).
    pub name: String,
    /// Its settings, `KEY=VALUE`.
    pub settings: Vec<String>,
    /// Its value of each varying key (empty when it does not set it).
    pub values: Vec<String>,
    /// The metric columns this configuration has (indices into `Layout::columns`).
    pub columns: Vec<usize>,
    /// The key pairs whose trajectories are aggregated, `A-B`.
    pub pairs: Vec<String>,
    /// Rows of the trajectory (steps + 1).
    pub steps: usize,
}

/// The columns and configurations of a sweep's outputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// The keys that vary across configurations, in order of first appearance: the
    /// columns of `runs.csv` before the metrics.
    pub varying: Vec<String>,
    /// Metric columns of `runs.csv`: `name`, `name:USA`, `name:RUS-CHN`, `name:USA>RUS`.
    pub columns: Vec<String>,
    /// Every configuration, in configuration order.
    pub configs: Vec<ConfigLayout>,
}

impl Layout {
    /// The layout of a sweep of `spec`, whose configurations compile to `models`.
    pub fn new(spec: &SweepSpec, models: &[Model]) -> Layout {
        let mut columns: Vec<String> = Vec::new();
        let mut configs = Vec::new();
        for (k, (c, model)) in spec.configs.iter().zip(models).enumerate() {
            let mut own = Vec::new();
            for m in metric_template(model) {
                let col = m.column(model);
                let idx = match columns.iter().position(|x| *x == col) {
                    Some(i) => i,
                    None => {
                        columns.push(col);
                        columns.len() - 1
                    }
                };
                own.push(idx);
            }
            configs.push(ConfigLayout {
                name: c.name.clone(),
                settings: c.settings.iter().map(|s| s.to_string()).collect(),
                values: spec
                    .varying
                    .iter()
                    .map(|key| spec.value(k, key).to_string())
                    .collect(),
                columns: own,
                pairs: if spec.trajectories {
                    model
                        .key_pairs
                        .iter()
                        .map(|&p| model.pair_key(p).to_string())
                        .collect()
                } else {
                    Vec::new()
                },
                steps: model.params().steps as usize + 1,
            });
        }
        Layout {
            varying: spec.varying.clone(),
            columns,
            configs,
        }
    }
}

/// The metrics a run of `model` reports, in order (their values are those of a
/// run that has not started; only names and subjects matter).
pub fn metric_template(model: &Model) -> Vec<Metric> {
    let sim = Simulation::new(model, crate::engine::RunId::new(0, 0, 0));
    RunMetrics::new(model).finish(&sim)
}

/// `--shard I/N` as the manifest records it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// I: this shard runs the runs whose number is I modulo N, from 0.
    pub index: u64,
    /// N: the number of shards (1 for a whole sweep).
    pub count: u64,
}

/// The manifest of a sweep (or of one shard of it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The version of entente that ran the sweep (`CARGO_PKG_VERSION`).
    pub entente_version: String,
    /// The command line, program name first.
    pub command_line: Vec<String>,
    /// The base scenario's name.
    pub scenario: String,
    /// The folder the base scenario was read from, as given.
    pub scenario_dir: String,
    /// SHA-256 of the base scenario's canonical files (with `--set` applied).
    pub scenario_hash: String,
    /// The sweep's seed (the base scenario's `seed`).
    pub seed: u64,
    /// Replications per configuration.
    pub reps: u64,
    /// Runs of the whole sweep: configurations × replications.
    pub runs: u64,
    /// The `--grid` axes, `KEY=LO:HI:COUNT`.
    pub grid: Vec<String>,
    /// The base parameters, resolved.
    pub params: Vec<(String, String)>,
    /// Which shard this is.
    pub shard: ShardInfo,
    /// Identity of the sweep, the same for all its shards: a hash of the entente
    /// version, the scenario's hash, seed, reps, grid, parameters and the layout
    /// below ([`Manifest::identity`]) — not of the command line, the folder
    /// names, the shard or the run count.
    pub sweep_id: String,
    /// The columns and configurations of the outputs.
    pub layout: Layout,
}

impl Manifest {
    /// The manifest of `spec`'s sweep (or of its shard `shard`), with its sweep id.
    pub fn new(spec: &SweepSpec, layout: Layout, grid: &[String], shard: Shard) -> Manifest {
        let mut m = Manifest {
            entente_version: env!("CARGO_PKG_VERSION").to_string(),
            command_line: std::env::args().collect(),
            scenario: spec.base.name.clone(),
            scenario_dir: spec.base.dir.display().to_string(),
            scenario_hash: spec.base.hash(),
            seed: spec.seed,
            reps: spec.reps,
            runs: spec.run_count(),
            grid: grid.to_vec(),
            params: spec
                .base
                .params
                .entries()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            shard: ShardInfo {
                index: shard.index,
                count: shard.count,
            },
            sweep_id: String::new(),
            layout,
        };
        m.sweep_id = m.identity();
        m
    }

    /// The hash of the fields that define the sweep's results.
    pub fn identity(&self) -> String {
        let key = serde_json::json!({
            "version": self.entente_version,
            "scenario_hash": self.scenario_hash,
            "seed": self.seed,
            "reps": self.reps,
            "grid": self.grid,
            "params": self.params,
            "layout": self.layout,
        });
        let digest = Sha256::digest(key.to_string().as_bytes());
        digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
    }

    /// The manifest as `manifest.json` holds it: pretty-printed, with a final newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a manifest serializes") + "\n"
    }
}
