//! The outputs of `entente run`: `alignments.csv`, `states.csv`, `events.csv`,
//! `summary.csv` and `scenario/` (docs/model.md §3), streamed as the run goes so memory
//! does not grow with steps × pairs; and its figures, drawn from what the run
//! recorded (the key pairs' alignment over steps) rather than from its CSV files.
//!
//! One file (about 690 lines): the outputs are written by one streaming observer,
//! row by row in step order, sharing its buffers.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::plot::{self, run::SeriesRecorder, Formats};
use crate::engine::metrics::{Metric, Subject};
use crate::engine::{Model, Observer, RunId, RunMetrics, Simulation};
use crate::files::Output;
use crate::format::{fixed9, push_f64, shortest, NUMBER_MAX};
use crate::network::similarity::{s_score_sparse, s_scores};

/// The unit in which cached texts are copied into a row.
const CHUNK: usize = 16;

/// A text repeated in many rows (a step number, a pair's ids, a cached cell),
/// zero-padded to whole chunks so that it is copied with fixed-size moves rather
/// than a call to memcpy for each short piece.
#[derive(Clone, Default)]
struct Text {
    padded: Vec<u8>,
    len: usize,
}

impl Text {
    fn new(text: &[u8]) -> Self {
        let mut t = Text::default();
        t.rebuild(|bytes| bytes.extend_from_slice(text));
        t
    }

    /// Replaces the text by what `make` appends to an empty buffer (reusing it).
    fn rebuild(&mut self, make: impl FnOnce(&mut Vec<u8>)) {
        self.padded.clear();
        make(&mut self.padded);
        self.len = self.padded.len();
        // At least one chunk, which `Sink::put` copies without a loop.
        self.padded.resize(padded(self.len).max(CHUNK), 0);
    }

    fn as_bytes(&self) -> &[u8] {
        &self.padded[..self.len]
    }

    /// The bytes a copy touches: the text and its padding.
    fn room(&self) -> usize {
        self.padded.len()
    }
}

/// A file written from one zero-filled block of bytes, flushed when full. Rows
/// are written at a cursor (`len`); bytes past the cursor are scratch, which
/// lets texts and numbers be copied in whole chunks and cells (see
/// [`Sink::reserve`]).
struct Sink {
    file: File,
    block: Vec<u8>,
    len: usize,
}

impl Sink {
    /// The block of the large files. Allocated at full size at once (a block
    /// grown by reallocation page-faults anew in every run), and small enough
    /// for the zero-fill to cost little.
    const BLOCK: usize = 1 << 18;
    /// The block of events.csv, a few kB per run.
    const SMALL_BLOCK: usize = 1 << 14;

    fn create(dir: &Path, name: &str, header: &str, block: usize) -> io::Result<Self> {
        let mut sink = Sink {
            file: File::create(dir.join(name))?,
            block: vec![0; block],
            len: 0,
        };
        sink.put_slice(header.as_bytes())?;
        Ok(sink)
    }

