/**
 * Numbers agree: a small simulation (300 accounts × 3 days) on the in-memory local stack, the lake
 * pulled out of its S3, the analytics SQL on DuckDB through the same use cases as the API, and the
 * dashboard in headless Chromium — each figure checked against the simulation's own summary.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli, runDays } from '../../local/cli';
import { buildDashboard, CHROMIUM, pullFromStack, screenshotDashboard, startDashboardServer, unitCostsOf } from '../../local/analytics/dashboard';
import { LOOP_ENV_OVERRIDES, Simulation } from '../../local/simulation/loop';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb-query-engine';
import { CAP_LIMITS } from '../../src/usecases/analytics/config';
import { operationalMetrics, strategicMetrics } from '../../src/usecases/analytics/metrics';
import type { Operational, Strategic } from '../../src/usecases/analytics/schemas';
import { httpEvent, parseResult, tokenFor } from '../helpers/http';

jest.setTimeout(300_000);

const FROM = '2026-03-02';
const TO = '2026-03-04';
let dir: string;
let stack: LocalStack;
let summary: Record<string, any>;
let engine: DuckDbQueryEngine;
let ops: Operational;
let strat: Strategic;
let unitCosts: { email: number; sms: number; voice: number };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'curepath-analytics-'));
  stack = await startLocalStack({
    inMemory: true,
    dataDir: join(dir, 'stack'),
    log: () => undefined,
    channels: { seed: 5 },
    envOverrides: { ...LOOP_ENV_OVERRIDES, CHUNK_SIZE: '150', MODEL_BACKEND: 'embedded', POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  const opts = parseCli(['--accounts', '300', '--days', '3', '--date', FROM, '--seed', '5', '--malformed-rate', '0.01']);
  const sim = await Simulation.start(stack, { seed: opts.seed, accounts: opts.accounts, malformedRate: opts.malformedRate });
  summary = (await runDays(stack, opts, sim)).summary;
  await pullFromStack(stack, join(dir, 'lake'));
  unitCosts = unitCostsOf(stack);
  engine = await DuckDbQueryEngine.open(join(dir, 'lake'));
  ops = await operationalMetrics({ engine, unitCosts }, { from: FROM, to: TO });
  strat = await strategicMetrics({ engine, limits: CAP_LIMITS }, { from: FROM, to: TO });
});

afterAll(async () => {
  engine?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('messages, rates, opt-outs, bounces, complaints and payments equal the simulation summary', () => {
  expect(ops.messages).toEqual({ email: summary.messages.email, sms: summary.messages.sms, voicePlanned: summary.messages.voicePlanned });
  expect(ops.messages.email + ops.messages.sms).toBeGreaterThan(300);
  expect(ops.rates.email).toEqual(summary.rates.email);
  expect(ops.rates.sms).toEqual(summary.rates.sms);
  expect(ops.optOuts).toEqual(summary.optOuts);
  expect(ops.bounces).toEqual(summary.bounces);
  expect(ops.complaints).toEqual(summary.complaints);
  expect(ops.payments).toEqual(summary.payments);
  expect(ops.payments.count).toBeGreaterThan(0);
});

test('messages by day add up to the daily summaries; the runs and their rejects', () => {
  for (const day of summary.days as { runDate: string; actions: { email: number; sms: number; voice: number } }[]) {
    const planned = (ch: string) => ops.messagesByDay.find((m) => m.date === day.runDate && m.channel === ch)?.planned ?? 0;
    expect([planned('email'), planned('sms'), planned('voice')]).toEqual([day.actions.email, day.actions.sms, day.actions.voice]);
  }
  expect(ops.runs.map((r) => r.runDate)).toEqual(summary.runDates);
  expect(ops.runs.map((r) => r.rejected)).toEqual((summary.days as { rejected: number }[]).map((d) => d.rejected));
  expect(ops.latestRun?.runDate).toBe(TO);
  expect(ops.latestRun!.rejects.reduce((n, r) => n + r.rows, 0)).toBe(ops.runs.at(-1)!.rejected);
  expect(ops.runs.every((r) => r.failedChunks.length === 0)).toBe(true);
});

test('costs: unit costs from the stage config, per contact and per cure', () => {
  const contacts = summary.messages.email + summary.messages.sms + summary.messages.voicePlanned;
  const total = summary.messages.email * unitCosts.email + summary.messages.sms * unitCosts.sms + summary.messages.voicePlanned * unitCosts.voice;
  expect(ops.costs.contacts).toBe(contacts);
  expect(ops.costs.totalUsd).toBeCloseTo(total, 3);
  const cured = Object.values(summary.cureRateBySegment as Record<string, { cured: number }>).reduce((n, c) => n + c.cured, 0);
  expect(ops.costs.cures).toBe(cured);
  expect(ops.costs.perCureUsd).toBeCloseTo(total / cured, 3);
});

test('cure rate by segment, lift with its intervals and suppressions equal the summary', () => {
  expect(strat.cureRateBySegment).toEqual(summary.cureRateBySegment);
  expect(strat.lift.responseRate).toEqual(summary.lift.responseRate);
  expect(strat.lift.cureRate).toEqual(summary.lift.cureRate);
  expect(strat.compliance.suppressedByRule).toEqual(summary.compliance.suppressedByRule);
});

test('calls: what the dialer reported through dialerResults, as the simulation counted it', () => {
  const dialer = summary.loop.dialer as { calls: number; outcomes: Record<string, number> };
  expect(dialer.calls).toBeGreaterThan(0);
  expect(ops.calls.placed).toBe(dialer.calls);
  expect(ops.calls.byOutcome).toEqual(dialer.outcomes);
  const conversations = (dialer.outcomes.connected ?? 0) + (dialer.outcomes.cease ?? 0);
  expect(ops.calls.conversations).toBe(conversations);
  expect(ops.calls.rightPartyContactRate).toBeCloseTo(conversations / dialer.calls, 4);
  expect(ops.calls.doNotCall).toBe((dialer.outcomes.cease ?? 0) + (dialer.outcomes.wrong_number ?? 0));
});

test('compliance: no violations either way, caps within limits, opt-outs honoured within the day', () => {
  expect(summary.compliance.totalViolations).toBe(0);
  expect(strat.compliance.totalViolations).toBe(0);
  expect(strat.compliance.caps.regF.maxIn7Days).toBeLessThanOrEqual(7);
  expect(strat.compliance.caps.stateMA.maxIn7Days).toBeLessThanOrEqual(2);
  const suppressing = summary.optOuts.total + summary.bounces.permanent + summary.complaints.total;
  expect(strat.compliance.optOutLatencySeconds.events).toBeGreaterThan(0);
  expect(strat.compliance.optOutLatencySeconds.events).toBeLessThanOrEqual(suppressing);
  expect(strat.compliance.optOutLatencySeconds.p99!).toBeGreaterThanOrEqual(strat.compliance.optOutLatencySeconds.p50!);
  expect(strat.compliance.optOutLatencySeconds.max!).toBeLessThan(86_400);
});

test('roll rates cover every account of the first run once; channel effectiveness per day', () => {
  const first = summary.days[0] as { accounts: number };
  const inBoth = strat.rollRates.reduce((n, r) => n + r.accounts, 0);
  expect(inBoth).toBeGreaterThan(first.accounts * 0.9);
  expect(inBoth).toBeLessThanOrEqual(first.accounts);
  expect(new Set(strat.channelEffectiveness.map((e) => e.date))).toEqual(new Set(summary.runDates));
  for (const e of strat.channelEffectiveness) expect(e.responded).toBeLessThanOrEqual(e.contacted);
});

test('the real analytics handlers on the local stack answer with the DuckDB figures (no Athena locally)', async () => {
  // stack.invoke runs the functions as `sls offline` / `sls invoke local` do: CUREPATH_LOCAL=1, so
  // they choose DuckDB over the local S3's lake at cold start (src/adapters/analytics-engine.ts).
  const token = await tokenFor({ group: 'agent', sub: 'agent-analytics' });
  const get = async (fn: string, path: string) =>
    parseResult(await stack.invoke(fn, httpEvent({ method: 'GET', path, token, queryStringParameters: { from: FROM, to: TO } })));
  const o = await get('analyticsOperational', '/analytics/operational');
  expect(o.statusCode).toBe(200);
  expect(o.json).toEqual(JSON.parse(JSON.stringify(ops)));
  const s = await get('analyticsStrategic', '/analytics/strategic');
  expect(s.statusCode).toBe(200);
  expect(s.json).toEqual(JSON.parse(JSON.stringify(strat)));
  // A warm second call reuses the mirrored lake (only changed objects are fetched again).
  const again = await get('analyticsOperational', '/analytics/operational');
  expect(again.json.messages).toEqual(ops.messages);
});

const browserTest = existsSync(CHROMIUM) ? test : test.skip;
if (!existsSync(CHROMIUM)) process.stderr.write(`analytics.test.ts: ${CHROMIUM} not found — the dashboard test is skipped (apt-get install chromium)\n`);

browserTest('the dashboard in headless Chromium shows the simulation figures; screenshot saved', async () => {
  const dist = join(dir, 'dist');
  await buildDashboard(dist);
  const srv = await startDashboardServer({ engine, distDir: dist, unitCosts });
  try {
    const shot = join(dir, 'dashboard.png');
    const fig = await screenshotDashboard(`${srv.url}?from=${FROM}&to=${TO}`, shot, { userDataDir: join(dir, 'chromium-profile') });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    const n = (k: string) => Number(fig[k]);
    expect(n('messages.email')).toBe(summary.messages.email);
    expect(n('messages.sms')).toBe(summary.messages.sms);
    expect(n('messages.voicePlanned')).toBe(summary.messages.voicePlanned);
    expect(n('payments.count')).toBe(summary.payments.count);
    expect(n('calls.placed')).toBe(summary.loop.dialer.calls);
    expect(n('calls.rightPartyContactRate')).toBe(ops.calls.rightPartyContactRate);
    expect(n('rates.email.delivered')).toBe(summary.rates.email.delivered);
    expect(n('rates.email.open')).toBe(summary.rates.email.open);
    expect(n('rates.email.click')).toBe(summary.rates.email.click);
    expect(n('rates.sms.reply')).toBe(summary.rates.sms.reply);
    expect(n('optOuts.sms')).toBe(summary.optOuts.sms);
    expect(n('bounces.permanent')).toBe(summary.bounces.permanent);
    expect(n('complaints.total')).toBe(summary.complaints.total);
    expect(n('compliance.totalViolations')).toBe(0);
    for (const [seg, c] of Object.entries(summary.cureRateBySegment as Record<string, { rate: number | null }>)) expect(fig[`cureRateBySegment.${seg}`]).toBe(String(c.rate ?? ''));
    expect(n('lift.responseRate')).toBe(summary.lift.responseRate.lift);
    expect(n('lift.cureRate')).toBe(summary.lift.cureRate.lift);
    for (const d of summary.days as { runDate: string }[]) expect(n(`messagesByDay.${d.runDate}.email`)).toBe(ops.messagesByDay.find((m) => m.date === d.runDate && m.channel === 'email')!.sent);
    expect(fig['latestRun.runDate']).toBe(TO);
    // Keep a copy to look at (CI artifact).
    const keep = process.env.DASHBOARD_SCREENSHOT ?? join(__dirname, '..', '..', '.local', 'dashboard-test.png');
    const { copyFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(keep, '..'), { recursive: true });
    copyFileSync(shot, keep);
  } finally {
    await srv.close();
  }
});
