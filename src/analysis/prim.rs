//! Scenario discovery with PRIM, the patient rule induction method (Friedman &
//! Fisher 1999), as the EMA Workbench's `prim.Prim` runs it (binary outcome,
//! `lenient1` objective, `peel_alpha = paste_alpha = mass_min = 0.05`):
//!
//! - **peeling**: from the box around all points, try cutting the `alpha`
//!   quantile off the bottom and the top of every dimension; keep the cut with the
//!   best objective — gain in the share of cases of interest divided by the points
//!   lost, ties to the cut that leaves more dimensions unrestricted, then to the
//!   earlier dimension, the top before the bottom — while the box keeps at least
//!   `mass_min` of the points and the objective is positive;
//! - **pasting**: then try widening each restricted limit by the `alpha` quantile of
//!   the points just outside it, while that raises the share of cases of interest;
//! - every box on the way is a row of the coverage–density trajectory; the box the
//!   workbench returns from `find_box` (and so ours) is the last one.
//!
//! Which box to report is the analyst's choice in the workbench (`inspect_tradeoff`,
//! `select`, `drop_restriction`); [`choose`] makes it by a stated rule. With a few
//! hundred points the deep boxes restrict many weights merely to shed a
//! non-failure or two, so every box of the trajectory is first pruned: the
//! restriction with the largest quasi-p-value (Bryant & Lempert 2010: the
//! one-sided binomial test of the box's density against that of the box without
//! the restriction) is dropped while it exceeds 0.05. Of the pruned boxes the
//! one with the best harmonic mean of coverage and density is chosen (the
//! earlier, larger one on a tie).
//!
//! Quantiles follow the workbench's `get_quantile` (from sdtoolkit): the midpoint
//! of the two order statistics around the quantile, moved past ties, so that a
//! limit always falls between two distinct values.

/// One box: `[low, high]` per dimension (inclusive) and its statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimBox {
    /// The box's `(low, high)` limits, one per dimension of the points, inclusive.
    pub limits: Vec<(f64, f64)>,
    /// Share of all cases of interest that fall inside.
    pub coverage: f64,
    /// Share of the points inside that are cases of interest.
    pub density: f64,
    /// Share of all points inside.
    pub mass: f64,
    /// Dimensions whose limits are narrower than the data's.
    pub restricted: Vec<usize>,
    /// Points inside, and cases of interest among them.
    pub n: usize,
    /// Cases of interest among the points inside.
    pub k: usize,
}

/// PRIM's settings; [`Default`] is the workbench's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrimOptions {
    /// Share of the box's points cut off by one peel (the `alpha` quantile), in (0, 1).
    pub peel_alpha: f64,
    /// Share of the points just outside a limit that one paste adds, in (0, 1).
    pub paste_alpha: f64,
    /// Least share of all points a box may keep while peeling, in [0, 1].
    pub mass_min: f64,
}

impl Default for PrimOptions {
    fn default() -> Self {
        PrimOptions {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
        }
    }
}

/// The first box's peeling and pasting trajectory; the chosen box is the last.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// Every box of the peeling and pasting, the whole box first.
    pub boxes: Vec<PrimBox>,
    /// The limits of the data, for reading which limits a box restricts.
    pub init: Vec<(f64, f64)>,
}

impl Trajectory {
    /// The box the workbench's `find_box` returns: the last of the trajectory.
    pub fn chosen(&self) -> &PrimBox {
        self.boxes
            .last()
            .expect("a trajectory starts with the whole box")
    }
}

/// The workbench's `get_quantile`.
pub fn quantile(data: &[f64], q: f64) -> f64 {
    let mut d = data.to_vec();
    d.sort_by(f64::total_cmp);
    let i = (d.len() - 1) as f64 * q;
    let (mut lo, mut hi) = (i.floor() as usize, i.ceil() as usize);
    if q > 0.5 {
        while d[lo] == d[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while d[lo] == d[hi] && hi < d.len() - 1 {
            hi += 1;
        }
    }
    (d[lo] + d[hi]) / 2.0
}

/// `[low, high]` per dimension.
type Limits = Vec<(f64, f64)>;
/// A candidate box: the points inside and its limits.
type Candidate = (Vec<usize>, Limits);

struct Prim<'a> {
    x: &'a [Vec<f64>],
    y: &'a [bool],
    init: Vec<(f64, f64)>,
    opts: PrimOptions,
    total_k: usize,
}

