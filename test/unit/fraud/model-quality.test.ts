import { FRAUD_ALERT_THRESHOLD, scoreFraud } from '../../../src/domain/fraud/model';
import { forEachFeatureRow } from '../../../src/synthetic/tabformer/fraud-input';
import { generateTabFormer } from '../../../src/synthetic/tabformer/generator';

// The committed model on data it never saw (another seed and period), through the stream's
// feature loop: catches a feature whose meaning changed without a re-train.
describe('fraud model on unseen synthetic data', () => {
  it('alerts on most frauds and mostly on frauds', () => {
    const data = generateTabFormer({ users: 700, seed: 424242, start: '2020-03-01', days: 60 });
    let tp = 0, fp = 0, fn = 0;
    // scoreFraud row by row: the batch evaluator's typed-array loop runs ~50× slower under jest's VM.
    forEachFeatureRow(data, (_i, f, t) => {
      if (scoreFraud(f) >= FRAUD_ALERT_THRESHOLD) t.isFraud ? tp++ : fp++;
      else if (t.isFraud) fn++;
    });
    expect(tp + fn).toBeGreaterThan(40);
    expect(tp / (tp + fp)).toBeGreaterThan(0.6);
    expect(tp / (tp + fn)).toBeGreaterThan(0.6);
  });
});
