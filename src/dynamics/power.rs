//! docs/model.md §2.9: power: P grows by `growth` each month (a factor (1 + growth)^s per step
//! of s months, `time`); the shares ŵ = P / ΣP are the weights of third states;
//! the trend T of a state is the decline of its share per month over the last
//! `trend_window` steps.

/// P after one step whose growth factor is `factor` ((1 + growth)^s).
#[inline]
pub fn grown(power: f64, factor: f64) -> f64 {
    power * factor
}

/// T: the relative decline of a share per month, from `past` (the share `steps`
/// steps of `periods` months each ago) to `now`. Positive when trends move
/// against the state; 0 at the start of a run. Over the first `trend_window`
/// steps the window is what exists.
pub fn trend(past: f64, now: f64, steps: u64, periods: f64) -> f64 {
    if steps == 0 || past <= 0.0 {
        0.0
    } else {
        -(now - past) / past / (steps as f64 * periods)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decline_of_share_is_a_positive_trend() {
        let mut power = [1.0, 1.0];
        for _ in 0..10 {
            power = [grown(power[0], 1.0), grown(power[1], 1.01)];
        }
        assert_eq!(power[0], 1.0);
        assert!((power[1] - 1.01f64.powi(10)).abs() < 1e-12);
        let t = trend(0.5, power[0] / (power[0] + power[1]), 10, 1.0);
        assert!(t > 0.0);
        // share of 0 after 10 steps: 1 / (1 + 1.01^10)
        let expected = -(1.0 / (1.0 + 1.01f64.powi(10)) - 0.5) / 0.5 / 10.0;
        assert!((t - expected).abs() < 1e-12);
        assert_eq!(trend(0.5, 0.5, 0, 1.0), 0.0);
        // the same decline over 20 half-month steps is the same T per month
        assert!((trend(0.5, power[0] / (power[0] + power[1]), 20, 0.5) - t).abs() < 1e-15);
    }
}