impl Prim<'_> {
    fn new<'a>(x: &'a [Vec<f64>], y: &'a [bool], opts: PrimOptions) -> Prim<'a> {
        let dims = x.first().map_or(0, Vec::len);
        let init: Vec<(f64, f64)> = (0..dims)
            .map(|j| {
                x.iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                        (lo.min(p[j]), hi.max(p[j]))
                    })
            })
            .collect();
        Prim {
            x,
            y,
            init,
            opts,
            total_k: y.iter().filter(|&&b| b).count(),
        }
    }

    /// The points inside `limits` (every dimension).
    fn members(&self, limits: &[(f64, f64)]) -> Vec<usize> {
        let dims: Vec<usize> = (0..limits.len()).collect();
        (0..self.y.len())
            .filter(|&i| self.inside(i, limits, &dims))
            .collect()
    }

    /// The quasi-p-value of each dimension of `b` (the smaller of its two
    /// limits'; NaN where it is unrestricted), as the workbench computes them.
    fn quasi_p(&self, b: &PrimBox) -> Vec<f64> {
        (0..b.limits.len())
            .map(|j| {
                let mut best = f64::NAN;
                for side in [0, 1] {
                    let (limit, free) = if side == 0 {
                        (b.limits[j].0, self.init[j].0)
                    } else {
                        (b.limits[j].1, self.init[j].1)
                    };
                    if limit == free {
                        continue;
                    }
                    let mut l = b.limits.clone();
                    if side == 0 {
                        l[j].0 = free;
                    } else {
                        l[j].1 = free;
                    }
                    let wider = self.members(&l);
                    let p = self.count(&wider) as f64 / wider.len() as f64;
                    let q = binomial_sf(b.k, b.n, p);
                    best = if best.is_nan() { q } else { best.min(q) };
                }
                best
            })
            .collect()
    }

    fn count(&self, idx: &[usize]) -> usize {
        idx.iter().filter(|&&i| self.y[i]).count()
    }

    fn mean(&self, idx: &[usize]) -> f64 {
        if idx.is_empty() {
            0.0
        } else {
            self.count(idx) as f64 / idx.len() as f64
        }
    }

    /// `lenient1`: the change of the mean per point gained or lost.
    fn objective(&self, old: &[usize], new: &[usize]) -> f64 {
        let (m_old, m_new) = (self.mean(old), self.mean(new));
        if m_old == m_new || old.len() == new.len() {
            return 0.0;
        }
        (m_new - m_old) / old.len().abs_diff(new.len()) as f64
    }

    fn restricted(&self, limits: &[(f64, f64)]) -> Vec<usize> {
        (0..limits.len())
            .filter(|&j| limits[j] != self.init[j])
            .collect()
    }

    fn stats(&self, limits: Vec<(f64, f64)>, idx: &[usize]) -> PrimBox {
        let k = self.count(idx);
        PrimBox {
            restricted: self.restricted(&limits),
            limits,
            coverage: k as f64 / self.total_k.max(1) as f64,
            density: if idx.is_empty() {
                f64::NAN
            } else {
                k as f64 / idx.len() as f64
            },
            mass: idx.len() as f64 / self.y.len() as f64,
            n: idx.len(),
            k,
        }
    }

    /// The best candidate: highest objective, then most unrestricted dimensions,
    /// then the first in order.
    fn best(&self, old: &[usize], candidates: Vec<Candidate>) -> Option<(f64, Vec<usize>, Limits)> {
        let mut best: Option<(f64, usize, Vec<usize>, Limits)> = None;
        for (idx, limits) in candidates {
            let obj = self.objective(old, &idx);
            let free = limits.len() - self.restricted(&limits).len();
            let better = match &best {
                None => true,
                Some((o, f, _, _)) => obj > *o || (obj == *o && free > *f),
            };
            if better {
                best = Some((obj, free, idx, limits));
            }
        }
        best.map(|(o, _, i, l)| (o, i, l))
    }

    fn inside(&self, i: usize, limits: &[(f64, f64)], dims: &[usize]) -> bool {
        dims.iter()
            .all(|&j| limits[j].0 <= self.x[i][j] && self.x[i][j] <= limits[j].1)
    }

    fn peel(&self, idx: &[usize], limits: &[(f64, f64)]) -> Vec<Candidate> {
        let mut out = Vec::new();
        for j in 0..limits.len() {
            let xj: Vec<f64> = idx.iter().map(|&i| self.x[i][j]).collect();
            // The top first, as the workbench lists them.
            let top = quantile(&xj, 1.0 - self.opts.peel_alpha);
            let mut l = limits.to_vec();
            l[j].1 = top;
            out.push((
                idx.iter()
                    .copied()
                    .filter(|&i| self.x[i][j] <= top)
                    .collect(),
                l,
            ));
            let bottom = quantile(&xj, self.opts.peel_alpha);
            let mut l = limits.to_vec();
            l[j].0 = bottom;
            out.push((
                idx.iter()
                    .copied()
                    .filter(|&i| self.x[i][j] >= bottom)
                    .collect(),
                l,
            ));
        }
        out
    }

    fn paste(&self, remaining: &[usize], limits: &[(f64, f64)]) -> Vec<Candidate> {
        let dims = self.restricted(limits);
        let mut out = Vec::new();
        for &u in &dims {
            for lower in [true, false] {
                let mut strip = limits.to_vec();
                strip[u] = if lower {
                    (self.init[u].0, limits[u].0)
                } else {
                    (limits[u].1, self.init[u].1)
                };
                let data: Vec<f64> = remaining
                    .iter()
                    .filter(|&&i| self.inside(i, &strip, &dims))
                    .map(|&i| self.x[i][u])
                    .collect();
                let mut l = limits.to_vec();
                if lower {
                    l[u].0 = if data.is_empty() {
                        self.init[u].0
                    } else {
                        quantile(&data, 1.0 - self.opts.paste_alpha)
                    };
                } else {
                    l[u].1 = if data.is_empty() {
                        self.init[u].1
                    } else {
                        quantile(&data, self.opts.paste_alpha)
                    };
                }
                let idx = remaining
                    .iter()
                    .copied()
                    .filter(|&i| self.inside(i, &l, &dims))
                    .collect();
                out.push((idx, l));
            }
        }
        out
    }
}

