#!/usr/bin/python3
"""Build test/fixtures/credit/shap-parity.json: rows and the real xgboost's predictions, margins and
`pred_contribs` (exact TreeSHAP) for the committed credit model, to hold the TypeScript TreeSHAP
(src/domain/credit/treeshap.ts) and evaluator to the library.

Rows: synthetic applications through the production features (local/generate-credit.ts --history),
with extra missing values punched in, a few fully missing rows, and rows whose values sit exactly on
split thresholds (the `<` vs `<=` and float32 edge cases). NaN is written as null.

Usage: /usr/bin/python3 model/credit/make_shap_fixture.py [--rows 600] [--out PATH]
"""
import argparse
import os
import sys
import tempfile

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # model/common.py
import common  # noqa: E402

MODEL = os.path.join(HERE, "credit-xgb.json")
OUT = os.path.join(common.ROOT, "test", "fixtures", "credit", "shap-parity.json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=600)
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    rng = np.random.default_rng(4711)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "h.csv")
        common.run_tsx("local/generate-credit.ts", "--count", args.rows, "--seed", 99, "--history", path)
        x = common.load_matrix(path, ("label", "true_pd", "audit_group"))[1]

    booster, trees = common.load_committed(MODEL)
    common.punch_missing(x, rng, 0.10, 0.02)
    x = np.vstack([x, common.threshold_edge_rows(x, trees, rng, 150)])

    d, pred, margin = common.predictions(booster, x, booster.feature_names)
    contribs = booster.predict(d, pred_contribs=True)

    fixture = {
        "model": "model/credit/credit-xgb.json",
        "xgboost_version": xgb.__version__,
        "feature_names": booster.feature_names,
        "rows": common.json_rows(x),
        "predictions": pred,
        "margins": margin,
        "contribs": [[float(c) for c in r] for r in contribs],
    }
    common.write_compact_json(args.out, fixture)
    print(f"wrote {args.out}: {x.shape[0]} rows, {int(np.isnan(x).sum())} missing cells, {contribs.shape[1]} contribution columns")


if __name__ == "__main__":
    main()
