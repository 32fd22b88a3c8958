//! `entente claims DIR [--reps N] [--out OUT]`: one experiment per claim of the
//! brief, run as one sweep; `claims.csv`, `surface.csv` and a table on the terminal.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use entente::experiment::claims::{
    claims_csv, design, evaluate, surface_csv, Cast, ClaimResult, Estimate, Expect, Samples,
    Verdict,
};
use entente::experiment::spec::SweepSpec;
use entente::files::write_file_atomic;
use entente::output::table::TextTable;
use entente::scenario::{PairKey, SettingKey, Stance};

use super::sweep::{run_sweep, SweepRunArgs};
use super::ScenarioArgs;

#[derive(clap::Args, Debug)]
pub struct ClaimsArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Replications per configuration (each claim compares 2–16 configurations, each
    /// also under its null setting).
    #[arg(long, default_value_t = 60)]
    reps: u64,
    /// The state that reaches out.
    #[arg(long, default_value = "USA")]
    actor: String,
    /// The state it reaches out to.
    #[arg(long, default_value = "RUS")]
    target: String,
    /// The third power of the triangle.
    #[arg(long, default_value = "CHN")]
    third: String,
    /// Run only these claims (ids as in the table: 1a,1b,2,…,8), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    claims: Vec<String>,
    #[command(flatten)]
    run: SweepRunArgs,
}

