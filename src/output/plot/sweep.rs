//! The figures of a sweep folder (and of a compare or claims folder, which are
//! sweeps), drawn from its files: the trajectory bands of its key pairs as small
//! multiples, one panel per configuration, and the heatmaps of its key metrics
//! over the grid of two pair keys.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::heatmap::{self, distinct, metric_title, unit_metric, HeatmapFigure};
use super::style::{short_number, slug};
use super::trajectories::{self, Panel, Trajectory, TrajectoryFigure, TrajectoryPoint};
use super::{
    plots_dir, prune_stale, Formats, Result, MAX_PAIRS, MAX_TRAJECTORY_FIGURES, PANELS_PER_FIGURE,
};
use crate::engine::model::{rank_pairs, tie_strength};
use crate::experiment::manifest::{ConfigLayout, Manifest};
use crate::output::read::{self, sweep::Stat};
use crate::scenario::{PairKey, SettingKey};

/// The names of the files a sweep's plots own (an earlier sweep's are pruned).
const STEMS: &[&str] = &["trajectories", "heatmap-"];

/// Per configuration: the trajectories of `pairs` (`A-B` as in the file) from
/// `trajectories.csv` (mean and p05–p95), in the order of `pairs`.
fn sweep_trajectories(
    dir: &Path,
    configs: &[String],
    pairs: &[String],
) -> Result<Vec<Vec<Trajectory>>> {
    let wanted: HashMap<&str, usize> = configs
        .iter()
        .enumerate()
        .map(|(k, c)| (c.as_str(), k))
        .collect();
    let pair_index: HashMap<&str, usize> = pairs
        .iter()
        .enumerate()
        .map(|(k, p)| (p.as_str(), k))
        .collect();
    let mut out: Vec<Vec<Trajectory>> = vec![
        pairs
            .iter()
            .map(|p| Trajectory {
                pair: p.clone(),
                points: Vec::new(),
            })
            .collect();
        configs.len()
    ];
    let mut pair = String::new();
    read::sweep::trajectories(dir, |row| {
        let Some(&k) = wanted.get(row.config) else {
            return Ok(());
        };
        pair.clear();
        pair.push_str(row.a);
        pair.push('-');
        pair.push_str(row.b);
        if let Some(&t) = pair_index.get(pair.as_str()) {
            out[k][t].points.push(TrajectoryPoint {
                step: row.step,
                value: row.mean,
                low: row.p05,
                high: row.p95,
            });
        }
        Ok(())
    })?;
    for ts in &mut out {
        ts.retain(|t| !t.points.is_empty());
    }
    Ok(out)
}

/// The pairs whose trajectories a sweep's figures show, the same in every panel:
/// all the aggregated pairs if at most [`MAX_PAIRS`]; else the [`priority_pairs`]
/// and then the strongest ties between powers in any configuration, ranked by
/// |mean final alignment|·√(power share product) (`final_alignment:A-B` and
/// `power_share:A` in `summary.csv`).
fn sweep_pairs(manifest: &Manifest, summary: &HashMap<(String, String), Stat>) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for c in &manifest.layout.configs {
        for p in &c.pairs {
            if !all.contains(p) {
                all.push(p.clone());
            }
        }
    }
    if all.len() <= MAX_PAIRS {
        return all;
    }
    let priority = priority_pairs(manifest);
    let strength = |p: &String| {
        let key = p.parse::<PairKey>().ok();
        let (a, b) = key.as_ref().map_or((p.as_str(), ""), PairKey::ids);
        let mean = |c: &str, m: String| summary.get(&(c.to_string(), m)).map(|s| s.mean);
        manifest
            .layout
            .configs
            .iter()
            .filter_map(|c| {
                let alignment = mean(&c.name, format!("final_alignment:{p}"))?;
                let share = |s: &str| mean(&c.name, format!("power_share:{s}"));
                let product = match (share(a), share(b)) {
                    (Some(x), Some(y)) => x * y,
                    _ => f64::NAN,
                };
                Some(tie_strength(alignment, product))
            })
            .fold(0.0f64, f64::max)
    };
    rank_pairs(&mut all, |p| priority.iter().position(|q| q == p), strength);
    all.truncate(MAX_PAIRS);
    all
}

