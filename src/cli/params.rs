//! `entente params`: the parameter table, as the README shows it.

use std::process::ExitCode;

use anyhow::Result;
use entente::scenario::params::PARAM_SPECS;

pub fn params() -> Result<ExitCode> {
    println!("| key | default | range | meaning |");
    println!("|---|---|---|---|");
    for spec in PARAM_SPECS {
        println!("{spec}");
    }
    Ok(ExitCode::SUCCESS)
}
