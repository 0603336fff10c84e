/**
 * GET /analytics/operational and /analytics/strategic: the analytics/sql queries on whichever
 * engine is injected (Athena in AWS, DuckDB locally) and the little arithmetic SQL is clumsy at —
 * rates, costs, Newcombe–Wilson intervals. The definitions are the simulation's (docs/analytics.md).
 */
import { liftInterval, type ArmOutcome } from '../../domain/preference';
import type { AnalyticsQueryEngine, Row } from './ports';
import type { AnalyticsQuery, Operational, Strategic } from './schemas';
import { addDays } from '../../domain/dates';

export interface UnitCostsUsd {
  email: number;
  sms: number;
  voice: number;
}

export interface CapLimits {
  regFCallsPer7Days: number;
  maCallsAndTextsPer7Days: number;
}

type Period = { from: string; to: string };

const num = (v: string | null | undefined): number => (v === null || v === undefined || v === '' ? 0 : Number(v));
const numOrNull = (v: string | null | undefined): number | null => (v === null || v === undefined || v === '' ? null : Number(v));
const ratio = (n: number, d: number) => (d > 0 ? Number((n / d).toFixed(4)) : null);
const usd = (x: number) => Number(x.toFixed(4));

/** The period asked for; defaults: `to` = the latest run in the lake (today when there is none), `from` = to − 6 days. */
export async function resolvePeriod(engine: AnalyticsQueryEngine, q: AnalyticsQuery, today: () => string = () => new Date().toISOString().slice(0, 10)): Promise<Period> {
  let to = q.to;
  if (!to) {
    const runs = await engine.run('ops_runs', { from: q.from ?? '0000-01-01', to: '9999-12-31' });
    to = runs.at(-1)?.dt ?? today();
  }
  return { from: q.from ?? addDays(to, -6), to };
}

async function cures(engine: AnalyticsQueryEngine, period: Period): Promise<Row[]> {
  return engine.run('str_cure', period);
}

export async function operationalMetrics(deps: { engine: AnalyticsQueryEngine; unitCosts: UnitCostsUsd }, q: AnalyticsQuery): Promise<Operational> {
  const { engine, unitCosts } = deps;
  const period = await resolvePeriod(engine, q);
  const [byDay, engagement, payments, runs, rejects, cureRows, callRows] = await Promise.all([
    engine.run('ops_messages_by_day', period),
    engine.run('ops_engagement', period),
    engine.run('ops_payments', period),
    engine.run('ops_runs', period),
    engine.run('ops_rejects', period),
    cures(engine, period),
    engine.run('ops_calls', period),
  ]);
  const byOutcome = Object.fromEntries(callRows.map((r) => [r.outcome!, num(r.calls)]));
  const placed = callRows.reduce((n, r) => n + num(r.calls), 0);
  const conversations = (byOutcome.connected ?? 0) + (byOutcome.cease ?? 0);
  const ch = (c: string) => engagement.find((r) => r.channel === c) ?? {};
  const email = ch('email');
  const sms = ch('sms');
  const messagesByDay = byDay.map((r) => ({ date: r.dt!, channel: r.channel!, planned: num(r.planned), sent: num(r.sent), suppressed: num(r.suppressed), notSent: num(r.not_sent) }));
  const messages = {
    email: num(email.sent),
    sms: num(sms.sent),
    voicePlanned: messagesByDay.filter((m) => m.channel === 'voice').reduce((n, m) => n + m.planned, 0),
  };
  const both = (k: string) => ({ email: num(email[k]), sms: num(sms[k]), total: num(email[k]) + num(sms[k]) });
  const bounces = both('bounces');
  const permanent = num(email.bounces_permanent) + num(sms.bounces_permanent);
  const cured = cureRows.reduce((n, r) => n + num(r.cured), 0);
  const contacts = messages.email + messages.sms + messages.voicePlanned;
  const totalUsd = messages.email * unitCosts.email + messages.sms * unitCosts.sms + messages.voicePlanned * unitCosts.voice;
  const runList = runs.map((r) => {
    const actions = { email: num(r.actions_email), sms: num(r.actions_sms), voice: num(r.actions_voice), total: 0 };
    actions.total = actions.email + actions.sms + actions.voice;
    return {
      runDate: r.dt!,
      status: r.status ?? 'unknown',
      accounts: num(r.accounts),
      scored: num(r.scored),
      rejected: num(r.rejected),
      contacted: num(r.contacted),
      actions,
      chunks: num(r.chunks),
      failedChunks: (JSON.parse(r.failed_chunks_json ?? '[]') as { index: number; error: string }[]).map(({ index, error }) => ({ index, error })),
      error: r.error_name ?? null,
    };
  });
  const latest = runList.at(-1);
  return {
    period,
    messagesByDay,
    messages,
    rates: {
      email: { delivered: ratio(num(email.delivered), messages.email), open: ratio(num(email.opened), num(email.delivered)), click: ratio(num(email.clicked), num(email.delivered)), reply: null },
      sms: { delivered: ratio(num(sms.delivered), messages.sms), open: null, click: null, reply: ratio(num(sms.replies), num(sms.delivered)) },
    },
    optOuts: both('opt_outs'),
    bounces: { ...bounces, permanent, transient: bounces.total - permanent },
    complaints: both('complaints'),
    payments: { count: num(payments[0]?.payments), amountCents: num(payments[0]?.amount_cents), accounts: num(payments[0]?.accounts) },
    calls: { placed, byOutcome, conversations, rightPartyContactRate: ratio(conversations, placed), doNotCall: (byOutcome.cease ?? 0) + (byOutcome.wrong_number ?? 0) },
    costs: { unitCostsUsd: unitCosts, contacts, totalUsd: usd(totalUsd), perContactUsd: contacts ? usd(totalUsd / contacts) : null, cures: cured, perCureUsd: cured ? usd(totalUsd / cured) : null },
    runs: runList,
    latestRun: latest
      ? { runDate: latest.runDate, rejects: rejects.filter((r) => r.dt === latest.runDate).map((r) => ({ reason: r.reason ?? '', rows: num(r.rows_rejected) })) }
      : null,
  };
}

