//! The outputs of `entente run`: `alignments.csv`, `states.csv`, `events.csv`,
//! `summary.csv` and `scenario/` (MODEL.md §3), streamed as the run goes so memory
//! does not grow with steps × pairs.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::atomic::AtomicDir;
use super::format::{push_f64, push_fixed9};
use crate::engine::metrics::{Metric, Subject};
use crate::engine::{Model, Observer, RunId, RunMetrics, Simulation};
use crate::network::similarity::s_scores;

/// A file written through one growing text buffer, flushed in large blocks.
struct Sink {
    file: File,
    text: String,
}

impl Sink {
    fn create(dir: &Path, name: &str, header: &str) -> io::Result<Self> {
        let mut text = String::with_capacity(1 << 20);
        text.push_str(header);
        Ok(Sink {
            file: File::create(dir.join(name))?,
            text,
        })
    }

    /// Writes the buffer out once it holds a block.
    fn spill(&mut self) -> io::Result<()> {
        if self.text.len() >= 1 << 20 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.write_all(self.text.as_bytes())?;
        self.text.clear();
        Ok(())
    }
}

/// Streams the per-step files of a run.
pub struct RunWriter<'m> {
    model: &'m Model,
    alignments: Sink,
    states: Sink,
    events: Sink,
    /// Each pair's `,a,b,` prefix after the step.
    pair_ids: Vec<String>,
    /// Each pair's interest and its text (interests change only with deals).
    interest_text: Vec<(f64, String)>,
    error: Option<io::Error>,
}

impl<'m> RunWriter<'m> {
    /// Creates the three per-step files in `dir` with their headers.
    pub fn create(model: &'m Model, dir: &Path) -> io::Result<Self> {
        let s = &model.scenario;
        Ok(RunWriter {
            model,
            alignments: Sink::create(dir, "alignments.csv", "step,a,b,alignment,interest\n")?,
            states: Sink::create(dir, "states.csv", "step,state,power,hardliners,trend\n")?,
            events: Sink::create(
                dir,
                "events.csv",
                "step,kind,actor,target,issue,utility,probability,outcome\n",
            )?,
            pair_ids: model
                .pairs
                .iter()
                .map(|&(a, b)| format!(",{},{},", s.states[a as usize].id, s.states[b as usize].id))
                .collect(),
            interest_text: vec![(f64::NAN, String::new()); model.pairs.len()],
            error: None,
        })
    }

    fn write(&mut self, sim: &Simulation) -> io::Result<()> {
        let model = self.model;
        let s = &model.scenario;
        let step = sim.step_count().to_string();
        let out = &mut self.alignments.text;
        for (k, ids) in self.pair_ids.iter().enumerate() {
            out.push_str(&step);
            out.push_str(ids);
            push_fixed9(out, sim.alignment(k));
            out.push(',');
            let b = sim.interest(k);
            let cached = &mut self.interest_text[k];
            if cached.0.to_bits() != b.to_bits() {
                cached.1.clear();
                push_fixed9(&mut cached.1, b);
                cached.0 = b;
            }
            out.push_str(&cached.1);
            out.push('\n');
        }
        self.alignments.spill()?;
        let trends = sim.trends();
        let out = &mut self.states.text;
        for (i, st) in s.states.iter().enumerate() {
            out.push_str(&step);
            out.push(',');
            out.push_str(&st.id);
            out.push(',');
            push_f64(out, sim.power()[i]);
            out.push(',');
            push_fixed9(out, sim.hardliners()[i]);
            out.push(',');
            push_f64(out, trends[i]);
            out.push('\n');
        }
        self.states.spill()?;
        let out = &mut self.events.text;
        for e in sim.events() {
            out.push_str(&step);
            out.push(',');
            out.push_str(e.kind.as_str());
            out.push(',');
            out.push_str(&s.states[e.actor as usize].id);
            out.push(',');
            out.push_str(&s.states[e.target as usize].id);
            out.push(',');
            if let Some(k) = e.issue {
                out.push_str(&s.issues[k as usize].id);
            }
            out.push(',');
            push_f64(out, e.utility);
            out.push(',');
            push_f64(out, e.probability);
            out.push(',');
            out.push_str(e.outcome.as_str());
            out.push('\n');
        }
        self.events.spill()
    }

    /// Writes out what is buffered, returning the first error met while writing.
    pub fn finish(mut self) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.alignments.flush()?;
        self.states.flush()?;
        self.events.flush()
    }
}

impl Observer for RunWriter<'_> {
    fn observe(&mut self, sim: &Simulation) {
        if self.error.is_none() {
            if let Err(e) = self.write(sim) {
                self.error = Some(e);
            }
        }
    }
}

/// What a finished run reports.
#[derive(Clone, Debug)]
pub struct RunReport {
    pub out: PathBuf,
    pub metrics: Vec<Metric>,
}

/// Writes `summary.csv` (`metric,a,b,value`).
pub fn write_summary(model: &Model, metrics: &[Metric], path: &Path) -> io::Result<()> {
    let mut w = BufWriter::new(File::create(path)?);
    w.write_all(b"metric,a,b,value\n")?;
    let mut line = String::new();
    for m in metrics {
        let (a, b) = m.ids(model);
        line.clear();
        line.push_str(m.name);
        line.push(',');
        line.push_str(a);
        line.push(',');
        line.push_str(b);
        line.push(',');
        push_f64(&mut line, m.value);
        line.push('\n');
        w.write_all(line.as_bytes())?;
    }
    w.flush()
}

/// Runs `model` as run `id` and writes every output into `out`, atomically.
pub fn write_run(model: &Model, id: RunId, out: &Path) -> io::Result<RunReport> {
    let dir = AtomicDir::create(out, "summary.csv")?;
    let mut writer = RunWriter::create(model, dir.path())?;
    let mut metrics = RunMetrics::new(model);
    let mut sim = Simulation::new(model, id);
    sim.run(&mut (&mut writer, &mut metrics));
    writer.finish()?;
    let mut summary = metrics.finish(&sim);
    summary.extend(similarity_metrics(&sim));
    write_summary(model, &summary, &dir.path().join("summary.csv"))?;
    let scenario_dir = dir.path().join("scenario");
    std::fs::create_dir(&scenario_dir)?;
    let mut resolved = model.scenario.clone();
    resolved.params.seed = id.seed;
    resolved.write_canonical(&scenario_dir)?;
    let out = dir.commit()?;
    Ok(RunReport {
        out,
        metrics: summary,
    })
}

/// The S-scores (Signorino & Ritter 1999) of every pair of states at the end of
/// a run: `s_score` unweighted, `s_score_weighted` by power share.
pub fn similarity_metrics(sim: &Simulation) -> Vec<Metric> {
    let a = sim.alignments();
    let plain = s_scores(a, None);
    let weighted = s_scores(a, Some(sim.shares()));
    let n = a.nrows();
    let mut out = Vec::with_capacity(n * (n - 1));
    for (name, m) in [("s_score", &plain), ("s_score_weighted", &weighted)] {
        for i in 0..n {
            for j in i + 1..n {
                out.push(Metric {
                    name,
                    subject: Subject::Pair(i as u32, j as u32),
                    value: m[(i, j)],
                });
            }
        }
    }
    out
}

/// Looks up a metric's value.
pub fn find(metrics: &[Metric], name: &str, subject: Subject) -> Option<f64> {
    metrics
        .iter()
        .find(|m| m.name == name && m.subject == subject)
        .map(|m| m.value)
}
