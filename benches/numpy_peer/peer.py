#!/usr/bin/env python3
"""A vectorized NumPy peer of an `entente sweep`: the same model, step and aggregates.

    python3 benches/numpy_peer/peer.py SCENARIO --reps N [--steps S] [--seed X]
                                       [--batch B] [--out DIR]

Reads a bundled scenario folder (states.csv, alignments.csv, issues.csv,
policies.csv, params.csv; scenarios/README.md) and runs N replications x `steps`
steps of the model of docs/model.md, B replications at once: every state
variable carries a leading replication axis, and every rule of a step is a
handful of array operations over (replications, states), (replications, pairs)
or (replications, states, states). It exists to time entente against an honest
peer (compare.sh): it does the work of a step that entente does, in the way
NumPy does it best, not a bit-identical copy (its random numbers are NumPy's
SFC64 generator, the fastest NumPy has here, not entente's ChaCha8 and
Xoshiro256++ streams, so single runs differ; distributions agree: check.py).
`--batch 1` advances one run at a time, vectorized over pairs and states only:
the shape of a peer that ports the engine's step and loops over replications.

Implemented, as docs/model.md §2 describes them, in the engine's order, all
reading the state at the start of the step and applied together at its end:

- §2.5 policies in file order: the schedule (start, every, end), hardline
  actions (kick −hardline_impact, remembered in the hardline memory H), offers
  on the named issue or the most salient open issue of the class, U with every
  term (base, concession × core_multiplier, L, W, E, F over power shares of
  engaged states, trend T, mistrust [−a]⁺ + H, target's hardliners), the
  reciprocation draw p = σ(U), deals resolving the issue, rebuffs raising the
  offerer's hardliners by `backlash`, every offer counted in the concessions C;
  the backlash check (h > backlash_limit, survival commitment^s);
- §2.8 reactions of every partner of the target that is the actor's rival: one
  draw each, abandonment (kick −abandonment_cost) or a counter-offer with its own
  U and reciprocation draw (deal_gain or −rebuff_cost);
- §2.9 revisionist actions: each state with a rival acts with probability
  1 − (1 − σ(aggression_base + aggression_revisionism·r + emboldening·C))^s,
  the rival drawn with weight [−a]⁺;
- §2.6 breaches of resolved issues (breach + breach_hostility·[−a]⁺ per month)
  and the interests b = clamp(b⁰ + Σ gains of resolved issues);
- §2.1–2.4 the continuous update of every pair: the power-weighted (or uniform)
  balance term B over engaged states with hedging G = balance(1−g_i)(1−g_j),
  relaxation toward interest, noise·√dt·N(0,1), the clamp at ±(1 − 1e−9), and
  the step's events added in the latent tie a = tanh(x): c ⊕ d with d the
  tanh of the sum of the events' atanh (= entente's ⊕ composition);
- hardliners' relaxation toward their baseline, the moving averages H and C
  (memory_decay, memory_sources), power growth, shares, balance weights and T
  over trend_window steps;
- the per-step aggregates a sweep keeps: for every key pair (the pairs named in
  alignments, issues and policies), the mean, sd, 5th and 95th percentiles of
  its alignment over the replications at every step 0..steps, streamed as
  entente streams them (sums, minimum, maximum and a 200-bin histogram per
  cell, percentiles interpolated within a bin), so memory does not grow with N;
- the per-run metrics a sweep summarizes: offers, reciprocations, rate, mean p,
  deals made / alive (total and per pair), counter-offers, hardline actions,
  aggressions (total and per state), abandonments, approaches ended, balance
  index, camps by the leading eigenvector and by positive components, final
  alignment and interest of every key pair, final hardliners, power shares and
  leader camp per state; their mean, sd and 95% CI over the replications.

Simplifications (none changes the work of a step much):

- only the complete topology (every pair evolves; entente's `auto` for the
  bundled scenarios, which have at most 20 states); `listed` is refused;
- the balance numerators are the full A·diag(w)·A from one batched matrix
  product (entente sums only the upper triangle, in a fixed order);
- the event stream draws a uniform for every replication at every decision
  point (and per state for revisionist actions, per third state for
  reactions);
- the aggregates' sums are float64 (entente's are exact integers of 1e-12
  units, so that any order of runs gives the same bits); the CI uses a series
  approximation of the t quantile;
- where entente skips work that cannot change anything (it recomputes a
  state's aggression probability only when C moved, decays the hardline memory
  only once it holds something, draws only for the runs that need a draw), the
  peer does it anyway: a vectorized step does the same operations in every
  replication;
- power is the same in every replication (growth is deterministic), so it is
  one vector for all, with shares and weights per replication (engagement can
  differ per run);
- outputs: summary.csv, trajectories.csv and runs.csv in entente's column
  layout, no manifest, checkpoint or histograms; the sweep's `--configs`,
  `--grid`, `--set`, `--track` are not offered, nor checkpoints or resuming;
- no checks of the input beyond what parsing needs: run it on scenarios that
  `entente validate` accepts.

Prints the runs per second and ms per run of the simulation (after loading) and
of the whole call, and the final mean alignments of USA–RUS and CHN–RUS when the
scenario has them. Runs on one thread: BLAS threads are pinned to 1 before NumPy
is imported.
"""

