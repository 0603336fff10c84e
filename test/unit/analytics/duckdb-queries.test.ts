/**
 * The analytics SQL on DuckDB over a hand-made lake: figures small enough to count by hand.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDbQueryEngine } from '../../../src/adapters/duckdb-query-engine';

let root: string;
let engine: DuckDbQueryEngine;
const put = (key: string, rows: object[]) => {
  mkdirSync(dirname(join(root, key)), { recursive: true });
  writeFileSync(join(root, key), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
};
const period = { from: '2026-03-02', to: '2026-03-04' };
const H = 3_600_000;
const T0 = Date.parse('2026-03-02T10:00:00Z');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'curepath-duck-'));
  const action = (id: string, dt: string, channel: string, hhmm = '10:00') => ({ actionId: `${dt}#${id}#${channel}`, accountId: id, runDate: dt, channel, sendAt: `${dt}T${hhmm}:00-05:00`, timezone: 'America/New_York', segment: 'mid_stage' });
  // MA1: a call and a text on day 1 and a text on day 2 → 3 calls+texts in 7 days (over MA's 2). MA2: one text a day for 2 days (at the cap).
  put('runs/2026-03-02/actions/00000.jsonl', [action('MA1', '2026-03-02', 'voice'), action('MA1', '2026-03-02', 'sms'), action('MA2', '2026-03-02', 'sms'), action('NY1', '2026-03-02', 'voice', '21:30')]);
  put('runs/2026-03-03/actions/00000.jsonl', [action('MA1', '2026-03-03', 'sms'), action('MA2', '2026-03-03', 'sms'), action('NY1', '2026-03-03', 'voice')]);
  for (const dt of ['2026-03-02', '2026-03-03']) {
    put(`runs/${dt}/scores/00000.jsonl`, [
      { accountId: 'MA1', score: 0.1, daysPastDue: 20, amountPastDueCents: 100, balanceDueCents: 1000, product: 'personal_loan', state: 'MA' },
      { accountId: 'MA2', score: 0.1, daysPastDue: 40, amountPastDueCents: 100, balanceDueCents: 1000, product: 'personal_loan', state: 'MA' },
      { accountId: 'NY1', score: 0.1, daysPastDue: dt === '2026-03-02' ? 25 : 0, amountPastDueCents: dt === '2026-03-02' ? 500 : 0, balanceDueCents: 1000, product: 'personal_loan', state: 'NY' },
    ]);
  }
  put('lake/sends/dt=2026-03-02/part-00000.jsonl', [
    { actionId: 'a1', accountId: 'MA2', runDate: '2026-03-02', channel: 'sms', segment: 'mid_stage', arm: 'learned', status: 'sent', reason: null, completedAtMs: T0 + 2 * H },
  ]);
  put('lake/sends/dt=2026-03-03/part-00000.jsonl', [
    // sent after MA2's STOP was processed: a violation
    { actionId: 'a2', accountId: 'MA2', runDate: '2026-03-03', channel: 'sms', segment: 'mid_stage', arm: 'learned', status: 'sent', reason: null, completedAtMs: T0 + 26 * H },
  ]);
  put('lake/engagement_events/dt=2026-03-02/part-00000.jsonl', [
    { eventId: 'e1', accountId: 'MA2', channel: 'sms', type: 'opt_out', atMs: T0 + 3 * H, processedAtMs: T0 + 3 * H + 90_000, suppressing: true, source: 'sms-inbound' },
    { eventId: 'e2', accountId: 'NY1', channel: 'email', type: 'payment', atMs: T0 + 4 * H, processedAtMs: T0 + 24 * H, suppressing: false, source: 'simulation', amountCents: 500 },
  ]);
  engine = await DuckDbQueryEngine.open(root);
});

afterAll(() => {
  engine.close();
  rmSync(root, { recursive: true, force: true });
});

test('caps: calls and MA calls+texts per account in 7 days, counted once per contact', async () => {
  expect(await engine.run('str_caps', period)).toEqual([
    { max_calls_7d: '2', accounts_at_regf_cap: '0', accounts_over_regf_cap: '0', max_ma_contacts_7d: '3', accounts_at_ma_cap: '1', accounts_over_ma_cap: '1' },
  ]);
});

test('violations: outside the contact window, sent after an opt-out, planned on a later day', async () => {
  expect(await engine.run('str_violations', period)).toEqual([{ outside_contact_window_planned: '1', sent_after_opt_out_bounce_complaint: '1', planned_after_opt_out_bounce_complaint: '1' }]);
});

test('opt-out latency, payments, roll rates', async () => {
  expect((await engine.run('str_optout_latency', period))[0]).toMatchObject({ events: '1', p50_seconds: '90', max_seconds: '90' });
  expect(await engine.run('ops_payments', period)).toEqual([{ payments: '1', amount_cents: '500', accounts: '1' }]);
  expect(await engine.run('str_roll_rates', period)).toEqual([
    { from_bucket: '1-30', to_bucket: '0 current', accounts: '1' },
    { from_bucket: '1-30', to_bucket: '1-30', accounts: '1' },
    { from_bucket: '31-60', to_bucket: '31-60', accounts: '1' },
  ]);
});

test('a table without files reads as empty, not as an error', async () => {
  expect(await engine.run('ops_runs', period)).toEqual([]);
  expect(await engine.run('ops_rejects', period)).toEqual([]);
});

test('every query runs on DuckDB, with and without data in the period', async () => {
  const { QUERIES } = await import('../../../src/analytics/queries.generated');
  for (const q of Object.keys(QUERIES) as (keyof typeof QUERIES)[]) {
    await expect(engine.run(q, period)).resolves.toEqual(expect.any(Array));
    await expect(engine.run(q, { from: '2030-01-01', to: '2030-01-07' })).resolves.toEqual(expect.any(Array));
  }
});
