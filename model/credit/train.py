#!/usr/bin/python3
"""Train the CurePath credit-default model (XGBoost, binary:logistic = probability of default).

Features are NOT computed here: `npx tsx local/generate-credit.ts --history` runs the production
creditFeatureVector (src/domain/credit/application.ts) over synthetic applications and writes the
matrix, so training and the POST /credit-scores API share one definition. Python only fits and evaluates.

Usage: /usr/bin/python3 model/credit/train.py [--train 80000] [--holdout 20000] [--trees 300]
Writes model/credit/credit-xgb.json, features.json, metrics.json, MODEL_CARD.md.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import xgboost as xgb
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TRAINED_AT = "2026-11-23"
TRAIN_SEED = 20261123
HOLDOUT_SEED = 881002
# Decision bands the model card reports on: the defaults of CREDIT_APPROVE_BELOW / CREDIT_DECLINE_AT.
APPROVE_BELOW = 0.10
DECLINE_AT = 0.25
TRAILING = ["label", "true_pd", "audit_group"]


def generate(path, count, seed):
    subprocess.run(["npx", "tsx", "local/generate-credit.ts", "--count", str(count), "--seed", str(seed),
                    "--history", path], cwd=ROOT, check=True)


def load(path):
    """Header = feature names + label + true_pd + audit_group; an empty field is a missing value (NaN)."""
    with open(path) as f:
        header = f.readline().strip().split(",")
    assert header[-3:] == TRAILING, header
    data = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=np.float64, missing_values="", filling_values=np.nan)
    return header[:-3], data[:, :-3], data[:, -3], data[:, -2], data[:, -1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", type=int, default=80000)
    ap.add_argument("--holdout", type=int, default=20000)
    ap.add_argument("--trees", type=int, default=200)
    ap.add_argument("--eta", type=float, default=0.06)
    ap.add_argument("--depth", type=int, default=4)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tr, ho = os.path.join(tmp, "train.csv"), os.path.join(tmp, "holdout.csv")
        generate(tr, args.train, TRAIN_SEED)
        generate(ho, args.holdout, HOLDOUT_SEED)
        features, x_tr, y_tr, _, _ = load(tr)
        features_h, x_h, y_h, p_h, g_h = load(ho)
    assert features == features_h

    dtrain = xgb.DMatrix(x_tr, label=y_tr, missing=np.nan, feature_names=features)
    dhold = xgb.DMatrix(x_h, label=y_h, missing=np.nan, feature_names=features)
    params = {
        "objective": "binary:logistic",
        "eval_metric": ["auc", "logloss"],
        "tree_method": "hist",
        "max_depth": args.depth,
        "eta": args.eta,
        "subsample": 0.8,
        "colsample_bytree": 0.9,
        "min_child_weight": 5,
        "lambda": 1.0,
        "seed": 11,
        "nthread": 2,
    }
    booster = xgb.train(params, dtrain, num_boost_round=args.trees, evals=[(dhold, "holdout")], verbose_eval=100)
    pred = booster.predict(dhold)

    # Disparate-impact audit on the fictitious audit group (never a feature): approval rates and
    # the adverse impact ratio (the "four-fifths rule" compares it with 0.8).
    approved = pred < APPROVE_BELOW
    rate_a = float(approved[g_h == 0].mean())
    rate_b = float(approved[g_h == 1].mean())
    metrics = {
        "trained_at": TRAINED_AT,
        "xgboost_version": xgb.__version__,
        "train_rows": int(x_tr.shape[0]),
        "holdout_rows": int(x_h.shape[0]),
        "train_default_rate": float(y_tr.mean()),
        "holdout_auc": float(roc_auc_score(y_h, pred)),
        "oracle_auc": float(roc_auc_score(y_h, p_h)),
        "holdout_logloss": float(log_loss(y_h, pred)),
        "oracle_logloss": float(log_loss(y_h, p_h)),
        "holdout_brier": float(brier_score_loss(y_h, pred)),
        "bands": {
            "approve_below": APPROVE_BELOW,
            "decline_at": DECLINE_AT,
            "approve_share": float(approved.mean()),
            "decline_share": float((pred >= DECLINE_AT).mean()),
            "default_rate_approved": float(y_h[approved].mean()),
            "default_rate_declined": float(y_h[pred >= DECLINE_AT].mean()),
        },
        "audit": {
            "group_b_share": float(g_h.mean()),
            "approval_rate_a": rate_a,
            "approval_rate_b": rate_b,
            "approval_rate_gap": rate_a - rate_b,
            "adverse_impact_ratio": min(rate_a, rate_b) / max(rate_a, rate_b),
            "true_pd_mean_a": float(p_h[g_h == 0].mean()),
            "true_pd_mean_b": float(p_h[g_h == 1].mean()),
        },
        "trees": args.trees,
        "max_depth": args.depth,
        "eta": args.eta,
        "features": features,
    }
    model_path = os.path.join(HERE, "credit-xgb.json")
    booster.save_model(model_path)
    metrics["model_bytes"] = os.path.getsize(model_path)
    with open(os.path.join(HERE, "features.json"), "w") as f:
        json.dump(features, f, indent=2)
        f.write("\n")
    with open(os.path.join(HERE, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    write_model_card(metrics)
    print(json.dumps({k: v for k, v in metrics.items() if k != "features"}, indent=2))


def write_model_card(m):
    rows = "\n".join(f"| {i} | `{name}` |" for i, name in enumerate(m["features"]))
    b, a = m["bands"], m["audit"]
    card = f"""# Model card: CurePath credit default (XGBoost)

