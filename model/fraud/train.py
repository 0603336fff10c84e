#!/usr/bin/python3
"""Train the CurePath card-fraud model (XGBoost, binary:logistic) on synthetic TabFormer-like data.

Features are NOT computed here: `model/fraud/export-features.ts` runs the generator and the
production fraudFeatures/updateProfile (src/domain/fraud/features.ts) card by card in time order,
exactly as the stream processor does, and writes the matrix. Python only fits and evaluates.

Split by time (no shuffling: the model must score the future): the first 65% of the period trains,
the next 15% validates (early stopping and the alert threshold), the last 20% is the holdout the
model card reports.

Usage: /usr/bin/python3 model/fraud/train.py [--users 4000] [--days 180] [--seed 11]
Writes model/fraud/fraud-xgb.json, features.json, metrics.json, MODEL_CARD.md and
test/fixtures/fraud/parity.json (xgboost's own predictions for the parity test).
"""
import argparse
import datetime
import json
import os
import sys
import tempfile

import numpy as np
import xgboost as xgb
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # model/common.py
import common  # noqa: E402

FIXTURE = os.path.join(common.ROOT, "test", "fixtures", "fraud", "parity.json")


def export(users, days, seed, out):
    common.run_tsx("model/fraud/export-features.ts", "--users", users, "--days", days, "--seed", seed, "--out", out)
    meta = json.load(open(os.path.join(out, "meta.json")))
    n, c = meta["rows"], meta["cols"]
    x = np.fromfile(os.path.join(out, "X.f64"), dtype="<f8").reshape(n, c)
    y = np.fromfile(os.path.join(out, "y.u8"), dtype=np.uint8).astype(np.float64)
    t = np.fromfile(os.path.join(out, "t.i32"), dtype="<i4")
    pattern = np.fromfile(os.path.join(out, "pattern.u8"), dtype=np.uint8)
    return meta, x, y, t, pattern


