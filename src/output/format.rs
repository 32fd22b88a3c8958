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
}
