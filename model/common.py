"""Helpers shared by the model scripts (model/train.py, model/credit/train.py, model/fraud/train.py,
model/make_parity_fixture.py, model/credit/make_shap_fixture.py).

The scripts are run directly (`/usr/bin/python3 model/credit/train.py`), so the ones in a
sub-folder put this folder on sys.path before `import common`.
"""
import json
import os
import subprocess

import numpy as np
import xgboost as xgb
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

MODEL_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(MODEL_DIR)


def run_tsx(script, *args):
    """Run a TypeScript generator from the repo root: features are computed by production TS code only."""
    subprocess.run(["npx", "tsx", script, *(str(a) for a in args)], cwd=ROOT, check=True)


def load_matrix(path, trailing):
    """CSV from a `--history` generator: header = feature names + the `trailing` columns; an empty field
    is a missing value (NaN). Returns (features, X, *trailing columns)."""
    with open(path) as f:
        header = f.readline().strip().split(",")
    k = len(trailing)
    assert header[-k:] == list(trailing), header
    data = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=np.float64,
                         missing_values="", filling_values=np.nan)
    return (header[:-k], data[:, :-k], *(data[:, i] for i in range(-k, 0)))


def binary_params(depth, eta, seed, **overrides):
    """binary:logistic with `hist`; the defaults are the ones the propensity and credit model cards state."""
    params = {
        "objective": "binary:logistic",
        "eval_metric": ["auc", "logloss"],
        "tree_method": "hist",
        "max_depth": depth,
        "eta": eta,
        "subsample": 0.8,
        "colsample_bytree": 0.9,
        "min_child_weight": 5,
        "lambda": 1.0,
        "seed": seed,
        "nthread": 2,
    }
    params.update(overrides)
    return params


def probability_metrics(y, pred, true_p):
    """Holdout ranking and calibration of `pred`, next to the oracle that knows the true probability."""
    return {
        "holdout_auc": float(roc_auc_score(y, pred)),
        "oracle_auc": float(roc_auc_score(y, true_p)),
        "holdout_logloss": float(log_loss(y, pred)),
        "oracle_logloss": float(log_loss(y, true_p)),
        "holdout_brier": float(brier_score_loss(y, pred)),
    }


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def save_model(folder, model_file, booster, features, metrics):
    """Write the model JSON, features.json and metrics.json (with the model's size in model_bytes) to `folder`."""
    model_path = os.path.join(folder, model_file)
    booster.save_model(model_path)
    metrics["model_bytes"] = os.path.getsize(model_path)
    write_json(os.path.join(folder, "features.json"), features)
    write_json(os.path.join(folder, "metrics.json"), metrics)


def write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


# --- parity fixtures: rows that hold the TypeScript evaluators to the real library ---

def model_trees(model):
    """The trees of a model in xgboost's save_model JSON (a dict)."""
    return model["learner"]["gradient_booster"]["model"]["trees"]


def load_committed(path):
    """(Booster, trees) of a committed save_model JSON file."""
    booster = xgb.Booster()
    booster.load_model(path)
    with open(path) as f:
        return booster, model_trees(json.load(f))


def punch_missing(x, rng, cell_rate, row_rate):
    """In place: about `cell_rate` of the cells and `row_rate` of the rows become missing (NaN)."""
    x[rng.random(x.shape) < cell_rate] = np.nan
    x[rng.random(x.shape[0]) < row_rate, :] = np.nan


def threshold_edge_rows(x, trees, rng, count):
    """Copies of random rows of `x` whose feature at a random split sits exactly on the split's threshold
    or on its float32 neighbours (the `<` vs `<=` and float32 rounding edge cases)."""
    edge = []
    for k in range(count):
        tree = trees[int(rng.integers(len(trees)))]
        inner = [i for i, left in enumerate(tree["left_children"]) if left != -1]
        if not inner:
            continue
        node = inner[int(rng.integers(len(inner)))]
        row = x[int(rng.integers(x.shape[0]))].copy()
        thr = np.float32(tree["split_conditions"][node])
        variant = k % 3
        val = thr if variant == 0 else np.nextafter(thr, np.float32(-np.inf)) if variant == 1 else np.nextafter(thr, np.float32(np.inf))
        row[tree["split_indices"][node]] = float(val)
        edge.append(row)
    return np.array(edge)


def json_rows(x):
    """Matrix rows for a JSON fixture; NaN is written as null."""
    return [[None if np.isnan(v) else float(v) for v in r] for r in x]


def predictions(booster, x, feature_names):
    """(DMatrix, probabilities, margins): the two lists of floats every parity fixture carries."""
    d = xgb.DMatrix(x, missing=np.nan, feature_names=feature_names)
    return d, [float(p) for p in booster.predict(d)], [float(m) for m in booster.predict(d, output_margin=True)]


def write_compact_json(path, value, newline=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(value, f, separators=(",", ":"))
        if newline:
            f.write("\n")