/// The pairs a sweep is about: those its configurations vary and those of its
/// policies (from the `reciprocation_rate:A>B` columns), as `A-B` with sorted ids.
pub fn priority_pairs(manifest: &Manifest) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let directed = manifest
        .layout
        .columns
        .iter()
        .filter_map(|c| c.strip_prefix("reciprocation_rate:"))
        .filter_map(PairKey::from_directed);
    let varying = manifest
        .layout
        .varying
        .iter()
        .filter_map(|k| k.parse::<SettingKey>().ok()?.pair().cloned());
    for key in directed.chain(varying) {
        let key = key.to_string();
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

/// Whether a key names a pair (`RUS-CHN`) rather than a parameter, a state's
/// attribute or an approach.
pub fn is_pair_key(key: &str) -> bool {
    matches!(key.parse(), Ok(SettingKey::Pair(_)))
}

/// One heatmap a sweep can draw: the configurations that set both pair keys to
/// numbers and agree on every other varying key.
#[derive(Clone, Debug)]
pub struct SweepGrid {
    /// The pair key of the x axis, the first of the two varying pair keys (e.g.
    /// `RUS-CHN`).
    pub x_key: String,
    /// The pair key of the y axis, the second.
    pub y_key: String,
    /// The other varying keys' values shared by the grid's configurations
    /// (`key=value`), empty when they set none.
    pub fixed: Vec<String>,
    /// (config name, x, y).
    pub configs: Vec<(String, f64, f64)>,
}

/// The grids of a sweep that varies exactly two pair keys; one grid per
/// combination of the other varying keys, each with at least two cells that fill
/// at least half of its x × y grid.
pub fn sweep_grids(manifest: &Manifest) -> Vec<SweepGrid> {
    let layout = &manifest.layout;
    let pair_keys: Vec<usize> = layout
        .varying
        .iter()
        .enumerate()
        .filter(|(_, k)| is_pair_key(k))
        .map(|(i, _)| i)
        .collect();
    if pair_keys.len() != 2 {
        return Vec::new();
    }
    let (ix, iy) = (pair_keys[0], pair_keys[1]);
    let mut groups: BTreeMap<Vec<String>, SweepGrid> = BTreeMap::new();
    let mut order: Vec<Vec<String>> = Vec::new();
    for c in &layout.configs {
        let value = |i: usize| c.values.get(i).and_then(|v| v.trim().parse::<f64>().ok());
        let (Some(x), Some(y)) = (value(ix), value(iy)) else {
            continue;
        };
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let fixed: Vec<String> = layout
            .varying
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != ix && *i != iy)
            .filter_map(|(i, k)| {
                let v = c.values.get(i).map(String::as_str).unwrap_or("");
                (!v.is_empty()).then(|| format!("{k}={v}"))
            })
            .collect();
        let grid = groups.entry(fixed.clone()).or_insert_with(|| {
            order.push(fixed.clone());
            SweepGrid {
                x_key: layout.varying[ix].clone(),
                y_key: layout.varying[iy].clone(),
                fixed,
                configs: Vec::new(),
            }
        });
        let dup = grid.configs.iter().any(|&(_, gx, gy)| gx == x && gy == y);
        if !dup {
            grid.configs.push((c.name.clone(), x, y));
        }
    }
    order
        .into_iter()
        .filter_map(|k| groups.remove(&k))
        .filter(|g| {
            let xs = distinct(g.configs.iter().map(|c| c.1)).len();
            let ys = distinct(g.configs.iter().map(|c| c.2)).len();
            g.configs.len() >= 2 && 2 * g.configs.len() >= xs * ys
        })
        .collect()
}

