//! The claims' CSV files: `claims.csv` (one row per claim, every arm) and
//! `surface.csv` (claim 1's grid, mean reciprocation per cell and arm).

use super::verdict::{ClaimResult, Estimate, Samples};
use super::{arm_name, Claim};
use crate::experiment::stats::Summary;
use crate::format::{f64_text, push_f64};

/// The header of `claims.csv`.
pub const CLAIMS_COLUMNS: [&str; 29] = [
    "claim",
    "label",
    "statement",
    "experiment",
    "metric",
    "n",
    "reps",
    "effect",
    "ci_low",
    "ci_high",
    "null_setting",
    "null_effect",
    "null_ci_low",
    "null_ci_high",
    "difference",
    "difference_ci_low",
    "difference_ci_high",
    "wider_nulls",
    "secondary",
    "secondary_effect",
    "secondary_ci_low",
    "secondary_ci_high",
    "surface_steps",
    "surface_reversals",
    "margin",
    "mde",
    "verdict",
    "reps_to_decide",
    "carried_by",
];

fn settings_text(s: &[crate::scenario::Setting]) -> String {
    s.iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn estimate_cells(e: &Estimate) -> [String; 3] {
    [f64_text(e.effect), f64_text(e.low), f64_text(e.high)]
}

/// `claims.csv`.
pub fn claims_csv(results: &[ClaimResult]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let ok = "writing CSV to memory";
    w.write_record(CLAIMS_COLUMNS).expect(ok);
    for r in results {
        let c = &r.claim;
        let wider = c
            .others
            .iter()
            .zip(&r.others)
            .map(|(o, e)| {
                format!(
                    "{} ({}): {} [{}, {}]",
                    o.what,
                    settings_text(&o.settings),
                    f64_text(e.effect),
                    f64_text(e.low),
                    f64_text(e.high)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let (sec_name, sec) = match &r.secondary {
            Some((name, e)) => (name.clone(), estimate_cells(e)),
            None => (String::new(), [String::new(), String::new(), String::new()]),
        };
        let (steps, reversals) = match r.monotonicity {
            Some(m) => (m.steps.to_string(), m.reversals.to_string()),
            None => (String::new(), String::new()),
        };
        let mut row = vec![
            c.number.to_string(),
            c.label.clone(),
            c.statement.to_string(),
            c.experiment.clone(),
            c.metric.clone(),
            r.model.n.to_string(),
            r.reps.to_string(),
        ];
        row.extend(estimate_cells(&r.model));
        row.push(settings_text(&c.null.settings));
        row.extend(estimate_cells(&r.null));
        row.extend(estimate_cells(&r.difference));
        row.push(wider);
        row.push(sec_name);
        row.extend(sec);
        row.extend([steps, reversals]);
        row.push(if r.margin.is_nan() {
            String::new()
        } else {
            f64_text(r.margin)
        });
        row.push(f64_text(r.model.minimum_detectable()));
        row.push(r.verdict.text());
        row.push(
            r.verdict
                .reps_to_decide()
                .map_or_else(String::new, |n| n.to_string()),
        );
        row.push(r.verdict.carried_by().unwrap_or("").to_string());
        w.write_record(&row).expect(ok);
    }
    w.into_inner().expect(ok)
}

/// `surface.csv`: the grid claim's cells, mean reciprocation (probability and
/// rate) per cell, in the model and mechanism-off arms.
pub fn surface_csv(claim: &Claim, index: &[Vec<Option<usize>>], samples: &Samples) -> Vec<u8> {
    let Some(surface) = &claim.surface else {
        return Vec::new();
    };
    let prefix = claim.metric.split(':').next().unwrap_or("");
    let names: Vec<String> = ["mean_p", "reciprocation_rate"]
        .iter()
        .map(|m| claim.metric.replacen(prefix, m, 1))
        .collect();
    let mut text = format!(
        "arm,{},{},n,{},{}\n",
        surface.x_key, surface.y_key, names[0], names[1]
    );
    for arm in [0, 1] {
        let label = arm_name(claim, arm);
        for &(v, x, y) in &surface.points {
            let config = index[v][arm];
            let n = config.map_or(0, |c| samples.runs(c));
            text += &format!("{label},{x},{y},{n}");
            for name in &names {
                text.push(',');
                let s: Summary = samples.summary(config, name);
                if s.n > 0 {
                    push_f64(&mut text, s.mean);
                }
            }
            text.push('\n');
        }
    }
    text.into_bytes()
}
