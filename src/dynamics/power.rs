//! §2.7 Power: P grows by `growth` each step; the shares ŵ = P / ΣP are the
//! weights of third states; the trend T of a state is the decline of its share
//! per step over the last `trend_window` steps.

/// P after one step of growth at rate `growth`.
#[inline]
pub fn grown(power: f64, growth: f64) -> f64 {
    power * (1.0 + growth)
}

/// T: the relative decline of a share per step, from `past` (the share `steps`
/// steps ago) to `now`. Positive when trends move against the state; 0 at the
/// start of a run. Over the first `trend_window` steps the window is what exists.
pub fn trend(past: f64, now: f64, steps: u64) -> f64 {
    if steps == 0 || past <= 0.0 {
        0.0
    } else {
        -(now - past) / past / steps as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decline_of_share_is_a_positive_trend() {
        let mut power = [1.0, 1.0];
        for _ in 0..10 {
            power = [grown(power[0], 0.0), grown(power[1], 0.01)];
        }
        assert_eq!(power[0], 1.0);
        assert!((power[1] - 1.01f64.powi(10)).abs() < 1e-12);
        let t = trend(0.5, power[0] / (power[0] + power[1]), 10);
        assert!(t > 0.0);
        // share of 0 after 10 steps: 1 / (1 + 1.01^10)
        let expected = -(1.0 / (1.0 + 1.01f64.powi(10)) - 0.5) / 0.5 / 10.0;
        assert!((t - expected).abs() < 1e-12);
        assert_eq!(trend(0.5, 0.5, 0), 0.0);
    }
}
