//! `entente landscape DIR`: the Axelrod–Bennett landscape of a scenario's
//! alignments (power as size), its minima and basins, compared with the camps the
//! dynamics end in; writes `landscape.csv`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use entente::engine::{Model, RunId, Simulation};
use entente::files::Output;
use entente::format::push_f64;
use entente::network::landscape::{
    compare_with_dynamics, landscape, Landscape, DEFAULT_STARTS, EXACT_LIMIT,
};
use entente::output::table::TextTable;

use super::{ScenarioArgs, StepArg};

#[derive(clap::Args, Debug)]
pub struct LandscapeArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// The step whose alignments (and powers, the sizes) the landscape is computed
    /// on: a number, `initial` (0) or `final`.
    #[arg(long, default_value = "initial")]
    step: StepArg,
    /// Minima to print (all are written to landscape.csv).
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Random starts of the sampled landscape, used above 24 states.
    #[arg(long, default_value_t = DEFAULT_STARTS)]
    starts: u64,
    /// Output folder [default: outputs/<scenario>/landscape/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace an output folder that holds another output.
    #[arg(long)]
    force: bool,
}

pub fn run(args: LandscapeArgs) -> Result<ExitCode> {
    let scenario = args.scenario.load()?;
    let seed = scenario.params.seed;
    let out = args.out.unwrap_or_else(|| {
        PathBuf::from("outputs")
            .join(&scenario.name)
            .join("landscape")
    });
    let output = Output::new("landscape", format!("seed {seed}"))
        .input(&scenario.dir)
        .force(args.force);
    output.check(&out)?;
    let model = Model::new(scenario);
    let s = &model.scenario;
    let ids: Vec<&str> = s.states.iter().map(|x| x.id.as_str()).collect();

    let steps = model.params().steps;
    let at = match args.step {
        StepArg::Initial => 0,
        StepArg::Final => steps,
        StepArg::At(n) if n <= steps => n,
        StepArg::At(n) => anyhow::bail!("--step {n} is past the run's last step, {steps}"),
    };
    let mut sim = Simulation::new(&model, RunId::new(seed, 0, 0));
    let (a, size) = if at == 0 {
        (
            sim.alignments().clone(),
            s.states.iter().map(|x| x.power).collect::<Vec<_>>(),
        )
    } else {
        while sim.step_count() < at {
            sim.step();
        }
        (sim.alignments().clone(), sim.power().to_vec())
    };
    while sim.step_count() < steps {
        sim.step();
    }
    let land = landscape(&a, &size, args.starts, seed)?;
    let dynamics = entente::engine::metrics::camps_now(&sim);

    let moment = match args.step {
        StepArg::Initial => "initial".to_string(),
        _ => format!("step {at}"),
    };
    println!(
        "landscape of {} ({moment} alignments, power as size): {} states, {}",
        s.name,
        ids.len(),
        if land.exact {
            format!("exact over {} configurations", land.configurations)
        } else {
            format!(
                "sampled from {} random starts (more than {EXACT_LIMIT} states; seed {seed})",
                land.configurations
            )
        }
    );
    println!(
        "{} local minim{}{}",
        land.minima.len(),
        if land.minima.len() == 1 { "um" } else { "a" },
        if land.minima.len() > args.top {
            format!(", the {} lowest:", args.top)
        } else {
            ":".into()
        }
    );
    print!("{}", table(&land, &ids, &dynamics.eigen, args.top));
    let side = |c: &[bool], which: bool| {
        let v: Vec<&str> = (0..ids.len())
            .filter(|&i| c[i] == which)
            .map(|i| ids[i])
            .collect();
        v.join(" ")
    };
    let eigen: Vec<bool> = dynamics.eigen.iter().map(|&c| c != 0).collect();
    println!(
        "dynamics (step {}, eigenvector camps): {}",
        sim.step_count(),
        partition(&side(&eigen, false), &side(&eigen, true))
    );
    if let Some(g) = land.global() {
        println!(
            "global minimum{}:  {}  (frustration {}, basin {:.3})",
            if land.exact { "" } else { " found" },
            partition(&side(&g.camps, false), &side(&g.camps, true)),
            significant(g.frustration),
            g.basin
        );
        let d = compare_with_dynamics(&g.camps, &dynamics.eigen);
        println!(
            "{d} state{} differ{} between the global minimum and the dynamics",
            if d == 1 { "" } else { "s" },
            if d == 1 { "s" } else { "" }
        );
    }

    let dir = output
        .begin(&out)
        .with_context(|| format!("writing the landscape into {}", out.display()))?;
    std::fs::write(dir.path().join("landscape.csv"), landscape_csv(&land, &ids))
        .with_context(|| format!("writing the landscape into {}", out.display()))?;
    let out = dir
        .commit()
        .with_context(|| format!("writing the landscape into {}", out.display()))?;
    println!("→ {}", out.join("landscape.csv").display());
    Ok(ExitCode::SUCCESS)
}

/// `x` with four significant digits, in plain notation (frustrations scale with
/// the square of the powers, so they can be small).
fn significant(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let decimals = (3 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    format!("{x:.decimals$}")
}

/// `{A B} vs {C}`, or `one camp {A B C}`.
fn partition(zero: &str, one: &str) -> String {
    if one.is_empty() {
        format!("one camp {{{zero}}}")
    } else if zero.is_empty() {
        format!("one camp {{{one}}}")
    } else {
        format!("{{{zero}}} vs {{{one}}}")
    }
}

/// The `top` lowest minima as an aligned text table.
fn table(land: &Landscape, ids: &[&str], eigen: &[u8], top: usize) -> String {
    let mut t = TextTable::new([
        "rank",
        "frustration",
        if land.exact { "basin" } else { "basin~" },
        "differs",
        "camp 0 | camp 1",
    ])
    .indent("  ");
    for (k, m) in land.minima.iter().take(top).enumerate() {
        let side = |which: bool| {
            (0..ids.len())
                .filter(|&i| m.camps[i] == which)
                .map(|i| ids[i])
                .collect::<Vec<_>>()
                .join(" ")
        };
        t.row([
            (k + 1).to_string(),
            significant(m.frustration),
            format!("{:.4}", m.basin),
            compare_with_dynamics(&m.camps, eigen).to_string(),
            format!("{} | {}", side(false), side(true)),
        ]);
    }
    t.render()
}

/// `landscape.csv`: rank, frustration, basin, then the camp (0/1) of each state,
/// one column per state id; every minimum, lowest first.
pub fn landscape_csv(land: &Landscape, ids: &[&str]) -> Vec<u8> {
    let mut text = String::from("rank,frustration,basin");
    for id in ids {
        text.push(',');
        text.push_str(id);
    }
    text.push('\n');
    for (k, m) in land.minima.iter().enumerate() {
        text.push_str(&(k + 1).to_string());
        text.push(',');
        push_f64(&mut text, m.frustration);
        text.push(',');
        push_f64(&mut text, m.basin);
        for &c in &m.camps {
            text.push_str(if c { ",1" } else { ",0" });
        }
        text.push('\n');
    }
    text.into_bytes()
}
