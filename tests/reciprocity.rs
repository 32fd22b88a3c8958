//! The reciprocation probability p = σ(U) of docs/model.md §2.5, term by term, against
//! values worked out by hand for four states: the U.S., Russia, China and India.
//!
//! Alignments (symmetric):        Power (share of 10):
//!   USA–RUS −0.6   RUS–CHN +0.8     USA 4 (0.4)   RUS 1 (0.1)
//!   USA–CHN −0.5   RUS–IND +0.3     CHN 3 (0.3)   IND 2 (0.2)
//!   USA–IND +0.4   CHN–IND −0.2
//!
//! Weights: base 0.5, concession 2, core_multiplier 3, loyalty 8, wedge 6,
//! common_enemy 2.5, common_friend 1.5, trend 300, mistrust 1.2, hardliners 0.7 —
//! all different, so a weight applied to the wrong term changes U.

mod common;

use entente::dynamics::logistic;
use entente::dynamics::reciprocity::{triad_terms, utility, Offer, TargetContext, Utility};
use entente::engine::{EventKind, Model, Observer, RunId, Simulation};
use entente::scenario::Params;
use entente::scenario::Scenario;
use nalgebra::DMatrix;

const USA: usize = 0;
const RUS: usize = 1;
const CHN: usize = 2;
const IND: usize = 3;

fn matrix() -> DMatrix<f64> {
    let mut a = DMatrix::zeros(4, 4);
    for &(i, j, x) in &[
        (USA, RUS, -0.6),
        (USA, CHN, -0.5),
        (USA, IND, 0.4),
        (RUS, CHN, 0.8),
        (RUS, IND, 0.3),
        (CHN, IND, -0.2),
    ] {
        a[(i, j)] = x;
        a[(j, i)] = x;
    }
    a
}

const SHARES: [f64; 4] = [0.4, 0.1, 0.3, 0.2];

fn params() -> Params {
    let mut p = Params::default();
    for (k, v) in [
        ("base", "0.5"),
        ("concession", "2"),
        ("core_multiplier", "3"),
        ("loyalty", "8"),
        ("wedge", "6"),
        ("common_enemy", "2.5"),
        ("common_friend", "1.5"),
        ("trend", "300"),
        ("mistrust", "1.2"),
        ("hardliners", "0.7"),
    ] {
        p.set(k, v).unwrap();
    }
    p
}

fn close(x: f64, y: f64, what: &str) {
    assert!((x - y).abs() < 1e-12, "{what}: {x} vs {y} by hand");
}

/// Checks every term of `u`, U and p against the hand values.
#[allow(clippy::too_many_arguments)]
fn check(u: &Utility, l: f64, w: f64, e: f64, f: f64, c: f64, m: f64, total: f64) {
    close(u.loyalty, l, "L");
    close(u.wedge, w, "W");
    close(u.common_enemy, e, "E");
    close(u.common_friend, f, "F");
    close(u.concession, c, "c·(core multiplier)");
    close(u.mistrust, m, "M");
    close(u.total, total, "U");
    close(u.probability(), 1.0 / (1.0 + (-total).exp()), "p = σ(U)");
    close(u.probability(), logistic(total), "p = σ(U)");
}

#[test]
fn us_offer_to_russia_loyalty_to_china() {
    // i = USA, j = RUS, peripheral offer c = 0.5; T = 0.002, memory 0.25, h_RUS = 0.6.
    // m = CHN: a_jm = +0.8, a_im = −0.5: a partner of RUS that is a rival of the USA
    //   L += 0.3·[0.8]⁺·[0.5]⁺ = 0.12   (W, E and F: [−0.8]⁺ = 0 or [−0.5]⁺ = 0)
    // m = IND: a_jm = +0.3, a_im = +0.4: a common friend
    //   F += 0.2·0.3·0.4 = 0.024
    // L = 0.12, W = 0, E = 0, F = 0.024
    // concession term c = 0.5 (peripheral: no multiplier)
    // M = [−a_ij]⁺ + memory = [0.6]⁺ + 0.25 = 0.85
    // U = 0.5 + 2·0.5 − 8·0.12 + 6·0 + 2.5·0 + 1.5·0.024 + 300·0.002 − 1.2·0.85 − 0.7·0.6
    //   = 0.5 + 1 − 0.96 + 0.036 + 0.6 − 1.02 − 0.42 = −0.264
    let a = matrix();
    let [l, w, e, f] = triad_terms(&a, &SHARES, USA, RUS);
    close(l, 0.12, "L");
    close(w, 0.0, "W");
    close(e, 0.0, "E");
    close(f, 0.024, "F");
    let u = utility(
        &params(),
        &a,
        &SHARES,
        Offer {
            actor: USA,
            target: RUS,
            size: 0.5,
            core: false,
        },
        TargetContext {
            trend: 0.002,
            hardline_memory: 0.25,
            hardliners: 0.6,
        },
    );
    check(&u, 0.12, 0.0, 0.0, 0.024, 0.5, 0.85, -0.264);
    close(u.trend, 0.002, "T");
    close(u.hardliners, 0.6, "h");
    // p = σ(−0.264) = 1 / (1 + e^0.264) = 0.434380675067018...
    close(u.probability(), 0.434_380_675_067_018_4, "p");
}

