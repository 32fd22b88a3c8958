//! Times world-2024 runs in memory (with `RunMetrics`) and with the per-step files
//! streamed into /dev/null, and prints the fastest of 20 batches of 20 each: the
//! share of a run that formatting its rows takes, without the file system
//! (`cargo run --release --example time_write`; Unix only).
use entente::engine::{Model, RunId, RunMetrics, Simulation};
use entente::output::run::RunWriter;
use entente::scenario::Scenario;

fn main() {
    let model = Model::new(Scenario::load("scenarios/world-2024").expect("bundled scenario"));
    let dir = tempfile::tempdir().expect("a temporary folder");
    for name in ["alignments.csv", "states.csv", "events.csv"] {
        std::os::unix::fs::symlink("/dev/null", dir.path().join(name)).expect("a link");
    }
    let run = |observe_files: bool, rep: u64| {
        let mut metrics = RunMetrics::new(&model);
        let mut sim = Simulation::new(&model, RunId::new(1, 0, rep));
        if observe_files {
            let mut writer = RunWriter::create(&model, dir.path()).expect("files");
            sim.run(&mut (&mut writer, &mut metrics));
            writer.finish().expect("writing");
        } else {
            sim.run(&mut metrics);
        }
        std::hint::black_box(metrics.finish(&sim).len());
    };
    let fastest = |observe_files: bool| {
        (0..20)
            .map(|_| {
                let start = std::time::Instant::now();
                (0..20).for_each(|rep| run(observe_files, rep));
                start.elapsed().as_secs_f64() / 20.0 * 1e3
            })
            .fold(f64::MAX, f64::min)
    };
    for _ in 0..3 {
        let (memory, streamed) = (fastest(false), fastest(true));
        println!(
            "in memory {memory:.3} ms, rows streamed to /dev/null {streamed:.3} ms: formatting {:.0}%",
            100.0 * (1.0 - memory / streamed)
        );
    }
}
