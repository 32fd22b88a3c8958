//! The brief's four historical cases reproduce the direction of its outcomes,
//! averaged over replications (each scenario's README quotes the outcome).

use std::path::Path;

use entente::engine::metrics::{Metric, Subject};
use entente::engine::{Model, Observer, RunId, RunMetrics, Simulation};
use entente::scenario::Scenario;

const REPS: u64 = 40;

/// The path of one pair's alignment in one run.
struct PairPath {
    pair: usize,
    path: Vec<f64>,
}

impl Observer for PairPath {
    fn observe(&mut self, sim: &Simulation) {
        self.path.push(sim.alignment(self.pair));
    }
}

/// One replication: its metrics and the path of the pair followed.
type Replication = (Vec<Metric>, Vec<f64>);

/// Per replication: the metrics and the path of pair `a`-`b`.
fn replicate(scenario: &str, a: &str, b: &str) -> (Model, Vec<Replication>) {
    let s = Scenario::load(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(scenario),
    )
    .unwrap();
    let (ia, ib) = (s.state_index(a).unwrap(), s.state_index(b).unwrap());
    let model = Model::new(s);
    let pair = model.pair_index(ia, ib).unwrap();
    let runs = (0..REPS)
        .map(|rep| {
            let mut sim = Simulation::new(&model, RunId::new(model.params().seed, 0, rep));
            let mut metrics = RunMetrics::new(&model);
            let mut path = PairPath {
                pair,
                path: Vec::new(),
            };
            sim.run(&mut (&mut metrics, &mut path));
            (metrics.finish(&sim), path.path)
        })
        .collect();
    (model, runs)
}

fn value(model: &Model, metrics: &[Metric], name: &str, a: &str, b: &str, directed: bool) -> f64 {
    let s = &model.scenario;
    let (i, j) = (
        s.state_index(a).unwrap() as u32,
        s.state_index(b).unwrap() as u32,
    );
    let subject = if directed {
        Subject::Directed(i, j)
    } else {
        Subject::Pair(i.min(j), i.max(j))
    };
    metrics
        .iter()
        .find(|m| m.name == name && m.subject == subject)
        .map(|m| m.value)
        .unwrap_or_else(|| panic!("no {name} for {a}-{b}"))
}

fn mean(xs: impl IntoIterator<Item = f64>) -> f64 {
    let v: Vec<f64> = xs.into_iter().filter(|x| x.is_finite()).collect();
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn reset_2009_peripheral_deals_then_fading_relations_and_surviving_deals() {
    let (model, runs) = replicate("reset-2009", "USA", "RUS");
    let made = mean(
        runs.iter()
            .map(|(m, _)| value(&model, m, "deals_made", "USA", "RUS", false)),
    );
    let alive = mean(
        runs.iter()
            .map(|(m, _)| value(&model, m, "deals_alive", "USA", "RUS", false)),
    );
    assert!(made >= 3.0, "peripheral deals are reached: {made} per run");
    assert!(
        alive >= 0.5 * made,
        "the deals outlive the deterioration: {alive} of {made} alive at the end"
    );
    let peak = mean(
        runs.iter()
            .map(|(_, p)| p.iter().copied().fold(f64::MIN, f64::max)),
    );
    let last = mean(runs.iter().map(|(_, p)| *p.last().unwrap()));
    assert!(
        last < peak - 0.1,
        "relations fade once only core issues remain: peak {peak:.3}, end {last:.3}"
    );
}

#[test]
fn detente_soviet_reciprocation_exceeds_todays_russian() {
    let (detente, runs) = replicate("detente-1972", "USA", "SUN");
    let soviet = mean(
        runs.iter()
            .map(|(m, _)| value(&detente, m, "mean_p", "USA", "SUN", true)),
    );
    let (triangle, today) = replicate("triangle", "USA", "RUS");
    let russian = mean(
        today
            .iter()
            .map(|(m, _)| value(&triangle, m, "mean_p", "USA", "RUS", true)),
    );
    assert!(
        soviet > russian + 0.1,
        "détente's wedge: Soviet p {soviet:.3} vs today's Russian p {russian:.3}"
    );
    let made = mean(
        runs.iter()
            .map(|(m, _)| value(&detente, m, "deals_made", "USA", "SUN", false)),
    );
    assert!(
        made >= 2.0,
        "arms-control and trade deals are reached: {made}"
    );
}

#[test]
fn us_soviet_1945_accommodation_fails_into_antagonism() {
    let (model, runs) = replicate("us-soviet-1945", "USA", "SUN");
    let start = runs[0].1[0];
    let last = mean(runs.iter().map(|(_, p)| *p.last().unwrap()));
    assert!(
        last < 0.0 && last < start - 0.4,
        "relations fall to antagonism: from {start:.3} to {last:.3}"
    );
    let camps_apart = runs
        .iter()
        .filter(|(m, _)| {
            value_state(&model, m, "leader_camp", "USA")
                != value_state(&model, m, "leader_camp", "SUN")
        })
        .count();
    assert!(
        camps_apart as u64 >= REPS * 9 / 10,
        "the U.S. and the Soviet Union end in opposite camps ({camps_apart} of {REPS})"
    );
}

#[test]
fn anglo_russian_1907_durable_deals_but_limited_improvement() {
    let (model, runs) = replicate("anglo-russian-1907", "GBR", "RUS");
    let start = runs[0].1[0];
    let alive = mean(
        runs.iter()
            .map(|(m, _)| value(&model, m, "deals_alive", "GBR", "RUS", false)),
    );
    let last = mean(runs.iter().map(|(_, p)| *p.last().unwrap()));
    assert!(
        alive >= 2.0,
        "the Central Asian settlements last: {alive} deals alive"
    );
    assert!(
        last > start,
        "relations improve: from {start:.3} to {last:.3}"
    );
    assert!(last < 0.6, "but the improvement is limited: {last:.3}");
}

fn value_state(model: &Model, metrics: &[Metric], name: &str, id: &str) -> f64 {
    let i = model.scenario.state_index(id).unwrap() as u32;
    metrics
        .iter()
        .find(|m| m.name == name && m.subject == Subject::State(i))
        .map(|m| m.value)
        .unwrap()
}
