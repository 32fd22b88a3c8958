//! Sweep throughput: runs per second of the triangle and world-2024 on 1 and 2
//! threads (the speed-up target is ≥ 1.8×), through the same `execute` as
//! `entente sweep`, checkpoints and all.

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use entente::experiment::manifest::{Layout, Manifest};
use entente::experiment::progress::ProgressMode;
use entente::experiment::spec::{Shard, SweepSpec};
use entente::experiment::sweep::{execute, SweepOptions};
use entente::scenario::Scenario;

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
                |b, &threads| {
                    b.iter(|| {
                        let dir = tempfile::tempdir().expect("a temp dir");
                        let opts = SweepOptions {
                            out: dir.path().join("s"),
                            threads: Some(threads),
                            shard: Shard::WHOLE,
                            resume: false,
                            progress: ProgressMode::Silent,
                            checkpoint_every: Duration::from_secs(3600),
                        };
                        execute(&spec, &models, &manifest, &opts).expect("the sweep runs")
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, sweep);
criterion_main!(benches);
