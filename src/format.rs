//! Number formatting shared by every CSV writer: the shortest text that reads back
//! as the same f64 (Żmij, spelled as Ryū spells it), NaN as an empty cell, so
//! outputs are byte-stable.

/// Appends `x` to `out`: shortest round-trip form, `1` for 1.0, empty for NaN.
#[inline]
pub fn push_f64(out: &mut String, x: f64) {
    let mut cell = [0; NUMBER_MAX];
    let len = shortest(&mut cell, x);
    // `shortest` writes ASCII only.
    out.push_str(std::str::from_utf8(&cell[..len]).expect("ASCII digits"));
}

/// The longest text [`shortest`] or [`fixed9`] writes (the longest shortest
/// form, e.g. `-1.2345678901234567e-308`).
pub const NUMBER_MAX: usize = 24;

/// Writes `x` at the start of `out` in its shortest round-trip form (`1` for 1.0,
/// `0` for ±0, nothing for NaN) and returns the length written.
#[inline]
pub fn shortest(out: &mut [u8; NUMBER_MAX], x: f64) -> usize {
    if x.is_nan() {
        return 0;
    }
    if x == 0.0 {
        // also -0.0: one spelling of zero
        out[0] = b'0';
        return 1;
    }
    // Żmij: the digits of Ryū (the shortest that round-trip) at a quarter of the
    // time; a run writes two such numbers per state and step.
    let mut b = zmij::Buffer::new();
    let s = b.format(x).as_bytes();
    let s = s.strip_suffix(b".0").unwrap_or(s);
    // Exponents spelled `1e21`, as Ryū (and so earlier outputs) spell them, not
    // `1e+21`; only numbers from 1e16 up have a positive exponent.
    let plus = if x.abs() >= 1e16 {
        s.iter().position(|&c| c == b'+')
    } else {
        None
    };
    match plus {
        None => {
            out[..s.len()].copy_from_slice(s);
            s.len()
        }
        Some(plus) => {
            out[..plus].copy_from_slice(&s[..plus]);
            out[plus..s.len() - 1].copy_from_slice(&s[plus + 1..]);
            s.len() - 1
        }
    }
}

/// `y.round() as i64` — half away from zero — without a call to libm's `round`,
/// for |y| < 2⁶³: `y − trunc(y)` is exact for any float, so comparing it with
/// ±0.5 rounds exactly as `round` does (and `as i64` converts in one
/// instruction).
#[inline]
pub fn round_half_away(y: f64) -> i64 {
    let t = y as i64;
    let r = y - t as f64;
    t + i64::from(r >= 0.5) - i64::from(r <= -0.5)
}

/// Writes `x` rounded to 9 decimals (half away from zero), trailing zeros
/// dropped, at the start of `out` and returns the length written: `0.25`,
/// `-0.123456789`, `1`, `0`. Several times faster than the shortest round-trip
/// form, for the per-step alignments of a run, where 10⁻⁹ is far below any
/// meaningful difference. Values beyond ±10⁹ and NaN fall back to [`shortest`].
#[inline]
pub fn fixed9(out: &mut [u8; NUMBER_MAX], x: f64) -> usize {
    let y = x.abs() * 1e9;
    // ±∞ too. Near 1e18 floats are 128 apart, so `y` and its rounding fall on
    // the same side of 1e18 (the old test was on the rounded value).
    if y.is_nan() || y >= 1e18 {
        return fixed9_fallback(out, x);
    }
    // `y` < 1e18 fits round_half_away's range.
    let q = round_half_away(y) as u64;
    if q == 0 {
        out[0] = b'0';
        return 1;
    }
    // The sign without a branch (alignments are negative half the time, which a
    // branch predicts badly): a minus is always written and kept only when the
    // number is negative; otherwise the first digit overwrites it.
    out[0] = b'-';
    let mut n = usize::from(x < 0.0);
    let (int, frac) = (q / 1_000_000_000, q % 1_000_000_000);
    if int < 10 {
        // Alignments, interests and hardliners have one-digit integer parts.
        out[n] = b'0' + int as u8;
        n += 1;
    } else {
        n += write_int(&mut out[n..], int);
    }
    if frac == 0 {
        return n;
    }
    // All nine decimals, then the trailing zeros dropped; `frac` ≠ 0 keeps a digit.
    let (first, rest) = (frac / 100_000_000, eight_digits(frac % 100_000_000));
    let tail: &mut [u8; 10] = (&mut out[n..n + 10]).try_into().expect("10 bytes");
    tail[0] = b'.';
    tail[1] = b'0' + first as u8;
    tail[2..].copy_from_slice(&(rest | 0x3030_3030_3030_3030).to_le_bytes());
    // The last decimals are the high bytes of `rest`; zero digits are zero bytes.
    let zeros = if rest == 0 {
        8
    } else {
        rest.leading_zeros() as usize / 8
    };
    n + 10 - zeros
}