import argparse
import csv
import math
import os
import sys
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

T0 = time.perf_counter()

LIMIT = 1.0 - 1e-9
PERIOD = 0.1

# docs/model.md §5, the defaults of `entente params`.
DEFAULTS = {
    "steps": 400, "dt": 0.1, "seed": 1, "topology": "auto",
    "balance": 0.5, "relaxation": 0.3, "noise": 0.02, "balance_weighting": "power",
    "base": 1.0, "concession": 2.0, "core_multiplier": 2.0, "loyalty": 8.0,
    "wedge": 6.0, "common_enemy": 2.0, "common_friend": 2.0, "trend": 300.0,
    "trend_window": 12, "mistrust": 1.0, "hardliners": 1.0, "deal_gain": 0.1,
    "rebuff_cost": 0.02, "backlash": 0.03, "backlash_limit": 0.7, "commitment": 0.0,
    "hardliner_relaxation": 0.005, "interest_gain_core": 0.3,
    "interest_gain_peripheral": 0.1, "breach": 0.002, "breach_hostility": 0.0,
    "aggression_base": -4.0, "aggression_revisionism": 2.0, "emboldening": 0.0,
    "hardline_impact": 0.03, "memory_decay": 0.9, "memory_sources": "both",
    "abandonment": 0.2, "abandonment_cost": 0.03, "counter_offer": 0.3,
    "counter_offer_size": 0.3,
}


def read_csv(path):
    """Rows of a scenario CSV as dicts ('#' lines are comments); [] if absent."""
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        lines = [line for line in f if not line.lstrip().startswith("#") and line.strip()]
    return list(csv.DictReader(lines))