_Generated by `model/credit/train.py` on {m['trained_at']} with xgboost {m['xgboost_version']}. Do not edit by hand: re-run `npm run train:credit`._

## Intended use
Estimate the **probability of default** (90+ days past due or charge-off within 12 months) of a
consumer-loan application at origination, for `POST /credit-scores`: a decision band
(approve below {b['approve_below']}, decline at or above {b['decline_at']}, refer in between; configurable)
and the principal reasons for an adverse-action notice (ECOA / Regulation B), computed with
TreeSHAP. A human underwriter reviews every referral. Not for collections prioritisation (that is
the propensity model), pricing, marketing pre-screens or any use outside consumer loan origination.

## Data
Synthetic only (`src/synthetic/credit-applications.ts`, ground truth in `docs/credit-scoring.md`):
{m['train_rows']:,} training applications and an independent holdout of {m['holdout_rows']:,}.
Labels are drawn from the generator's hidden true probability of default. Training default rate:
{m['train_default_rate']:.3f}.

## Features (model column order; `model/credit/features.json` = `CREDIT_FEATURE_NAMES`)
Computed by `creditFeatureVector` in `src/domain/credit/application.ts` — the code the API runs.
Missing values are NaN and follow each split's default branch.

| column | feature |
| --- | --- |
{rows}

## Excluded attributes (fair lending)
Race, colour, religion, national origin, sex/gender, marital status, age/date of birth, receipt of
public assistance, and proxies such as name, address, ZIP code, language or citizenship are **never**
inputs; the API rejects a request that carries any of them (400, naming the field).

## Training
`binary:logistic`, {m['trees']} trees, max depth {m['max_depth']}, eta {m['eta']}, subsample 0.8,
colsample_bytree 0.9, min_child_weight 5, `hist`, seed 11. `model/credit/credit-xgb.json`
({m['model_bytes']:,} bytes, xgboost `save_model` JSON).

## Performance (holdout, {m['holdout_rows']:,} applications)
| | model | ground-truth oracle |
| --- | --- | --- |
| AUC | {m['holdout_auc']:.4f} | {m['oracle_auc']:.4f} |
| log loss | {m['holdout_logloss']:.4f} | {m['oracle_logloss']:.4f} |

Brier score {m['holdout_brier']:.4f}. Bands on the holdout: {b['approve_share']:.1%} approved (default rate
{b['default_rate_approved']:.1%}), {b['decline_share']:.1%} declined (default rate {b['default_rate_declined']:.1%}),
the rest referred.

## Fairness note
Protected attributes are excluded, but permitted inputs (income above all) can still correlate with
protected classes. The holdout carries a fictitious audit group (share {a['group_b_share']:.1%}) that the
generator correlates with income only — never a feature and never in the ground truth — to show the
test a lender must run on real data with real (separately held) demographic data:
approval rate {a['approval_rate_a']:.1%} (group A) vs {a['approval_rate_b']:.1%} (group B), gap
{a['approval_rate_gap']:.3f}, adverse impact ratio **{a['adverse_impact_ratio']:.3f}** (four-fifths rule: ≥ 0.8).
The true mean probabilities of default are {a['true_pd_mean_a']:.3f} (A) and {a['true_pd_mean_b']:.3f} (B): the gap
follows a real risk difference carried by income, which a lender must justify as a business
necessity and for which it must look for less discriminatory alternatives.

## Explanations
`src/domain/credit/treeshap.ts` implements exact path-dependent TreeSHAP in TypeScript; the test
`test/unit/credit/treeshap.test.ts` holds it to xgboost's own `pred_contribs` within 1e-5 per feature
(fixture `test/fixtures/credit/shap-parity.json` from `model/credit/make_shap_fixture.py`).

## Limitations
- Synthetic data: the effects are the documented ground truth's, not a real lender's. Retrain,
  recalibrate and re-validate (including disparate-impact testing) on real outcomes before use.
- Reason codes explain the model's log-odds; they are the model's principal reasons, not advice.
"""
    with open(os.path.join(HERE, "MODEL_CARD.md"), "w") as f:
        f.write(card)


if __name__ == "__main__":
    sys.exit(main())