pub fn run(mut args: ClaimsArgs) -> Result<ExitCode> {
    let base = args.scenario.load()?;
    let mut states = Vec::new();
    for id in [&args.actor, &args.target, &args.third] {
        let Some(i) = base.state_index(id) else {
            bail!(
                "state `{id}` is not in {} (choose the cast with --actor, --target, --third)",
                base.dir.display()
            );
        };
        states.push(i);
    }
    if args.actor == args.target || args.target == args.third || args.actor == args.third {
        bail!(
            "--actor {}, --target {} and --third {} must be three different states",
            args.actor,
            args.target,
            args.third
        );
    }
    if !base.has_policy(states[0], states[1], Stance::LessHardline) {
        bail!(
            "{} has no less-hardline policy from {} to {} (policies.csv): the claims \
             test how {} answers that approach",
            base.dir.display(),
            args.actor,
            args.target,
            args.target
        );
    }
    let cast = Cast {
        actor: args.actor.clone(),
        target: args.target.clone(),
        third: args.third.clone(),
    };
    let mut design = design(&base, &cast, &[])?;
    if !args.claims.is_empty() {
        let ids = design.labels().collect::<Vec<_>>().join(", ");
        design = match design.select(&args.claims) {
            Ok(d) => d,
            Err(bad) => bail!("--claims: there is no claim `{bad}` (the claims are {ids})"),
        };
    }
    // A claim's variants set the keys its experiment varies (claim 1 the two
    // triangle ties, claim 2 the target's growth, …): a --set of one of those
    // would be overwritten in every arm, so the run would not be what was asked.
    for set in &args.scenario.set {
        let key = SettingKey::canonical(&set.key);
        let varied = design.claims.iter().find(|c| {
            c.variants
                .iter()
                .flat_map(|(_, settings)| settings)
                .any(|s| SettingKey::canonical(&s.key) == key)
        });
        if let Some(claim) = varied {
            bail!(
                "--set {set}: claim {} sets {key} itself in each of its arms, so this setting would not apply; \
                 drop it, or leave that claim out with --claims",
                claim.label
            );
        }
    }
    if args.run.out.is_none() && args.run.name.is_none() {
        args.run.name = Some(format!("{}-reps{}", base.params.seed, args.reps));
    }
    let track = [
        (&cast.actor, &cast.target),
        (&cast.target, &cast.third),
        (&cast.actor, &cast.third),
    ]
    .iter()
    .map(|(a, b)| PairKey::new(a, b))
    .collect();
    // `--set` shapes the base; the claims' null arms then set their own keys on
    // top of it on purpose (loyalty = 0 switches the triad terms off whatever
    // --set said), so those are not refused — only the keys the variants vary
    // (checked above).
    let spec =
        SweepSpec::new(base, &[], design.configs.clone(), &[], args.reps)?.with_track(track)?;
    let mut done = run_sweep(spec, &[], &args.run, "claims", &[])?;
    let mut rows = done.state.rows.clone();
    rows.sort_by_key(|r| r.run);
    let columns = &done.manifest.layout.columns;
    let results = evaluate(&design, columns, &rows, 0);
    let writing = || format!("writing the claims into {}", done.out.display());
    write_file_atomic(done.path().join("claims.csv"), &claims_csv(&results))
        .with_context(writing)?;
    if let Some(k) = design.claims.iter().position(|c| c.surface.is_some()) {
        let samples = Samples::new(columns, &rows, 0, design.configs.len());
        write_file_atomic(
            done.path().join("surface.csv"),
            &surface_csv(&design.claims[k], &design.index[k], &samples),
        )
        .with_context(writing)?;
    }
    entente::output::plot::write_claims_plots(done.path(), args.run.plots.plots)
        .with_context(|| format!("drawing the plots of {}", done.out.display()))?;
    done.commit()?;
    print!("{}", render(&results));
    println!(
        "{} runs ({} per configuration) in {:.1}s → {}",
        rows.len(),
        args.reps,
        done.seconds,
        done.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// An effect and its interval; "—" for what does not exist (no runs, or a CI
/// from a single run).
fn ci(e: &Estimate) -> String {
    let x = |v: f64| {
        if v.is_nan() {
            "—".to_string()
        } else {
            format!("{v:+.3}")
        }
    };
    if e.effect.is_nan() {
        "—".into()
    } else {
        format!("{} [{}, {}]", x(e.effect), x(e.low), x(e.high))
    }
}

/// What the verdict rests on besides the three estimates: what carries an
/// effect that holds without its mechanism, the replications that would decide,
/// the equivalence margin and detectable effect, the surface and the secondary.
fn note(r: &ClaimResult) -> String {
    let mut parts = Vec::new();
    match &r.verdict {
        Verdict::HoldsWithout { carried_by } => parts.push(format!("carried by: {carried_by}")),
        Verdict::Inconclusive { needed, .. } => parts.push(match needed {
            Some(n) => format!("N≈{n} would decide"),
            None => "no N decides (effect ≈ 0)".into(),
        }),
        _ => {}
    }
    if let Expect::Zero { .. } = r.claim.expect {
        parts.push(format!(
            "margin ±{:.3}, detectable {:.3}",
            r.margin,
            r.model.minimum_detectable()
        ));
    }
    if let Some(m) = r.monotonicity {
        parts.push(if m.reversals == 0 {
            format!("surface monotone ({} steps)", m.steps)
        } else {
            format!("surface: {} of {} steps reverse", m.reversals, m.steps)
        });
    }
    if let Some((name, e)) = &r.secondary {
        parts.push(format!("{name} {}", ci(e)));
    }
    parts.join("; ")
}

/// The claims as a text table led by the verdict: the effect in the model, with
/// the mechanism off, the part the mechanism carries, and a note; the experiments
/// below it.
pub fn render(results: &[ClaimResult]) -> String {
    let mut table = TextTable::new([
        "#",
        "verdict",
        "effect [95% CI]",
        "mechanism off",
        "mechanism carries",
        "note",
    ]);
    for r in results {
        table.row([
            r.claim.label.clone(),
            r.verdict.text(),
            ci(&r.model),
            ci(&r.null),
            ci(&r.difference),
            note(r),
        ]);
    }
    let mut text = table.render();
    text.push('\n');
    let mut seen: Vec<(u32, &str)> = Vec::new();
    for r in results {
        let c = &r.claim;
        if !seen.iter().any(|s| s.0 == c.number) {
            text += &format!("{}. {}.\n", c.number, c.statement);
        }
        if !seen.contains(&(c.number, c.experiment.as_str())) {
            seen.push((c.number, &c.experiment));
            text += &format!("   {} ({}).\n", c.experiment, c.metric);
        }
    }
    text
}
