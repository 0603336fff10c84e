import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FRAUD_FEATURE_NAMES, NUM_FRAUD_FEATURES } from '../../../src/domain/fraud/features';
import { FRAUD_ALERT_THRESHOLD, FRAUD_MODEL_VERSION, fraudModel, scoreFraud, scoreFraudBatch } from '../../../src/domain/fraud/model';

const root = join(__dirname, '..', '..', '..');
const fixture = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'fraud', 'parity.json'), 'utf8')) as {
  n_cols: number;
  rows: (number | null)[][];
  predictions: number[];
  margins: number[];
};
const rows = fixture.rows.map((r) => r.map((v) => (v === null ? NaN : v)));

describe('fraud model parity with xgboost', () => {
  it('uses a fixture with frauds, missing values and the model shape', () => {
    expect(rows.length).toBeGreaterThanOrEqual(2000);
    expect(rows.flat().filter(Number.isNaN).length).toBeGreaterThan(1000);
    expect(fixture.n_cols).toBe(NUM_FRAUD_FEATURES);
    expect(fixture.predictions.filter((p) => p >= FRAUD_ALERT_THRESHOLD).length).toBeGreaterThan(10);
    expect(fraudModel().objective).toBe('binary:logistic');
  });

  it('scoreFraud matches xgboost within 1e-6 (margins within 1e-5)', () => {
    let maxDiff = 0;
    let maxMargin = 0;
    rows.forEach((r, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(scoreFraud(r) - fixture.predictions[i]!));
      maxMargin = Math.max(maxMargin, Math.abs(fraudModel().predictMargin(r) - fixture.margins[i]!));
    });
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
    expect(maxMargin).toBeLessThanOrEqual(1e-5);
  });

  it('scoreFraudBatch matches xgboost within 1e-6', () => {
    const out = scoreFraudBatch(rows);
    let maxDiff = 0;
    out.forEach((p, i) => (maxDiff = Math.max(maxDiff, Math.abs(p - fixture.predictions[i]!))));
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
  });

  it('FRAUD_FEATURE_NAMES is model/fraud/features.json and the model feature names', () => {
    const features = JSON.parse(readFileSync(join(root, 'model', 'fraud', 'features.json'), 'utf8')) as string[];
    expect([...FRAUD_FEATURE_NAMES]).toEqual(features);
    expect(fraudModel().featureNames).toEqual(features);
    expect(features).not.toContain('gender');
  });

  it('exposes a version and a threshold in (0, 1), and rejects a wrong-length vector', () => {
    expect(FRAUD_MODEL_VERSION).toMatch(/^fraud-xgb-\d{4}-\d{2}-\d{2}$/);
    expect(FRAUD_ALERT_THRESHOLD).toBeGreaterThan(0);
    expect(FRAUD_ALERT_THRESHOLD).toBeLessThan(1);
    expect(() => scoreFraud([1, 2, 3])).toThrow(/fraud features/);
  });
});
