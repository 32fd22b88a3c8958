//! Where a sweep's time goes, on one thread: the cost of a run inside a sweep (the
//! difference between a SMALL- and a LARGE-rep sweep, per run) against the same
//! runs in memory with no observer, and the fixed cost of the SMALL sweep (its
//! outputs written, no plots). Alternating rounds, fastest of each, as the
//! steadiest figure on a shared machine.
//! `cargo run --release --example time_sweep -- [SCENARIO] [SMALL] [LARGE] [ROUNDS]`
//! (default world-2024 16 96 7).
use std::path::Path;
use std::time::{Duration, Instant};

use entente::engine::Simulation;
use entente::experiment::manifest::{Layout, Manifest};
use entente::experiment::progress::ProgressMode;
use entente::experiment::spec::{Shard, SweepSpec};
use entente::experiment::sweep::{execute, SweepOptions};
use entente::output::sweep::write_sweep;
use entente::scenario::Scenario;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("scenarios/world-2024", String::as_str);
    let arg = |i: usize, d: u64| args.get(i).map_or(d, |a| a.parse().expect("a number"));
    let (small, large, rounds) = (arg(2, 16), arg(3, 96), arg(4, 7));
    let scenario = Scenario::load(Path::new(name)).expect("a scenario");
    let spec_of = |reps| SweepSpec::new(scenario.clone(), &[], Vec::new(), &[], reps).unwrap();
    let (spec_s, spec_l) = (spec_of(small), spec_of(large));
    let models = spec_l.models().expect("models");
    let manifest =
        |spec: &SweepSpec| Manifest::new(spec, Layout::new(spec, &models), &[], Shard::WHOLE);
    let (man_s, man_l) = (manifest(&spec_s), manifest(&spec_l));
    let dir = tempfile::tempdir().expect("a temp dir");
    let sweep = |spec: &SweepSpec, man: &Manifest, outputs: bool| {
        let out = dir.path().join("s");
        let _ = std::fs::remove_dir_all(&out);
        let opts = SweepOptions {
            out: out.clone(),
            threads: Some(1),
            shard: Shard::WHOLE,
            resume: false,
            progress: ProgressMode::Silent,
            checkpoint_every: Duration::from_secs(3600),
        };
        let start = Instant::now();
        let state = execute(spec, &models, man, &opts).expect("the sweep runs");
        if outputs {
            write_sweep(man, &state, &out).expect("outputs");
        }
        start.elapsed().as_secs_f64()
    };
    let in_memory = |n: u64| {
        let start = Instant::now();
        for run in 0..n {
            let (config, id) = spec_l.run_id(run);
            let mut sim = Simulation::new(&models[config], id);
            sim.run(&mut ());
            std::hint::black_box(sim.alignment(0));
        }
        start.elapsed().as_secs_f64()
    };
    let (mut ts, mut tl, mut tm, mut fixed) = (f64::MAX, f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..rounds {
        ts = ts.min(sweep(&spec_s, &man_s, false));
        tl = tl.min(sweep(&spec_l, &man_l, false));
        tm = tm.min(in_memory(large - small));
        fixed = fixed.min(sweep(&spec_s, &man_s, true));
    }
    let per_run = (tl - ts) / (large - small) as f64;
    let sim = tm / (large - small) as f64;
    println!(
        "per run in a sweep {:.3} ms, in memory {:.3} ms: aggregation and bookkeeping {:.1}% \
         of the sweep's time; {small}-rep sweep with its outputs (no plots) {:.1} ms, \
         of which runs {:.1} ms",
        per_run * 1e3,
        sim * 1e3,
        100.0 * (1.0 - sim / per_run),
        fixed * 1e3,
        per_run * small as f64 * 1e3,
    );
}
