//! Properties of runs of small random scenarios (3–8 states, random ties, issues,
//! less-hardline and hardline policies, noise): alignments stay in [-1, 1]; the
//! order of rows in the input files changes no output byte; a seed fixes every
//! byte; and a state with no ties, issues or policies moves nothing else.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::{assert_same_bytes, snapshot, write_files, Recorder};
use entente::engine::{Model, Observer, RunId, Simulation};
use entente::output::run::write_run;
use entente::scenario::Scenario;
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const IDS: [&str; 8] = ["AUS", "BRA", "CHN", "DEU", "EGY", "FRA", "GBR", "HUN"];
/// A state that sorts between BRA and CHN, i.e. in the middle of the others.
const X: &str = "BZZ";

/// A number with three decimals, written exactly as it reads back.
fn r3(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    (rng.gen_range(lo..=hi) * 1000.0).round() / 1000.0
}

/// The rows (without header) of the five files of a random scenario.
#[derive(Clone, Debug)]
struct Rows {
    states: Vec<String>,
    alignments: Vec<String>,
    issues: Vec<String>,
    policies: Vec<String>,
    params: Vec<String>,
}

/// Knobs that proptest draws (and shrinks); the details come from `content`.
#[derive(Clone, Debug)]
struct Knobs {
    n: usize,
    content: u64,
    noise: f64,
    topology: &'static str,
    seed: u64,
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        3usize..=8,
        any::<u64>(),
        prop_oneof![Just(0.0), 0.001f64..0.3],
        prop_oneof![Just("complete"), Just("listed"), Just("auto")],
        0u64..1000,
    )
        .prop_map(|(n, content, noise, topology, seed)| Knobs {
            n,
            content,
            noise,
            topology,
            seed,
        })
}

fn rows(k: &Knobs) -> Rows {
    let mut rng = ChaCha8Rng::seed_from_u64(k.content);
    let ids = &IDS[..k.n];
    let states = ids
        .iter()
        .map(|id| {
            format!(
                "{id},{id} name,{},{},{},{}",
                r3(&mut rng, 0.05, 3.0),
                r3(&mut rng, -0.01, 0.01),
                r3(&mut rng, 0.0, 1.0),
                r3(&mut rng, 0.0, 1.0)
            )
        })
        .collect();
    let mut alignments = Vec::new();
    let mut pairs = Vec::new();
    for i in 0..k.n {
        for j in i + 1..k.n {
            pairs.push((i, j));
            if rng.gen_bool(0.7) {
                let a = r3(&mut rng, -1.0, 1.0);
                // the interest is sometimes left to default to the alignment
                let b = if rng.gen_bool(0.5) {
                    String::new()
                } else {
                    r3(&mut rng, -1.0, 1.0).to_string()
                };
                alignments.push(format!("{},{},{a},{b}", ids[i], ids[j]));
            }
        }
    }
    let mut issues = Vec::new();
    let mut issue_pairs = Vec::new();
    for q in 0..rng.gen_range(0..=4) {
        let (i, j) = *pairs.choose(&mut rng).unwrap();
        let salience = r3(&mut rng, 0.05, 1.0);
        let core = rng.gen_bool(0.5);
        issue_pairs.push((i, j, format!("issue{q}"), core));
        issues.push(format!("issue{q},{},{},{salience},{core}", ids[i], ids[j]));
    }
    let mut policies = Vec::new();
    for _ in 0..rng.gen_range(0..=4) {
        let actor = rng.gen_range(0..k.n);
        let target = (actor + rng.gen_range(1..k.n)) % k.n;
        let pair = (actor.min(target), actor.max(target));
        let own: Vec<(&String, bool)> = issue_pairs
            .iter()
            .filter(|(i, j, _, _)| (*i, *j) == pair)
            .map(|(_, _, id, core)| (id, *core))
            .collect();
        // An offer needs an issue of its pair (a policy that never acts is refused).
        let stance = if rng.gen_bool(0.6) && !own.is_empty() {
            "less_hardline"
        } else {
            "hardline"
        };
        let start = rng.gen_range(1..=10u64);
        let end = if rng.gen_bool(0.5) {
            (start + rng.gen_range(0..20)).to_string()
        } else {
            String::new()
        };
        let has = |core: bool| own.iter().any(|&(_, c)| c == core);
        let issue = match rng.gen_range(0..5) {
            0 => String::new(),
            1 => "any".into(),
            2 if has(true) || stance == "hardline" => "core".into(),
            3 if has(false) || stance == "hardline" => "peripheral".into(),
            2 | 3 => "any".into(),
            _ => own
                .choose(&mut rng)
                .map(|(s, _)| s.to_string())
                .unwrap_or_default(),
        };
        policies.push(format!(
            "{start},{},{},{stance},{end},{issue},{},{}",
            ids[actor],
            ids[target],
            r3(&mut rng, 0.05, 1.0),
            rng.gen_range(1..=4)
        ));
    }
    let params = vec![
        format!("steps,{}", rng.gen_range(20..=40)),
        format!("seed,{}", k.seed),
        format!("noise,{}", k.noise),
        format!("topology,{}", k.topology),
        format!("loyalty,{}", r3(&mut rng, -2.0, 10.0)),
        format!("wedge,{}", r3(&mut rng, -2.0, 10.0)),
        format!("trend,{}", r3(&mut rng, 0.0, 500.0)),
        format!("deal_gain,{}", r3(&mut rng, 0.0, 0.5)),
        format!("commitment,{}", r3(&mut rng, 0.0, 1.0)),
        format!("backlash,{}", r3(&mut rng, 0.0, 0.3)),
        "breach,0.05".into(),
        "aggression_base,-2".into(),
        format!(
            "balance_weighting,{}",
            if rng.gen_bool(0.5) {
                "power"
            } else {
                "uniform"
            }
        ),
    ];
    Rows {
        states,
        alignments,
        issues,
        policies,
        params,
    }
}

