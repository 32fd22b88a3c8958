//! Camp labels follow one rule (issue 9): camp 0 is the camp of the most powerful
//! state, at every step, in a run's summary and in an export alike; a sweep reports
//! membership of that camp (`leader_camp`), never an average of labels.

mod common;

use common::{crate_path, entente, read_csv, stderr};
use entente::output::export::read_network;

#[test]
fn camp_0_holds_the_most_powerful_state_at_every_exported_step() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("run");
    let o = entente(&[
        "run",
        "scenarios/world-2024",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for step in [0, 100, 200, 400] {
        let net = read_network(&out, Some(step)).unwrap();
        let nodes: Vec<_> = net.graph.node_weights().collect();
        let leader = nodes
            .iter()
            .max_by(|a, b| a.power.total_cmp(&b.power))
            .unwrap();
        assert_eq!(
            leader.camp, 0,
            "step {step}: {} leads in camp {}",
            leader.id, leader.camp
        );
        assert!(nodes.iter().any(|n| n.camp == 1), "step {step}: one camp");
    }
    // summary.csv: the label of each state and its membership of the leader's camp agree
    let (_, rows) = read_csv(&out.join("summary.csv"));
    let value = |metric: &str, id: &str| -> f64 {
        rows.iter()
            .find(|r| r[0] == metric && r[1] == id)
            .unwrap_or_else(|| panic!("no {metric} of {id}"))[3]
            .parse()
            .unwrap()
    };
    for id in ["USA", "CHN", "RUS", "DEU"] {
        assert_eq!(value("camp", id), 1.0 - value("leader_camp", id), "{id}");
    }
}

#[test]
fn a_sweep_reports_membership_of_the_leaders_camp_not_labels() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("sweep");
    let o = entente(&[
        "sweep",
        crate_path("scenarios/triangle").to_str().unwrap(),
        "--reps",
        "4",
        "--steps",
        "50",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (_, rows) = read_csv(&out.join("summary.csv"));
    assert!(
        !rows.iter().any(|r| r[1].starts_with("camp:")),
        "labels averaged"
    );
    let share = rows
        .iter()
        .find(|r| r[1] == "leader_camp:CHN")
        .expect("leader_camp of CHN");
    // CHN is the most powerful state of the triangle: always in its own camp
    assert_eq!(share[3], "1", "{share:?}");
}
