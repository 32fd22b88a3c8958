//! Progress of a long sweep: an indicatif bar (runs done / total, runs per second,
//! ETA) on a terminal; a plain line every few seconds otherwise (a Slurm log) or
//! with `--quiet`. Workers only count; the main thread draws.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressMode {
    /// An indicatif bar on stderr: runs done of the total, runs per second, ETA.
    Bar,
    /// A plain line on stderr every 5 seconds and at the end (a log file, `--quiet`).
    Lines,
    /// Nothing at all (tests, benchmarks).
    Silent,
}

impl ProgressMode {
    /// A bar on a terminal unless `quiet`; plain lines otherwise.
    pub fn detect(quiet: bool) -> Self {
        if !quiet && std::io::stderr().is_terminal() {
            ProgressMode::Bar
        } else {
            ProgressMode::Lines
        }
    }
}

/// The progress of one sweep: a shared run counter, and the bar or lines that show it.
pub struct Progress {
    mode: ProgressMode,
    bar: Option<ProgressBar>,
    total: u64,
    already: u64,
    done: AtomicU64,
    start: Instant,
    last_line: Instant,
    every: Duration,
    label: String,
}

impl Progress {
    /// `already` runs were done before (a resumed sweep).
    pub fn new(mode: ProgressMode, label: &str, total: u64, already: u64) -> Self {
        let bar = (mode == ProgressMode::Bar).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg} {wide_bar} {pos}/{len} runs · {per_sec} · ETA {eta}",
                )
                .expect("a valid template"),
            );
            bar.set_message(label.to_string());
            bar.set_position(already);
            bar.reset_eta();
            bar
        });
        Progress {
            mode,
            bar,
            total,
            already,
            done: AtomicU64::new(already),
            start: Instant::now(),
            last_line: Instant::now(),
            every: Duration::from_secs(5),
            label: label.to_string(),
        }
    }

    /// One more run done (any thread).
    pub fn inc(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Prints a plain line if one is due (main thread).
    pub fn tick(&mut self) {
        if self.mode == ProgressMode::Lines && self.last_line.elapsed() >= self.every {
            self.last_line = Instant::now();
            eprintln!("{}", self.line());
        }
    }

    fn line(&self) -> String {
        let done = self.done.load(Ordering::Relaxed);
        let secs = self.start.elapsed().as_secs_f64();
        let rate = (done - self.already) as f64 / secs.max(1e-9);
        let eta = if rate > 0.0 {
            (self.total - done) as f64 / rate
        } else {
            f64::NAN
        };
        format!(
            "{}: {done}/{} runs ({:.1}%), {rate:.0} runs/s, elapsed {secs:.0}s, ETA {eta:.0}s",
            self.label,
            self.total,
            100.0 * done as f64 / self.total.max(1) as f64
        )
    }

    /// Ends the display with a last line.
    pub fn finish(&self) {
        match (&self.bar, self.mode) {
            (Some(bar), _) => bar.finish(),
            (None, ProgressMode::Lines) => eprintln!("{}", self.line()),
            _ => {}
        }
    }
}
