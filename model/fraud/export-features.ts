/**
 * Training export for the fraud model: generator → fraud features (card by card, in time order,
 * the stream processor's code path: fraudFeatures then updateProfile) → DIR:
 *   X.f64      row-major float64 little-endian matrix, columns = FRAUD_FEATURE_NAMES, NaN = missing
 *   y.u8       label per row (1 = fraud)
 *   t.i32      transaction time, minutes since the Unix epoch (the time-based split uses it)
 *   meta.json  shape, feature names, fraud patterns per row code, data size and timings
 *   features.csv (only with --csv) the same rows as text, an empty cell for a missing value
 *
 * Usage: npx tsx model/fraud/export-features.ts --users 3000 --days 180 --seed 11 --out DIR [--csv]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FRAUD_FEATURE_NAMES, NUM_FRAUD_FEATURES } from '../../src/domain/fraud/features';
import { forEachFeatureRow } from '../../src/synthetic/tabformer/fraud-input';
import { generateTabFormer } from '../../src/synthetic/tabformer/generator';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '3000' },
    days: { type: 'string', default: '180' },
    seed: { type: 'string', default: '11' },
    start: { type: 'string', default: '2019-06-01' },
    out: { type: 'string' },
    csv: { type: 'boolean', default: false },
  },
});
if (!values.out) throw new Error('--out DIR is required');
const out = values.out;
mkdirSync(out, { recursive: true });

const t0 = performance.now();
const data = generateTabFormer({ users: Number(values.users), days: Number(values.days), seed: Number(values.seed), start: values.start });
const t1 = performance.now();
const n = data.transactions.length;
const X = new Float64Array(n * NUM_FRAUD_FEATURES);
const y = new Uint8Array(n);
const t = new Int32Array(n);
const PATTERNS = ['', 'card-testing', 'counterfeit-far-from-home', 'dark-web-online', 'pin-attack'];
const pattern = new Uint8Array(n);
forEachFeatureRow(data, (i, f, txn) => {
  X.set(f, i * NUM_FRAUD_FEATURES);
  y[i] = txn.isFraud ? 1 : 0;
  t[i] = Math.round(Date.parse(txn.at) / 60000);
  pattern[i] = PATTERNS.indexOf(txn.fraudPattern ?? '');
});
const t2 = performance.now();
writeFileSync(join(out, 'X.f64'), Buffer.from(X.buffer));
writeFileSync(join(out, 'y.u8'), y);
writeFileSync(join(out, 't.i32'), Buffer.from(t.buffer));
writeFileSync(join(out, 'pattern.u8'), pattern);
if (values.csv) {
  const lines = [[...FRAUD_FEATURE_NAMES, 'label'].join(',')];
  for (let i = 0; i < n; i++) {
    const row = Array.from(X.subarray(i * NUM_FRAUD_FEATURES, (i + 1) * NUM_FRAUD_FEATURES), (x) => (Number.isNaN(x) ? '' : String(x)));
    lines.push(`${row.join(',')},${y[i]}`);
  }
  writeFileSync(join(out, 'features.csv'), lines.join('\n') + '\n');
}
const frauds = y.reduce((s, v) => s + v, 0);
const meta = {
  rows: n,
  cols: NUM_FRAUD_FEATURES,
  features: FRAUD_FEATURE_NAMES,
  patterns: PATTERNS,
  users: data.users.length,
  cards: data.cards.length,
  transactions: n,
  frauds,
  fraudRate: frauds / n,
  seed: Number(values.seed),
  start: values.start,
  days: Number(values.days),
  generateMs: Math.round(t1 - t0),
  featuresMs: Math.round(t2 - t1),
};
writeFileSync(join(out, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
console.log(JSON.stringify({ ...meta, features: undefined, patterns: undefined }));