    /// Makes room for `room` bytes of writes (including chunk padding and whole
    /// number cells) at the cursor, writing the block out first if it is full.
    fn reserve(&mut self, room: usize) -> io::Result<()> {
        if self.len + room > self.block.len() {
            self.flush()?;
            if room > self.block.len() {
                self.block.resize(room, 0);
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.write_all(&self.block[..self.len])?;
        self.len = 0;
        Ok(())
    }

    /// Appends `bytes` of any length (headers, events: rare enough for memcpy).
    fn put_slice(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.reserve(bytes.len())?;
        self.block[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
        Ok(())
    }

    // The writes below assume a `reserve` covering them.

    #[inline]
    fn put(&mut self, text: &Text) {
        let at = self.len;
        let (first, rest) = text.padded.split_at(CHUNK);
        self.block[at..at + CHUNK].copy_from_slice(first);
        // Longer texts (long state ids) take more chunks.
        for (k, chunk) in rest.chunks_exact(CHUNK).enumerate() {
            let to = at + (k + 1) * CHUNK;
            self.block[to..to + CHUNK].copy_from_slice(chunk);
        }
        self.len += text.len;
    }

    #[inline]
    fn byte(&mut self, b: u8) {
        self.block[self.len] = b;
        self.len += 1;
    }

    #[inline]
    fn cell(&mut self) -> &mut [u8; NUMBER_MAX] {
        (&mut self.block[self.len..self.len + NUMBER_MAX])
            .try_into()
            .expect("a number cell")
    }

    /// Copies a number formatted beforehand (its whole cell, then the cursor
    /// moves by its length).
    #[inline]
    fn number(&mut self, cell: &Cell) {
        self.block[self.len..self.len + Cell::ROOM].copy_from_slice(&cell.bytes);
        self.len += cell.len;
    }

    #[inline]
    fn shortest(&mut self, x: f64) {
        self.len += shortest(self.cell(), x);
    }
}

/// A number formatted into a fixed-size cell.
#[derive(Clone, Copy)]
struct Cell {
    bytes: [u8; Cell::ROOM],
    len: usize,
}

impl Cell {
    /// The most a number takes, rounded up to whole chunks.
    const ROOM: usize = NUMBER_MAX.div_ceil(CHUNK) * CHUNK;
    const EMPTY: Cell = Cell {
        bytes: [0; Cell::ROOM],
        len: 0,
    };

    fn fixed9(&mut self, x: f64) {
        let digits: &mut [u8; NUMBER_MAX] = (&mut self.bytes[..NUMBER_MAX])
            .try_into()
            .expect("a number cell");
        self.len = fixed9(digits, x);
    }
}

/// A cell's text cached with the bits of the values it was made from, for
/// values that stay the same over many steps.
struct Cached<K> {
    key: Option<K>,
    text: Text,
}

impl<K: PartialEq + Copy> Cached<K> {
    fn new() -> Self {
        Cached {
            key: None,
            text: Text::default(),
        }
    }

    /// The text for `key`, rebuilt by `make` when the key changed.
    fn get(&mut self, key: K, make: impl FnOnce(&mut Vec<u8>)) -> &Text {
        if self.key != Some(key) {
            self.text.rebuild(make);
            self.key = Some(key);
        }
        &self.text
    }
}

/// The room a text of at most `len` bytes takes when padded.
fn padded(len: usize) -> usize {
    len.div_ceil(CHUNK) * CHUNK
}

/// Appends a number written by `f` (`fixed9` or `shortest`) to `out`.
fn push_number(out: &mut Vec<u8>, f: fn(&mut [u8; NUMBER_MAX], f64) -> usize, x: f64) {
    let mut cell = [0; NUMBER_MAX];
    let len = f(&mut cell, x);
    out.extend_from_slice(&cell[..len]);
}

/// Streams the per-step files of a run.
pub struct RunWriter<'m> {
    model: &'m Model,
    alignments: Sink,
    states: Sink,
    events: Sink,
    /// Each pair's `,a,b,`.
    pair_ids: Vec<Text>,
    /// The step's number.
    step_text: Text,
    /// Each pair's alignment of the step, formatted in a pass of their own: with
    /// no cursor between them the processor formats several at once.
    alignment_cells: Vec<Cell>,
    /// Each pair's `,interest\n` (interests change only with deals).
    interest_text: Vec<Cached<u64>>,
    /// Each state's `,id,`.
    state_ids: Vec<Text>,
    /// Each state's `,id,power,hardliners,` (power is constant without growth,
    /// hardliners change rarely).
    state_text: Vec<Cached<(u64, u64)>>,
    /// The most an alignments row takes in the block, besides its step.
    pair_row_room: usize,
    /// The most a states row takes in the block, besides its step.
    state_row_room: usize,
    /// One step's events, written out at once.
    event_rows: String,
    /// Rows of alignments.csv and states.csv are written every `every` steps, at
    /// step 0 and at the last step (`--every`); events at every step.
    every: u64,
    last_step: u64,
    error: Option<io::Error>,
}

impl<'m> RunWriter<'m> {
    /// Creates the three per-step files in `dir` with their headers.
    pub fn create(model: &'m Model, dir: &Path) -> io::Result<Self> {
        let s = &model.scenario;
        let id = |i: u32| &s.states[i as usize].id;
        let pair_ids: Vec<Text> = model
            .pairs
            .iter()
            .map(|&(a, b)| Text::new(format!(",{},{},", id(a), id(b)).as_bytes()))
            .collect();
        let state_ids: Vec<Text> = s
            .states
            .iter()
            .map(|st| Text::new(format!(",{},", st.id).as_bytes()))
            .collect();
        let room = |texts: &[Text]| texts.iter().map(Text::room).max().unwrap_or(0);
        // ids, alignment cell, `,interest\n` (a cell and two bytes, padded)
        let pair_row_room = room(&pair_ids) + Cell::ROOM + padded(NUMBER_MAX + 2);
        // `,id,power,hardliners,` (padded), trend cell, newline
        let state_row_room = padded(room(&state_ids) + 2 * NUMBER_MAX + 2) + NUMBER_MAX + 1;
        Ok(RunWriter {
            model,
            alignments: Sink::create(
                dir,
                "alignments.csv",
                "step,a,b,alignment,interest\n",
                Sink::BLOCK,
            )?,
            states: Sink::create(
                dir,
                "states.csv",
                "step,state,power,hardliners,trend\n",
                Sink::BLOCK,
            )?,
            events: Sink::create(
                dir,
                "events.csv",
                "step,kind,actor,target,issue,utility,probability,outcome\n",
                Sink::SMALL_BLOCK,
            )?,
            interest_text: pair_ids.iter().map(|_| Cached::new()).collect(),
            alignment_cells: vec![Cell::EMPTY; pair_ids.len()],
            step_text: Text::default(),
            pair_ids,
            state_text: state_ids.iter().map(|_| Cached::new()).collect(),
            state_ids,
            pair_row_room,
            state_row_room,
            event_rows: String::new(),
            every: 1,
            last_step: model.params().steps,
            error: None,
        })
    }

    /// Writes the rows of alignments.csv and states.csv only every `every` steps
    /// (and at step 0 and the last step).
    pub fn every(mut self, every: u64) -> Self {
        self.every = every.max(1);
        self
    }

    fn write(&mut self, sim: &Simulation) -> io::Result<()> {
        // Vec<u8> as io::Write cannot fail.
        let step = &mut self.step_text;
        step.rebuild(|t| write!(t, "{}", sim.step_count()).expect("writing to memory"));
        let now = sim.step_count();
        if now.is_multiple_of(self.every) || now == self.last_step {
            self.write_tables(sim)?;
        }
        self.write_events(sim)
    }

    /// The rows of the step in alignments.csv and states.csv.
    fn write_tables(&mut self, sim: &Simulation) -> io::Result<()> {
        let step = &self.step_text;

        for (cell, &a) in self.alignment_cells.iter_mut().zip(sim.pair_alignments()) {
            cell.fixed9(a);
        }
        let out = &mut self.alignments;
        out.reserve(self.pair_ids.len() * (step.room() + self.pair_row_room))?;
        let texts = self.pair_ids.iter().zip(&self.alignment_cells);
        for (k, ((ids, cell), interest)) in texts.zip(&mut self.interest_text).enumerate() {
            out.put(step);
            out.put(ids);
            out.number(cell);
            let b = sim.interest(k);
            out.put(interest.get(b.to_bits(), |t| {
                t.push(b',');
                push_number(t, fixed9, b);
                t.push(b'\n');
            }));
        }

        let trends = sim.trends();
        let (power, hardliners) = (sim.power(), sim.hardliners());
        let out = &mut self.states;
        out.reserve(self.state_ids.len() * (step.room() + self.state_row_room))?;
        for (i, (ids, text)) in self.state_ids.iter().zip(&mut self.state_text).enumerate() {
            let (p, h) = (power[i], hardliners[i]);
            out.put(step);
            out.put(text.get((p.to_bits(), h.to_bits()), |t| {
                t.extend_from_slice(ids.as_bytes());
                push_number(t, shortest, p);
                t.push(b',');
                push_number(t, fixed9, h);
                t.push(b',');
            }));
            out.shortest(trends[i]);
            out.byte(b'\n');
        }
        Ok(())
    }

    /// The events of the step in events.csv.
    fn write_events(&mut self, sim: &Simulation) -> io::Result<()> {
        let step_text = std::str::from_utf8(self.step_text.as_bytes()).expect("digits");

        let s = &self.model.scenario;
        let rows = &mut self.event_rows;
        rows.clear();
        for e in sim.events() {
            rows.push_str(step_text);
            rows.push(',');
            rows.push_str(e.kind.as_str());
            rows.push(',');
            rows.push_str(&s.states[e.actor as usize].id);
            rows.push(',');
            rows.push_str(&s.states[e.target as usize].id);
            rows.push(',');
            if let Some(k) = e.issue {
                rows.push_str(&s.issues[k as usize].id);
            }
            rows.push(',');
            push_f64(rows, e.utility);
            rows.push(',');
            push_f64(rows, e.probability);
            rows.push(',');
            rows.push_str(e.outcome.as_str());
            rows.push('\n');
        }
        self.events.put_slice(rows.as_bytes())
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
            if let Some(what) = sim.non_finite() {
                self.error = Some(io::Error::other(format!(
                    "{what} is not a finite number at step {}: the run is stopped",
                    sim.step_count()
                )));
            } else if let Err(e) = self.write(sim) {
                self.error = Some(e);
            }
        }
    }
}

/// What a finished run reports.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// The run's output folder.
    pub out: PathBuf,
    /// The run's metrics, as `summary.csv` lists them.
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

/// The output folder of run `id` of `model`: command `run`, id the run (seed, and
/// configuration and replication when not 0), input the scenario folder. A run
/// replaces another run's folder without `--force`.
pub fn run_output(model: &Model, id: RunId) -> Output {
    let mut name = format!("seed {}", id.seed);
    if (id.config, id.rep) != (0, 0) {
        name += &format!(" configuration {} replication {}", id.config, id.rep);
    }
    Output::new("run", name).input(&model.scenario.dir)
}

/// Runs `model` as run `id` and writes every output into `out`, atomically.
pub fn write_run(model: &Model, id: RunId, out: &Path) -> io::Result<RunReport> {
    write_run_plotted(model, id, out, Formats::None)
}

/// [`write_run`] with the run's figures in `formats`.
pub fn write_run_plotted(
    model: &Model,
    id: RunId,
    out: &Path,
    formats: Formats,
) -> io::Result<RunReport> {
    let output = run_output(model, id);
    write_run_watched(model, id, out, &output, 1, formats, &mut ())
}

/// [`write_run`] as `output` (see [`run_output`]), with the rows of alignments.csv
/// and states.csv written every `every` steps (and at step 0 and the last step),
/// the run's figures in `formats` (see [`plot::run`]) drawn from the data in
/// memory before the folder appears (if drawing fails, nothing is written), and
/// each step also shown to `watch` (e.g. a progress bar).
pub fn write_run_watched(
    model: &Model,
    id: RunId,
    out: &Path,
    output: &Output,
    every: u64,
    formats: Formats,
    watch: &mut impl Observer,
) -> io::Result<RunReport> {
    let dir = output.begin(out)?;
    let mut writer = RunWriter::create(model, dir.path())?.every(every);
    let mut metrics = RunMetrics::new(model);
    let mut series = SeriesRecorder::new(model, formats != Formats::None);
    let mut sim = Simulation::new(model, id);
    sim.run(&mut ((&mut writer, &mut metrics), (&mut series, watch)));
    writer.finish()?;
    let mut summary = metrics.finish(&sim);
    summary.extend(crate::engine::metrics::camp_labels(&sim));
    summary.extend(similarity_metrics(&sim));
    summary.extend(key_pair_ranks(model, &sim));
    write_summary(model, &summary, &dir.path().join("summary.csv"))?;
    let scenario_dir = dir.path().join("scenario");
    std::fs::create_dir(&scenario_dir)?;
    let mut resolved = model.scenario.clone();
    resolved.params.seed = id.seed;
    resolved.write_canonical(&scenario_dir)?;
    if formats != Formats::None {
        let data = series.finish(&sim, &summary, id.seed);
        plot::write_run_plots(&data, dir.path(), formats)
            .map_err(|e| io::Error::other(format!("drawing the plots: {e}")))?;
    }
    let out = dir.commit()?;
    Ok(RunReport {
        out,
        metrics: summary,
    })
}

/// Most bytes of CSV a run writes without `--force` (README, "Run outputs").
pub const OUTPUT_LIMIT: u64 = 1 << 30;
/// Most memory a run may take without `--force`.
pub const MEMORY_LIMIT: u64 = 4 << 30;

/// What a run will take, estimated before it starts from the scenario's size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunSize {
    /// Bytes of alignments.csv and states.csv (events come on top, usually far
    /// fewer).
    pub output_bytes: u64,
    /// Bytes of the run's state (the n×n matrices dominate).
    pub memory_bytes: u64,
    /// Seconds of simulation and writing, roughly (this machine's speed).
    pub seconds: f64,
}

