//! Writes world-2024 runs to a folder many times, for profilers
//! (`cargo run --release --example profile_write -- DIR [REPS]`).
use entente::engine::{Model, RunId};
use entente::output::run::write_run;
use entente::scenario::Scenario;

fn main() {
    let model = Model::new(Scenario::load("scenarios/world-2024").expect("bundled scenario"));
    let dir = std::env::args().nth(1).expect("an output folder");
    let reps: u64 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let start = std::time::Instant::now();
    for rep in 0..reps {
        write_run(
            &model,
            RunId::new(1, 0, 0),
            &std::path::Path::new(&dir).join(format!("r{rep}")),
        )
        .expect("writing");
    }
    let per = start.elapsed().as_secs_f64() / reps as f64;
    println!("{reps} runs written, {:.3} ms each", per * 1e3);
}
