//! Times whole in-memory runs (observer `()`) in 30 batches of 50 and prints the
//! fastest and the median batch: on a shared machine the minimum is the steadiest
//! figure (`cargo run --release --example time_run -- [SCENARIO]`, default world-2024).
use entente::engine::{Model, RunId, Simulation};
use entente::scenario::Scenario;
fn main() {
    let model = Model::new(
        Scenario::load(
            std::env::args()
                .nth(1)
                .as_deref()
                .unwrap_or("scenarios/world-2024"),
        )
        .expect("bundled scenario"),
    );
    let mut best = f64::MAX;
    let mut all = Vec::new();
    for _ in 0..30 {
        let start = std::time::Instant::now();
        for rep in 0..50 {
            let mut sim = Simulation::new(&model, RunId::new(1, 0, rep));
            sim.run(&mut ());
            std::hint::black_box(sim.alignment(0));
        }
        let per = start.elapsed().as_secs_f64() / 50.0 * 1e3;
        best = best.min(per);
        all.push(per);
    }
    all.sort_by(f64::total_cmp);
    println!("min {best:.3} ms  median {:.3} ms", all[all.len() / 2]);
}