/// The size of a run of `model` writing its tables every `every` steps.
pub fn run_size(model: &Model, every: u64) -> RunSize {
    let s = &model.scenario;
    let (n, pairs) = (s.states.len() as u64, model.pairs.len() as u64);
    let steps = model.params().steps;
    let every = every.max(1);
    let rows = steps / every + 1 + u64::from(!steps.is_multiple_of(every));
    let digits = steps.max(1).ilog10() as u64 + 1;
    let id_len = |i: u32| s.states[i as usize].id.len() as u64;
    let pair_bytes: u64 = model
        .pairs
        .iter()
        .map(|&(a, b)| digits + id_len(a) + id_len(b) + 20)
        .sum();
    let state_bytes: u64 = s
        .states
        .iter()
        .map(|x| digits + x.id.len() as u64 + 52)
        .sum();
    let output_bytes = rows * (pair_bytes + state_bytes);
    // The n×n matrices are allocated zeroed, so with listed ties only the pages
    // holding a tie's cells (at most one each, in the alignment matrix and the
    // hardline memory) become resident.
    let dense = match model.state_ties {
        Some(_) => (n * n * 16).min(pairs * 4 * 4096),
        None => n * n * 52,
    };
    let common = model.common.as_ref().map_or(0, |(_, ids)| ids.len() as u64);
    let memory_bytes = dense + pairs * 120 + common * 4 + n * 200;
    let per_step = if model.state_ties.is_some() {
        (pairs + common) as f64 * 5e-8 + n as f64 * 1e-7
    } else {
        (n * n * n) as f64 * 7e-11 + pairs as f64 * 2e-8
    };
    RunSize {
        output_bytes,
        memory_bytes,
        seconds: steps as f64 * per_step + output_bytes as f64 / 3e8,
    }
}

