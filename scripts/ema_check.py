#!/usr/bin/env python3
"""Checks entente's PRIM against the EMA Workbench's on an exploration folder.

    python3 scripts/ema_check.py OUT        (OUT: a folder `entente explore` wrote)

For every claim that entente gives a box (prim_boxes.csv), runs
ema_workbench.analysis.prim.Prim on experiments.csv and on "the claim does not
hold" from outcomes.csv, with the workbench's defaults (lenient1 objective,
peel_alpha = paste_alpha = mass_min = 0.05), and compares its first box with
entente's: the whole peeling and pasting trajectory (coverage, density, mass and
restricted dimensions of every box, within 1e-9; prim_trajectory.csv), then the
chosen box — the workbench's box `from_box` selected, less the restrictions
entente dropped for their quasi-p-values, by the workbench's own
drop_restriction — its restricted weights, every limit within 1e-9 of the
weight's range, coverage, density and mass within 1e-9. The two implement the same algorithm on
the same numbers, so they must agree up to rounding. Exits 1 on any mismatch.
Tested with ema-workbench 2.5.3 (the newest for Python 3.11).
"""

import sys

import pandas as pd
from ema_workbench.analysis import prim
from ema_workbench.analysis import scenario_discovery_util as sdutil

TOLERANCE = 1e-9


def main(out):
    def read(name):
        # entente writes the shortest text that reads back to the same double;
        # pandas before 3 parses it exactly only when asked to.
        exact = {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}
        return pd.read_csv(f"{out}/{name}", **exact)

    experiments = read("experiments.csv").sort_values("experiment")
    outcomes = read("outcomes.csv")
    boxes = read("prim_boxes.csv").astype({"claim": str})
    trajectory = read("prim_trajectory.csv").astype({"claim": str})
    outcomes["claim"] = outcomes["claim"].astype(str)
    x = experiments.drop(columns="experiment").reset_index(drop=True).astype(float)
    failures = compared = 0
    claims = list(dict.fromkeys(boxes["claim"]))
    if not claims:
        print("ema_check: entente found no PRIM box to compare", file=sys.stderr)
        return 1
    for claim in claims:
        mine = boxes[boxes["claim"] == claim]
        path = trajectory[trajectory["claim"] == claim].sort_values("box")
        rows = outcomes[outcomes["claim"] == claim].sort_values("experiment")
        y = ~rows["holds"].astype(bool).to_numpy()
        # In 2.5 `threshold` both marks the cases of interest (y >= 0.5: the
        # failures) and is the density below which find_box returns the whole box.
        alg = prim.Prim(x, y.astype(float), threshold=0.5, peel_alpha=0.05, paste_alpha=0.05, mass_min=0.05)
        box = alg.find_box()
        if box.density < 0.5:
            print(f"claim {claim}: skipped: the workbench's box has density {box.density:.3f} < 0.5, "
                  "below which 2.5 returns the whole box")
            continue
        problems = []
        # 1. The whole peeling and pasting trajectory, box by box.
        theirs = box.peeling_trajectory
        if len(theirs) != len(path):
            problems.append(f"{len(theirs)} boxes on the trajectory vs entente's {len(path)}")
        else:
            for stat in ("coverage", "density", "mass", "res_dim"):
                column = "restricted" if stat == "res_dim" else stat
                gap = (theirs[stat].to_numpy(float) - path[column].to_numpy(float)).__abs__().max()
                if gap > TOLERANCE:
                    problems.append(f"trajectory {stat} differs by up to {gap!r}")
        # 2. The chosen box: the trajectory's box `from_box`, selected, less the
        # restrictions entente dropped, by the workbench's own drop_restriction.
        start = int(mine["from_box"].iloc[0])
        if start < len(theirs):
            box.select(start)
            listed = mine.dropna(subset=["key"])
            restricted = set(sdutil._determine_restricted_dims(box.box_lims[start], alg.box_init))
            if restricted != set(listed["key"]):
                problems.append(f"box {start} restricts {sorted(restricted)}, entente's {sorted(listed['key'])}")
            for k in listed.loc[~listed["kept"].astype(bool), "key"]:
                box.drop_restriction(k)
            lims = box.box_lims[box._cur_box]
            for _, r in listed[listed["kept"].astype(bool)].iterrows():
                k = r["key"]
                span = x[k].max() - x[k].min()
                for side, value in (("low", lims.loc[0, k]), ("high", lims.loc[1, k])):
                    if abs(value - r[side]) > TOLERANCE * span:
                        problems.append(f"{k} {side} {value!r} vs entente's {r[side]!r}")
            for stat in ("coverage", "density", "mass"):
                value, ours = float(getattr(box, stat)), float(mine[stat].iloc[0])
                if abs(value - ours) > TOLERANCE:
                    problems.append(f"chosen box {stat} {value!r} vs entente's {ours!r}")
        kept = ", ".join(mine.loc[mine["kept"].fillna(False).astype(bool), "key"]) or "nothing"
        status = "ok" if not problems else "MISMATCH"
        print(f"claim {claim}: {status}: {len(path)} boxes on the trajectory; box {start} keeping "
              f"{kept}: coverage {box.coverage:.3f}, density {box.density:.3f}")
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