/// The metrics a sweep's heatmaps show: each policy pair's reciprocation rate and
/// mean p (at most two policy pairs); else the balance index.
fn heatmap_metrics(manifest: &Manifest) -> Vec<String> {
    let cols = &manifest.layout.columns;
    let mut out = Vec::new();
    for c in cols
        .iter()
        .filter(|c| c.starts_with("reciprocation_rate:"))
        .take(2)
    {
        out.push(c.clone());
        let p = c.replacen("reciprocation_rate:", "mean_p:", 1);
        if cols.contains(&p) {
            out.push(p);
        }
    }
    if out.is_empty() && cols.iter().any(|c| c == "balance_index") {
        out.push("balance_index".into());
    }
    out
}

/// Writes the heatmaps of a sweep (see [`sweep_grids`]) of its key metrics.
fn write_sweep_heatmaps(
    dir: &Path,
    manifest: &Manifest,
    out: &Path,
    formats: Formats,
) -> Result<Vec<PathBuf>> {
    let grids = sweep_grids(manifest);
    if grids.is_empty() {
        return Ok(Vec::new());
    }
    let summary = read::sweep::summary(dir)?;
    let mut written = Vec::new();
    for metric in heatmap_metrics(manifest) {
        for grid in grids.iter().take(4) {
            let mut n_min = f64::INFINITY;
            let mut n_max: f64 = 0.0;
            let cells: Vec<(f64, f64, f64)> = grid
                .configs
                .iter()
                .map(|(name, x, y)| {
                    let (n, mean) = summary
                        .get(&(name.clone(), metric.clone()))
                        .map_or((0.0, f64::NAN), |s| (s.n, s.mean));
                    n_min = n_min.min(n);
                    n_max = n_max.max(n);
                    (*x, *y, mean)
                })
                .collect();
            let reps = if n_min == n_max {
                format!("{} replications per cell", short_number(n_max))
            } else {
                format!(
                    "{}–{} replications per cell",
                    short_number(n_min),
                    short_number(n_max)
                )
            };
            let fixed = if grid.fixed.is_empty() {
                String::new()
            } else {
                format!("; {}", grid.fixed.join(", "))
            };
            let title = if grids.len() == 1 {
                metric_title(&metric)
            } else if grid.fixed.is_empty() {
                format!("{} — base settings", metric_title(&metric))
            } else {
                format!("{} — {}", metric_title(&metric), grid.fixed.join(", "))
            };
            let fig = HeatmapFigure {
                title,
                subtitle: format!("mean of {metric} over {reps}{fixed}"),
                caption: format!(
                    "Mean of {metric} per configuration over the grid of {} (x) × {} (y){}; \
                     {reps}; from summary.csv and manifest.json.",
                    grid.x_key, grid.y_key, fixed
                ),
                x_key: grid.x_key.clone(),
                y_key: grid.y_key.clone(),
                metric: metric.clone(),
                cells,
                range: unit_metric(&metric).then_some((0.0, 1.0)),
            };
            let mut stem = format!("heatmap-{}", slug(&metric));
            if !grid.fixed.is_empty() {
                let _ = write!(stem, "-{}", slug(&grid.fixed.join("-")));
            }
            written.extend(heatmap::write(&fig, &out.join(stem), formats)?);
        }
    }
    Ok(written)
}

