#!/usr/bin/python3
"""Build test/fixtures/model/parity.json: rows and the real xgboost's predictions for the committed
model, to hold the TypeScript evaluator (src/domain/model/xgboost.ts) to the library.

Rows: synthetic accounts through the production features (local/generate.ts --history), with extra
missing values punched in, plus rows whose values sit exactly on split thresholds (the `<` vs `<=`
and float32 rounding edge cases). NaN is written as null.

Usage: /usr/bin/python3 model/make_parity_fixture.py [--rows 2500]
"""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "test", "fixtures", "model", "parity.json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2500)
    args = ap.parse_args()
    rng = np.random.default_rng(2026)

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "h.csv")
        subprocess.run(["npx", "tsx", "local/generate.ts", "--accounts", str(args.rows), "--date", "2026-11-23",
                        "--seed", "4242", "--day", "3", "--history", path], cwd=ROOT, check=True)
        x = np.genfromtxt(path, delimiter=",", skip_header=1, missing_values="", filling_values=np.nan)[:, :-2]

    booster = xgb.Booster()
    booster.load_model(os.path.join(HERE, "propensity-xgb.json"))
    model = json.load(open(os.path.join(HERE, "propensity-xgb.json")))
    n_rows, n_cols = x.shape

    # 8% extra missing cells; 1% fully missing rows.
    x[rng.random(x.shape) < 0.08] = np.nan
    x[rng.random(n_rows) < 0.01, :] = np.nan

    # Threshold rows: pick split nodes and set that feature exactly to the threshold (and its float32 neighbours).
    trees = model["learner"]["gradient_booster"]["model"]["trees"]
    edge = []
    for k in range(300):
        t = trees[int(rng.integers(len(trees)))]
        inner = [i for i, l in enumerate(t["left_children"]) if l != -1]
        node = inner[int(rng.integers(len(inner)))]
        row = x[int(rng.integers(n_rows))].copy()
        thr = np.float32(t["split_conditions"][node])
        variant = k % 3
        val = thr if variant == 0 else np.nextafter(thr, np.float32(-np.inf)) if variant == 1 else np.nextafter(thr, np.float32(np.inf))
        row[t["split_indices"][node]] = float(val)
        edge.append(row)
    x = np.vstack([x, np.array(edge)])

    d = xgb.DMatrix(x, missing=np.nan, feature_names=booster.feature_names)
    pred = booster.predict(d)
    margin = booster.predict(d, output_margin=True)

    def cell(v):
        return None if np.isnan(v) else float(v)

    fixture = {
        "model": "model/propensity-xgb.json",
        "xgboost_version": xgb.__version__,
        "n_cols": int(n_cols),
        "rows": [[cell(v) for v in r] for r in x],
        "predictions": [float(p) for p in pred],
        "margins": [float(m) for m in margin],
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print(f"wrote {OUT}: {x.shape[0]} rows, {int(np.isnan(x).sum())} missing cells")


if __name__ == "__main__":
    main()
