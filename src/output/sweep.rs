//! The outputs of a sweep, written from its finished state alone (rows and exact
//! aggregates) so that a sweep, a resumed sweep and merged shards write the same
//! bytes: `runs.csv`, `summary.csv`, `trajectories.csv`, `manifest.json`,
//! `aggregates.bin`.

use std::io;
use std::path::Path;

use crate::experiment::manifest::Manifest;
use crate::experiment::stats::Summary;
use crate::experiment::sweep::{write_aggregates, RunRow, SweepState};
use crate::files::write_file_atomic;
use crate::format::push_f64;
use crate::scenario::PairKey;

/// `runs.csv`: run, config, rep, seed, the varying keys, error, every metric.
pub fn runs_csv(manifest: &Manifest, rows: &[RunRow]) -> Vec<u8> {
    let layout = &manifest.layout;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = vec!["run", "config", "rep", "seed"];
    header.extend(layout.varying.iter().map(String::as_str));
    header.push("error");
    header.extend(layout.columns.iter().map(String::as_str));
    let ok = "writing CSV to memory";
    w.write_record(&header).expect(ok);
    let mut record: Vec<String> = Vec::with_capacity(header.len());
    for r in rows {
        let c = &layout.configs[r.config];
        record.clear();
        record.extend([
            r.run.to_string(),
            c.name.clone(),
            r.rep.to_string(),
            r.seed.to_string(),
        ]);
        record.extend(c.values.iter().cloned());
        record.push(r.error.clone().unwrap_or_default());
        for &v in &r.values {
            let mut s = String::new();
            push_f64(&mut s, v);
            record.push(s);
        }
        w.write_record(&record).expect(ok);
    }
    w.into_inner().expect(ok)
}

/// The per-configuration summaries of every metric, in run order.
pub fn summaries(manifest: &Manifest, rows: &[RunRow]) -> Vec<(usize, usize, Summary)> {
    let mut out = Vec::new();
    for (k, c) in manifest.layout.configs.iter().enumerate() {
        let mine: Vec<&RunRow> = rows
            .iter()
            .filter(|r| r.config == k && r.error.is_none())
            .collect();
        for &col in &c.columns {
            out.push((k, col, Summary::of(mine.iter().map(|r| r.values[col]))));
        }
    }
    out
}

/// `summary.csv`: config, metric, n, mean, sd, ci_low, ci_high (95% CI of the mean).
pub fn summary_csv(manifest: &Manifest, rows: &[RunRow]) -> Vec<u8> {
    let layout = &manifest.layout;
    let mut text = String::from("config,metric,n,mean,sd,ci_low,ci_high\n");
    for (k, col, s) in summaries(manifest, rows) {
        text.push_str(&layout.configs[k].name);
        text.push(',');
        text.push_str(&layout.columns[col]);
        text.push(',');
        text.push_str(&s.n.to_string());
        for x in [s.mean, s.sd, s.ci_low, s.ci_high] {
            text.push(',');
            push_f64(&mut text, x);
        }
        text.push('\n');
    }
    text.into_bytes()
}

/// `trajectories.csv`: config, step, a, b, mean, sd, p05, p95 of the alignment.
pub fn trajectories_csv(manifest: &Manifest, state: &SweepState) -> Vec<u8> {
    let mut text = String::from("config,step,a,b,mean,sd,p05,p95\n");
    for (c, t) in manifest.layout.configs.iter().zip(&state.trajectories) {
        let pairs: Vec<Option<PairKey>> = c.pairs.iter().map(|p| p.parse().ok()).collect();
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .zip(&c.pairs)
            .map(|(key, p)| key.as_ref().map_or((p.as_str(), ""), PairKey::ids))
            .collect();
        for step in 0..t.steps {
            for (k, (a, b)) in pairs.iter().enumerate() {
                let s = t.stats(step, k);
                text.push_str(&c.name);
                text.push(',');
                text.push_str(&step.to_string());
                text.push(',');
                text.push_str(a);
                text.push(',');
                text.push_str(b);
                for x in [s.mean, s.sd, s.p05, s.p95] {
                    text.push(',');
                    push_f64(&mut text, x);
                }
                text.push('\n');
            }
        }
    }
    text.into_bytes()
}

/// Writes every output of a finished sweep into `out`, each file atomically.
pub fn write_sweep(manifest: &Manifest, state: &SweepState, out: &Path) -> io::Result<()> {
    std::fs::create_dir_all(out)?;
    let mut rows = state.rows.clone();
    rows.sort_by_key(|r| r.run);
    write_file_atomic(out.join("runs.csv"), &runs_csv(manifest, &rows))?;
    write_file_atomic(out.join("summary.csv"), &summary_csv(manifest, &rows))?;
    write_file_atomic(
        out.join("trajectories.csv"),
        &trajectories_csv(manifest, state),
    )?;
    write_aggregates(state, &out.join("aggregates.bin"))?;
    write_file_atomic(out.join("manifest.json"), manifest.to_json().as_bytes())
}