/// A configuration's label for a panel: its name, unless the name only spells its
/// settings (a grid point), then the settings with short numbers:
/// `RUS-CHN −0.6, USA-CHN 0.2` for `RUS-CHN=-0.6/USA-CHN=0.19999999999999996`.
pub fn config_label(c: &ConfigLayout) -> String {
    if c.settings.is_empty() || c.name != c.settings.join("/") {
        return c.name.clone();
    }
    c.settings
        .iter()
        .map(|s| match s.split_once('=') {
            Some((k, v)) => match v.trim().parse::<f64>() {
                Ok(x) => format!("{k} {}", short_number(x)),
                Err(_) => format!("{k} {v}"),
            },
            None => s.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the plots of a sweep folder into `sweep_dir/plots/` in `formats` (nothing,
/// and no folder, for `none`): the trajectory bands
/// of up to [`MAX_PAIRS`] pairs per configuration (small multiples,
/// [`PANELS_PER_FIGURE`] configurations a figure, at most
/// [`MAX_TRAJECTORY_FIGURES`] figures) and, when the sweep varies exactly two pair
/// keys, the heatmaps of its reciprocation metrics. Trajectory and heatmap files
/// of an earlier sweep into the same folder (or in a format not asked for) are
/// removed. Returns the files written.
pub fn write_sweep_plots(sweep_dir: &Path, formats: Formats) -> Result<Vec<PathBuf>> {
    if formats == Formats::None {
        return Ok(Vec::new());
    }
    let manifest = read::sweep::manifest(sweep_dir)?;
    let out = plots_dir(sweep_dir)?;
    let configs: Vec<String> = manifest
        .layout
        .configs
        .iter()
        .map(|c| c.name.clone())
        .take(PANELS_PER_FIGURE * MAX_TRAJECTORY_FIGURES)
        .collect();
    let total = manifest.layout.configs.len();
    let mut written = Vec::new();
    if sweep_dir.join("trajectories.csv").exists() {
        let summary = read::sweep::summary(sweep_dir)?;
        let pairs = sweep_pairs(&manifest, &summary);
        let trajs = sweep_trajectories(sweep_dir, &configs, &pairs)?;
        let pages = configs.len().div_ceil(PANELS_PER_FIGURE);
        for page in 0..pages {
            let range =
                page * PANELS_PER_FIGURE..((page + 1) * PANELS_PER_FIGURE).min(configs.len());
            let panels: Vec<Panel> = range
                .clone()
                .map(|k| Panel {
                    title: if total == 1 {
                        String::new()
                    } else {
                        config_label(&manifest.layout.configs[k])
                    },
                    trajectories: trajs[k].clone(),
                })
                .collect();
            if panels.iter().all(|p| p.trajectories.is_empty()) {
                continue;
            }
            let shown = if pages > 1 || total > configs.len() {
                format!(
                    "configurations {}–{} of {}",
                    range.start + 1,
                    range.end,
                    total
                )
            } else if total == 1 {
                "one configuration".to_string()
            } else {
                format!("{total} configurations")
            };
            let fig = TrajectoryFigure {
                title: format!("Alignment trajectories — {}", manifest.scenario),
                subtitle: format!(
                    "mean over {} replications, band 5th–95th percentile; {shown}",
                    manifest.reps
                ),
                caption: format!(
                    "Mean alignment of each key pair over {} replications (line) with its \
                     5th–95th percentile band, one panel per configuration ({shown}), from \
                     trajectories.csv.",
                    manifest.reps
                ),
                panels,
            };
            let stem = if pages == 1 {
                "trajectories".to_string()
            } else {
                format!("trajectories-{}", page + 1)
            };
            written.extend(trajectories::write(&fig, &out.join(stem), formats)?);
        }
    }
    written.extend(write_sweep_heatmaps(sweep_dir, &manifest, &out, formats)?);
    prune_stale(&out, STEMS, &written)?;
    Ok(written)
}

/// Writes the plots of a claims folder into `dir/plots/` in `formats`: the heatmaps of the grid
/// claim (model and null arms) from its `manifest.json` and `summary.csv`. Its
/// dozens of configurations' trajectories are left to `trajectories.csv`.
pub fn write_claims_plots(dir: &Path, formats: Formats) -> Result<Vec<PathBuf>> {
    if formats == Formats::None {
        return Ok(Vec::new());
    }
    let manifest = read::sweep::manifest(dir)?;
    let out = plots_dir(dir)?;
    let written = write_sweep_heatmaps(dir, &manifest, &out, formats)?;
    prune_stale(&out, STEMS, &written)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_keys_are_not_parameters() {
        assert!(is_pair_key("RUS-CHN"));
        assert!(!is_pair_key("loyalty"));
        assert!(!is_pair_key("RUS.growth"));
        assert!(!is_pair_key("USA>RUS.hardline"));
        assert!(!is_pair_key("-CHN"));
    }
}