class Scenario:
    """A scenario folder in the canonical order: states by id, pairs (i < j) by index."""

    def __init__(self, folder, steps=None, seed=None):
        p = dict(DEFAULTS)
        for row in read_csv(os.path.join(folder, "params.csv")):
            key, value = row["key"].strip(), row["value"].strip()
            if key not in p:
                sys.exit(f"peer: unknown parameter {key}")
            p[key] = value if isinstance(p[key], str) else type(p[key])(float(value))
        if steps is not None:
            p["steps"] = steps
        if seed is not None:
            p["seed"] = seed
        self.p = p
        states = sorted(read_csv(os.path.join(folder, "states.csv")), key=lambda r: r["id"])
        self.ids = [r["id"] for r in states]
        n = self.n = len(states)
        index = {s: k for k, s in enumerate(self.ids)}
        num = lambda rows, key, default=0.0: np.array(  # noqa: E731
            [float(r.get(key) or default) for r in rows])
        self.power0 = num(states, "power")
        self.growth = num(states, "growth")
        self.revisionism = num(states, "revisionism")
        self.hardliners0 = num(states, "hardliners")
        self.hedging = num(states, "hedging")
        if p["topology"] == "listed" or (p["topology"] == "auto" and n > 250):
            sys.exit("peer: only the complete topology is implemented")
        self.iu = np.triu_indices(n, 1)
        pairs = self.pairs = len(self.iu[0])
        pi = np.full((n, n), -1, dtype=np.int64)
        pi[self.iu] = np.arange(pairs)
        pi[self.iu[1], self.iu[0]] = np.arange(pairs)
        self.pair_index = pi

        def pair(a, b):
            return int(pi[index[a], index[b]])

        self.a0 = np.zeros(pairs)
        self.b0 = np.zeros(pairs)
        key = []
        for r in read_csv(os.path.join(folder, "alignments.csv")):
            k = pair(r["a"], r["b"])
            self.a0[k] = float(r["alignment"])
            self.b0[k] = float(r["interest"]) if (r.get("interest") or "").strip() else self.a0[k]
            key.append(k)
        issues = sorted(read_csv(os.path.join(folder, "issues.csv")), key=lambda r: r["id"])
        self.issue_ids = [r["id"] for r in issues]
        self.issue_pair = np.array([pair(r["a"], r["b"]) for r in issues], dtype=np.int64)
        self.issue_a = np.array([min(index[r["a"]], index[r["b"]]) for r in issues], dtype=np.int64)
        self.issue_b = np.array([max(index[r["a"]], index[r["b"]]) for r in issues], dtype=np.int64)
        self.issue_core = np.array([r["core"].strip().lower() == "true" for r in issues])
        self.issue_salience = num(issues, "salience")
        self.issue_gain = self.issue_salience * np.where(
            self.issue_core, p["interest_gain_core"], p["interest_gain_peripheral"])
        key.extend(self.issue_pair.tolist())
        participant = np.zeros(n, dtype=bool)
        participant[self.issue_a] = True
        participant[self.issue_b] = True
        self.policies = []
        for r in read_csv(os.path.join(folder, "policies.csv")):
            i, j = index[r["actor"]], index[r["target"]]
            participant[[i, j]] = True
            key.append(int(pi[i, j]))
            choice = r["issue"].strip()
            lo, hi = min(i, j), max(i, j)
            of_pair = [k for k in range(len(issues))
                       if (self.issue_a[k], self.issue_b[k]) == (lo, hi)]
            if choice in ("core", "peripheral", "any"):
                fits = [k for k in of_pair if choice == "any"
                        or self.issue_core[k] == (choice == "core")]
                # the most salient first, ties to the first id (stable sort)
                candidates = sorted(fits, key=lambda k: -self.issue_salience[k])
            else:
                candidates = [self.issue_ids.index(choice)]
            self.policies.append({
                "start": int(r["start"]), "end": int(r["end"]) if r["end"].strip() else None,
                "every": int(r["every"]), "actor": i, "target": j,
                "hardline": r["stance"].strip() == "hardline",
                "offer": float(r["offer"] or 0.0), "pair": int(pi[i, j]),
                "candidates": np.array(candidates, dtype=np.int64),
                "named": choice not in ("core", "peripheral", "any"),
            })
        self.participant = participant
        self.key_pairs = np.array(sorted(set(key)), dtype=np.int64)
        self.issue_pairs = np.array(sorted(set(self.issue_pair.tolist())), dtype=np.int64)
        # gain of each issue on each issue pair: interest = b⁰ + (resolved) @ gains
        self.issue_gain_matrix = np.zeros((len(issues), len(self.issue_pairs)))
        for k, q in enumerate(self.issue_pair):
            self.issue_gain_matrix[k, np.searchsorted(self.issue_pairs, q)] = self.issue_gain[k]
        self.balance_gain = p["balance"] * (1 - self.hedging[self.iu[0]]) * (1 - self.hedging[self.iu[1]])

    def pair_name(self, k):
        return self.ids[self.iu[0][k]], self.ids[self.iu[1][k]]


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def pos(x):
    return np.maximum(x, 0.0)


def step_probability(q, s):
    return q if s == 1.0 else -np.expm1(s * np.log1p(-q))


BINS = 200


class Trajectories:
    """Per step and key pair, the alignment's mean, sd, p05 and p95 over the runs,
    streamed as entente's sweep aggregates them (experiment/aggregate.rs): sums,
    minimum, maximum and a 200-bin histogram over [-1, 1] per cell, percentiles
    interpolated within a bin and kept within the cell's minimum and maximum."""

    def __init__(self, steps, pairs, shift):
        self.n = 0
        # sums of x − shift (the initial alignments): no cancellation in the sd
        self.shift = shift
        self.sum = np.zeros((steps, pairs))
        self.sum_sq = np.zeros((steps, pairs))
        self.min = np.full((steps, pairs), np.inf)
        self.max = np.full((steps, pairs), -np.inf)
        self.hist = np.zeros((steps, pairs, BINS), dtype=np.int32)
        self.offsets = np.arange(pairs) * BINS

    def add(self, step, x):
        """The alignments x (runs, pairs) of a batch of runs at `step`."""
        x = np.clip(x, -1.0, 1.0)
        y = x - self.shift
        self.sum[step] += y.sum(axis=0)
        self.sum_sq[step] += (y * y).sum(axis=0)
        np.minimum(self.min[step], x.min(axis=0), out=self.min[step])
        np.maximum(self.max[step], x.max(axis=0), out=self.max[step])
        bins = np.minimum(((x + 1.0) * (0.5 * BINS)).astype(np.int64), BINS - 1)
        counts = np.bincount((bins + self.offsets).ravel(), minlength=self.hist[step].size)
        self.hist[step] += counts.reshape(self.hist[step].shape)

    def stats(self):
        """mean, sd (n − 1), p05, p95: four (steps, pairs) arrays."""
        n = self.n
        mean = self.sum / n
        sd = np.sqrt(np.maximum(self.sum_sq - n * mean * mean, 0.0) / (n - 1)) if n > 1 else mean * np.nan
        mean = mean + self.shift
        cum = np.cumsum(self.hist, axis=2)

        def quantile(q):
            target = q * n
            b = np.argmax(cum >= target, axis=2)[..., None]
            count = np.take_along_axis(self.hist, b, axis=2)[..., 0]
            below = np.take_along_axis(cum, b, axis=2)[..., 0] - count
            within = np.clip((target - below) / np.maximum(count, 1), 0.0, 1.0)
            return np.clip(-1.0 + (2.0 / BINS) * (b[..., 0] + within), self.min, self.max)

        return mean, sd, quantile(0.05), quantile(0.95)