/// Writes the rows as a scenario folder, in the given order.
fn write(dir: &Path, r: &Rows) {
    let file = |header: &str, rows: &[String]| {
        let mut s = String::from(header);
        for row in rows {
            writeln!(s, "{row}").unwrap();
        }
        s
    };
    write_files(
        dir,
        &[
            (
                "states.csv",
                &file("id,name,power,growth,revisionism,hardliners\n", &r.states),
            ),
            (
                "alignments.csv",
                &file("a,b,alignment,interest\n", &r.alignments),
            ),
            ("issues.csv", &file("id,a,b,salience,core\n", &r.issues)),
            (
                "policies.csv",
                &file(
                    "start,actor,target,stance,end,issue,offer,every\n",
                    &r.policies,
                ),
            ),
            ("params.csv", &file("key,value\n", &r.params)),
        ],
    );
}

/// The rows of every file shuffled, and each alignment row written B,A instead of
/// A,B at random (one row per unordered pair either way).
fn permuted(r: &Rows, seed: u64) -> Rows {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut p = r.clone();
    p.states.shuffle(&mut rng);
    p.alignments.shuffle(&mut rng);
    for row in &mut p.alignments {
        if rng.gen_bool(0.5) {
            let cells: Vec<&str> = row.split(',').collect();
            *row = format!("{},{},{},{}", cells[1], cells[0], cells[2], cells[3]);
        }
    }
    p.issues.shuffle(&mut rng);
    p.policies.shuffle(&mut rng);
    p.params.shuffle(&mut rng);
    p
}

fn load(dir: &Path) -> Scenario {
    Scenario::load(dir).unwrap_or_else(|e| panic!("a generated scenario is invalid:\n{e}"))
}

/// Checks the invariants of the state after every step.
struct Bounds;

