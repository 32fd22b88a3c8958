//! Runs world-2024 in memory many times, for profilers (`cargo run --release --example profile_run`).
use entente::engine::{Model, RunId, RunMetrics, Simulation};
use entente::scenario::Scenario;

fn main() {
    let model = Model::new(Scenario::load("scenarios/world-2024").expect("bundled scenario"));
    let reps: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let start = std::time::Instant::now();
    let mut total = 0.0;
    for rep in 0..reps {
        let mut sim = Simulation::new(&model, RunId::new(1, 0, rep));
        let mut metrics = RunMetrics::new(&model);
        sim.run(&mut metrics);
        total += sim.alignment(0);
    }
    let per = start.elapsed().as_secs_f64() / reps as f64;
    println!(
        "{reps} runs, {:.3} ms per 400-step run ({total:.3})",
        per * 1e3
    );
}