#[test]
fn russian_offer_to_the_us_wedge_against_china() {
    // i = RUS, j = USA, core offer c = 0.4; T = −0.001 (the U.S. rising), no
    // memory, h_USA = 0.5.
    // m = CHN: a_jm = −0.5, a_im = +0.8: a rival of the USA that is RUS's partner
    //   W += 0.3·[0.5]⁺·[0.8]⁺ = 0.12
    // m = IND: a_jm = +0.4, a_im = +0.3: F += 0.2·0.4·0.3 = 0.024
    // L = 0, W = 0.12, E = 0, F = 0.024
    // concession term c·core_multiplier = 0.4·3 = 1.2
    // M = [0.6]⁺ + 0 = 0.6
    // U = 0.5 + 2·1.2 − 0 + 6·0.12 + 0 + 1.5·0.024 + 300·(−0.001) − 1.2·0.6 − 0.7·0.5
    //   = 0.5 + 2.4 + 0.72 + 0.036 − 0.3 − 0.72 − 0.35 = 2.286
    let a = matrix();
    let u = utility(
        &params(),
        &a,
        &SHARES,
        Offer {
            actor: RUS,
            target: USA,
            size: 0.4,
            core: true,
        },
        TargetContext {
            trend: -0.001,
            hardline_memory: 0.0,
            hardliners: 0.5,
        },
    );
    check(&u, 0.0, 0.12, 0.0, 0.024, 1.2, 0.6, 2.286);
}

#[test]
fn indian_offer_to_the_us_common_enemy() {
    // i = IND, j = USA, peripheral offer c = 1; T = 0, memory 0.1, h_USA = 0.5.
    // m = RUS: a_jm = −0.6, a_im = +0.3: W += 0.1·0.6·0.3 = 0.018
    // m = CHN: a_jm = −0.5, a_im = −0.2: a common enemy
    //   E += 0.3·0.5·0.2 = 0.03
    // L = 0, W = 0.018, E = 0.03, F = 0
    // M = [−0.4]⁺ + 0.1 = 0.1 (friends: only the memory of hardline actions)
    // U = 0.5 + 2·1 + 6·0.018 + 2.5·0.03 + 0 − 1.2·0.1 − 0.7·0.5
    //   = 0.5 + 2 + 0.108 + 0.075 − 0.12 − 0.35 = 2.213
    let a = matrix();
    let u = utility(
        &params(),
        &a,
        &SHARES,
        Offer {
            actor: IND,
            target: USA,
            size: 1.0,
            core: false,
        },
        TargetContext {
            trend: 0.0,
            hardline_memory: 0.1,
            hardliners: 0.5,
        },
    );
    check(&u, 0.0, 0.018, 0.03, 0.0, 1.0, 0.1, 2.213);
}

#[test]
fn chinese_offer_to_india_loyalty_to_the_us() {
    // i = CHN, j = IND, core offer c = 0.3; T = 0.004, no memory, h_IND = 0.2.
    // m = USA: a_jm = +0.4, a_im = −0.5: L += 0.4·0.4·0.5 = 0.08
    // m = RUS: a_jm = +0.3, a_im = +0.8: F += 0.1·0.3·0.8 = 0.024
    // c·core_multiplier = 0.9; M = [0.2]⁺ = 0.2
    // U = 0.5 + 2·0.9 − 8·0.08 + 1.5·0.024 + 300·0.004 − 1.2·0.2 − 0.7·0.2
    //   = 0.5 + 1.8 − 0.64 + 0.036 + 1.2 − 0.24 − 0.14 = 2.516
    let a = matrix();
    let u = utility(
        &params(),
        &a,
        &SHARES,
        Offer {
            actor: CHN,
            target: IND,
            size: 0.3,
            core: true,
        },
        TargetContext {
            trend: 0.004,
            hardline_memory: 0.0,
            hardliners: 0.2,
        },
    );
    check(&u, 0.08, 0.0, 0.0, 0.024, 0.9, 0.2, 2.516);
}