impl Observer for Bounds {
    fn observe(&mut self, sim: &Simulation) {
        let a = sim.alignments();
        let n = a.nrows();
        for i in 0..n {
            assert_eq!(a[(i, i)], 0.0, "diagonal at step {}", sim.step_count());
            for j in 0..n {
                let x = a[(i, j)];
                assert!(
                    (-1.0..=1.0).contains(&x),
                    "a[{i},{j}] = {x} at step {}",
                    sim.step_count()
                );
                // after the first step no tie sits at ±1, where balance could not move it
                assert!(
                    sim.step_count() == 0 || x.abs() < 1.0,
                    "a[{i},{j}] = {x} pinned at step {}",
                    sim.step_count()
                );
                assert_eq!(x.to_bits(), a[(j, i)].to_bits(), "symmetry");
            }
        }
        let m = sim.model();
        for k in 0..m.pairs.len() {
            assert!((-1.0..=1.0).contains(&sim.interest(k)));
            assert_eq!(
                sim.alignment(k),
                a[(m.pairs[k].0 as usize, m.pairs[k].1 as usize)]
            );
        }
        for &h in sim.hardliners() {
            assert!((0.0..=1.0).contains(&h), "hardliners {h}");
        }
        let total: f64 = sim.shares().iter().sum();
        assert!(
            total == 0.0 || (total - 1.0).abs() < 1e-9,
            "shares sum to {total}"
        );
        for e in sim.events() {
            assert_eq!(e.step, sim.step_count());
            if !e.probability.is_nan() {
                assert!((0.0..=1.0).contains(&e.probability));
            }
        }
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn alignments_stay_in_bounds_at_every_step(k in knobs(), wild in any::<bool>()) {
        let mut r = rows(&k);
        if wild {
            // strong pushes: big noise, big deal gains and hardline impacts
            r.params.retain(|p| !p.starts_with("noise,") && !p.starts_with("deal_gain,"));
            r.params.extend([
                "noise,3".to_string(),
                "deal_gain,0.95".into(),
                "hardline_impact,0.95".into(),
                "dt,1".into(),
                "balance,20".into(),
            ]);
        }
        let root = tempfile::tempdir().unwrap();
        write(&root.path().join("s"), &r);
        let model = Model::new(load(&root.path().join("s")));
        let mut sim = Simulation::new(&model, RunId::new(k.seed, 0, 0));
        sim.run(&mut Bounds);
        prop_assert_eq!(sim.step_count(), model.params().steps);
    }

    #[test]
    fn the_order_of_rows_changes_no_output_byte(k in knobs(), shuffle in any::<u64>()) {
        let r = rows(&k);
        let root = tempfile::tempdir().unwrap();
        let (a, b) = (root.path().join("a"), root.path().join("b"));
        write(&a.join("scenario"), &r);
        write(&b.join("scenario"), &permuted(&r, shuffle));
        let (ma, mb) = (
            Model::new(load(&a.join("scenario"))),
            Model::new(load(&b.join("scenario"))),
        );
        let id = RunId::new(k.seed, 0, 0);
        write_run(&ma, id, &a.join("out")).unwrap();
        write_run(&mb, id, &b.join("out")).unwrap();
        let (sa, sb) = (snapshot(&a.join("out")), snapshot(&b.join("out")));
        // the five outputs (scenario/ holds five files) and the marker
        prop_assert_eq!(sa.len(), 10, "{:?}", sa.keys().collect::<Vec<_>>());
        assert_same_bytes(&sa, &sb, "permuted rows");
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes(k in knobs()) {
        let r = rows(&k);
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("scenario");
        write(&dir, &r);
        let id = RunId::new(k.seed, 0, 0);
        write_run(&Model::new(load(&dir)), id, &root.path().join("one")).unwrap();
        write_run(&Model::new(load(&dir)), id, &root.path().join("two")).unwrap();
        assert_same_bytes(
            &snapshot(&root.path().join("one")),
            &snapshot(&root.path().join("two")),
            "same seed",
        );
    }

    #[test]
    fn an_isolated_state_moves_nothing_else_listed_with_noise(
        k in knobs(),
        x_power in 0.05f64..50.0,
        x_growth in -0.05f64..0.05,
    ) {
        // listed: the isolated state has no pair at all; noise draws are per pair
        isolated_state_moves_nothing(&k, "listed", k.noise.max(0.05), x_power, x_growth)?;
    }

    #[test]
    fn an_isolated_state_moves_nothing_else_complete_without_noise(
        k in knobs(),
        x_power in 0.05f64..50.0,
        x_growth in -0.05f64..0.05,
    ) {
        // complete: its pairs exist but stay at 0 (no noise to move them)
        isolated_state_moves_nothing(&k, "complete", 0.0, x_power, x_growth)?;
    }
}

/// Runs the scenario of `k` without and with the state X (no alignment rows, no
/// issues, no policies) and compares every other pair's alignment and every other
/// state's hardliners, bit for bit, at every step.
fn isolated_state_moves_nothing(
    k: &Knobs,
    topology: &str,
    noise: f64,
    x_power: f64,
    x_growth: f64,
) -> Result<(), TestCaseError> {
    let mut r = rows(k);
    r.params
        .retain(|p| !p.starts_with("noise,") && !p.starts_with("topology,"));
    r.params.push(format!("noise,{noise}"));
    r.params.push(format!("topology,{topology}"));
    let mut with_x = r.clone();
    with_x
        .states
        .push(format!("{X},Nowhere,{x_power},{x_growth},1,1"));
    let root = tempfile::tempdir().unwrap();
    write(&root.path().join("without"), &r);
    write(&root.path().join("with"), &with_x);
    let without = Model::new(load(&root.path().join("without")));
    let with = Model::new(load(&root.path().join("with")));
    let x = with.scenario.state_index(X).unwrap();
    prop_assert!(x > 0 && x < k.n, "{} sorts in the middle", X);
    let id = RunId::new(k.seed, 0, 0);
    let (mut ra, mut rb) = (Recorder::default(), Recorder::default());
    Simulation::new(&without, id).run(&mut ra);
    Simulation::new(&with, id).run(&mut rb);
    prop_assert_eq!(ra.alignments.len(), rb.alignments.len());
    // state i of `without` is state i (i < x) or i + 1 (i ≥ x) of `with`
    let of = |i: usize| if i < x { i } else { i + 1 };
    for (step, (a, b)) in ra.alignments.iter().zip(&rb.alignments).enumerate() {
        for i in 0..k.n {
            for j in 0..k.n {
                prop_assert_eq!(
                    a[(i, j)].to_bits(),
                    b[(of(i), of(j))].to_bits(),
                    "{} {}-{} at step {}: {} without {}, {} with it",
                    topology,
                    IDS[i],
                    IDS[j],
                    step,
                    a[(i, j)],
                    X,
                    b[(of(i), of(j))]
                );
            }
            prop_assert_eq!(b[(x, of(i))], 0.0, "{} tied to {}", X, IDS[i]);
            prop_assert_eq!(
                ra.hardliners[step][i].to_bits(),
                rb.hardliners[step][of(i)].to_bits()
            );
        }
    }
    Ok(())
}

/// A pair can be set in params.csv under either spelling, `A-B` or `B-A`. Given
/// both, the later row wins, so the order of rows decides the run (docs/model.md §4
/// forbids that). Both orders must give the same result — or the same error.
#[test]
fn both_spellings_of_a_pair_key_in_params_do_not_depend_on_row_order() {
    let root = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    for params in [
        "key,value\nUSA-RUS,0.3\nRUS-USA,0.5\n",
        "key,value\nRUS-USA,0.5\nUSA-RUS,0.3\n",
    ] {
        let dir = root.path().join(format!("s{}", results.len()));
        write_files(
            &dir,
            &[
                ("states.csv", "id\nUSA\nRUS\n"),
                ("alignments.csv", "a,b,alignment\n"),
                ("params.csv", params),
            ],
        );
        results.push(
            Scenario::load(&dir)
                .map(|s| s.alignments.clone())
                .map_err(|e| e.errors.len()),
        );
    }
    assert_eq!(results[0], results[1], "params.csv rows in two orders");
}

/// Knobs that make scenarios at the edges of what can run: one or two states, no
/// alignment rows, a listed topology, few or no steps, a policy that may start
/// after the last step, fast growth.
#[derive(Clone, Debug)]
struct Edges {
    base: Knobs,
    drop_alignments: bool,
    listed: bool,
    steps: u64,
    late_start: Option<u64>,
    growth: f64,
    one_state: bool,
}

fn edges() -> impl Strategy<Value = Edges> {
    (
        knobs(),
        any::<bool>(),
        any::<bool>(),
        0u64..30,
        prop::option::of(1u64..40),
        prop_oneof![Just(0.0), -0.49f64..0.49],
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(base, drop_alignments, listed, steps, late_start, growth, one_state)| Edges {
                one_state,
                base,
                drop_alignments,
                listed,
                steps,
                late_start,
                growth,
            },
        )
}

proptest! {
    // Each case draws the plots too: fewer cases.
    #![proptest_config(ProptestConfig { cases: 12, ..config() })]

    /// `validate` and `run` agree: a scenario that loads runs to the end and writes
    /// its outputs (plots included) with finite numbers only; one that does not load
    /// is refused with errors that each name a file of the scenario.
    #[test]
    fn validate_and_run_agree(e in edges()) {
        let mut r = rows(&e.base);
        if e.drop_alignments {
            r.alignments.clear();
        }
        r.params.retain(|p| !p.starts_with("steps,") && !p.starts_with("topology,"));
        r.params.push(format!("steps,{}", e.steps * 40));
        if e.listed {
            r.params.push("topology,listed".into());
        }
        if let Some(start) = e.late_start {
            r.policies.push(format!("{start},{},{},hardline,,,,1", IDS[0], IDS[1]));
        }
        if e.one_state {
            r.states.truncate(1);
            r.alignments.clear();
            r.issues.clear();
            r.policies.clear();
        }
        if let Some(first) = r.states.first_mut() {
            let cells: Vec<String> = first.split(',').map(String::from).collect();
            *first = format!("{},{},1e6,{},{},{}", cells[0], cells[1], e.growth, cells[4], cells[5]);
        }
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("s");
        write(&dir, &r);
        match Scenario::load(&dir) {
            Ok(s) => {
                let model = Model::new(s);
                let out = root.path().join("out");
                let id = RunId::new(1, 0, 0);
                let formats = entente::output::plot::Formats::Svg;
                let written = entente::output::run::write_run_plotted(&model, id, &out, formats);
                prop_assert!(written.is_ok(), "validates but does not run: {:?}", written.err());
                for name in ["alignments.csv", "states.csv", "events.csv", "summary.csv"] {
                    let text = std::fs::read_to_string(out.join(name)).unwrap();
                    prop_assert!(!text.contains("inf") && !text.contains("NaN"), "{} holds inf or NaN", name);
                }
            }
            Err(err) => {
                prop_assert!(!err.errors.is_empty());
                for x in &err.errors {
                    prop_assert!(x.file.starts_with(dir.to_str().unwrap()), "{}", x);
                }
            }
        }
    }
}
