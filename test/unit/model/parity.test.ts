import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_NAMES, NUM_FEATURES } from '../../../src/domain/model/features';
import { parseBaseScore, XgbModel } from '../../../src/domain/model/xgboost';

const root = join(__dirname, '..', '..', '..');
const modelJson = JSON.parse(readFileSync(join(root, 'model', 'propensity-xgb.json'), 'utf8')) as Record<string, any>;
const fixture = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'model', 'parity.json'), 'utf8')) as {
  n_cols: number;
  rows: (number | null)[][];
  predictions: number[];
  margins: number[];
};

describe('XGBoost evaluator parity with the real library', () => {
  const model = XgbModel.fromJSON(modelJson);
  const rows = fixture.rows.map((r) => r.map((v) => (v === null ? NaN : v)));

  it('uses a fixture with enough rows, missing values and the model shape', () => {
    expect(rows.length).toBeGreaterThanOrEqual(2000);
    expect(rows.flat().filter(Number.isNaN).length).toBeGreaterThan(500);
    expect(fixture.n_cols).toBe(model.numFeatures);
    expect(model.numFeatures).toBe(NUM_FEATURES);
    expect(model.objective).toBe('binary:logistic');
  });

  it('predict() matches xgboost within 1e-6, row by row', () => {
    let maxDiff = 0;
    let maxMargin = 0;
    rows.forEach((r, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(model.predict(r) - fixture.predictions[i]!));
      maxMargin = Math.max(maxMargin, Math.abs(model.predictMargin(r) - fixture.margins[i]!));
    });
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
    expect(maxMargin).toBeLessThanOrEqual(1e-5);
  });

  it('predictBatch() matches xgboost within 1e-6, also with extra columns', () => {
    const n = rows.length;
    const m = new Float64Array(n * NUM_FEATURES);
    rows.forEach((r, i) => m.set(r, i * NUM_FEATURES));
    const out = model.predictBatch(m, NUM_FEATURES);
    expect(out).toHaveLength(n);
    let maxDiff = 0;
    out.forEach((p, i) => (maxDiff = Math.max(maxDiff, Math.abs(p - fixture.predictions[i]!))));
    expect(maxDiff).toBeLessThanOrEqual(1e-6);

    const wide = new Float64Array(n * (NUM_FEATURES + 2)).fill(123);
    rows.forEach((r, i) => wide.set(r, i * (NUM_FEATURES + 2)));
    expect(Array.from(model.predictBatch(wide, NUM_FEATURES + 2))).toEqual(Array.from(out));
    expect(() => model.predictBatch(m, NUM_FEATURES - 1)).toThrow();
  });

  it('FEATURE_NAMES is the committed model/features.json and the model feature names', () => {
    const features = JSON.parse(readFileSync(join(root, 'model', 'features.json'), 'utf8')) as string[];
    expect([...FEATURE_NAMES]).toEqual(features);
    expect(model.featureNames).toEqual(features);
  });
});

/** A hand-made model: tree 0 splits f0 < 1 (missing → right), tree 1 splits f1 < 0.5 (missing → left). */
function tinyModel(objective: string, baseScore: string, depthChain = 0): unknown {
  const stump = (feature: number, threshold: number, defaultLeft: number, leftLeaf: number, rightLeaf: number) => ({
    left_children: [1, -1, -1],
    right_children: [2, -1, -1],
    split_indices: [feature, 0, 0],
    split_conditions: [threshold, leftLeaf, rightLeaf],
    default_left: [defaultLeft, 0, 0],
    split_type: [0, 0, 0],
  });
  const trees: unknown[] = [stump(0, 1, 0, 0.5, -0.25), stump(1, 0.5, 1, 0.125, 1)];
  if (depthChain > 0) {
    // A left-leaning chain: node 2k splits f0 < k; its left child is a leaf of value 0.01*(k+1).
    const left: number[] = [];
    const right: number[] = [];
    const idx: number[] = [];
    const cond: number[] = [];
    const dl: number[] = [];
    for (let k = 0; k < depthChain; k++) {
      left.push(2 * k + 1, -1);
      right.push(2 * k + 2, -1);
      idx.push(0, 0);
      cond.push(k, 0.01 * (k + 1));
      dl.push(1, 0);
    }
    left.push(-1); right.push(-1); idx.push(0); cond.push(-1); dl.push(0);
    trees.push({ left_children: left, right_children: right, split_indices: idx, split_conditions: cond, default_left: dl });
  }
  return {
    learner: {
      learner_model_param: { base_score: baseScore, num_feature: '2', num_class: '0' },
      objective: { name: objective },
      gradient_booster: { name: 'gbtree', model: { trees } },
    },
    version: [1, 7, 4],
  };
}