/// The eight decimal digits of `v` < 10⁸ as byte values 0–9, the first digit in
/// the lowest byte: all digits at once in SIMD-within-a-register lanes (halving
/// 4-digit lanes into 2-digit and then 1-digit lanes by multiply-shift division)
/// instead of eight divisions.
#[inline]
fn eight_digits(v: u64) -> u64 {
    // 4-digit halves in 32-bit lanes, the leading half in the low lane.
    let lanes = (v / 10_000) | ((v % 10_000) << 32);
    // ÷100 (exact below 10⁴ as x·10486 >> 20) into 16-bit lanes: quotient low.
    let hundreds = ((lanes * 10_486) >> 20) & 0x0000_007F_0000_007F;
    let lanes = ((lanes - 100 * hundreds) << 16) | hundreds;
    // ÷10 (exact below 100 as x·103 >> 10) into 8-bit lanes: tens digit low.
    let tens = ((lanes * 103) >> 10) & 0x000F_000F_000F_000F;
    ((lanes - 10 * tens) << 8) | tens
}

/// [`fixed9`] beyond ±10⁹ and for NaN, kept out of its inlined fast path.
#[cold]
#[inline(never)]
fn fixed9_fallback(out: &mut [u8; NUMBER_MAX], x: f64) -> usize {
    shortest(out, x)
}