/// Bytes in a short human form: `5.8 GB`, `312 MB`, `2.4 MB`.
pub fn human_bytes(b: u64) -> String {
    let b = b as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.0} kB", (b / 1e3).ceil())
    }
}

impl RunSize {
    /// Why a run of this size is refused without `--force`, with the figure and
    /// the way out; `None` within the limits.
    pub fn refusal(&self, every: u64) -> Option<String> {
        if self.memory_bytes > MEMORY_LIMIT {
            return Some(format!(
                "the run would need about {} of memory, more than the {} limit:                  add --force to run it anyway",
                human_bytes(self.memory_bytes),
                human_bytes(MEMORY_LIMIT)
            ));
        }
        if self.output_bytes > OUTPUT_LIMIT {
            let k = every * self.output_bytes.div_ceil(OUTPUT_LIMIT);
            return Some(format!(
                "the run would write about {} of alignments.csv and states.csv, more than \
                 the {} limit: write every K-th step with --every K (--every {k} writes \
                 about 1/{} of it), or add --force",
                human_bytes(self.output_bytes),
                human_bytes(OUTPUT_LIMIT),
                k / every
            ));
        }
        None
    }
}

/// The key pairs ranked by the model's rule at the end of the run, as
/// `key_pair` metrics whose value is the rank (1 first): readers show the
/// first few without working the rule out again.
pub fn key_pair_ranks(model: &Model, sim: &Simulation) -> Vec<Metric> {
    model
        .rank_key_pairs(sim.pair_alignments(), sim.shares())
        .into_iter()
        .enumerate()
        .map(|(r, k)| {
            let (i, j) = model.pairs[k];
            Metric {
                name: "key_pair",
                subject: Subject::Pair(i, j),
                value: (r + 1) as f64,
            }
        })
        .collect()
}