class Sweep:
    """R replications of one scenario, advanced together (one batch of a sweep)."""

    def __init__(self, sc, reps, rng, aggregate):
        p = self.p = sc.p
        self.sc, self.R = sc, reps
        n, R = sc.n, reps
        self.s = p["dt"] / PERIOD
        s = self.s
        f = (lambda x: x) if s == 1.0 else (lambda x: x ** s)
        self.commit = f(p["commitment"])
        self.mem_keep = f(p["memory_decay"])
        self.h_keep = f(1.0 - p["hardliner_relaxation"])
        self.growth_factor = f(1.0 + sc.growth)
        self.rng = rng
        # the alignments in pair order, with a zero column last: the matrix A is one
        # gather of it (the diagonal reads the zero)
        self.buffer = np.zeros((R, sc.pairs + 1))
        self.vals = self.buffer[:, :sc.pairs]
        self.vals[:] = sc.a0
        cells = sc.pair_index.copy()
        cells[cells < 0] = sc.pairs
        self.cells = cells.ravel()
        self.upper = (sc.iu[0] * n + sc.iu[1])
        self.scatter()
        self.noise = np.empty((R, sc.pairs))
        self.interest = np.tile(sc.b0, (R, 1))
        self.power = sc.power0.copy()
        self.history = [self.power.copy()]
        self.h = np.tile(sc.hardliners0, (R, 1))
        self.H = np.zeros((R, n, n))
        self.C = np.zeros((R, n))
        K = len(sc.issue_ids)
        self.open = np.ones((R, K), dtype=bool)
        self.ever_resolved = np.zeros((R, K), dtype=bool)
        self.active = np.ones((R, len(sc.policies)), dtype=bool)
        self.remember_policies = p["memory_sources"] in ("both", "policies")
        self.remember_revisionist = p["memory_sources"] in ("both", "revisionist")
        self.atanh = {k: math.atanh(p[k]) for k in
                      ("deal_gain", "rebuff_cost", "hardline_impact", "abandonment_cost")}
        zeros = lambda *shape: np.zeros((R,) + shape)  # noqa: E731
        self.offers = {(q["actor"], q["target"]): {k: zeros() for k in (
            "offers", "reciprocations", "sum_p")} for q in sc.policies if not q["hardline"]}
        self.count = {k: zeros() for k in (
            "deals_made", "counter_offers",
            "counter_offers_reciprocated", "hardline_actions", "abandonments",
            "approaches_ended")}
        self.aggressions = zeros(n)
        self.deals_by_issue = zeros(K)
        self.step_no = 0
        self.measure()
        self.aggregate = aggregate
        self.observe()

    def scatter(self):
        n = self.sc.n
        self.A = self.buffer[:, self.cells].reshape(self.R, n, n)

    def measure(self):
        """Engaged states, power shares, balance weights and trends T (per replication)."""
        sc = self.sc
        engaged = sc.participant | (self.A != 0.0).any(axis=2)
        power = np.where(engaged, self.power, 0.0)
        total = power.sum(axis=1, keepdims=True)
        past = np.where(engaged, self.history[0], 0.0)
        past_share = past / past.sum(axis=1, keepdims=True)
        self.share = np.where(total > 0, power / np.where(total > 0, total, 1.0), 0.0)
        window = len(self.history) - 1
        if window == 0:
            self.trend = np.zeros_like(self.share)
        else:
            ok = engaged & (past_share > 0) & (total > 0)
            safe = np.where(ok, past_share, 1.0)
            self.trend = np.where(ok, -(self.share - safe) / safe / (window * self.s), 0.0)
        self.weights = power if self.p["balance_weighting"] == "power" else engaged * 1.0

    def observe(self):
        self.aggregate.add(self.step_no, self.vals[:, self.sc.key_pairs])

    def utility(self, i, j, size, core, rows=slice(None)):
        """U of an offer from i to j (scalars) in replications `rows`."""
        p, A = self.p, self.A[rows]
        ci, cj, share = A[:, i, :], A[:, j, :], self.share[rows]
        # The diagonal is zero, so the terms of m = i and m = j vanish by themselves.
        pj, nj, pi_, ni = pos(cj), pos(-cj), pos(ci), pos(-ci)
        L = (share * pj * ni).sum(axis=1)
        W = (share * nj * pi_).sum(axis=1)
        E = (share * nj * ni).sum(axis=1)
        F = (share * pj * pi_).sum(axis=1)
        conc = size * np.where(core, p["core_multiplier"], 1.0)
        mistrust = pos(-A[:, i, j]) + self.H[rows, i, j]
        return (p["base"] + p["concession"] * conc - p["loyalty"] * L + p["wedge"] * W
                + p["common_enemy"] * E + p["common_friend"] * F
                + p["trend"] * self.trend[rows, j] - p["mistrust"] * mistrust
                - p["hardliners"] * self.h[rows, j])

    def kick(self, pairs, amount):
        """Adds events of latent size `amount` (R,) or (R, m) to pairs (scalar or (m,))."""
        self.X[:, pairs] += amount

    def offer(self, i, j, size, issue, offering):
        """Offers from i to j on `issue` (R,) in the replications `offering` (R,)."""
        p, sc, c = self.p, self.sc, self.count
        core = sc.issue_core[issue]
        prob = sigmoid(self.utility(i, j, size, core))
        self.offers_received[:, j] += offering
        rec = offering & (self.rng.random(self.R) < prob)
        reb = offering & ~rec
        k = int(sc.pair_index[i, j])
        self.kick(k, rec * self.atanh["deal_gain"] - reb * self.atanh["rebuff_cost"])
        self.rise[:, i] += p["backlash"] * reb
        o = self.offers[(i, j)]
        o["offers"] += offering
        o["reciprocations"] += rec
        o["sum_p"] += np.where(offering, prob, 0.0)
        rows = np.nonzero(rec)[0]
        new = rows[~self.resolved_now[rows, issue[rows]]]
        self.resolved_now[new, issue[new]] = True
        c["deals_made"][new] += 1
        self.deals_by_issue[new, issue[new]] += 1
        if rows.size:
            self.react(i, j, rec)

    def react(self, i, j, rec):
        """§2.8: the partners of j that are i's rivals answer j's reciprocation."""
        p, sc, c, A = self.p, self.sc, self.count, self.A
        partners = rec[:, None] & (pos(A[:, j, :]) * pos(-A[:, i, :]) > 0)
        partners[:, [i, j]] = False
        u = self.rng.random(partners.shape)
        ab, co = p["abandonment"], p["counter_offer"]
        abandon = partners & (u < ab)
        counter = partners & (u >= ab) & (u < ab + co)
        others = np.delete(np.arange(sc.n), j)
        pairs = sc.pair_index[j, others]
        self.kick(pairs, abandon[:, others] * -self.atanh["abandonment_cost"])
        c["abandonments"] += abandon.sum(axis=1)
        rows = np.nonzero(counter.any(axis=1))[0]
        if rows.size == 0:
            return
        # U of the counter-offers of every m to j in those replications, at once
        Ar, share = A[rows], self.share[rows]
        cj = Ar[:, j, :]
        spj, snj = share * pos(cj), share * pos(-cj)
        pa, na = pos(Ar), pos(-Ar)
        L = np.einsum("rk,rmk->rm", spj, na)
        W = np.einsum("rk,rmk->rm", snj, pa)
        E = np.einsum("rk,rmk->rm", snj, na)
        F = np.einsum("rk,rmk->rm", spj, pa)
        mistrust = pos(-Ar[:, :, j]) + self.H[rows][:, :, j]
        U = (p["base"] + p["concession"] * p["counter_offer_size"] - p["loyalty"] * L
             + p["wedge"] * W + p["common_enemy"] * E + p["common_friend"] * F
             + p["trend"] * self.trend[rows, j][:, None] - p["mistrust"] * mistrust
             - p["hardliners"] * self.h[rows, j][:, None])
        prob = np.zeros(partners.shape)
        prob[rows] = sigmoid(U)
        accept = counter & (self.rng.random(partners.shape) < prob)
        reject = counter & ~accept
        amount = accept * self.atanh["deal_gain"] - reject * self.atanh["rebuff_cost"]
        self.kick(pairs, amount[:, others])
        c["counter_offers"] += counter.sum(axis=1)
        c["counter_offers_reciprocated"] += accept.sum(axis=1)

    def step(self):
        p, sc, R, n = self.p, self.sc, self.R, self.sc.n
        now = self.step_no + 1
        rng = self.rng
        self.X = np.zeros((R, sc.pairs))
        self.rise = np.zeros((R, n))
        self.offers_received = np.zeros((R, n))
        self.resolved_now = np.zeros_like(self.open)
        actions = []  # (replications, actors, targets) of the hardline actions remembered

        # §2.5 policies, in file order
        for q, pol in enumerate(sc.policies):
            end = pol["end"]
            if now < pol["start"] or (end is not None and now > end):
                continue
            i, j, active = pol["actor"], pol["target"], self.active[:, q]
            if (now - pol["start"]) % pol["every"] == 0:
                if pol["hardline"]:
                    self.kick(pol["pair"], active * -self.atanh["hardline_impact"])
                    if self.remember_policies:
                        rows = np.nonzero(active)[0]
                        actions.append((rows, np.full(rows.size, i), np.full(rows.size, j)))
                    self.count["hardline_actions"] += active
                else:
                    cand = pol["candidates"]
                    if cand.size:
                        open_c = self.open[:, cand]
                        issue = cand[open_c.argmax(axis=1)]
                        self.offer(i, j, pol["offer"], issue, active & open_c.any(axis=1))
            if not pol["hardline"]:
                under = active & (self.h[:, i] > p["backlash_limit"])
                ended = under & (rng.random(R) >= self.commit)
                self.active[:, q] &= ~ended
                self.count["approaches_ended"] += ended

        # §2.9 revisionist actions
        A = self.A
        has_rival = (A < 0).any(axis=2)
        monthly = sigmoid(p["aggression_base"] + p["aggression_revisionism"] * sc.revisionism
                          + p["emboldening"] * self.C)
        prob = step_probability(monthly, self.s)
        u = rng.random((R, n))
        act = has_rival & (u < prob)
        r_idx, j_idx = np.nonzero(act)
        if r_idx.size:
            cum = np.cumsum(pos(-A[r_idx, j_idx]), axis=1)
            target = rng.random(r_idx.size) * cum[:, -1]
            rival = np.minimum((cum <= target[:, None]).sum(axis=1), n - 1)
            np.add.at(self.X, (r_idx, sc.pair_index[j_idx, rival]), -self.atanh["hardline_impact"])
            if self.remember_revisionist:
                actions.append((r_idx, j_idx, rival))
            self.aggressions += act

        # §2.6 breaches of resolved issues
        breached = None
        if p["breach"] > 0 or p["breach_hostility"] > 0:
            a_issue = A[:, sc.issue_a, sc.issue_b]
            q = np.minimum(1.0, p["breach"] + p["breach_hostility"] * pos(-a_issue))
            breached = ~self.open & (rng.random(self.open.shape) < step_probability(q, self.s))

        # §2.1–2.4 the continuous update of every pair, plus the events
        vals = self.vals
        iu0, iu1 = sc.iu
        # c = a + dt·[G·(1 − a²)·B + relaxation·(b − a)] + noise·√dt·N, in place
        c = vals * vals
        np.subtract(1.0, c, out=c)
        c *= sc.balance_gain
        if p["balance"] != 0.0:
            w = self.weights
            S = np.matmul(A * w[:, None, :], A).reshape(R, -1).take(self.upper, axis=1)
            third = w.sum(axis=1, keepdims=True) - w[:, iu0] - w[:, iu1]
            np.divide(S, third, out=S, where=third > 0)
            S[third <= 0] = 0.0
            c *= S
        else:
            c *= 0.0
        relax = self.interest - vals
        relax *= p["relaxation"]
        c += relax
        c *= p["dt"]
        c += vals
        if p["noise"] > 0:
            rng.standard_normal(out=self.noise)
            self.noise *= p["noise"] * math.sqrt(p["dt"])
            c += self.noise
        np.clip(c, -LIMIT, LIMIT, out=c)
        d = np.tanh(self.X)
        kicked = c + d
        d *= c
        d += 1.0
        kicked /= d
        np.clip(kicked, -LIMIT, LIMIT, out=self.vals)
        self.scatter()

        # the rest of the step's changes
        self.open &= ~self.resolved_now
        self.ever_resolved |= self.resolved_now
        if breached is not None:
            self.open |= breached
        if len(sc.issue_ids):
            resolved = (~self.open).astype(float)
            self.interest[:, sc.issue_pairs] = np.clip(
                sc.b0[sc.issue_pairs] + resolved @ sc.issue_gain_matrix, -1.0, 1.0)
        self.h = np.clip(self.h + (1 - self.h_keep) * (sc.hardliners0 - self.h) + self.rise, 0.0, 1.0)
        weight = 1.0 - p["memory_decay"]
        self.H *= self.mem_keep
        if actions:
            np.add.at(self.H, tuple(np.concatenate(x) for x in zip(*actions)), weight)
        self.C = self.mem_keep * self.C + weight * self.offers_received

        # §2.9 power
        if len(self.history) > p["trend_window"]:
            self.history.pop(0)
        self.power = self.power * self.growth_factor
        self.history.append(self.power.copy())
        self.step_no = now
        self.measure()
        self.observe()

    def run(self):
        for _ in range(self.p["steps"]):
            self.step()

    def metrics(self):
        """Per-run metrics at the end, as columns (name, values over replications)."""
        sc, c, A = self.sc, self.count, self.A
        out = []
        for (i, j), o in self.offers.items():
            name = f"{sc.ids[i]}>{sc.ids[j]}"
            offers, some = o["offers"], np.maximum(o["offers"], 1)
            out += [(f"offers:{name}", offers), (f"reciprocations:{name}", o["reciprocations"]),
                    (f"reciprocation_rate:{name}",
                     np.where(offers > 0, o["reciprocations"] / some, np.nan)),
                    (f"mean_p:{name}", np.where(offers > 0, o["sum_p"] / some, np.nan))]
        alive = self.ever_resolved & self.open.__invert__()
        out += [("deals_made", c["deals_made"]), ("deals_alive", alive.sum(axis=1) * 1.0)]
        for k in sc.issue_pairs:
            of = sc.issue_pair == k
            a, b = sc.pair_name(k)
            out += [(f"deals_made:{a}-{b}", self.deals_by_issue[:, of].sum(axis=1)),
                    (f"deals_alive:{a}-{b}", alive[:, of].sum(axis=1) * 1.0)]
        out += [(k, c[k]) for k in ("counter_offers", "counter_offers_reciprocated",
                                    "hardline_actions")]
        out += [("aggressions", self.aggressions.sum(axis=1)),
                ("abandonments", c["abandonments"]), ("approaches_ended", c["approaches_ended"])]
        absA = np.abs(A)
        signed = (np.matmul(A, A) * A).sum(axis=(1, 2))
        total = (np.matmul(absA, absA) * absA).sum(axis=(1, 2))
        bi = np.where(total <= np.finfo(float).tiny, 1.0,
                      np.clip(0.5 * (1 + signed / np.maximum(total, 1e-300)), 0, 1))
        out.append(("balance_index", bi))
        _, vectors = np.linalg.eigh(A)
        lead = vectors[:, :, -1]
        nonzero = np.abs(lead) > 1e-9
        strongest = np.argmax(np.where(nonzero, self.power, -np.inf), axis=1)
        sign = np.sign(lead[np.arange(self.R), strongest])
        other = nonzero & (np.sign(lead) != sign[:, None])
        out.append(("camps_eigen", np.where(other.any(axis=1), 2.0, 1.0)))
        reach = (A > 0) | np.eye(sc.n, dtype=bool)
        for _ in range(max(1, math.ceil(math.log2(max(sc.n, 2))))):
            reach = np.matmul(reach.astype(float), reach.astype(float)) > 0
        out.append(("camps_positive", (1.0 / reach.sum(axis=2)).sum(axis=1).round()))
        for k in sc.key_pairs:
            a, b = sc.pair_name(k)
            out += [(f"final_alignment:{a}-{b}", self.vals[:, k]),
                    (f"final_interest:{a}-{b}", self.interest[:, k])]
        for x, name in enumerate(sc.ids):
            out += [(f"hardliners:{name}", self.h[:, x]),
                    (f"power_share:{name}", self.share[:, x]),
                    (f"aggressions:{name}", self.aggressions[:, x]),
                    (f"leader_camp:{name}", (~other[:, x]) * 1.0)]
        return out


