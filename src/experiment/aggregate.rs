//! Trajectories aggregated on the fly: per configuration, step and key pair, the
//! mean, sd, 5th and 95th percentiles of the alignment over replications, in
//! memory that does not grow with the number of replications.
//!
//! Aggregates are exact and order-free: alignments are quantized to 10⁻¹² and
//! summed as integers (exact up to ten million runs), percentiles come from
//! integer histograms (200 bins over [−1, 1], interpolated within a bin and kept
//! within the cell's minimum and maximum, so within 0.01). Adding runs in any order,
//! on any thread, in any shard gives the same bits — which is what lets sharded
//! and resumed sweeps write the same bytes as one uninterrupted sweep.

use serde::{Deserialize, Serialize};

/// Histogram bins over [−1, 1].
pub const BINS: usize = 200;
const SCALE: f64 = 1e12;
/// Most memory the trajectory aggregates may take (the sweep's own and the
/// workers' partial ones): 4 GiB.
pub const MEMORY_BUDGET: u64 = 4 << 30;

/// Bytes per (step, pair) cell: two i128 sums, min, max and the histogram.
pub const CELL_BYTES: usize = 48 + BINS * 4;

/// The aggregate of one configuration: `steps` rows × `pairs` columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectories {
    /// Rows: the steps recorded per run (in a sweep the run's `steps` + 1, step 0
    /// the initial state).
    pub steps: usize,
    /// Columns: the tracked pairs, in the order of the configuration's layout.
    pub pairs: usize,
    /// The number of runs added: the n of every cell.
    pub runs: u64,
    sum: Vec<i128>,
    sum_sq: Vec<i128>,
    min: Vec<f64>,
    max: Vec<f64>,
    hist: Vec<u32>,
}

/// Summary of one cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellStats {
    /// Mean alignment over the runs, from the sums of alignments quantized to 10⁻¹².
    pub mean: f64,
    /// Sample standard deviation, n − 1 in the denominator (NaN below 2 runs).
    pub sd: f64,
    /// 5th percentile, from the histogram: within 0.01 (a bin), and within the
    /// cell's minimum and maximum.
    pub p05: f64,
    /// 95th percentile, as `p05`.
    pub p95: f64,
}

fn bin(x: f64) -> usize {
    (((x + 1.0) * 0.5 * BINS as f64) as usize).min(BINS - 1)
}

/// Scratch of [`Trajectories::add_with`]: each cell's value quantized to
/// 10⁻¹² (an integer held exactly in an f64) and its histogram bin.
#[derive(Clone, Debug, Default)]
pub struct AddScratch {
    quantized: Vec<f64>,
    bins: Vec<u8>,
}

/// For every cell: its value clamped to [−1, 1] into the cell's extremes, the
/// value quantized (round half away from zero of x·10¹², as
/// [`round_half_away`](crate::format::round_half_away)) and its bin (as [`bin`]).
fn prepare(
    values: &[f64],
    min: &mut [f64],
    max: &mut [f64],
    quantized: &mut [f64],
    bins: &mut [u8],
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, checked just above.
        unsafe { prepare_avx2(values, min, max, quantized, bins) };
        return;
    }
    prepare_cells::<false>(values, min, max, quantized, bins);
}

/// [`prepare_cells`] compiled for AVX2, where `trunc` is one instruction.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn prepare_avx2(
    values: &[f64],
    min: &mut [f64],
    max: &mut [f64],
    quantized: &mut [f64],
    bins: &mut [u8],
) {
    prepare_cells::<true>(values, min, max, quantized, bins);
}

/// The loop of [`prepare`]: with `TRUNC`, y − trunc(y) by `f64::trunc` (a
/// vector instruction from SSE4.1 on; a call to libm before), else by a
/// conversion to i64 and back, as [`round_half_away`](crate::format::round_half_away) does. The same numbers
/// either way: |x·10¹²| ≤ 10¹² is far inside both.
#[inline(always)]
fn prepare_cells<const TRUNC: bool>(
    values: &[f64],
    min: &mut [f64],
    max: &mut [f64],
    quantized: &mut [f64],
    bins: &mut [u8],
) {
    let extremes = min.iter_mut().zip(max.iter_mut());
    let outs = quantized.iter_mut().zip(bins.iter_mut());
    for ((&v, (lo, hi)), (q, b)) in values.iter().zip(extremes).zip(outs) {
        let x = v.clamp(-1.0, 1.0);
        *lo = lo.min(x);
        *hi = hi.max(x);
        let y = x * SCALE;
        let t = if TRUNC { y.trunc() } else { y as i64 as f64 };
        let r = y - t;
        *q = t + if r >= 0.5 { 1.0 } else { 0.0 } - if r <= -0.5 { 1.0 } else { 0.0 };
        // `bin`, through i32 (a vector conversion): the same for x in [−1, 1]
        *b = (((x + 1.0) * 0.5 * BINS as f64) as i32).min(BINS as i32 - 1) as u8;
    }
}

