//! Sweep throughput: runs per second of the triangle and world-2024 on 1 and 2
//! threads (the speed-up target is ≥ 1.8×), through the same `execute` as
//! `entente sweep`, checkpoints and all; and the sweep's overhead on world-2024
//! (`sweep-overhead`): a 16- and a 96-rep sweep on one thread and the 80 runs
//! between them in memory, so that (96-rep − 16-rep) / 80 is the cost of a run in
//! a sweep and its excess over the in-memory run the aggregation and bookkeeping
//! (target ≤ 25% of the sweep's time; `examples/time_sweep` prints the figure).

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use entente::engine::{Model, Simulation};
use entente::experiment::manifest::{Layout, Manifest};
use entente::experiment::progress::ProgressMode;
use entente::experiment::spec::{Shard, SweepSpec};
use entente::experiment::sweep::{execute, SweepOptions, SweepState};
use entente::scenario::Scenario;

/// One sweep into a temporary folder, as `entente sweep` runs it (no
/// checkpoint within a benchmark's time).
fn run_sweep(
    spec: &SweepSpec,
    models: &[Model],
    manifest: &Manifest,
    threads: usize,
) -> SweepState {
    let dir = tempfile::tempdir().expect("a temp dir");
    let opts = SweepOptions {
        out: dir.path().join("s"),
        threads: Some(threads),
        shard: Shard::WHOLE,
        resume: false,
        progress: ProgressMode::Silent,
        checkpoint_every: Duration::from_secs(3600),
    };
    execute(spec, models, manifest, &opts).expect("the sweep runs")
}

fn sweep(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for (name, reps) in [("triangle", 400u64), ("world-2024", 64)] {
        let scenario = Scenario::load(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("scenarios")
                .join(name),
        )
        .expect("bundled scenario");
        let spec = SweepSpec::new(scenario, &[], Vec::new(), &[], reps).expect("a valid sweep");
        let models = spec.models().expect("models");
        let manifest = Manifest::new(&spec, Layout::new(&spec, &models), &[], Shard::WHOLE);
        group.throughput(Throughput::Elements(reps));
        for threads in [1, 2] {
            group.bench_with_input(
                BenchmarkId::new(name, format!("{threads} threads")),
                &threads,
                |b, &threads| b.iter(|| run_sweep(&spec, &models, &manifest, threads)),
            );
        }
    }
    group.finish();
}

fn overhead(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep-overhead");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(6));
    let scenario = Scenario::load(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join("world-2024"),
    )
    .expect("bundled scenario");
    let (small, large) = (16u64, 96u64);
    let spec_of = |reps| SweepSpec::new(scenario.clone(), &[], Vec::new(), &[], reps).unwrap();
    let models = spec_of(large).models().expect("models");
    for reps in [small, large] {
        let spec = spec_of(reps);
        let manifest = Manifest::new(&spec, Layout::new(&spec, &models), &[], Shard::WHOLE);
        group.bench_function(format!("world-2024/{reps} reps"), |b| {
            b.iter(|| run_sweep(&spec, &models, &manifest, 1))
        });
    }
    let spec = spec_of(large);
    group.bench_function(
        format!("world-2024/{} runs in memory", large - small),
        |b| {
            b.iter(|| {
                for run in 0..large - small {
                    let (config, id) = spec.run_id(run);
                    let mut sim = Simulation::new(&models[config], id);
                    sim.run(&mut ());
                    std::hint::black_box(sim.alignment(0));
                }
            })
        },
    );
    group.finish();
}

criterion_group!(benches, sweep, overhead);
criterion_main!(benches);
