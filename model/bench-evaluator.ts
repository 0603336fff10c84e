/**
 * Throughput of the TypeScript XGBoost evaluator on the committed model, one core.
 *   npx tsx model/bench-evaluator.ts [rows]
 * Rows are production features of synthetic accounts, so tree paths are realistic.
 */
import { readFileSync } from 'node:fs';
import { XgbModel } from '../src/domain/model/xgboost';
import { featureVector, NUM_FEATURES } from '../src/domain/model/features';
import { generateAccounts } from '../src/synthetic/portfolio-generator';

const rows = Number(process.argv[2] ?? 200000);
const model = XgbModel.fromJSON(JSON.parse(readFileSync(new URL('./propensity-xgb.json', import.meta.url), 'utf8')));
const unique = Math.min(rows, 50000);
const matrix = new Float64Array(rows * NUM_FEATURES);
let i = 0;
for (const r of generateAccounts({ accounts: unique, seed: 99, runDate: '2026-11-23' })) {
  featureVector(r.account, r.runDate, matrix.subarray(i * NUM_FEATURES, (i + 1) * NUM_FEATURES));
  i++;
}
for (let k = unique; k < rows; k++) matrix.copyWithin(k * NUM_FEATURES, (k % unique) * NUM_FEATURES, (k % unique + 1) * NUM_FEATURES);

model.predictBatch(matrix.subarray(0, 20000 * NUM_FEATURES), NUM_FEATURES); // warm-up (JIT)
const runs: number[] = [];
let checksum = 0;
for (let r = 0; r < 3; r++) {
  const t0 = process.hrtime.bigint();
  const out = model.predictBatch(matrix, NUM_FEATURES);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  runs.push(rows / secs);
  checksum += out[0]!;
}
const best = Math.max(...runs);
console.log(`trees=${model.numTrees} features=${model.numFeatures} rows=${rows}`);
console.log(`rows/s: ${runs.map((x) => Math.round(x).toLocaleString('en-US')).join(', ')} (best ${Math.round(best).toLocaleString('en-US')}) checksum=${checksum.toFixed(6)}`);
