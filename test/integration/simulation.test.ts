/**
 * The local loop on the emulators: 3 simulated days of 300 accounts — daily runs, dispatch, the real
 * senders and engagement handlers, the SES/SMS stand-ins — then what the files say.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli, runDays } from '../../local/cli';
import { LOOP_ENV_OVERRIDES, Simulation } from '../../local/simulation/loop';
import { startLocalStack, type LocalStack } from '../../local/stack';

jest.setTimeout(240_000);

let dir: string;
let stack: LocalStack;
let summary: Record<string, any>;
let events: Record<string, any>[];
let actions: Record<string, any>[];

const readJsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, any>);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'curepath-sim-'));
  stack = await startLocalStack({
    inMemory: true,
    dataDir: join(dir, 'stack'),
    log: () => undefined,
    channels: { seed: 3 },
    envOverrides: { ...LOOP_ENV_OVERRIDES, CHUNK_SIZE: '150', MODEL_BACKEND: 'embedded', POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  const opts = parseCli(['--accounts', '300', '--days', '3', '--date', '2026-03-02', '--seed', '3', '--out', join(dir, 'out'), '--malformed-rate', '0.01']);
  const sim = await Simulation.start(stack, { seed: opts.seed, accounts: opts.accounts, malformedRate: opts.malformedRate });
  summary = (await runDays(stack, opts, sim)).summary;
  events = readJsonl(join(dir, 'out', 'events.jsonl'));
  actions = readJsonl(join(dir, 'out', 'actions.jsonl'));
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

test('the issue-2 summary fields are still there', () => {
  for (const k of ['accounts', 'scored', 'rejected', 'actions', 'suppressed', 'failedChunks', 'durationMs']) expect(summary).toHaveProperty(k);
  expect(summary.accounts).toBeGreaterThan(850);
  expect(summary.actions.total).toBe(summary.actions.email + summary.actions.sms + summary.actions.voice);
  expect(summary.failedChunks).toEqual([]);
  const written = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')) as Record<string, any>;
  expect(written.messages).toEqual(summary.messages);
  expect(readFileSync(join(dir, 'out', 'rejects.csv'), 'utf8').split('\n')[0]).toBe('run_date,row,account_id,reason');
});

test('events.jsonl: every processed event with accountId, channel, type, at and processedAt', () => {
  expect(events.length).toBeGreaterThan(500);
  for (const e of events) {
    expect(typeof e.accountId).toBe('string');
    expect(['email', 'sms']).toContain(e.channel);
    expect(typeof e.type).toBe('string');
    expect(e.at).toMatch(ISO);
    expect(e.processedAt).toMatch(ISO);
    // Processed after it happened (payments: applied at the next run).
    expect(Date.parse(e.processedAt)).toBeGreaterThanOrEqual(Date.parse(e.at));
    // No addresses or texts.
    expect(JSON.stringify(e)).not.toMatch(/@|\+1\d{10}/);
  }
  const ids = events.map((e) => `${e.eventId}|${e.accountId}`);
  expect(new Set(ids).size).toBe(ids.length);
});

test('seeded: opt-outs, bounces and payments happen and are counted', () => {
  const types = new Set(events.map((e) => e.type));
  for (const t of ['delivered', 'open', 'click', 'opt_out', 'bounce', 'payment']) expect(types).toContain(t);
  expect(summary.optOuts.total).toBe(events.filter((e) => e.type === 'opt_out').length);
  expect(summary.bounces.total).toBe(events.filter((e) => e.type === 'bounce').length);
  expect(summary.payments.count).toBe(events.filter((e) => e.type === 'payment').length);
  expect(summary.payments.amountCents).toBeGreaterThan(0);
  expect(summary.messages.email).toBeGreaterThan(0);
  expect(summary.messages.sms).toBeGreaterThan(0);
});

test('no action for an (account, channel) after its opt-out, bounce or complaint was processed (from the files)', () => {
  const suppressedAt = new Map<string, number>();
  for (const e of events) {
    if (!e.suppressing) continue;
    const k = `${e.accountId}|${e.channel}`;
    suppressedAt.set(k, Math.min(suppressedAt.get(k) ?? Infinity, Date.parse(e.processedAt)));
  }
  expect(suppressedAt.size).toBeGreaterThan(0);
  let checked = 0;
  for (const a of actions) {
    const p = suppressedAt.get(`${a.accountId}|${a.channel}`);
    if (p === undefined) continue;
    checked++;
    // The Strategy never plans it once the event is processed…
    expect(Date.parse(a.plannedAt)).toBeLessThan(p);
    // …and nothing is sent after it (an action planned earlier and due later is stopped at send time).
    if (a.outcome.status === 'sent') expect(Date.parse(a.outcome.at)).toBeLessThan(p);
  }
  expect(checked).toBeGreaterThan(0);
});

test('rates are within [0, 1] and compliance violations are 0', () => {
  for (const ch of ['email', 'sms'] as const) {
    for (const v of Object.values(summary.rates[ch] as Record<string, number | null>)) if (v !== null) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(1);
  }
  expect(summary.rates.email.delivered).toBeGreaterThan(0.9);
  expect(summary.compliance.violations).toEqual({
    outsideContactWindowPlanned: 0,
    outsideContactWindowSent: 0,
    regFCallsOver7In7Days: 0,
    maCallsAndTextsOver2In7Days: 0,
    plannedAfterOptOutBounceComplaint: 0,
    sentAfterOptOutBounceComplaint: 0,
    callsWithin7DaysOfConversation: 0,
    callsAfterCeaseOrWrongNumber: 0,
  });
  expect(summary.compliance.totalViolations).toBe(0);
  // Whatever the Strategy does, the flag follows the plans' rankers.
  expect(summary.lift.learnedPolicyActive).toBe(actions.some((a) => (a.reasons as string[]).some((r) => r.includes('ranker=thompson'))));
  for (const arm of ['learned', 'holdout'] as const) expect(summary.lift.cureRate[arm].trials).toBeGreaterThan(0);
  for (const c of Object.values(summary.cureRateBySegment as Record<string, { accounts: number; cured: number }>)) expect(c.cured).toBeLessThanOrEqual(c.accounts);
  expect(summary.loop.engagementHandlerErrors).toBe(0);
  // Every one-click unsubscribe the stand-ins made went through the real endpoint and was applied.
  expect(summary.loop.unsubscribesRefused).toBe(0);
  expect(summary.loop.unsubscribesApplied).toBe(summary.loop.unsubscribeLinkClicks);
});

test('the dialer stand-in places the day’s calls; the real dialerResults records them and the next runs hold voice back', () => {
  const dialer = summary.loop.dialer as { calls: number; outcomes: Record<string, number>; days: { runDate: string; results: number; conversations: number }[] };
  const voice = actions.filter((a) => a.channel === 'voice');
  // Every planned call with a number is placed once, and every result row was applied (none rejected).
  expect(dialer.calls).toBeGreaterThan(0);
  expect(dialer.calls).toBeLessThanOrEqual(voice.length);
  expect(dialer.days.reduce((n, d) => n + d.results, 0)).toBe(dialer.calls);
  expect(dialer.outcomes.connected).toBeGreaterThan(0);
  expect(dialer.days.reduce((n, d) => n + d.conversations, 0)).toBe((dialer.outcomes.connected ?? 0) + (dialer.outcomes.cease ?? 0));
  // Day 1's conversations stop calls to those accounts on days 2 and 3 (the violations above are 0 with them applied).
  const day1 = summary.days[0].runDate as string;
  const calledDay1 = new Set(voice.filter((a) => a.runDate === day1).map((a) => a.accountId as string));
  const laterVoice = voice.filter((a) => a.runDate !== day1);
  expect(calledDay1.size).toBeGreaterThan(0);
  expect(laterVoice.length).toBeGreaterThan(0);
});

test('payments reach the next day: paid accounts are cured or owe less', () => {
  const cured = Object.values(summary.cureRateBySegment as Record<string, { cured: number }>).reduce((n, c) => n + c.cured, 0);
  expect(cured).toBeGreaterThan(0);
  // Every email/SMS action of the run has an outcome from the send ledger.
  const messages = actions.filter((a) => a.channel !== 'voice');
  expect(messages.every((a) => typeof a.outcome?.status === 'string')).toBe(true);
  expect(messages.filter((a) => a.outcome.status === 'sent').length).toBe(summary.messages.email + summary.messages.sms);
});