describe('XgbModel.fromJSON', () => {
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

  it('reads base_score in the 1.x and 3.x spellings', () => {
    expect(parseBaseScore('5E-1')).toBe(0.5);
    expect(parseBaseScore('[2.5E-1]')).toBe(0.25);
    const a = XgbModel.fromJSON(tinyModel('binary:logistic', '5E-1'));
    const b = XgbModel.fromJSON(tinyModel('binary:logistic', '[5E-1]'));
    expect(a.predict([0, 0])).toBe(b.predict([0, 0]));
  });

  it('walks splits with float32 "<" and routes NaN by default_left', () => {
    const m = XgbModel.fromJSON(tinyModel('binary:logistic', '[5E-1]'));
    expect(m.predictMargin([0, 0])).toBeCloseTo(0.5 + 0.125, 6);
    expect(m.predictMargin([1, 0])).toBeCloseTo(-0.25 + 0.125, 6); // 1 < 1 is false → right
    expect(m.predictMargin([0.99999999, 0])).toBeCloseTo(-0.25 + 0.125, 6); // rounds to 1.0f
    expect(m.predictMargin([NaN, NaN])).toBeCloseTo(-0.25 + 0.125, 6);
    expect(m.predictMargin([0, 0.7])).toBeCloseTo(0.5 + 1, 6);
    expect(m.predict([0, 0])).toBeCloseTo(sigmoid(0.625), 6);
  });

  it('applies the logistic link for reg:logistic with a non-0.5 base score, and not for raw margins', () => {
    const logistic = XgbModel.fromJSON(tinyModel('reg:logistic', '2.5E-1'));
    expect(logistic.predict([0, 0])).toBeCloseTo(sigmoid(Math.log(0.25 / 0.75) + 0.625), 6);
    const raw = XgbModel.fromJSON(tinyModel('binary:logitraw', '0E0'));
    expect(raw.predict([0, 0])).toBeCloseTo(0.625, 6);
    const reg = XgbModel.fromJSON(tinyModel('reg:squarederror', '1E0'));
    expect(reg.predict([NaN, 0])).toBeCloseTo(1 - 0.25 + 0.125, 6);
  });

  it('batch and single-row paths agree for deep trees (no complete-tree layout)', () => {
    const m = XgbModel.fromJSON(tinyModel('binary:logistic', '5E-1', 14));
    const rows = [[-5, 0], [0, 1], [3.5, NaN], [13, 0], [20, 0], [NaN, NaN], [7, 0.2]];
    const batch = m.predictBatch(new Float64Array(rows.flat()), 2);
    rows.forEach((r, i) => expect(batch[i]).toBe(m.predict(r)));
    // x=3.5: f0 < k fails for k = 0..3, succeeds at k = 4 → leaf 0.05.
    expect(m.predictMargin([3.5, 0])).toBeCloseTo(-0.25 + 0.125 + 0.05, 6);
  });

  it('rejects what it cannot evaluate', () => {
    expect(() => XgbModel.fromJSON({})).toThrow(/invalid XGBoost model/);
    expect(() => XgbModel.fromJSON(tinyModel('multi:softprob', '5E-1'))).toThrow(/objective/);
    const bad = tinyModel('binary:logistic', '5E-1') as any;
    bad.learner.gradient_booster.model.trees[0].left_children = [5, -1, -1];
    expect(() => XgbModel.fromJSON(bad)).toThrow(/children/);
    const dart = tinyModel('binary:logistic', '5E-1') as any;
    dart.learner.gradient_booster.name = 'gblinear';
    expect(() => XgbModel.fromJSON(dart)).toThrow(/gbtree/);
  });
});
