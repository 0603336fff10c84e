/**
 * TreeSHAP in TypeScript vs xgboost's own `pred_contribs` (exact path-dependent TreeSHAP) on the
 * committed credit model: fixture from model/credit/make_shap_fixture.py (synthetic rows with
 * missing values, fully missing rows and values exactly on split thresholds).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import modelJson from '../../../model/credit/credit-xgb.json';
import { CREDIT_FEATURE_NAMES } from '../../../src/domain/credit/application';
import { TreeShapExplainer } from '../../../src/domain/credit/treeshap';
import { XgbModel } from '../../../src/domain/model/xgboost';

interface Fixture {
  feature_names: string[];
  rows: (number | null)[][];
  predictions: number[];
  margins: number[];
  contribs: number[][];
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/credit/shap-parity.json'), 'utf8')) as Fixture;
const rows = fixture.rows.map((r) => Float64Array.from(r, (v) => (v === null ? NaN : v)));
const explainer = TreeShapExplainer.fromJSON(modelJson);
const model = XgbModel.fromJSON(modelJson);

describe('TreeSHAP parity with xgboost pred_contribs', () => {
  it('covers missing values, fully missing rows and threshold values', () => {
    expect(fixture.feature_names).toEqual([...CREDIT_FEATURE_NAMES]);
    expect(rows.length).toBeGreaterThanOrEqual(700);
    expect(rows.some((r) => r.every((v) => Number.isNaN(v)))).toBe(true);
    const missing = rows.reduce((s, r) => s + r.filter((v) => Number.isNaN(v)).length, 0);
    expect(missing).toBeGreaterThan(1000);
  });

  it('matches every feature contribution and the bias within 1e-5', () => {
    let worst = 0;
    let worstAt = '';
    rows.forEach((row, i) => {
      const phi = explainer.contributions(row);
      const expected = fixture.contribs[i]!;
      expect(phi.length).toBe(expected.length);
      for (let j = 0; j < expected.length; j++) {
        const d = Math.abs(phi[j]! - expected[j]!);
        if (d > worst) {
          worst = d;
          worstAt = `row ${i}, column ${j}`;
        }
      }
    });
    // Reported so the figure is visible in the test log; the assertion is what matters.
    console.info(`TreeSHAP max |Δ| vs xgboost pred_contribs: ${worst.toExponential(2)} (${worstAt}) over ${rows.length} rows`);
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it('contributions sum to the margin (xgboost\'s and the TS evaluator\'s)', () => {
    rows.forEach((row, i) => {
      const phi = explainer.contributions(row);
      const sum = phi.reduce((s, v) => s + v, 0);
      expect(Math.abs(sum - fixture.margins[i]!)).toBeLessThanOrEqual(1e-4);
      expect(Math.abs(sum - model.predictMargin(row))).toBeLessThanOrEqual(1e-4);
    });
  });

  it('the TS evaluator matches xgboost predictions on the same rows', () => {
    rows.forEach((row, i) => expect(Math.abs(model.predict(row) - fixture.predictions[i]!)).toBeLessThanOrEqual(1e-6));
  });

  it('gives no credit to a feature the trees never split on', () => {
    const used = new Set<number>();
    for (const t of (modelJson as any).learner.gradient_booster.model.trees) {
      (t.left_children as number[]).forEach((l, k) => l !== -1 && used.add(t.split_indices[k]));
    }
    const unused = CREDIT_FEATURE_NAMES.map((_, j) => j).filter((j) => !used.has(j));
    for (const row of rows.slice(0, 50)) {
      const phi = explainer.contributions(row);
      for (const j of unused) expect(phi[j]).toBe(0);
    }
  });

  it('a hand-checkable stump: phi = f(x) − E[f] for the split feature, bias = E[f]', () => {
    // One split on feature 0 at 10: left leaf 1 (cover 3), right leaf -1 (cover 1); base_score 0.5 → margin 0.
    const stump = {
      learner: {
        learner_model_param: { num_feature: '2', base_score: '5E-1', num_class: '0' },
        objective: { name: 'binary:logistic' },
        gradient_booster: {
          name: 'gbtree',
          model: {
            trees: [{
              left_children: [1, -1, -1], right_children: [2, -1, -1], split_indices: [0, 0, 0],
              split_conditions: [10, 1, -1], default_left: [1, 0, 0], sum_hessian: [4, 3, 1],
            }],
          },
        },
      },
    };
    const e = TreeShapExplainer.fromJSON(stump);
    const mean = (1 * 3 + -1 * 1) / 4;
    expect(Array.from(e.contributions([5, 0]))).toEqual([1 - mean, 0, mean]);
    expect(Array.from(e.contributions([15, 0]))).toEqual([-1 - mean, 0, mean]);
    expect(Array.from(e.contributions([NaN, 0]))).toEqual([1 - mean, 0, mean]); // default left
  });
});