#[test]
fn switching_a_weight_off_removes_exactly_its_term() {
    // Each mechanism is a parameter: setting it to 0 moves U by weight × term, with
    // the sign of the term in U.
    let a = matrix();
    let offer = Offer {
        actor: USA,
        target: RUS,
        size: 0.5,
        core: true,
    };
    let ctx = TargetContext {
        trend: 0.002,
        hardline_memory: 0.25,
        hardliners: 0.6,
    };
    let full = utility(&params(), &a, &SHARES, offer, ctx);
    // L 0.12, F 0.024, c·3 = 1.5, M 0.85, T 0.002, h 0.6
    for (key, change) in [
        ("loyalty", 8.0 * 0.12),
        ("common_friend", -1.5 * 0.024),
        ("concession", -2.0 * 1.5),
        ("mistrust", 1.2 * 0.85),
        ("trend", -300.0 * 0.002),
        ("hardliners", 0.7 * 0.6),
        ("base", -0.5),
        ("wedge", 0.0),
        ("common_enemy", 0.0),
    ] {
        let mut p = params();
        p.set(key, "0").unwrap();
        let u = utility(&p, &a, &SHARES, offer, ctx);
        close(u.total - full.total, change, key);
    }
    // core_multiplier 1: the concession term drops from 2·0.5·3 to 2·0.5
    let mut p = params();
    p.set("core_multiplier", "1").unwrap();
    close(
        utility(&p, &a, &SHARES, offer, ctx).total - full.total,
        -2.0,
        "core_multiplier",
    );
}

#[test]
fn pure_heider_weights_treat_both_unbalanced_cases_alike() {
    // wedge = −loyalty, common_enemy = common_friend: swapping actor and target
    // swaps L and W, so U of USA→RUS and RUS→USA then differ only by the
    // offer-side terms (concession, trend, mistrust memory, hardliners), which are
    // made equal here.
    let mut p = params();
    p.set("wedge", "-8").unwrap();
    p.set("common_enemy", "1.5").unwrap();
    let a = matrix();
    let ctx = TargetContext {
        trend: 0.0,
        hardline_memory: 0.0,
        hardliners: 0.3,
    };
    let offer = |i, j| Offer {
        actor: i,
        target: j,
        size: 0.5,
        core: false,
    };
    let ab = utility(&p, &a, &SHARES, offer(USA, RUS), ctx);
    let ba = utility(&p, &a, &SHARES, offer(RUS, USA), ctx);
    close(ab.loyalty, ba.wedge, "L(USA→RUS) = W(RUS→USA)");
    close(ab.total, ba.total, "U symmetric under pure Heider weights");
    // −8·0.12 + 1.5·0.024 on both sides
    close(
        ab.total,
        0.5 + 2.0 * 0.5 - 8.0 * 0.12 + 1.5 * 0.024 - 1.2 * 0.6 - 0.7 * 0.3,
        "U",
    );
}

// ---- through a simulation -----------------------------------------------------

/// The same four states plus Japan, with no tie, issue or policy (so not engaged:
/// its power of 10 must not dilute the shares), and an offer USA→RUS at step 1.
fn scenario() -> (tempfile::TempDir, Scenario) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("four");
    common::write_files(
        &dir,
        &[
            (
                "states.csv",
                "id,power,hardliners\nUSA,4,0.5\nRUS,1,0.6\nCHN,3,0.3\nIND,2,0.2\nJPN,10,0.9\n",
            ),
            (
                "alignments.csv",
                "a,b,alignment\nUSA,RUS,-0.6\nUSA,CHN,-0.5\nUSA,IND,0.4\n\
                 RUS,CHN,0.8\nRUS,IND,0.3\nCHN,IND,-0.2\n",
            ),
            (
                "issues.csv",
                "id,a,b,salience,core\narms,USA,RUS,0.5,false\n",
            ),
            (
                "policies.csv",
                "start,actor,target,stance,end,issue,offer\n1,USA,RUS,less_hardline,1,arms,0.5\n",
            ),
            (
                "params.csv",
                "key,value\nbase,0.5\nconcession,2\ncore_multiplier,3\nloyalty,8\nwedge,6\n\
                 common_enemy,2.5\ncommon_friend,1.5\ntrend,300\nmistrust,1.2\nhardliners,0.7\n\
                 steps,1\n",
            ),
        ],
    );
    let s = Scenario::load(&dir).unwrap();
    (root, s)
}

