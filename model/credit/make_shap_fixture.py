#!/usr/bin/python3
"""Build test/fixtures/credit/shap-parity.json: rows and the real xgboost's predictions, margins and
`pred_contribs` (exact TreeSHAP) for the committed credit model, to hold the TypeScript TreeSHAP
(src/domain/credit/treeshap.ts) and evaluator to the library.

Rows: synthetic applications through the production features (local/generate-credit.ts --history),
with extra missing values punched in, a few fully missing rows, and rows whose values sit exactly on
split thresholds (the `<` vs `<=` and float32 edge cases). NaN is written as null.

Usage: /usr/bin/python3 model/credit/make_shap_fixture.py [--rows 600]
"""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MODEL = os.path.join(HERE, "credit-xgb.json")
OUT = os.path.join(ROOT, "test", "fixtures", "credit", "shap-parity.json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=600)
    args = ap.parse_args()
    rng = np.random.default_rng(4711)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "h.csv")
        subprocess.run(["npx", "tsx", "local/generate-credit.ts", "--count", str(args.rows), "--seed", "99",
                        "--history", path], cwd=ROOT, check=True)
        x = np.genfromtxt(path, delimiter=",", skip_header=1, missing_values="", filling_values=np.nan)[:, :-3]

    booster = xgb.Booster()
    booster.load_model(MODEL)
    model = json.load(open(MODEL))
    n_rows, n_cols = x.shape
    x[rng.random(x.shape) < 0.10] = np.nan
    x[rng.random(n_rows) < 0.02, :] = np.nan

    trees = model["learner"]["gradient_booster"]["model"]["trees"]
    edge = []
    for k in range(150):
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
    contribs = booster.predict(d, pred_contribs=True)

    def cell(v):
        return None if np.isnan(v) else float(v)

    fixture = {
        "model": "model/credit/credit-xgb.json",
        "xgboost_version": xgb.__version__,
        "feature_names": booster.feature_names,
        "rows": [[cell(v) for v in r] for r in x],
        "predictions": [float(p) for p in pred],
        "margins": [float(m) for m in margin],
        "contribs": [[float(c) for c in r] for r in contribs],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print(f"wrote {OUT}: {x.shape[0]} rows, {int(np.isnan(x).sum())} missing cells, {contribs.shape[1]} contribution columns")


if __name__ == "__main__":
    main()
