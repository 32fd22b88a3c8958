//! Criterion benchmarks of the simulator: `cargo bench --bench simulation`
//! (about three minutes on two cores; `-- world-2024` etc. runs one group).
//!
//! | group | benchmark | what | target |
//! |---|---|---|---|
//! | `world-2024` | `step` | one step of `scenarios/world-2024` (20 states, 190 pairs) | — |
//! | | `run400` | a 400-step in-memory run, observer `()` | < 1 ms |
//! | | `run400_metrics` | the same watched by `RunMetrics`, with its summary | — |
//! | `dense-200` | `step`, `run400` | 200 synthetic states, `topology = complete` (19 900 pairs) | step < 2 ms |
//! | `sparse-200` | `step`, `run400` | 200 synthetic states, `topology = listed` (~5 ties each) | — |
//! | `sparse-scaling` | `run400_metrics/N` | N = 1,000, 5,000, 20,000 synthetic states, `topology = listed`, ~10 ties each: `Simulation::new`, 400 steps and the end-of-run metrics (camps, balance index) | 5,000 in seconds |
//! | `csv` | `in_memory` | world-2024: run + `RunMetrics` + summary + S-scores, no file | — |
//! | | `stream_null` | `in_memory` plus the `RunWriter` rows, written into /dev/null | — |
//! | | `stream_only` | `in_memory` plus the `RunWriter` per-step files | — |
//! | | `write_run` | the whole `entente run` output into a temp dir | writing ≤ ½ of it |
//! | | `write_run_svg` | the same with the SVG figures `entente run` draws by default, from memory | whole process < 20 ms |
//! | | `write_run_png` | the same with the PNG figures instead (`--plots png`) | — |
//!
//! The share of a run's time spent writing is `1 − in_memory / write_run`;
//! `1 − in_memory / stream_null` is the share of formatting the rows alone,
//! without the file system.
//!
//! A "step" is the mean cost of one step along a run's trajectory: the benchmark
//! keeps one simulation going across iterations and restarts it (untimed) when it
//! reaches the scenario's `steps`, so early and late steps weigh as in a run.
//! A "run" includes `Simulation::new` (as a sweep's replication does) but not
//! loading the scenario or compiling the `Model`, which a sweep does once.
//! Synthetic scenarios come from `common::Synthetic` (CSV files written into a
//! temp dir and read back with `Scenario::load`).

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use entente::dynamics::balance::{pair_sums, DenseScratch};
use entente::engine::{Model, RunId, RunMetrics, Simulation};
use entente::output::plot::Formats;
use entente::output::run::{similarity_metrics, write_run_plotted, RunWriter};

use common::{Synthetic, Ties};

/// The run `entente run` makes of a model: configuration 0, replication 0.
fn run_id(model: &Model) -> RunId {
    RunId::new(model.params().seed, 0, 0)
}

/// Mean time of one step along the trajectory of run `run_id(model)`.
fn bench_step(group: &mut BenchmarkGroup<WallTime>, model: &Model) {
    let id = run_id(model);
    let horizon = model.params().steps.max(1);
    let mut sim = Simulation::new(model, id);
    group.bench_function("step", |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                if sim.step_count() >= horizon {
                    sim = Simulation::new(model, id);
                }
                let chunk = left.min(horizon - sim.step_count());
                let start = Instant::now();
                for _ in 0..chunk {
                    sim.step();
                }
                timed += start.elapsed();
                black_box(sim.alignments());
                left -= chunk;
            }
            timed
        })
    });
}

/// A whole in-memory run (observer `()`), from `Simulation::new` to the last step.
fn bench_run(group: &mut BenchmarkGroup<WallTime>, model: &Model) {
    let id = run_id(model);
    let name = format!("run{}", model.params().steps);
    group.bench_function(name, |b| {
        b.iter(|| {
            let mut sim = Simulation::new(model, id);
            sim.run(&mut ());
            black_box(sim.alignment(0))
        })
    });
}

/// A whole in-memory run watched by `RunMetrics`, with the end-of-run summary
/// (camps, balance index): what a sweep's replication computes.
fn run_with_metrics(model: &Model, id: RunId) -> usize {
    let mut metrics = RunMetrics::new(model);
    let mut sim = Simulation::new(model, id);
    sim.run(&mut metrics);
    metrics.finish(&sim).len()
}

fn world_2024(c: &mut Criterion) {
    let model = common::world_2024();
    let mut group = c.benchmark_group("world-2024");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3));
    bench_step(&mut group, &model);
    bench_run(&mut group, &model);
    let id = run_id(&model);
    group.bench_function(format!("run{}_metrics", model.params().steps), |b| {
        b.iter(|| black_box(run_with_metrics(&model, id)))
    });
    group.finish();
}

fn synthetic(c: &mut Criterion, name: &str, ties: Ties, run_time: Duration) {
    let model = Synthetic::new(200, ties).model();
    let mut group = c.benchmark_group(name);
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3));
    bench_step(&mut group, &model);
    group.sample_size(10).measurement_time(run_time);
    bench_run(&mut group, &model);
    group.finish();
}