/// The first PRIM box of the points `x` (rows) whose cases of interest are the
/// `true`s of `y`, with its whole trajectory. `None` without points.
pub fn find_box(x: &[Vec<f64>], y: &[bool], opts: PrimOptions) -> Option<Trajectory> {
    let dims = x.first()?.len();
    let init: Vec<(f64, f64)> = (0..dims)
        .map(|j| {
            x.iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                    (lo.min(p[j]), hi.max(p[j]))
                })
        })
        .collect();
    let prim = Prim {
        x,
        y,
        init: init.clone(),
        opts,
        total_k: y.iter().filter(|&&b| b).count(),
    };
    let n = y.len() as f64;
    let all: Vec<usize> = (0..y.len()).collect();
    let (mut idx, mut limits) = (all.clone(), init.clone());
    let mut boxes = vec![prim.stats(limits.clone(), &idx)];
    while let Some((obj, new, l)) = prim.best(&idx, prim.peel(&idx, &limits)) {
        let (m_old, m_new) = (idx.len() as f64 / n, new.len() as f64 / n);
        if !(m_new >= opts.mass_min && m_new < m_old && obj > 0.0) {
            break;
        }
        (idx, limits) = (new, l);
        boxes.push(prim.stats(limits.clone(), &idx));
    }
    while let Some((obj, new, l)) = prim.best(&idx, prim.paste(&all, &limits)) {
        let (m_old, m_new) = (idx.len() as f64 / n, new.len() as f64 / n);
        if !(m_new >= opts.mass_min
            && m_new > m_old
            && obj > 0.0
            && prim.mean(&new) > prim.mean(&idx))
        {
            break;
        }
        (idx, limits) = (new, l);
        boxes.push(prim.stats(limits.clone(), &idx));
    }
    Some(Trajectory { boxes, init })
}

/// P(X ≥ k) for X ~ Binomial(n, p): scipy's `binomtest(k, n, p,
/// alternative="greater").pvalue`.
pub fn binomial_sf(k: usize, n: usize, p: f64) -> f64 {
    if k == 0 || p >= 1.0 {
        return 1.0;
    }
    if p <= 0.0 || k > n {
        return 0.0;
    }
    let ln_fact: Vec<f64> = std::iter::once(0.0)
        .chain((1..=n).scan(0.0, |acc, i| {
            *acc += (i as f64).ln();
            Some(*acc)
        }))
        .collect();
    (k..=n)
        .map(|i| {
            (ln_fact[n] - ln_fact[i] - ln_fact[n - i]
                + i as f64 * p.ln()
                + (n - i) as f64 * (1.0 - p).ln())
            .exp()
        })
        .sum::<f64>()
        .min(1.0)
}

