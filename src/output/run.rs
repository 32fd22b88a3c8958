//! The outputs of `entente run`: `alignments.csv`, `states.csv`, `events.csv`,
//! `summary.csv` and `scenario/` (MODEL.md §3), streamed as the run goes so memory
//! does not grow with steps × pairs.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::atomic::AtomicDir;
use super::format::push_f64;
use crate::engine::metrics::{Metric, Subject};
use crate::engine::{Model, Observer, RunId, RunMetrics, Simulation};

/// Streams the per-step files of a run.
pub struct RunWriter<'m> {
    model: &'m Model,
    alignments: BufWriter<File>,
    states: BufWriter<File>,
    events: BufWriter<File>,
    line: String,
    error: Option<io::Error>,
}

impl<'m> RunWriter<'m> {
    /// Creates the three per-step files in `dir` with their headers.
    pub fn create(model: &'m Model, dir: &Path) -> io::Result<Self> {
        let open = |name: &str, header: &str| -> io::Result<BufWriter<File>> {
            let mut w = BufWriter::with_capacity(1 << 16, File::create(dir.join(name))?);
            w.write_all(header.as_bytes())?;
            Ok(w)
        };
        Ok(RunWriter {
            model,
            alignments: open("alignments.csv", "step,a,b,alignment,interest\n")?,
            states: open("states.csv", "step,state,power,hardliners,trend\n")?,
            events: open(
                "events.csv",
                "step,kind,actor,target,issue,utility,probability,outcome\n",
            )?,
            line: String::with_capacity(256),
            error: None,
        })
    }

    fn write(&mut self, sim: &Simulation) -> io::Result<()> {
        let model = self.model;
        let s = &model.scenario;
        let mut step_buf = sim.step_count().to_string();
        step_buf.push(',');
        let line = &mut self.line;
        for (k, &(a, b)) in model.pairs.iter().enumerate() {
            line.clear();
            line.push_str(&step_buf);
            line.push_str(&s.states[a as usize].id);
            line.push(',');
            line.push_str(&s.states[b as usize].id);
            line.push(',');
            push_f64(line, sim.alignment(k));
            line.push(',');
            push_f64(line, sim.interest(k));
            line.push('\n');
            self.alignments.write_all(line.as_bytes())?;
        }
        let trends = sim.trends();
        for (i, st) in s.states.iter().enumerate() {
            line.clear();
            line.push_str(&step_buf);
            line.push_str(&st.id);
            line.push(',');
            push_f64(line, sim.power()[i]);
            line.push(',');
            push_f64(line, sim.hardliners()[i]);
            line.push(',');
            push_f64(line, trends[i]);
            line.push('\n');
            self.states.write_all(line.as_bytes())?;
        }
        for e in sim.events() {
            line.clear();
            line.push_str(&step_buf);
            line.push_str(e.kind.as_str());
            line.push(',');
            line.push_str(&s.states[e.actor as usize].id);
            line.push(',');
            line.push_str(&s.states[e.target as usize].id);
            line.push(',');
            if let Some(k) = e.issue {
                line.push_str(&s.issues[k as usize].id);
            }
            line.push(',');
            push_f64(line, e.utility);
            line.push(',');
            push_f64(line, e.probability);
            line.push(',');
            line.push_str(e.outcome.as_str());
            line.push('\n');
            self.events.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    /// Flushes the files, returning the first error met while writing.
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
    let dir = AtomicDir::create(out)?;
    let mut writer = RunWriter::create(model, dir.path())?;
    let mut metrics = RunMetrics::new(model);
    let mut sim = Simulation::new(model, id);
    sim.run(&mut (&mut writer, &mut metrics));
    writer.finish()?;
    let summary = metrics.finish(&sim);
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

/// Looks up a metric's value.
pub fn find(metrics: &[Metric], name: &str, subject: Subject) -> Option<f64> {
    metrics
        .iter()
        .find(|m| m.name == name && m.subject == subject)
        .map(|m| m.value)
}
