/**
 * The committed fraud model (model/fraud/fraud-xgb.json, trained by `npm run train:fraud`) and its
 * alert threshold, evaluated by the pure-TS XGBoost evaluator (same arithmetic as the library,
 * held to it by test/unit/fraud/parity.test.ts). Version and threshold come from the metrics file
 * train.py writes next to the model, so a re-train updates all three together.
 */
import modelJson from '../../../model/fraud/fraud-xgb.json';
import metrics from '../../../model/fraud/metrics.json';
import { ValidationError } from '../errors';
import { XgbModel } from '../model/xgboost';
import { NUM_FRAUD_FEATURES } from './features';

/** Identifies the model in enriched records and alerts, e.g. "fraud-xgb-2026-11-23". */
export const FRAUD_MODEL_VERSION: string = metrics.version;

/**
 * Scores at or above this raise a customer alert: the F1-best point of the validation PR curve
 * (model/fraud/MODEL_CARD.md has the holdout precision/recall at it).
 */
export const FRAUD_ALERT_THRESHOLD: number = metrics.threshold;

let model: XgbModel | null = null;

/** Parsed once per container, on first use. */
export function fraudModel(): XgbModel {
  if (model === null) {
    model = XgbModel.fromJSON(modelJson);
    if (model.numFeatures !== NUM_FRAUD_FEATURES) {
      throw new ValidationError(`fraud model has ${model.numFeatures} features, FRAUD_FEATURE_NAMES has ${NUM_FRAUD_FEATURES}`);
    }
  }
  return model;
}

/** Fraud probability for one feature vector (fraudFeatures order; NaN = missing). */
export function scoreFraud(features: readonly number[]): number {
  if (features.length !== NUM_FRAUD_FEATURES) throw new ValidationError(`expected ${NUM_FRAUD_FEATURES} fraud features, got ${features.length}`);
  return fraudModel().predict(features);
}

/** Fraud probabilities for many vectors at once (the batch evaluator is faster per row). */
export function scoreFraudBatch(rows: readonly (readonly number[])[]): Float64Array {
  const m = new Float64Array(rows.length * NUM_FRAUD_FEATURES);
  rows.forEach((r, i) => {
    if (r.length !== NUM_FRAUD_FEATURES) throw new ValidationError(`row ${i}: expected ${NUM_FRAUD_FEATURES} fraud features, got ${r.length}`);
    m.set(r, i * NUM_FRAUD_FEATURES);
  });
  return fraudModel().predictBatch(m, NUM_FRAUD_FEATURES);
}
