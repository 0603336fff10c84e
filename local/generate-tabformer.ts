/**
 * Writes a synthetic TabFormer-shaped data set as CSV (users.csv, cards.csv, transactions.csv).
 * Usage: npm run generate:tabformer -- --users 1000 [--days 90] [--start 2019-09-01] [--seed 1] --out DIR
 */
import { parseArgs } from 'node:util';
import { writeTabFormerCsv } from '../src/synthetic/tabformer/csv';
import { generateTabFormer } from '../src/synthetic/tabformer/generator';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    days: { type: 'string', default: '90' },
    start: { type: 'string', default: '2019-09-01' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
if (!values.out) {
  console.error('usage: npm run generate:tabformer -- --users N [--days 90] [--start YYYY-MM-DD] [--seed 1] --out DIR');
  process.exit(2);
}
const t0 = performance.now();
const data = generateTabFormer({ users: Number(values.users), days: Number(values.days), start: values.start, seed: Number(values.seed) });
const t1 = performance.now();
const paths = writeTabFormerCsv(values.out, data);
const t2 = performance.now();
const frauds = data.transactions.filter((t) => t.isFraud).length;
console.log(JSON.stringify({
  users: data.users.length, cards: data.cards.length, transactions: data.transactions.length, frauds,
  fraudRate: Number((frauds / Math.max(1, data.transactions.length)).toFixed(5)),
  generateMs: Math.round(t1 - t0), writeMs: Math.round(t2 - t1), files: paths,
}));
