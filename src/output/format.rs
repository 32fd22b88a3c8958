//! Number formatting shared by every CSV writer: the shortest text that reads back
//! as the same f64 (ryu), NaN as an empty cell, so outputs are byte-stable.

/// Appends `x` to `out`: shortest round-trip form, `1` for 1.0, empty for NaN.
#[inline]
pub fn push_f64(out: &mut String, x: f64) {
    if x.is_nan() {
        return;
    }
    if x == 0.0 {
        // also -0.0: one spelling of zero
        out.push('0');
        return;
    }
    let mut b = ryu::Buffer::new();
    let s = b.format(x);
    out.push_str(s.strip_suffix(".0").unwrap_or(s));
}

/// Appends `x` rounded to 9 decimals (half away from zero), trailing zeros
/// dropped: `0.25`, `-0.123456789`, `1`, `0`. Several times faster than the
/// shortest round-trip form, for the per-step alignments of a run, where 10⁻⁹ is far
/// below any meaningful difference. Values beyond ±10⁹ and NaN fall back to
/// [`push_f64`].
#[inline]
pub fn push_fixed9(out: &mut String, x: f64) {
    let scaled = (x.abs() * 1e9).round();
    if scaled.is_nan() || scaled >= 1e18 {
        push_f64(out, x);
        return;
    }
    let q = scaled as u64;
    if q == 0 {
        out.push('0');
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    let (int, mut frac) = (q / 1_000_000_000, q % 1_000_000_000);
    out.push_str(itoa::Buffer::new().format(int));
    if frac == 0 {
        return;
    }
    let mut digits = 9;
    while frac % 10 == 0 {
        frac /= 10;
        digits -= 1;
    }
    out.push('.');
    let mut buf = itoa::Buffer::new();
    let text = buf.format(frac);
    for _ in text.len()..digits {
        out.push('0');
    }
    out.push_str(text);
}

/// `x` as text (see [`push_f64`]).
pub fn f64_text(x: f64) -> String {
    let mut s = String::new();
    push_f64(&mut s, x);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_round_trip() {
        assert_eq!(f64_text(1.0), "1");
        assert_eq!(f64_text(-0.25), "-0.25");
        assert_eq!(f64_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(f64_text(f64::NAN), "");
        assert_eq!(f64_text(-0.0), "0");
    }

    #[test]
    fn nine_decimals() {
        let text = |x: f64| {
            let mut s = String::new();
            push_fixed9(&mut s, x);
            s
        };
        assert_eq!(text(0.25), "0.25");
        assert_eq!(text(-0.1234567894), "-0.123456789");
        assert_eq!(text(0.0000000015), "0.000000002");
        assert_eq!(text(1.0), "1");
        assert_eq!(text(-1.0), "-1");
        assert_eq!(text(-0.0000000001), "0");
        assert_eq!(text(0.1 + 0.2), "0.3");
        assert_eq!(text(12.05), "12.05");
        assert_eq!(text(f64::NAN), "");
    }
}
