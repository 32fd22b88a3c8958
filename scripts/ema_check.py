#!/usr/bin/env python3
"""Checks entente's PRIM against the EMA Workbench's on an exploration folder.

    python3 scripts/ema_check.py OUT        (OUT: a folder `entente explore` wrote)

For every claim that entente gives a box (prim_boxes.csv), runs
ema_workbench.analysis.prim.Prim on experiments.csv and on "the claim does not
hold" from outcomes.csv, with the workbench's defaults (lenient1 objective,
peel_alpha = paste_alpha = mass_min = 0.05), and compares its first box with
the workbench's box entente reports (the last of its trajectory): the same
restricted weights, every limit within 1e-9 of the weight's range. Then drops,
with the workbench's drop_restriction, the restrictions entente dropped by their
quasi-p-values, and compares coverage, density and mass of the result with
entente's chosen box, within 1e-9. The two implement the same algorithm on
the same numbers, so they must agree up to rounding. Exits 1 on any mismatch.
Tested with ema-workbench 2.5.3 (the newest for Python 3.11).
"""

import sys

import pandas as pd
from ema_workbench.analysis import prim
from ema_workbench.analysis import scenario_discovery_util as sdutil

TOLERANCE = 1e-9


def main(out):
    # round_trip: entente writes the shortest text that reads back to the same double.
    def read(name):
        return pd.read_csv(f"{out}/{name}", float_precision="round_trip")

    experiments = read("experiments.csv").sort_values("experiment")
    outcomes = read("outcomes.csv")
    boxes = read("prim_boxes.csv").astype({"claim": str})
    outcomes["claim"] = outcomes["claim"].astype(str)
    x = experiments.drop(columns="experiment").reset_index(drop=True).astype(float)
    failures = compared = 0
    claims = list(dict.fromkeys(boxes["claim"]))
    if not claims:
        print("ema_check: entente found no PRIM box to compare", file=sys.stderr)
        return 1
    for claim in claims:
        mine = boxes[boxes["claim"] == claim]
        rows = outcomes[outcomes["claim"] == claim].sort_values("experiment")
        y = ~rows["holds"].astype(bool).to_numpy()
        # In 2.5 `threshold` both marks the cases of interest (y >= 0.5: the
        # failures) and is the density below which find_box returns the whole box.
        alg = prim.Prim(x, y.astype(float), threshold=0.5, peel_alpha=0.05, paste_alpha=0.05, mass_min=0.05)
        box = alg.find_box()
        last = box.box_lims[box._cur_box]
        if box.density < 0.5:
            print(f"claim {claim}: skipped: the workbench's box has density {box.density:.3f} < 0.5, "
                  "below which it returns the whole box")
            continue
        problems = []
        # 1. The workbench's box: the same restricted weights and limits.
        restricted = set(sdutil._determine_restricted_dims(last, alg.box_init))
        listed = mine.dropna(subset=["key"])
        if restricted != set(listed["key"]):
            problems.append(f"restricted weights {sorted(restricted)} vs entente's {sorted(listed['key'])}")
        for _, r in listed.iterrows():
            k = r["key"]
            if k not in last:
                continue
            span = x[k].max() - x[k].min()
            for side, theirs in (("low", last.loc[0, k]), ("high", last.loc[1, k])):
                if abs(theirs - r[side]) > TOLERANCE * span:
                    problems.append(f"{k} {side} {theirs!r} vs entente's {r[side]!r}")
        # 2. The chosen box: the workbench's with entente's dropped restrictions
        # dropped by its own drop_restriction.
        for k in listed.loc[~listed["kept"].astype(bool), "key"]:
            box.drop_restriction(k)
        for stat in ("coverage", "density", "mass"):
            theirs, ours = float(getattr(box, stat)), float(mine[stat].iloc[0])
            if abs(theirs - ours) > TOLERANCE:
                problems.append(f"chosen box {stat} {theirs!r} vs entente's {ours!r}")
        kept = ", ".join(listed.loc[listed["kept"].astype(bool), "key"]) or "nothing"
        status = "ok" if not problems else "MISMATCH"
        print(f"claim {claim}: {status}: the workbench's box restricts {len(restricted)} weights; "
              f"keeping {kept}: coverage {box.coverage:.3f}, density {box.density:.3f}")
        for p in problems:
            print(f"    {p}")
        failures += bool(problems)
        compared += 1
    if not compared:
        print("ema_check: no box could be compared", file=sys.stderr)
        return 1
    if failures:
        print(f"ema_check: {failures} of {len(claims)} boxes differ from the EMA Workbench's", file=sys.stderr)
        return 1
    print(f"ema_check: all {compared} boxes compared agree with the EMA Workbench's")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