/// A box with the restrictions that add nothing dropped.
#[derive(Clone, Debug, PartialEq)]
pub struct Pruned {
    /// The box of the trajectory it comes from.
    pub from: usize,
    /// The pruned box.
    pub chosen: PrimBox,
    /// The quasi-p-value of each dimension in the chosen box (NaN where it is
    /// unrestricted).
    pub quasi_p: Vec<f64>,
    /// The dimensions dropped, in order, each with its quasi-p-value when it was.
    pub dropped: Vec<(usize, f64)>,
}

impl Pruned {
    /// The harmonic mean of coverage and density.
    pub fn score(&self) -> f64 {
        let (c, d) = (self.chosen.coverage, self.chosen.density);
        if c + d > 0.0 {
            2.0 * c * d / (c + d)
        } else {
            0.0
        }
    }
}

/// Box `from` of `t` with its restrictions dropped one at a time, the least
/// significant first, while its quasi-p-value exceeds `alpha`.
pub fn prune(x: &[Vec<f64>], y: &[bool], t: &Trajectory, from: usize, alpha: f64) -> Pruned {
    let prim = Prim::new(x, y, PrimOptions::default());
    let mut b = t.boxes[from].clone();
    let mut dropped = Vec::new();
    loop {
        let qp = prim.quasi_p(&b);
        let worst = (0..qp.len())
            .filter(|&j| qp[j].is_finite())
            .max_by(|&i, &j| qp[i].total_cmp(&qp[j]).then(j.cmp(&i)));
        match worst {
            Some(j) if qp[j] > alpha => {
                let mut l = b.limits.clone();
                l[j] = prim.init[j];
                dropped.push((j, qp[j]));
                b = prim.stats(l.clone(), &prim.members(&l));
            }
            _ => {
                return Pruned {
                    from,
                    chosen: b,
                    quasi_p: qp,
                    dropped,
                }
            }
        }
    }
}

/// The chosen box: of every box of `t`, pruned, the best by [`Pruned::score`].
pub fn choose(x: &[Vec<f64>], y: &[bool], t: &Trajectory, alpha: f64) -> Pruned {
    let mut best: Option<Pruned> = None;
    for from in 0..t.boxes.len() {
        let p = prune(x, y, t, from, alpha);
        if best.as_ref().is_none_or(|b| p.score() > b.score()) {
            best = Some(p);
        }
    }
    best.expect("a trajectory has a box")
}

