//! The mechanisms of one step (docs/model.md §2), one module each. Every function here
//! is pure: it reads the state at the start of the step and returns a term, a
//! probability or a change, so each mechanism is tested alone. The engine
//! (`engine::simulation`) calls them in a fixed order and applies their changes
//! together (synchronous update).
//!
//! | docs/model.md § | mechanism | module |
//! |---|---|---|
//! | 2.1 | structural balance pressure B | [`balance`] |
//! | 2.2 | relaxation toward interest R | [`relaxation`] |
//! | 2.4 | the bounded alignment update (noise: 2.3) | [`update`] |
//! | 2.5 | offers and reciprocation U, p | [`reciprocity`] |
//! | 2.5 | approaches: schedule, issue choice, end by backlash | [`approach`] |
//! | 2.6 | issues: interest raised by deals, breaches | [`issues`] |
//! | 2.8 | third-party reactions | [`reactions`] |
//! | 2.9 | revisionist (hardline) actions | [`revisionism`] |
//! | 2.9 | power growth and trend T | [`power`] |
//! | 2.10 | what a step of length dt does (the rule for `dt`) | [`time`] |

pub mod approach;
pub mod balance;
pub mod issues;
pub mod power;
pub mod reactions;
pub mod reciprocity;
pub mod relaxation;
pub mod revisionism;
pub mod time;
pub mod update;

/// The logistic function σ(x) = 1 / (1 + e^(−x)).
#[inline]
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// \[x]⁺ = max(x, 0).
#[inline]
pub fn pos(x: f64) -> f64 {
    x.max(0.0)
}

/// State j's ties: column j of the symmetric alignment matrix, as a slice (a
/// plain slice scans several times faster than a matrix column iterator).
#[inline]
pub fn ties(a: &nalgebra::DMatrix<f64>, j: usize) -> &[f64] {
    let n = a.nrows();
    &a.as_slice()[j * n..(j + 1) * n]
}
