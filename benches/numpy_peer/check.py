#!/usr/bin/env python3
"""Are the peer's outputs in the same ballpark as entente's? (standard library only)

    python3 benches/numpy_peer/check.py ENTENTE_SWEEP_DIR PEER_OUT_DIR

Reads both summary.csv files (config, metric, n, mean, sd, ...) and prints, for
the metrics both have, each mean side by side with z = difference / its standard
error. The two use different random streams, so single runs differ; with the
same model the means agree within a few standard errors. Headline rows: the
final USA–RUS and CHN–RUS alignments and the policy's offer counts; then, per
family of metrics (final_alignment, hardliners, ...), the largest |z| and how
many exceed 3. Prints, never fails: a verdict is the reader's.
"""

import csv
import math
import os
import sys

HEADLINE = ("final_alignment:RUS-USA", "final_alignment:CHN-RUS", "offers:USA>RUS",
            "reciprocation_rate:USA>RUS", "mean_p:USA>RUS", "deals_made", "deals_alive",
            "aggressions", "abandonments", "counter_offers", "approaches_ended",
            "balance_index", "camps_eigen")


def read(folder):
    with open(os.path.join(folder, "summary.csv"), newline="") as f:
        return {r["metric"]: (int(r["n"]), float(r["mean"] or "nan"), float(r["sd"] or "nan"))
                for r in csv.DictReader(f) if r["config"] == "base"}


def z(a, b):
    (n1, m1, s1), (n2, m2, s2) = a, b
    if abs(m2 - m1) < 1e-9:  # deterministic values, up to rounding
        return 0.0
    se = math.sqrt((s1 * s1 / n1 if n1 else 0) + (s2 * s2 / n2 if n2 else 0))
    if se == 0:
        return 0.0 if m1 == m2 else math.inf
    return (m2 - m1) / se


def main(ent, peer):
    e, p = read(ent), read(peer)
    common = [m for m in e if m in p and not math.isnan(e[m][1]) and not math.isnan(p[m][1])]
    print(f"{'metric':34s} {'entente':>10s} {'peer':>10s} {'z':>7s}")
    for m in HEADLINE:
        if m in common:
            print(f"{m:34s} {e[m][1]:10.4f} {p[m][1]:10.4f} {z(e[m], p[m]):7.2f}")
    families = {}
    for m in common:
        families.setdefault(m.split(":")[0], []).append(m)
    print(f"{'family':34s} {'metrics':>7s} {'max |z|':>8s} {'|z|>3':>6s} worst")
    for fam, ms in sorted(families.items()):
        zs = [(abs(z(e[m], p[m])), m) for m in ms]
        worst = max(zs)
        over = sum(1 for x, _ in zs if x > 3)
        print(f"{fam:34s} {len(ms):7d} {worst[0]:8.2f} {over:6d} {worst[1]}")
    only = sorted(set(e) - set(p))
    if only:
        print(f"entente only: {' '.join(only)}")
    trajectories(ent, peer, e[common[0]][0], p[common[0]][0])


def trajectories(ent, peer, n1, n2):
    """The per-step aggregates of the tracked pairs, cell by cell."""
    def load(folder):
        with open(os.path.join(folder, "trajectories.csv"), newline="") as f:
            return {(r["step"], r["a"], r["b"]): tuple(float(r[k] or "nan") for k in
                                                         ("mean", "sd", "p05", "p95"))
                    for r in csv.DictReader(f) if r["config"] == "base"}
    e, p = load(ent), load(peer)
    cells = [k for k in e if k in p]
    zs, gaps = [], []
    for k in cells:
        (m1, s1, lo1, hi1), (m2, s2, lo2, hi2) = e[k], p[k]
        zs.append(abs(z((n1, m1, s1), (n2, m2, s2))))
        gaps.append(max(abs(lo1 - lo2), abs(hi1 - hi2)))
    if not cells:
        print("trajectories: no common cells")
        return
    over = sum(1 for x in zs if x > 3)
    print(f"trajectories: {len(cells)} cells (step, pair); mean: max |z| {max(zs):.2f}, "
          f"{over} with |z| > 3 ({100 * over / len(cells):.2f}%; 0.27% expected by chance); "
          f"p05/p95: largest gap {max(gaps):.4f}, median {sorted(gaps)[len(gaps) // 2]:.4f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1], sys.argv[2])
