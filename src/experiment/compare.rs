//! Comparing configurations side by side: for each key metric, each
//! configuration's mean with its 95% CI and its difference from the first
//! configuration with Welch's 95% CI.

use super::manifest::Manifest;
use super::stats::{difference, Summary};
use super::sweep::RunRow;
use crate::scenario::{PairKey, SettingKey};

/// One cell of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonRow {
    /// The metric's column of `runs.csv` (`reciprocation_rate:USA>RUS`, `deals_made` …).
    pub metric: String,
    /// The configuration's name.
    pub config: String,
    /// n, mean and 95% CI of the metric over the configuration's runs that did not fail.
    pub summary: Summary,
    /// Difference from the first configuration and its CI (NaN for the first).
    pub diff: (f64, f64, f64),
}

/// The metrics an analyst compares first: each policy pair's reciprocation rate
/// and mean p, deals made and alive, the balance index, and the final alignment of
/// the pairs that the configurations set or that policies address.
pub fn key_metrics(manifest: &Manifest) -> Vec<usize> {
    let layout = &manifest.layout;
    let policy_pairs: Vec<String> = layout
        .columns
        .iter()
        .filter_map(|c| c.strip_prefix("reciprocation_rate:"))
        .filter_map(PairKey::from_directed)
        .map(|p| p.to_string())
        .collect();
    let set_pairs: Vec<String> = layout
        .varying
        .iter()
        .filter_map(|k| Some(k.parse::<SettingKey>().ok()?.pair()?.to_string()))
        .collect();
    layout
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.starts_with("reciprocation_rate:")
                || c.starts_with("mean_p:")
                || matches!(c.as_str(), "deals_made" | "deals_alive" | "balance_index")
                || c.strip_prefix("final_alignment:")
                    .is_some_and(|p| policy_pairs.iter().chain(&set_pairs).any(|x| x == p))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The comparison table of a finished sweep, metric by metric.
pub fn compare(manifest: &Manifest, rows: &[RunRow]) -> Vec<ComparisonRow> {
    let layout = &manifest.layout;
    let mut out = Vec::new();
    for col in key_metrics(manifest) {
        let per_config: Vec<Summary> = (0..layout.configs.len())
            .map(|k| {
                Summary::of(
                    rows.iter()
                        .filter(|r| r.config == k && r.error.is_none())
                        .map(|r| r.values[col]),
                )
            })
            .collect();
        for (k, s) in per_config.iter().enumerate() {
            let diff = if k == 0 {
                (f64::NAN, f64::NAN, f64::NAN)
            } else {
                difference(&per_config[0], s)
            };
            out.push(ComparisonRow {
                metric: layout.columns[col].clone(),
                config: layout.configs[k].name.clone(),
                summary: *s,
                diff,
            });
        }
    }
    out
}

/// `compare.csv`: metric, config, n, mean, ci_low, ci_high, diff, diff_low, diff_high.
pub fn compare_csv(rows: &[ComparisonRow]) -> Vec<u8> {
    use crate::format::push_f64;
    let mut text = String::from("metric,config,n,mean,ci_low,ci_high,diff,diff_low,diff_high\n");
    for r in rows {
        text.push_str(&r.metric);
        text.push(',');
        text.push_str(&r.config);
        text.push(',');
        text.push_str(&r.summary.n.to_string());
        for x in [
            r.summary.mean,
            r.summary.ci_low,
            r.summary.ci_high,
            r.diff.0,
            r.diff.1,
            r.diff.2,
        ] {
            text.push(',');
            push_f64(&mut text, x);
        }
        text.push('\n');
    }
    text.into_bytes()
}