/// A box in words: `balance ≥ 1.2 and wedge ≤ 2.3`, limits to `digits`
/// significant digits; "anywhere" when it restricts nothing.
pub fn describe(b: &PrimBox, init: &[(f64, f64)], names: &[String]) -> String {
    let num = |v: f64| {
        let s = format!("{v:.3}");
        let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        if s == "-0" {
            "0".into()
        } else {
            s
        }
    };
    let parts: Vec<String> = b
        .restricted
        .iter()
        .map(|&j| {
            let (lo, hi) = b.limits[j];
            let name = &names[j];
            match (lo != init[j].0, hi != init[j].1) {
                (true, true) => format!("{} ≤ {name} ≤ {}", num(lo), num(hi)),
                (true, false) => format!("{name} ≥ {}", num(lo)),
                _ => format!("{name} ≤ {}", num(hi)),
            }
        })
        .collect();
    if parts.is_empty() {
        "anywhere".into()
    } else {
        parts.join(" and ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::design::latin_hypercube;

    #[test]
    fn quantiles_follow_the_workbench() {
        // Values worked by hand from ema_workbench.analysis.prim_util.get_quantile.
        let d = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&d, 0.05), 1.5);
        assert_eq!(quantile(&d, 0.95), 4.5);
        // Ties move the limit past them.
        let t = [1.0, 1.0, 1.0, 2.0, 3.0];
        assert_eq!(quantile(&t, 0.05), 1.5);
        assert_eq!(quantile(&[7.0], 0.95), 7.0);
    }

    #[test]
    fn prim_recovers_a_planted_failure_box() {
        // Failures where x0 ≥ 0.6 and x1 ≤ 0.3, nowhere else; x2, x3 are noise.
        let x = latin_hypercube(1000, 4, 11);
        let y: Vec<bool> = x.iter().map(|p| p[0] >= 0.6 && p[1] <= 0.3).collect();
        let t = find_box(&x, &y, PrimOptions::default()).unwrap();
        let b = t.chosen();
        assert_eq!(b.restricted, vec![0, 1], "{b:?}");
        assert!((b.limits[0].0 - 0.6).abs() < 0.02, "{b:?}");
        assert!((b.limits[1].1 - 0.3).abs() < 0.02, "{b:?}");
        assert!(b.density > 0.97 && b.coverage > 0.9, "{b:?}");
        let names: Vec<String> = ["balance", "wedge", "a", "b"].map(String::from).to_vec();
        let words = describe(b, &t.init, &names);
        assert_eq!(words, "balance ≥ 0.608 and wedge ≤ 0.297");
        // The trajectory starts with every point and trades coverage for density.
        let first = &t.boxes[0];
        assert_eq!((first.mass, first.coverage), (1.0, 1.0));
        assert!((first.density - 0.12).abs() < 0.02);
        for w in t.boxes.windows(2) {
            assert!(w[1].density >= w[0].density, "{w:?}");
        }
    }

    #[test]
    fn noisy_failures_still_give_a_box_near_the_planted_one() {
        // 10% of the labels flipped at random.
        let x = latin_hypercube(1000, 3, 5);
        let flip = latin_hypercube(1000, 1, 6);
        let y: Vec<bool> = x
            .iter()
            .zip(&flip)
            .map(|(p, f)| (p[0] <= 0.4 && p[2] >= 0.5) != (f[0] < 0.1))
            .collect();
        let t = find_box(&x, &y, PrimOptions::default()).unwrap();
        let near = t.boxes.iter().any(|b| {
            // 80 of the ~260 cases of interest are flipped labels outside the box.
            b.coverage > 0.6
                && b.density > 0.85
                && (b.limits[0].1 - 0.4).abs() < 0.08
                && (b.limits[2].0 - 0.5).abs() < 0.08
        });
        assert!(
            near,
            "{:?}",
            t.boxes
                .iter()
                .map(|b| (b.coverage, b.density, b.limits[0].1, b.limits[2].0))
                .collect::<Vec<_>>()
        );
        assert!(t.chosen().mass >= 0.05);
    }

    #[test]
    fn binomial_tail_probabilities() {
        // scipy.stats.binomtest(3, 10, 0.1, alternative="greater").pvalue = 0.0701908264
        assert!((binomial_sf(3, 10, 0.1) - 0.0701908264).abs() < 1e-9);
        assert!((binomial_sf(10, 10, 0.5) - 0.5f64.powi(10)).abs() < 1e-15);
        assert_eq!(binomial_sf(0, 5, 0.3), 1.0);
        assert_eq!(binomial_sf(2, 5, 0.0), 0.0);
    }

    #[test]
    fn pruning_drops_restrictions_that_add_nothing() {
        // 200 points, failures where x0 ≥ 0.7, plus 6% flipped labels: the last
        // box peels on the noise dimensions too; pruning keeps x0 alone.
        let x = latin_hypercube(200, 5, 21);
        let flip = latin_hypercube(200, 1, 22);
        let y: Vec<bool> = x
            .iter()
            .zip(&flip)
            .map(|(p, f)| (p[0] >= 0.7) != (f[0] < 0.06))
            .collect();
        let t = find_box(&x, &y, PrimOptions::default()).unwrap();
        assert!(t.chosen().restricted.len() > 1, "{:?}", t.chosen());
        let last = t.boxes.len() - 1;
        let p = prune(&x, &y, &t, last, 0.05);
        assert_eq!(p.chosen.restricted, vec![0], "{p:?}");
        assert!((p.chosen.limits[0].0 - 0.7).abs() < 0.05, "{p:?}");
        assert!(p.quasi_p[0] < 1e-6 && p.quasi_p[1].is_nan());
        assert!(p.chosen.coverage > 0.8 && p.chosen.density > 0.8, "{p:?}");
        assert!(p.dropped.iter().all(|&(j, q)| j != 0 && q > 0.05));
        // The chosen box is no worse than the pruned last one, and keeps x0.
        let c = choose(&x, &y, &t, 0.05);
        assert!(
            c.score() >= p.score() && c.chosen.restricted.contains(&0),
            "{c:?}"
        );
    }

    #[test]
    fn no_cases_of_interest_leave_the_whole_box() {
        let x = latin_hypercube(50, 2, 1);
        let t = find_box(&x, &[false; 50], PrimOptions::default()).unwrap();
        assert_eq!(t.boxes.len(), 1);
        assert_eq!(
            describe(t.chosen(), &t.init, &["a".into(), "b".into()]),
            "anywhere"
        );
        assert!(find_box(&[], &[], PrimOptions::default()).is_none());
    }
}
