/**
 * Micro-benchmark of POST /credit-scores' compute: model evaluation + exact TreeSHAP + reason codes
 * per application (CreditScorer.score), over synthetic applications, after a warm-up.
 *   npm run bench:credit [-- --count 5000]
 */
import { parseArgs } from 'node:util';
import modelJson from '../model/credit/credit-xgb.json';
import { CreditScorer } from '../src/domain/credit/scorer';
import { CREDIT_MODEL_VERSION } from '../src/domain/credit/version';
import { generateApplications } from '../src/synthetic/credit-applications';

const { values } = parseArgs({ options: { count: { type: 'string', default: '5000' } } });
const count = Number(values.count);
const built = performance.now();
const scorer = CreditScorer.fromJSON(modelJson, CREDIT_MODEL_VERSION, { approveBelow: 0.1, declineAt: 0.25 });
const coldMs = performance.now() - built;
const apps = [...generateApplications({ count, seed: 31337 })].map((g) => g.application);
for (const a of apps.slice(0, 500)) scorer.score(a); // JIT warm-up
const times = new Float64Array(count);
const decisions: Record<string, number> = {};
for (let i = 0; i < count; i++) {
  const t0 = performance.now();
  const s = scorer.score(apps[i]!);
  times[i] = performance.now() - t0;
  decisions[s.decision] = (decisions[s.decision] ?? 0) + 1;
}
times.sort();
const q = (p: number) => times[Math.min(count - 1, Math.floor(p * count))]!;
console.log(JSON.stringify({
  applications: count,
  model_and_shap_tables_build_ms: +coldMs.toFixed(1),
  p50_ms: +q(0.5).toFixed(3),
  p99_ms: +q(0.99).toFixed(3),
  max_ms: +times[count - 1]!.toFixed(3),
  decisions,
}, null, 2));