impl Trajectories {
    /// An aggregate of no runs, `steps` rows × `pairs` columns, every cell's
    /// histogram allocated ([`CELL_BYTES`] a cell).
    pub fn new(steps: usize, pairs: usize) -> Self {
        let cells = steps * pairs;
        Trajectories {
            steps,
            pairs,
            runs: 0,
            sum: vec![0; cells],
            sum_sq: vec![0; cells],
            min: vec![f64::INFINITY; cells],
            max: vec![f64::NEG_INFINITY; cells],
            hist: vec![0; cells * BINS],
        }
    }

    /// Bytes held (for the README's memory figures).
    pub fn memory(&self) -> usize {
        self.sum.len() * CELL_BYTES
    }

    /// Index of (step, pair, bin) in the histograms: laid out pair by bin by step,
    /// so that a run's consecutive steps, which mostly fall in the same bin, touch
    /// neighbouring counters.
    #[inline]
    fn hist_index(&self, step: usize, pair: usize, bin: usize) -> usize {
        (pair * BINS + bin) * self.steps + step
    }

    /// Adds one run: `values[step * pairs + pair]`, each in [−1, 1].
    pub fn add(&mut self, values: &[f64]) {
        self.add_with(values, &mut AddScratch::default());
    }

    /// [`Trajectories::add`] with scratch buffers kept from run to run (a
    /// sweep's worker keeps one). Three passes: the cells' extremes, quantized
    /// values and bins in one branch-free loop over slices, which compiles to
    /// vector code (AVX2 where the processor has it); the exact 128-bit sums,
    /// which cannot be vectorized; and the histogram counts, pair by pair.
    pub fn add_with(&mut self, values: &[f64], scratch: &mut AddScratch) {
        debug_assert_eq!(values.len(), self.sum.len());
        let AddScratch { quantized, bins } = scratch;
        quantized.resize(values.len(), 0.0);
        bins.resize(values.len(), 0);
        prepare(values, &mut self.min, &mut self.max, quantized, bins);
        let sums = self.sum.iter_mut().zip(&mut self.sum_sq);
        for (&q, (sum, sum_sq)) in quantized.iter().zip(sums) {
            // an integer below 10¹² in magnitude: converted exactly
            let q = q as i64 as i128;
            *sum += q;
            *sum_sq += q * q;
        }
        for pair in 0..self.pairs {
            for step in 0..self.steps {
                let b = usize::from(bins[step * self.pairs + pair]);
                let h = self.hist_index(step, pair, b);
                self.hist[h] += 1;
            }
        }
        self.runs += 1;
    }

    /// Adds another aggregate of the same shape, reading only its occupied bins.
    pub fn merge(&mut self, other: &Trajectories) {
        assert_eq!(
            (self.steps, self.pairs),
            (other.steps, other.pairs),
            "aggregates of different shapes"
        );
        if other.runs == 0 {
            return;
        }
        for (a, b) in self.sum.iter_mut().zip(&other.sum) {
            *a += b;
        }
        for (a, b) in self.sum_sq.iter_mut().zip(&other.sum_sq) {
            *a += b;
        }
        for (a, b) in self.min.iter_mut().zip(&other.min) {
            *a = a.min(*b);
        }
        for (a, b) in self.max.iter_mut().zip(&other.max) {
            *a = a.max(*b);
        }
        for step in 0..self.steps {
            for pair in 0..self.pairs {
                for b in other.occupied(step * self.pairs + pair) {
                    let h = self.hist_index(step, pair, b);
                    self.hist[h] += other.hist[h];
                }
            }
        }
        self.runs += other.runs;
    }

    /// Back to no runs, keeping the memory (only the occupied bins are zeroed).
    pub fn clear(&mut self) {
        if self.runs == 0 {
            return;
        }
        for step in 0..self.steps {
            for pair in 0..self.pairs {
                for b in self.occupied(step * self.pairs + pair) {
                    let h = self.hist_index(step, pair, b);
                    self.hist[h] = 0;
                }
            }
        }
        self.sum.fill(0);
        self.sum_sq.fill(0);
        self.min.fill(f64::INFINITY);
        self.max.fill(f64::NEG_INFINITY);
        self.runs = 0;
    }