/// The S-scores (Signorino & Ritter 1999) of every pair of states at the end of
/// a run: `s_score` unweighted, `s_score_weighted` by power share. With the
/// `listed` topology, of the evolving pairs only, from their ties (O(ties ×
/// degree) rather than O(n³) and n² rows).
pub fn similarity_metrics(sim: &Simulation) -> Vec<Metric> {
    if sim.listed_ties(0).is_some() {
        return listed_similarity_metrics(sim);
    }
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

fn listed_similarity_metrics(sim: &Simulation) -> Vec<Metric> {
    let model = sim.model();
    let n = model.state_count();
    let ties: Vec<Vec<(usize, f64)>> = (0..n)
        .map(|i| sim.listed_ties(i).unwrap_or_default())
        .collect();
    let shares = sim.shares();
    let weighted_ok = crate::network::similarity::usable(Some(shares), n);
    let share_total = shares.iter().fold(0.0, |t, &w| t + w);
    let mut out = Vec::with_capacity(2 * model.pairs.len());
    for (name, weights) in [("s_score", None), ("s_score_weighted", Some(shares))] {
        for &(i, j) in &model.pairs {
            let (i, j) = (i as usize, j as usize);
            let value = match weights {
                None => s_score_sparse(&ties[i], &ties[j], i, j, None, n as f64),
                Some(_) if !weighted_ok => f64::NAN,
                Some(w) => s_score_sparse(&ties[i], &ties[j], i, j, Some(w), share_total),
            };
            out.push(Metric {
                name,
                subject: Subject::Pair(i as u32, j as u32),
                value,
            });
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
