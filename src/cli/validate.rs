//! `entente validate DIR`: `ok` and a one-line summary, or every error (exit 1).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use entente::engine::Model;
use entente::scenario::Scenario;

#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    /// The scenario folder.
    dir: PathBuf,
}

pub fn validate(args: ValidateArgs) -> Result<ExitCode> {
    match Scenario::load(&args.dir) {
        Ok(s) => {
            let model = Model::new(s);
            let size = entente::output::run::run_size(&model, 1);
            if let Some(why) = size.refusal(1) {
                eprintln!("{}: {why}", model.scenario.dir.display());
                return Ok(ExitCode::FAILURE);
            }
            println!("ok: {}", summary_line(&model));
            println!(
                "size: about {} of alignments.csv and states.csv, {} of memory",
                entente::output::run::human_bytes(size.output_bytes),
                entente::output::run::human_bytes(size.memory_bytes)
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `triangle: 3 states, 3 pairs (complete), 3 issues, 1 policy, 400 steps`.
pub fn summary_line(model: &Model) -> String {
    let s = &model.scenario;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}: {}, {} ({}), {}, {}, {} steps",
        s.name,
        plural(s.states.len(), "state"),
        plural(model.pairs.len(), "pair"),
        entente::scenario::params::ParamValue::render(&model.network.topology),
        plural(s.issues.len(), "issue"),
        if s.policies.len() == 1 {
            "1 policy".to_string()
        } else {
            format!("{} policies", s.policies.len())
        },
        s.params.steps
    )
}
