//! `entente claims DIR [--reps N] [--out OUT]`: one experiment per claim of the
//! brief, run as one sweep; `claims.csv`, `surface.csv` and a table on the terminal.

use std::process::ExitCode;

use anyhow::{bail, Result};
use entente::experiment::claims::{
    claims, claims_csv, configurations, evaluate, surface_csv, Cast, ClaimResult, EffectKind,
};
use entente::experiment::spec::SweepSpec;
use entente::output::atomic::write_file_atomic;
use entente::scenario::Stance;

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
    let list = claims(&base, &cast);
    let (configs, index) = configurations(&list);
    if args.run.out.is_none() && args.run.name.is_none() {
        args.run.name = Some(format!("{}-reps{}", base.params.seed, args.reps));
    }
    let track = [
        (&cast.actor, &cast.target),
        (&cast.target, &cast.third),
        (&cast.actor, &cast.third),
    ]
    .iter()
    .map(|(a, b)| format!("{a}-{b}"))
    .collect();
    // `--set` shapes the base; the claims' arms then set their own keys on top of
    // it on purpose (loyalty = 0 switches the triad terms off whatever --set
    // said), so unlike a sweep's configurations they are not refused.
    let spec = SweepSpec::new(base, &[], configs, &[], args.reps)?.with_track(track)?;
    let done = run_sweep(spec, &[], &args.run, "claims")?;
    let mut rows = done.state.rows.clone();
    rows.sort_by_key(|r| r.run);
    let results = evaluate(&list, &index, &done.manifest, &rows);
    write_file_atomic(done.out.join("claims.csv"), &claims_csv(&results))?;
    if let Some(k) = list
        .iter()
        .position(|c| matches!(c.effect, EffectKind::Interaction { .. }))
    {
        write_file_atomic(
            done.out.join("surface.csv"),
            &surface_csv(&list[k], &index[k], &done.manifest, &rows),
        )?;
    }
    entente::output::plot::write_claims_plots(&done.out, args.run.plots.plots)?;
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
fn ci(e: f64, lo: f64, hi: f64) -> String {
    let x = |v: f64| {
        if v.is_nan() {
            "—".to_string()
        } else {
            format!("{v:+.3}")
        }
    };
    if e.is_nan() {
        "—".into()
    } else {
        format!("{} [{}, {}]", x(e), x(lo), x(hi))
    }
}

/// The claims as a text table: claim, metric, effect, null effect, verdict; the
/// experiments below it.
pub fn render(results: &[ClaimResult]) -> String {
    let rows: Vec<[String; 5]> = results
        .iter()
        .map(|r| {
            [
                r.claim.label.clone(),
                r.claim.metric.clone(),
                ci(r.model.effect, r.model.low, r.model.high),
                ci(r.null.effect, r.null.low, r.null.high),
                r.verdict.as_str().to_string(),
            ]
        })
        .collect();
    let header = [
        "#",
        "metric",
        "effect [95% CI]",
        "under null [95% CI]",
        "verdict",
    ];
    let mut width = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, x) in width.iter_mut().zip(r) {
            *w = (*w).max(x.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let mut s = String::new();
        for (k, (x, w)) in cells.iter().zip(width).enumerate() {
            s.push_str(x);
            if k < 4 {
                s.push_str(&" ".repeat(w - x.chars().count() + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut text = line(header);
    for r in &rows {
        text += &line([&r[0], &r[1], &r[2], &r[3], &r[4]]);
    }
    text.push('\n');
    let mut seen = Vec::new();
    for r in results {
        if !seen.contains(&(r.claim.number, r.claim.experiment.clone())) {
            seen.push((r.claim.number, r.claim.experiment.clone()));
            text += &format!(
                "{}. {}.\n   {}\n",
                r.claim.number, r.claim.statement, r.claim.experiment
            );
        }
    }
    text
}
