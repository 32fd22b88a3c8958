//! Experiments: configurations × grids × replications on every core, with bounded
//! memory, progress, checkpoints and resume, Slurm shards and their merge.
//!
//! - [`spec`] — what runs: configurations, grid axes, shards, run numbering;
//! - [`sweep`] — running them (rayon), reducing as they go, checkpointing;
//! - [`aggregate`] — exact, order-free trajectory aggregates;
//! - [`stats`] — means, sds, confidence intervals;
//! - [`manifest`] — the record that makes a sweep reproducible;
//! - [`merge`] — shard folders back into one sweep;
//! - [`progress`] — the bar or the log lines.

pub mod aggregate;
pub mod claims;
mod codec;
pub mod compare;
pub mod explore;
pub mod manifest;
pub mod merge;
pub mod progress;
pub mod spec;
pub mod stats;
pub mod sweep;