fn dense_200(c: &mut Criterion) {
    synthetic(c, "dense-200", Ties::Dense, Duration::from_secs(8));
    // The balance kernel alone: Σ_k w_k a_ik a_kj for all 19 900 pairs, n²(n − 1)
    // flops (a multiply and an add per term) — the README compares its rate with
    // one core's peak (`examples/fma_peak`).
    let n = 200;
    let a = common::random_symmetric(n, 7);
    let w: Vec<f64> = (0..n).map(|k| 0.5 + (k % 7) as f64 / 7.0).collect();
    let mut scratch = DenseScratch::default();
    let mut out = vec![0.0; n * (n - 1) / 2];
    let mut group = c.benchmark_group("dense-200");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements((n * n * (n - 1)) as u64));
    group.bench_function("balance_sums", |b| {
        b.iter(|| {
            pair_sums(&a, &w, &mut scratch, &mut out);
            black_box(out[0])
        })
    });
    group.finish();
}

fn sparse_200(c: &mut Criterion) {
    synthetic(c, "sparse-200", Ties::Sparse, Duration::from_secs(3));
}

/// Listed networks of growing size at ~10 ties per state: a run with its metrics
/// should grow with the ties (exponent ≈ 1), not with n² or n³.
fn sparse_scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("sparse-scaling");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for n in [1_000, 5_000, 20_000] {
        let model = Synthetic::new(n, Ties::Sparse10).model();
        let id = run_id(&model);
        group.bench_function(format!("run400_metrics/{n}"), |b| {
            b.iter(|| black_box(run_with_metrics(&model, id)))
        });
    }
    group.finish();
}

/// `in_memory`'s computation with the `RunWriter` streaming the per-step files
/// into `dir`: what `entente run` does besides summary.csv and the scenario copy.
fn streamed_run(model: &Model, id: RunId, dir: &std::path::Path) -> usize {
    let mut writer = RunWriter::create(model, dir).expect("creating the files");
    let mut metrics = RunMetrics::new(model);
    let mut sim = Simulation::new(model, id);
    sim.run(&mut (&mut writer, &mut metrics));
    writer.finish().expect("writing the files");
    let mut summary = metrics.finish(&sim);
    summary.extend(similarity_metrics(&sim));
    summary.len()
}

/// world-2024: the share of a run's time that writing its CSV files takes.
fn csv(c: &mut Criterion) {
    let model = common::world_2024();
    let id = run_id(&model);
    let root = tempfile::Builder::new()
        .prefix("entente-bench-out-")
        .tempdir()
        .expect("creating a temporary folder");
    let out = root.path().join("run");
    let mut group = c.benchmark_group("csv");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));

    // The same computation as `write_run` without any file: the run, RunMetrics
    // and the summary with the S-scores.
    group.bench_function("in_memory", |b| {
        b.iter(|| {
            let mut metrics = RunMetrics::new(&model);
            let mut sim = Simulation::new(&model, id);
            sim.run(&mut metrics);
            let mut summary = metrics.finish(&sim);
            summary.extend(similarity_metrics(&sim));
            black_box(summary.len())
        })
    });

    // `in_memory` plus the rows of the per-step files, formatted and written into
    // /dev/null (the files of a folder are links to it): formatting without the
    // file system.
    #[cfg(unix)]
    {
        let null_dir = root.path().join("null");
        std::fs::create_dir(&null_dir).expect("creating the null folder");
        for name in ["alignments.csv", "states.csv", "events.csv"] {
            std::os::unix::fs::symlink("/dev/null", null_dir.join(name)).expect("a link");
        }
        group.bench_function("stream_null", |b| {
            b.iter(|| black_box(streamed_run(&model, id, &null_dir)))
        });
    }

    // `in_memory` plus the streamed per-step files (alignments, states, events), but
    // no summary.csv, no scenario copy, no atomic rename: the `RunWriter` observer.
    // Files are written into a fresh folder each time (the last one is removed
    // untimed): re-creating a file over an old one makes ext4 flush on close.
    let stream_dir = root.path().join("stream");
    group.bench_function("stream_only", |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                if stream_dir.exists() {
                    std::fs::remove_dir_all(&stream_dir).expect("removing the last files");
                }
                std::fs::create_dir(&stream_dir).expect("creating the stream folder");
                let start = Instant::now();
                black_box(streamed_run(&model, id, &stream_dir));
                timed += start.elapsed();
            }
            timed
        })
    });

    // The whole `entente run` output, without figures and with them. The
    // previous iteration's folder is removed untimed, so each timed call writes
    // into a fresh destination as a user's does.
    for (name, formats) in [
        ("write_run", Formats::None),
        ("write_run_svg", Formats::Svg),
        ("write_run_png", Formats::Png),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    if out.exists() {
                        std::fs::remove_dir_all(&out).expect("removing the last output");
                    }
                    let start = Instant::now();
                    let report =
                        write_run_plotted(&model, id, &out, formats).expect("writing the run");
                    timed += start.elapsed();
                    black_box(report.metrics.len());
                }
                timed
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    world_2024,
    dense_200,
    sparse_200,
    sparse_scaling,
    csv
);
criterion_main!(benches);
