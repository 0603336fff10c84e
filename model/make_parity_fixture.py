#!/usr/bin/python3
"""Build test/fixtures/model/parity.json: rows and the real xgboost's predictions for the committed
model, to hold the TypeScript evaluator (src/domain/model/xgboost.ts) to the library.

Rows: synthetic accounts through the production features (local/generate.ts --history), with extra
missing values punched in, plus rows whose values sit exactly on split thresholds (the `<` vs `<=`
and float32 rounding edge cases). NaN is written as null.

Usage: /usr/bin/python3 model/make_parity_fixture.py [--rows 2500] [--out PATH]
"""
import argparse
import os
import tempfile

import numpy as np
import xgboost as xgb

import common

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "propensity-xgb.json")
OUT = os.path.join(common.ROOT, "test", "fixtures", "model", "parity.json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2500)
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    rng = np.random.default_rng(2026)

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "h.csv")
        common.run_tsx("local/generate.ts", "--accounts", args.rows, "--date", "2026-11-23",
                       "--seed", 4242, "--day", 3, "--history", path)
        x = common.load_matrix(path, ("label", "true_p"))[1]

    booster, trees = common.load_committed(MODEL)
    n_cols = x.shape[1]

    # 8% extra missing cells; 1% fully missing rows.
    common.punch_missing(x, rng, 0.08, 0.01)
    x = np.vstack([x, common.threshold_edge_rows(x, trees, rng, 300)])
    _, pred, margin = common.predictions(booster, x, booster.feature_names)

    fixture = {
        "model": "model/propensity-xgb.json",
        "xgboost_version": xgb.__version__,
        "n_cols": int(n_cols),
        "rows": common.json_rows(x),
        "predictions": pred,
        "margins": margin,
    }
    common.write_compact_json(args.out, fixture)
    print(f"wrote {args.out}: {x.shape[0]} rows, {int(np.isnan(x).sum())} missing cells")


if __name__ == "__main__":
    main()