#[test]
fn simulation_utility_at_step_0_matches_the_hand_values() {
    let (_root, s) = scenario();
    let ids: Vec<&str> = s.states.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["CHN", "IND", "JPN", "RUS", "USA"]);
    let (chn, ind, jpn, rus, usa) = (0, 1, 2, 3, 4);
    let model = Model::new(s);
    let sim = Simulation::new(&model, RunId::new(1, 0, 0));
    // Shares among the engaged states: Japan has no tie, issue or policy.
    let shares = sim.shares();
    for (k, x) in [(chn, 0.3), (ind, 0.2), (jpn, 0.0), (rus, 0.1), (usa, 0.4)] {
        close(shares[k], x, "share");
    }
    // Step 0: T = 0 (no history), no hardline memory; h from states.csv.
    // USA→RUS peripheral c = 0.5: L = 0.12, F = 0.024, M = 0.6, h_RUS = 0.6
    // U = 0.5 + 1 − 0.96 + 0.036 − 1.2·0.6 − 0.7·0.6 = −0.564
    let u = sim.utility(usa, rus, 0.5, false);
    check(&u, 0.12, 0.0, 0.0, 0.024, 0.5, 0.6, -0.564);
    close(u.trend, 0.0, "T at step 0");
    // RUS→USA core c = 0.4: W = 0.12, F = 0.024, c·3 = 1.2, M = 0.6, h_USA = 0.5
    // U = 0.5 + 2.4 + 0.72 + 0.036 − 0.72 − 0.35 = 2.586
    let u = sim.utility(rus, usa, 0.4, true);
    check(&u, 0.0, 0.12, 0.0, 0.024, 1.2, 0.6, 2.586);
    // IND→USA peripheral c = 1: W = 0.018, E = 0.03, M = 0
    // U = 0.5 + 2 + 0.108 + 0.075 − 0 − 0.35 = 2.333
    let u = sim.utility(ind, usa, 1.0, false);
    check(&u, 0.0, 0.018, 0.03, 0.0, 1.0, 0.0, 2.333);
}

#[test]
fn the_offer_event_records_the_utility_of_the_state_before_the_step() {
    let (_root, s) = scenario();
    let model = Model::new(s);
    struct Offers(Vec<(u64, f64, f64)>);
    impl Observer for Offers {
        fn observe(&mut self, sim: &Simulation) {
            for e in sim.events() {
                if e.kind == EventKind::Offer {
                    self.0.push((e.step, e.utility, e.probability));
                }
            }
        }
    }
    let mut offers = Offers(Vec::new());
    Simulation::new(&model, RunId::new(5, 0, 0)).run(&mut offers);
    assert_eq!(offers.0.len(), 1, "one offer at step 1");
    let (step, u, p) = offers.0[0];
    assert_eq!(step, 1);
    close(u, -0.564, "U of the step-1 offer");
    close(p, logistic(-0.564), "p of the step-1 offer");
}

/// The mistrust memory in M counts the actor's recent hardline actions against the
/// target, from the sources `memory_sources` names: the USA's hardline policy
/// toward Russia acts every step, and Russia (revisionism 1, aggression all but
/// certain; the USA, revisionism 0, all but never)
/// acts against its only rival, the USA, every step. After k steps each
/// remembered source holds Σ (1 − m)·m^t = 1 − m^k (m = memory_decay).
#[test]
fn the_mistrust_memory_remembers_the_sources_it_is_told_to() {
    let k = 5;
    let memory = |sources: &str| -> (f64, f64) {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("two");
        common::write_files(
            &dir,
            &[
                ("states.csv", "id,revisionism\nUSA,0\nRUS,1\n"),
                ("alignments.csv", "a,b,alignment\nUSA,RUS,-0.5\n"),
                (
                    "policies.csv",
                    "start,actor,target,stance\n1,USA,RUS,hardline\n",
                ),
                (
                    "params.csv",
                    &format!(
                        "key,value\naggression_base,-25\naggression_revisionism,50\nmemory_decay,0.8\nmemory_sources,{sources}\n"
                    ),
                ),
            ],
        );
        let model = Model::new(Scenario::load(&dir).unwrap());
        let mut sim = Simulation::new(&model, RunId::new(1, 0, 0));
        for _ in 0..k {
            sim.step();
        }
        let a = sim.alignments()[(0, 1)];
        let (rus, usa) = (0, 1);
        let policy = sim.utility(usa, rus, 0.5, false).mistrust - (-a).max(0.0);
        let revisionist = sim.utility(rus, usa, 0.5, false).mistrust - (-a).max(0.0);
        (policy, revisionist)
    };
    let full = 1.0 - 0.8f64.powi(k);
    for (sources, policy, revisionist) in [
        ("both", full, full),
        ("policies", full, 0.0),
        ("revisionist", 0.0, full),
        ("none", 0.0, 0.0),
    ] {
        let (p, r) = memory(sources);
        close(
            p,
            policy,
            &format!("{sources}: memory of the policy's actions"),
        );
        close(
            r,
            revisionist,
            &format!("{sources}: memory of revisionist actions"),
        );
    }
}
