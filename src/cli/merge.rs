//! `entente merge`: the shard folders of one sweep (or exploration) into the
//! outputs of the whole.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use entente::experiment::merge::merge;
use entente::files::Output;
use entente::output::sweep::write_sweep;

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The shard folders of one sweep.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Where to write the merged sweep (not one of the shards, nor a folder
    /// holding them).
    #[arg(long)]
    pub out: PathBuf,
    /// Replace an output folder that holds another output.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub plots: super::PlotsArg,
}

pub fn merge_shards(args: MergeArgs) -> Result<ExitCode> {
    let mut output = Output::new("merge", "").force(args.force).keyed();
    for shard in &args.shards {
        output = output.input(shard);
    }
    // The folder is checked before the shards are read (the id comes from them).
    output.clone().force(true).check(&args.out)?;
    let (manifest, state) = merge(&args.shards)?;
    output.id = manifest.sweep_id.clone();
    let dir = output.begin(&args.out)?;
    write_sweep(&manifest, &state, dir.path())
        .with_context(|| format!("writing the merged sweep into {}", args.out.display()))?;
    // An exploration's shards are analysed again; a plain sweep's get its plots.
    if !super::explore::after_merge(&args.shards, dir.path(), &manifest, &state)? {
        entente::output::plot::write_sweep_plots(dir.path(), args.plots.plots)
            .with_context(|| format!("drawing the plots of {}", args.out.display()))?;
    }
    dir.commit()
        .with_context(|| format!("writing the merged sweep into {}", args.out.display()))?;
    println!(
        "merged {} shard{}, {} runs → {}",
        args.shards.len(),
        if args.shards.len() == 1 { "" } else { "s" },
        state.rows.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