const round4 = <T>(o: T): T => JSON.parse(JSON.stringify(o, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v))) as T;

function armOutcomes(rows: Row[], trials: string, successes: string): Record<'learned' | 'holdout', ArmOutcome> {
  const out = { learned: { successes: 0, trials: 0 }, holdout: { successes: 0, trials: 0 } };
  for (const r of rows) {
    if (r.arm !== 'learned' && r.arm !== 'holdout') continue;
    out[r.arm].trials += num(r[trials]);
    out[r.arm].successes += num(r[successes]);
  }
  return out;
}

/** Null until both arms have trials (no holdout in the period, or no contact yet). */
const liftOrNull = (o: Record<'learned' | 'holdout', ArmOutcome>) => (o.learned.trials > 0 && o.holdout.trials > 0 ? round4(liftInterval(o.learned, o.holdout)) : null);

export async function strategicMetrics(deps: { engine: AnalyticsQueryEngine; limits: CapLimits }, q: AnalyticsQuery): Promise<Strategic> {
  const { engine, limits } = deps;
  const period = await resolvePeriod(engine, q);
  const [cureRows, weekRows, rollRows, effRows, liftRows, suppressedRows, latencyRows, capRows, violationRows] = await Promise.all([
    cures(engine, period),
    engine.run('str_cure_by_week', period),
    engine.run('str_roll_rates', period),
    engine.run('str_channel_effectiveness', period),
    engine.run('str_lift_response', period),
    engine.run('str_suppressed', period),
    engine.run('str_optout_latency', period),
    engine.run('str_caps', period),
    engine.run('str_violations', period),
  ]);
  const cureRateBySegment: Strategic['cureRateBySegment'] = {};
  for (const r of cureRows) {
    const c = (cureRateBySegment[r.segment ?? 'unknown'] ??= { accounts: 0, cured: 0, rate: null });
    c.accounts += num(r.accounts);
    c.cured += num(r.cured);
  }
  for (const c of Object.values(cureRateBySegment)) c.rate = ratio(c.cured, c.accounts);
  const fromTotals = new Map<string, number>();
  for (const r of rollRows) fromTotals.set(r.from_bucket!, (fromTotals.get(r.from_bucket!) ?? 0) + num(r.accounts));
  const resp = armOutcomes(liftRows, 'trials', 'successes');
  const cure = armOutcomes(cureRows, 'accounts', 'cured');
  const caps = capRows[0] ?? {};
  const v = violationRows[0] ?? {};
  const violations = {
    outsideContactWindowPlanned: num(v.outside_contact_window_planned),
    sentAfterOptOutBounceComplaint: num(v.sent_after_opt_out_bounce_complaint),
    plannedAfterOptOutBounceComplaint: num(v.planned_after_opt_out_bounce_complaint),
    regFCallsOver7In7Days: num(caps.accounts_over_regf_cap),
    maCallsAndTextsOver2In7Days: num(caps.accounts_over_ma_cap),
  };
  const lat = latencyRows[0] ?? {};
  return {
    period,
    cureRateBySegment,
    cureRateByWeek: weekRows.map((r) => ({ week: r.week!, segment: r.segment!, accounts: num(r.accounts), cured: num(r.cured), rate: ratio(num(r.cured), num(r.accounts)) })),
    rollRates: rollRows.map((r) => ({ from: r.from_bucket!, to: r.to_bucket!, accounts: num(r.accounts), rate: ratio(num(r.accounts), fromTotals.get(r.from_bucket!) ?? 0) })),
    channelEffectiveness: effRows.map((r) => ({ date: r.dt!, channel: r.channel!, contacted: num(r.contacted), responded: num(r.responded), rate: ratio(num(r.responded), num(r.contacted)) })),
    lift: { responseRate: liftOrNull(resp), cureRate: liftOrNull(cure) },
    compliance: {
      suppressedByRule: Object.fromEntries(suppressedRows.map((r) => [r.rule!, num(r.contacts)])),
      optOutLatencySeconds: { events: num(lat.events), p50: numOrNull(lat.p50_seconds), p99: numOrNull(lat.p99_seconds), max: numOrNull(lat.max_seconds) },
      caps: {
        regF: { limit: limits.regFCallsPer7Days, maxIn7Days: num(caps.max_calls_7d), headroom: limits.regFCallsPer7Days - num(caps.max_calls_7d), accountsAtCap: num(caps.accounts_at_regf_cap), accountsOverCap: num(caps.accounts_over_regf_cap) },
        stateMA: { limit: limits.maCallsAndTextsPer7Days, maxIn7Days: num(caps.max_ma_contacts_7d), headroom: limits.maCallsAndTextsPer7Days - num(caps.max_ma_contacts_7d), accountsAtCap: num(caps.accounts_at_ma_cap), accountsOverCap: num(caps.accounts_over_ma_cap) },
      },
      violations,
      totalViolations: Object.values(violations).reduce((n, x) => n + x, 0),
    },
  };
}