/// Writes `v` in decimal at the start of `out`, returning its length.
#[cold]
#[inline(never)]
fn write_int(out: &mut [u8], mut v: u64) -> usize {
    let mut digits = [0; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let len = digits.len() - start;
    out[..len].copy_from_slice(&digits[start..]);
    len
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
    use rand::{Rng, SeedableRng};

    #[test]
    fn rounding_is_round_half_away_from_zero() {
        for y in [
            0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.4999999999,
            -2.5,
            1e12,
            -1e12,
            123456.5,
            0.49999999999999994,
            9.9e17,
        ] {
            assert_eq!(round_half_away(y), y.round() as i64, "{y}");
        }
        let mut x = 0.123_f64;
        for _ in 0..100_000 {
            x = (x * 7.31 + 0.377).fract() * 2.0 - 1.0;
            let y = x * 1e12; // the sweep aggregates' fixed-point scale
            assert_eq!(round_half_away(y), y.round() as i64, "{y}");
        }
    }

    #[test]
    fn shortest_round_trip() {
        assert_eq!(f64_text(1.0), "1");
        assert_eq!(f64_text(-0.25), "-0.25");
        assert_eq!(f64_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(f64_text(f64::NAN), "");
        assert_eq!(f64_text(-0.0), "0");
        assert_eq!(f64_text(f64::MIN_POSITIVE), "2.2250738585072014e-308");
        assert_eq!(f64_text(-1.2345678901234567e-308).len(), NUMBER_MAX);
        assert_eq!(f64_text(1e21), "1e21");
        assert_eq!(f64_text(1e16), "1e16");
        assert_eq!(f64_text(9999999999999998.0), "9999999999999998");
        assert_eq!(f64_text(-1.2345678901234568e17), "-1.2345678901234568e17");
        assert_eq!(f64_text(2.5e-10), "2.5e-10");
        assert_eq!(f64_text(123456.789), "123456.789");
    }

    fn text(x: f64) -> String {
        let mut cell = [0; NUMBER_MAX];
        let len = fixed9(&mut cell, x);
        String::from_utf8(cell[..len].to_vec()).expect("ASCII")
    }

    #[test]
    fn eight_digits_in_lanes() {
        for v in [
            0, 1, 9, 10, 99, 100, 9999, 10_000, 12_345_678, 99_999_999, 10_203_040,
        ]
        .into_iter()
        .chain((0..100_000_000).step_by(9_973))
        {
            let expected: Vec<u8> = format!("{v:08}").bytes().map(|b| b - b'0').collect();
            assert_eq!(eight_digits(v).to_le_bytes().to_vec(), expected, "{v}");
        }
    }

    #[test]
    fn nine_decimals() {
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

    /// The formatter `fixed9` replaced (libm `round`, itoa, pushes onto a
    /// String), kept as the reference its output must equal byte for byte.
    fn reference_fixed9(x: f64) -> String {
        let mut out = String::new();
        let scaled = (x.abs() * 1e9).round();
        if scaled.is_nan() || scaled >= 1e18 {
            push_f64(&mut out, x);
            return out;
        }
        let q = scaled as u64;
        if q == 0 {
            return "0".into();
        }
        if x < 0.0 {
            out.push('-');
        }
        let (int, mut frac) = (q / 1_000_000_000, q % 1_000_000_000);
        out.push_str(&int.to_string());
        if frac == 0 {
            return out;
        }
        let mut digits = 9;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        out.push('.');
        let text = frac.to_string();
        for _ in text.len()..digits {
            out.push('0');
        }
        out.push_str(&text);
        out
    }

    fn assert_same(x: f64) {
        assert_eq!(text(x), reference_fixed9(x), "{x:e} ({:#x})", x.to_bits());
    }

    #[test]
    fn nine_decimals_as_reference_at_edges() {
        let specials = [
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            5e-10,
            1e9,
            999_999_999.999_999_9,
            1e9 - 5e-10,
            2f64.powi(52) / 1e9,
            2f64.powi(53) / 1e9,
        ];
        for x in specials {
            assert_same(x);
            assert_same(-x);
        }
        // Every neighbour of the halfway points k.5·10⁻⁹ (where rounding turns)
        // and of the fallback threshold, at several magnitudes.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let mut centres: Vec<f64> = vec![1e9, 1e9 - 5e-10];
        for _ in 0..100_000 {
            let scale = 10f64.powi(rng.gen_range(0..19));
            centres.push((rng.gen_range(0..1_000_000_000u64) as f64 + 0.5) * scale / 1e9);
        }
        for k in 0..1000u64 {
            centres.push((k as f64 + 0.5) / 1e9);
        }
        for c in centres {
            let bits = c.to_bits();
            for d in 0..=8 {
                for b in [bits + d, bits - d] {
                    assert_same(f64::from_bits(b));
                    assert_same(-f64::from_bits(b));
                }
            }
        }
    }

    #[test]
    fn nine_decimals_as_reference_on_random_values() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(90);
        let count = if cfg!(debug_assertions) {
            300_000
        } else {
            3_000_000
        };
        for _ in 0..count {
            // Uniform in [−1, 1] as most cells are, any finite bit pattern, and
            // short decimals (at most 9 places, often with trailing zeros).
            assert_same(rng.gen_range(-1.0..=1.0));
            assert_same(f64::from_bits(rng.gen()));
            let places = rng.gen_range(0..=9);
            let m = rng.gen_range(-2_000_000_000i64..2_000_000_000) as f64;
            assert_same(m / 10f64.powi(places));
        }
    }
}