def t_quantile(df):
    """The 97.5% quantile of Student's t with df degrees of freedom (Cornish–Fisher)."""
    z = 1.959963984540054
    return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)


def summarize(columns):
    rows = []
    for name, x in columns:
        x = x[~np.isnan(x)]
        n = x.size
        mean = x.mean() if n else np.nan
        sd = x.std(ddof=1) if n > 1 else 0.0
        half = t_quantile(n - 1) * sd / math.sqrt(n) if n > 1 else 0.0
        rows.append((name, n, float(mean), float(sd), float(mean - half), float(mean + half)))
    return rows


def number(x):
    """A float as entente writes it: integers without a decimal point, NaN empty."""
    if x != x:
        return ""
    return str(int(x)) if x.is_integer() else repr(x)


def write_outputs(out, sc, traj, columns, summary):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "summary.csv"), "w") as f:
        f.write("config,metric,n,mean,sd,ci_low,ci_high\n")
        f.writelines(f"base,{m},{n},{mean!r},{sd!r},{lo!r},{hi!r}\n"
                     for m, n, mean, sd, lo, hi in summary)
    with open(os.path.join(out, "trajectories.csv"), "w") as f:
        f.write("config,step,a,b,mean,sd,p05,p95\n")
        names = [sc.pair_name(k) for k in sc.key_pairs]
        mean, sd, p05, p95 = (x.tolist() for x in traj)
        for t, cells in enumerate(zip(mean, sd, p05, p95)):
            f.writelines(f"base,{t},{a},{b},{m!r},{s!r},{lo!r},{hi!r}\n"
                         for (a, b), m, s, lo, hi in zip(names, *cells))
    with open(os.path.join(out, "runs.csv"), "w") as f:
        f.write("run,config,rep,seed," + ",".join(name for name, _ in columns) + "\n")
        table = np.column_stack([x for _, x in columns])
        seed = sc.p["seed"]
        for r, row in enumerate(table):
            f.write(f"{r},base,{r},{seed}," + ",".join(map(number, row.tolist())) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--reps", type=int, required=True)
    ap.add_argument("--steps", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--batch", type=int,
                    help="replications advanced together (default: 100,000 / states², about "
                         "the fastest here: 250 for world-2024, 11,111 for the triangle; "
                         "1: one run at a time, vectorized over pairs only)")
    ap.add_argument("--out", help="write summary.csv, trajectories.csv and runs.csv here")
    args = ap.parse_args()
    sc = Scenario(args.scenario, args.steps, args.seed)
    start = time.perf_counter()
    rng = np.random.Generator(np.random.SFC64(int(sc.p["seed"])))
    aggregate = Trajectories(sc.p["steps"] + 1, len(sc.key_pairs), sc.a0[sc.key_pairs])
    batches = []
    done = 0
    batch = args.batch or max(1, 100_000 // (sc.n * sc.n))
    while done < args.reps:
        size = min(batch, args.reps - done)
        sweep = Sweep(sc, size, rng, aggregate)
        sweep.run()
        batches.append(sweep.metrics())
        done += size
    aggregate.n = args.reps
    columns = [(name, np.concatenate([b[k][1] for b in batches]))
               for k, (name, _) in enumerate(batches[0])]
    traj = aggregate.stats()
    summary = summarize(columns)
    simulated = time.perf_counter() - start
    if args.out:
        write_outputs(args.out, sc, traj, columns, summary)
    whole = time.perf_counter() - T0
    R = args.reps
    print(f"peer: {R} runs x {sc.p['steps']} steps of {os.path.basename(os.path.normpath(args.scenario))}"
          f" ({sc.n} states, {sc.pairs} pairs, {len(sc.key_pairs)} tracked) in batches of {batch},"
          f" numpy {np.__version__}, 1 thread")
    print(f"peer: simulation and aggregates {simulated:.3f} s: {R / simulated:.1f} runs/s, "
          f"{1000 * simulated / R:.3f} ms per run")
    print(f"peer: whole call after import {whole:.3f} s: {R / whole:.1f} runs/s, "
          f"{1000 * whole / R:.3f} ms per run")
    by_name = {m: (mean, sd) for m, _, mean, sd, _, _ in summary}
    for pair in ("RUS-USA", "CHN-RUS"):
        if f"final_alignment:{pair}" in by_name:
            mean, sd = by_name[f"final_alignment:{pair}"]
            print(f"peer: final_alignment:{pair} mean {mean:+.4f} sd {sd:.4f}")


if __name__ == "__main__":
    main()