    /// Mean, sd (n − 1), p05 and p95 of cell (step, pair); NaN without runs.
    pub fn stats(&self, step: usize, pair: usize) -> CellStats {
        let c = step * self.pairs + pair;
        let n = self.runs;
        if n == 0 {
            return CellStats {
                mean: f64::NAN,
                sd: f64::NAN,
                p05: f64::NAN,
                p95: f64::NAN,
            };
        }
        let (s, ss) = (self.sum[c], self.sum_sq[c]);
        let mean = s as f64 / n as f64 / SCALE;
        // n·Σq² − (Σq)² is exact in i128.
        let sd = if n > 1 {
            let num = (n as i128 * ss - s * s).max(0) as f64;
            (num / (n as f64 * (n - 1) as f64)).sqrt() / SCALE
        } else {
            f64::NAN
        };
        // Every value of the cell lies in the bins from its minimum's to its
        // maximum's: the bins outside are empty and need no reading.
        let bins = bin(self.min[c])..=bin(self.max[c]);
        let count = |b| self.hist[self.hist_index(step, pair, b)];
        let within = |q: f64| quantile(bins.clone(), count, n, q).clamp(self.min[c], self.max[c]);
        CellStats {
            mean,
            sd,
            p05: within(0.05),
            p95: within(0.95),
        }
    }
}

/// The serialized form of [`Trajectories`]: each cell's histogram only over its
/// occupied bins, from its minimum's to its maximum's (the rest are zero), so a
/// file holds about what was tracked rather than 200 counters a cell.
#[derive(Serialize)]
struct WireRef<'a> {
    steps: usize,
    pairs: usize,
    runs: u64,
    sum: &'a [i128],
    sum_sq: &'a [i128],
    min: &'a [f64],
    max: &'a [f64],
    hist: Occupied<'a>,
}

/// [`WireRef`] read back (the same fields in the same order).
#[derive(Deserialize)]
struct Wire {
    steps: usize,
    pairs: usize,
    runs: u64,
    sum: Vec<i128>,
    sum_sq: Vec<i128>,
    min: Vec<f64>,
    max: Vec<f64>,
    hist: Vec<u32>,
}

/// The occupied bins of every cell, cell by cell, streamed.
struct Occupied<'a>(&'a Trajectories);

impl Trajectories {
    /// The bins that cell `c` (step-major) can have counted in: none if empty.
    fn occupied(&self, c: usize) -> std::ops::Range<usize> {
        if self.min[c] > self.max[c] {
            return 0..0;
        }
        bin(self.min[c])..bin(self.max[c]) + 1
    }
}

impl Serialize for Occupied<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let t = self.0;
        let cells = t.steps * t.pairs;
        let len = (0..cells).map(|c| t.occupied(c).len()).sum();
        let mut seq = s.serialize_seq(Some(len))?;
        for step in 0..t.steps {
            for pair in 0..t.pairs {
                for b in t.occupied(step * t.pairs + pair) {
                    seq.serialize_element(&t.hist[t.hist_index(step, pair, b)])?;
                }
            }
        }
        seq.end()
    }
}

