//! Hedging (states.csv `hedging`, the `ID.hedging` setting): the balance pressure
//! on a state's ties is scaled by 1 − g, so a multi-aligned state can stay between
//! two camps. A small world of two camps — {USA, JPN, GBR} and {RUS, CHN, IRN} —
//! and three states with friendly ties to both, like India, Turkey and Armenia.
//! Default parameters; 8 replications each.

mod common;

use entente::engine::{Model, RunId, Simulation};
use entente::scenario::Scenario;

const STATES: &str = "id,power,hedging\n\
    USA,0.14,0\nJPN,0.04,0\nGBR,0.02,0\nRUS,0.04,0\nCHN,0.2,0\nIRN,0.01,0\n\
    IND,0.08,0\nTUR,0.01,0\nARM,0.001,0\n";

const ALIGNMENTS: &str = "a,b,alignment\n\
    USA,JPN,0.8\nUSA,GBR,0.8\nJPN,GBR,0.6\nRUS,CHN,0.7\nRUS,IRN,0.6\nCHN,IRN,0.5\n\
    USA,RUS,-0.6\nUSA,CHN,-0.5\nUSA,IRN,-0.8\nJPN,CHN,-0.5\nJPN,RUS,-0.4\n\
    GBR,RUS,-0.6\nGBR,IRN,-0.4\n\
    IND,USA,0.3\nIND,JPN,0.4\nIND,RUS,0.5\nIND,CHN,-0.3\nIND,IRN,0.2\n\
    TUR,USA,0.3\nTUR,GBR,0.3\nTUR,RUS,0.2\nTUR,IRN,0.1\n\
    ARM,RUS,0.4\nARM,IRN,0.3\nARM,USA,0.2\nARM,GBR,0.1\n";

const HEDGERS: [&str; 3] = ["IND", "TUR", "ARM"];

/// Final alignments of each hedger with the two camps' leaders (USA, RUS), per
/// replication, when the hedgers' `hedging` is `g`.
fn final_ties(g: f64) -> Vec<[(f64, f64); 3]> {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("hedgers");
    common::write_files(
        &dir,
        &[
            ("states.csv", STATES),
            ("alignments.csv", ALIGNMENTS),
            ("params.csv", "key,value\nsteps,400\nseed,3\n"),
        ],
    );
    let mut s = Scenario::load(&dir).unwrap();
    for h in HEDGERS {
        s.apply(&format!("{h}.hedging"), &g.to_string()).unwrap();
    }
    let model = Model::new(s);
    let at = |a: &str| model.scenario.state_index(a).unwrap();
    (0..8)
        .map(|rep| {
            let mut sim = Simulation::new(&model, RunId::new(3, 0, rep));
            sim.run(&mut ());
            let a = sim.alignments();
            HEDGERS.map(|h| (a[(at(h), at("USA"))], a[(at(h), at("RUS"))]))
        })
        .collect()
}

#[test]
fn without_hedging_the_multi_aligned_states_pick_a_camp() {
    for (rep, ties) in final_ties(0.0).iter().enumerate() {
        for (h, &(usa, rus)) in HEDGERS.iter().zip(ties) {
            assert!(
                usa * rus < 0.0,
                "replication {rep}: {h} keeps USA {usa:.3} and RUS {rus:.3} without hedging"
            );
        }
    }
}

#[test]
fn hedging_states_keep_ties_to_both_camps() {
    for (rep, ties) in final_ties(0.8).iter().enumerate() {
        for (h, &(usa, rus)) in HEDGERS.iter().zip(ties) {
            assert!(
                usa > 0.1 && rus > 0.1,
                "replication {rep}: {h} ends at USA {usa:.3}, RUS {rus:.3} with hedging 0.8"
            );
        }
    }
}

#[test]
fn hedging_is_read_from_states_csv_and_checked() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    let states = STATES.replace("IND,0.08,0", "IND,0.08,0.7");
    common::write_files(
        &dir,
        &[("states.csv", &states), ("alignments.csv", ALIGNMENTS)],
    );
    let s = Scenario::load(&dir).unwrap();
    let ind = s.state_index("IND").unwrap();
    assert_eq!(s.states[ind].hedging, 0.7);
    assert_eq!(s.states[s.state_index("USA").unwrap()].hedging, 0.0);
    let bad = STATES.replace("IND,0.08,0", "IND,0.08,1.5");
    std::fs::write(dir.join("states.csv"), bad).unwrap();
    let errors = common::load_errors(&dir);
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(
        text.iter().any(|e| e.contains("states.csv:8")
            && e.contains("hedging")
            && e.contains("1.5")
            && e.contains("outside [0, 1]")),
        "{text:?}"
    );
    std::fs::write(dir.join("states.csv"), STATES).unwrap();
    let mut ok = Scenario::load(&dir).unwrap();
    let e = ok.apply("IND.hedging", "-0.1").unwrap_err();
    assert_eq!(
        e.to_string(),
        "`IND.hedging`: value `-0.1` is outside [0, 1]"
    );
}