def at_threshold(y, p, thr):
    pred = p >= thr
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    return {"threshold": float(thr), "tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=4000)
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--trees", type=int, default=400)
    ap.add_argument("--eta", type=float, default=0.08)
    ap.add_argument("--depth", type=int, default=5)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        meta, x, y, t, pattern = export(args.users, args.days, args.seed, tmp)
    features = meta["features"]
    t0, t1 = t.min(), t.max()
    cut_valid = t0 + 0.65 * (t1 - t0)
    cut_hold = t0 + 0.80 * (t1 - t0)
    tr, va, ho = t < cut_valid, (t >= cut_valid) & (t < cut_hold), t >= cut_hold

    dtr = xgb.DMatrix(x[tr], label=y[tr], missing=np.nan, feature_names=features)
    dva = xgb.DMatrix(x[va], label=y[va], missing=np.nan, feature_names=features)
    dho = xgb.DMatrix(x[ho], label=y[ho], missing=np.nan, feature_names=features)
    # Rare positives: PR-AUC, lighter leaves and a capped step (lambda stays xgboost's default 1).
    params = common.binary_params(args.depth, args.eta, seed=7, eval_metric=["aucpr", "logloss"],
                                  colsample_bytree=0.8, min_child_weight=1, max_delta_step=1)
    booster = xgb.train(params, dtr, num_boost_round=args.trees, evals=[(dva, "valid")],
                        early_stopping_rounds=60, verbose_eval=50)
    # Keep exactly the trees up to the best validation round: the saved model is what TS evaluates.
    booster = booster[: booster.best_iteration + 1]

    p_va = booster.predict(dva)
    prec, rec, thr = precision_recall_curve(y[va], p_va)
    f1 = 2 * prec[:-1] * rec[:-1] / np.maximum(prec[:-1] + rec[:-1], 1e-12)
    best = int(np.argmax(f1))
    # Alert threshold: the F1-best point of the VALIDATION PR curve, rounded down to 3 decimals
    # (rounding down can only add alerts); the holdout is never used to choose it.
    threshold = float(np.floor(thr[best] * 1000) / 1000)

    p_ho = booster.predict(dho)
    hold = at_threshold(y[ho], p_ho, threshold)
    names = meta["patterns"]
    recall_by_pattern = {}
    for code in range(1, len(names)):
        m = ho & (pattern == code)
        sel = pattern[ho] == code
        if sel.sum():
            recall_by_pattern[names[code]] = {"frauds": int(sel.sum()), "recall": float(np.mean(p_ho[sel] >= threshold))}
    pr_points = [at_threshold(y[ho], p_ho, q) for q in (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9)]
    gain = booster.get_score(importance_type="total_gain")
    total_gain = sum(gain.values()) or 1.0

    today = datetime.date.today().isoformat()
    metrics = {
        "version": f"fraud-xgb-{today}",
        "trained_at": today,
        "xgboost_version": xgb.__version__,
        "data": {k: meta[k] for k in ("users", "cards", "transactions", "frauds", "fraudRate", "seed", "start", "days")},
        "split": {"train_rows": int(tr.sum()), "valid_rows": int(va.sum()), "holdout_rows": int(ho.sum()),
                  "train_frauds": int(y[tr].sum()), "valid_frauds": int(y[va].sum()), "holdout_frauds": int(y[ho].sum())},
        "threshold": threshold,
        "valid_at_threshold": at_threshold(y[va], p_va, threshold),
        "holdout_at_threshold": hold,
        "holdout_pr_auc": float(average_precision_score(y[ho], p_ho)),
        "holdout_roc_auc": float(roc_auc_score(y[ho], p_ho)),
        "holdout_recall_by_pattern": recall_by_pattern,
        "holdout_pr_points": pr_points,
        "trees": booster.num_boosted_rounds(),
        "max_depth": args.depth,
        "eta": args.eta,
        "feature_gain_share": {k: round(v / total_gain, 4) for k, v in sorted(gain.items(), key=lambda kv: -kv[1])},
        "features": features,
    }
    common.save_model(HERE, "fraud-xgb.json", booster, features, metrics)
    write_parity_fixture(booster, x[ho], y[ho], features)
    write_model_card(metrics)
    print(json.dumps({k: v for k, v in metrics.items() if k not in ("features", "feature_gain_share", "holdout_pr_points")}, indent=2))


def write_parity_fixture(booster, x_ho, y_ho, features, n=2000):
    """Holdout rows (every fraud plus a sample), extra missing values, and split-threshold edge rows."""
    rng = np.random.default_rng(2026)
    idx = np.concatenate([np.flatnonzero(y_ho == 1), rng.choice(np.flatnonzero(y_ho == 0), n, replace=False)])
    x = x_ho[idx].copy()
    common.punch_missing(x, rng, 0.08, 0.01)
    trees = common.model_trees(json.loads(booster.save_raw("json").decode()))
    x = np.vstack([x, common.threshold_edge_rows(x, trees, rng, 300)])
    _, pred, margin = common.predictions(booster, x, features)
    out = {
        "n_cols": int(x.shape[1]),
        "rows": common.json_rows(x),
        "predictions": pred,
        "margins": margin,
    }
    common.write_compact_json(FIXTURE, out, newline=True)


def write_model_card(m):
    feature_rows = "\n".join(f"| {i} | `{name}` | {m['feature_gain_share'].get(name, 0):.3f} |" for i, name in enumerate(m["features"]))
    h = m["holdout_at_threshold"]
    s = m["split"]
    d = m["data"]
    pattern_rows = "\n".join(f"| {k} | {v['frauds']} | {v['recall']:.3f} |" for k, v in m["holdout_recall_by_pattern"].items())
    pr_rows = "\n".join(f"| {p['threshold']} | {p['precision']:.3f} | {p['recall']:.3f} | {p['tp'] + p['fp']} |" for p in m["holdout_pr_points"])
    card = f"""# Model card: CurePath card-transaction fraud (XGBoost)

_Generated by `model/fraud/train.py` on {m['trained_at']} with xgboost {m['xgboost_version']}. Do not edit by hand:
re-run `npm run train:fraud`. Version `{m['version']}` (`FRAUD_MODEL_VERSION`)._

## Intended use
Score each card transaction of the customer data stream for fraud, in real time, so that a
transaction at or above the alert threshold sends the customer a fraud alert. It is an alerting
signal, not a decision: it does not decline transactions, close accounts or affect credit.

## Data
Synthetic only: the TabFormer-shaped generator (`src/synthetic/tabformer/`, docs/cdp-data.md),
{d['users']:,} users, {d['cards']:,} cards, {d['transactions']:,} transactions over {d['days']} days from {d['start']}
(seed {d['seed']}), {d['frauds']:,} frauds = {100 * d['fraudRate']:.3f}% (TabFormer: about 0.12%).
Split by time, never shuffled: train = first 65% of the period ({s['train_rows']:,} rows, {s['train_frauds']} frauds),
validation = next 15% ({s['valid_rows']:,} rows, {s['valid_frauds']} frauds; early stopping and the threshold),
holdout = last 20% ({s['holdout_rows']:,} rows, {s['holdout_frauds']} frauds; the figures below).

## Holdout performance
| metric | value |
| --- | --- |
| PR-AUC (average precision) | {m['holdout_pr_auc']:.3f} |
| ROC-AUC | {m['holdout_roc_auc']:.4f} |
| alert threshold (`FRAUD_ALERT_THRESHOLD`) | {m['threshold']} |
| precision at threshold | {h['precision']:.3f} ({h['tp']} of {h['tp'] + h['fp']} alerts) |
| recall at threshold | {h['recall']:.3f} ({h['tp']} of {h['tp'] + h['fn']} frauds) |

The threshold is the F1-best point of the **validation** PR curve (rounded down to 3 decimals);
the holdout played no part in choosing it. Other operating points on the holdout:

| threshold | precision | recall | alerts |
| --- | --- | --- | --- |
{pr_rows}

Recall by fraud pattern on the holdout:

| pattern | frauds | recall |
| --- | --- | --- |
{pattern_rows}

## Features (model column order; `model/fraud/features.json` = `FRAUD_FEATURE_NAMES`)
Computed by `fraudFeatures` in `src/domain/fraud/features.ts` from the transaction and the card's
rolling profile before it — the same code the stream processor runs. Missing values are NaN and
follow each split's default branch. Share = share of the model's total gain.

| column | feature | gain share |
| --- | --- | --- |
{feature_rows}

## Excluded attributes
**Gender is never a feature**, nor age, birth year/month, retirement age, name, address, apartment,
e-mail, phone, card number, CVV or expiry: the input type `FraudInput` does not even carry them.
The home location enters only as the distance from a merchant (city-centroid precision).

## Limitations
Trained and evaluated on synthetic data whose fraud patterns were written by us
(docs/cdp-data.md); the figures say the features can separate those patterns, not how the model
would do on a real portfolio. Re-train and re-validate on real, consented data before any real use.
Parity: `test/unit/fraud/parity.test.ts` holds the TypeScript evaluator to xgboost's own
predictions (max |Δ| ≤ 1e-6, missing values and split-threshold edge cases included).

## Training
`binary:logistic`, hist, max_depth {m['max_depth']}, eta {m['eta']}, {m['trees']} trees (early stopping on validation
PR-AUC), subsample 0.8, colsample 0.8, max_delta_step 1, seed 7. Model file {m['model_bytes']:,} bytes.
"""
    common.write_text(os.path.join(HERE, "MODEL_CARD.md"), card)


if __name__ == "__main__":
    main()