impl Serialize for Trajectories {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WireRef {
            steps: self.steps,
            pairs: self.pairs,
            runs: self.runs,
            sum: &self.sum,
            sum_sq: &self.sum_sq,
            min: &self.min,
            max: &self.max,
            hist: Occupied(self),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Trajectories {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = Wire::deserialize(d)?;
        let damaged = |what: &str| serde::de::Error::custom(format!("damaged aggregate: {what}"));
        let cells = w
            .steps
            .checked_mul(w.pairs)
            .filter(|c| c.checked_mul(BINS).is_some())
            .ok_or_else(|| damaged("implausible size"))?;
        if [w.sum.len(), w.sum_sq.len(), w.min.len(), w.max.len()] != [cells; 4] {
            return Err(damaged("sizes disagree"));
        }
        let mut t = Trajectories {
            steps: w.steps,
            pairs: w.pairs,
            runs: w.runs,
            sum: w.sum,
            sum_sq: w.sum_sq,
            min: w.min,
            max: w.max,
            hist: vec![0; cells * BINS],
        };
        let mut counts = w.hist.into_iter();
        for step in 0..t.steps {
            for pair in 0..t.pairs {
                for b in t.occupied(step * t.pairs + pair) {
                    let h = t.hist_index(step, pair, b);
                    t.hist[h] = counts.next().ok_or_else(|| damaged("too few counts"))?;
                }
            }
        }
        if counts.next().is_some() {
            return Err(damaged("too many counts"));
        }
        Ok(t)
    }
}

/// The q-quantile of n values counted in `bins` (`count(b)` each; all other
/// bins empty), interpolated linearly within its bin.
fn quantile(
    bins: std::ops::RangeInclusive<usize>,
    count: impl Fn(usize) -> u32,
    n: u64,
    q: f64,
) -> f64 {
    let target = q * n as f64;
    let width = 2.0 / BINS as f64;
    let mut below = 0.0;
    for b in bins {
        let count = count(b) as f64;
        if count > 0.0 && below + count >= target {
            let within = ((target - below) / count).clamp(0.0, 1.0);
            return -1.0 + width * (b as f64 + within);
        }
        below += count;
    }
    1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_prepared_as_round_half_away_and_bin_say() {
        use crate::format::round_half_away;
        let mut values: Vec<f64> = (0..=20_000).map(|k| -1.0 + k as f64 / 10_000.0).collect();
        // halves of 10⁻¹² either side of zero, the ends and beyond them
        values.extend([
            0.5e-12, -0.5e-12, 1.5e-12, -2.5e-12, 1e-13, -1.0, 1.0, 1.5, -7.0,
        ]);
        values.extend((0..1000).map(|k| ((k as f64) * 0.618_033_988_749).sin()));
        for trunc in [false, true] {
            let n = values.len();
            let (mut lo, mut hi) = (vec![f64::INFINITY; n], vec![f64::NEG_INFINITY; n]);
            let (mut q, mut b) = (vec![0.0; n], vec![0u8; n]);
            if trunc {
                prepare_cells::<true>(&values, &mut lo, &mut hi, &mut q, &mut b);
            } else {
                prepare_cells::<false>(&values, &mut lo, &mut hi, &mut q, &mut b);
            }
            for (k, &v) in values.iter().enumerate() {
                let x = v.clamp(-1.0, 1.0);
                assert_eq!(
                    q[k] as i64,
                    round_half_away(x * SCALE),
                    "{v} (trunc {trunc})"
                );
                assert_eq!(usize::from(b[k]), bin(x), "{v}");
                assert_eq!((lo[k], hi[k]), (x, x));
            }
        }
    }

    #[test]
    fn moments_are_exact_and_order_free() {
        let runs = [[0.1, -0.5], [0.3, 0.25], [0.2, 1.0]];
        let mut forward = Trajectories::new(1, 2);
        for r in &runs {
            forward.add(r);
        }
        let mut a = Trajectories::new(1, 2);
        a.add(&runs[2]);
        let mut b = Trajectories::new(1, 2);
        b.add(&runs[1]);
        b.add(&runs[0]);
        a.merge(&b);
        assert_eq!(a, forward);
        let s = forward.stats(0, 0);
        assert!((s.mean - 0.2).abs() < 1e-12);
        assert!((s.sd - 0.1).abs() < 1e-12);
        let s = forward.stats(0, 1);
        assert!((s.mean - 0.25).abs() < 1e-12);
        let mut same = Trajectories::new(1, 1);
        for _ in 0..7 {
            same.add(&[0.6]);
        }
        let s = same.stats(0, 0);
        assert_eq!(
            (s.mean, s.sd, s.p05, s.p95),
            (0.6, 0.0, 0.6, 0.6),
            "a constant cell is exact"
        );
    }

    #[test]
    fn percentiles_within_a_bin() {
        let mut t = Trajectories::new(1, 1);
        for k in 0..1000 {
            t.add(&[-1.0 + 2.0 * (k as f64 + 0.5) / 1000.0]);
        }
        let s = t.stats(0, 0);
        assert!((s.p05 - -0.9).abs() <= 0.01, "{}", s.p05);
        assert!((s.p95 - 0.9).abs() <= 0.01, "{}", s.p95);
    }

    #[test]
    fn round_trips_through_serde_with_only_the_occupied_bins() {
        let mut t = Trajectories::new(2, 3);
        t.add(&[0.1, 0.2, -0.3, 1.0, -1.0, 0.0]);
        t.add(&[0.15, 0.2, -0.5, 1.0, -0.99, 0.3]);
        let bytes = postcard::to_allocvec(&t).unwrap();
        assert_eq!(postcard::from_bytes::<Trajectories>(&bytes).unwrap(), t);
        // 5 + 1 + 21 + 1 + 2 + 31 occupied bins (0.15 falls in bin 114), not 6 × 200
        assert_eq!((0..6).map(|c| t.occupied(c).len()).sum::<usize>(), 61);
        assert!(bytes.len() < 400, "{} bytes", bytes.len());
        let mut merged = Trajectories::new(2, 3);
        merged.merge(&t);
        merged.merge(&Trajectories::new(2, 3));
        assert_eq!(merged, t, "merging reads every occupied bin");
        merged.clear();
        assert_eq!(merged, Trajectories::new(2, 3), "cleared to nothing");
        assert!(postcard::from_bytes::<Trajectories>(&bytes[..bytes.len() - 3]).is_err());
    }
}
