/**
 * The simulation's figures (docs/simulation.md): messages, rates, opt-outs, bounces, complaints,
 * payments, cure rate by segment, lift by holdout arm and compliance — computed from the planned
 * actions, the send ledger and the processed events, not from what the code under test says
 * about itself.
 */
import { assignArm, LEARNED_RANKER_NAME, liftInterval, type Arm, type ArmOutcome } from '../../src/domain/preference';
import { DEFAULT_PREFERENCE_POLICY } from '../../src/domain/preference/policy';
import type { EventLine } from './events';
import { isConfirmationActionId } from '../../src/usecases/outreach/send-confirmation';

export interface PlannedAction {
  actionId: string;
  accountId: string;
  runDate: string;
  channel: 'email' | 'sms' | 'voice';
  sendAt: string;
  timezone: string;
  segment: string;
  /** The channel ranker named in the action's reasons (`channel:<ch>(rank=…,ranker=<name>)`). */
  ranker?: string;
}

export interface SendRecord {
  actionId: string;
  status: string;
  reason?: string;
  /** When the sender completed (simulated clock), ISO. */
  completedAt?: string;
}

export interface MetricsInput {
  actions: PlannedAction[];
  /** Send ledger by actionId. */
  sends: Map<string, SendRecord>;
  events: EventLine[];
  /** Texts/emails the stand-ins accepted (includes opt-out confirmation texts). */
  accepted: { email: number; sms: number };
  /** When each run date was planned (simulated clock, epoch ms). */
  plannedAt: Map<string, number>;
  /** Accounts of day 1 with their amount past due then, and at the end. */
  day1: Map<string, { pastDueCents: number; finalPastDueCents: number }>;
  /** USPS state of every account (for the Massachusetts cap). */
  states: Map<string, string>;
  /** Suppressed-by-rule counts summed over the daily summaries. */
  suppressed: Record<string, number>;
  contactWindow?: { start: string; end: string };
  regFCallsPer7Days?: number;
  maCallsAndTextsPer7Days?: number;
  transient?: { limit: number; windowDays: number };
  /** Calls the dialer stand-in placed, with their outcomes (docs/dialer.md). */
  calls?: readonly { accountId: string; attemptedAt: string; outcome: string }[];
  conversationCooldownDays?: number;
}

const DAY = 86_400_000;
const ratio = (n: number, d: number) => (d > 0 ? Number((n / d).toFixed(4)) : null);

/** Local HH:MM of an instant in an IANA zone. */
export function localHHMM(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const h = parts.find((p) => p.type === 'hour')?.value ?? '00';
  const m = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return `${h}:${m}`;
}

/** The first time each (account, channel) was suppressed by a processed event (epoch ms of processing). */
export function suppressionTimes(events: readonly EventLine[], transient = { limit: 3, windowDays: 7 }): Map<string, number> {
  const out = new Map<string, number>();
  const soft = new Map<string, { at: number; processed: number }[]>();
  const mark = (key: string, processed: number) => {
    const prev = out.get(key);
    if (prev === undefined || processed < prev) out.set(key, processed);
  };
  for (const e of events) {
    if (!e.accountId) continue;
    const key = `${e.accountId}|${e.channel}`;
    const processed = Date.parse(e.processedAt);
    if (e.suppressing) mark(key, processed);
    else if ((e.type === 'bounce' && e.bounceType !== 'Permanent') || (e.type === 'failed' && e.smsEventType && /TTL_EXPIRED|UNREACHABLE|UNKNOWN/.test(e.smsEventType))) {
      const list = soft.get(key) ?? [];
      list.push({ at: Date.parse(e.at), processed });
      soft.set(key, list);
    }
  }
  // N transient failures within M days suppress once the N-th of them is processed.
  for (const [key, list] of soft) {
    list.sort((a, b) => a.at - b.at);
    for (let i = transient.limit - 1; i < list.length; i++) {
      const first = list[i - transient.limit + 1]!;
      if (list[i]!.at - first.at < transient.windowDays * DAY) {
        mark(key, Math.max(...list.slice(i - transient.limit + 1, i + 1).map((x) => x.processed)));
      }
    }
  }
  return out;
}

export function computeMetrics(input: MetricsInput) {
  const window = input.contactWindow ?? { start: '08:00', end: '21:00' };
  const { actions, sends, events } = input;
  const sentActions = actions.filter((a) => sends.get(a.actionId)?.status === 'sent');
  const sentBy = (ch: string) => sentActions.filter((a) => a.channel === ch).length;

  // Messages: action sends recorded `sent` on the ledger; the stand-ins' extra texts are opt-out confirmations.
  const messages = {
    email: sentBy('email'),
    sms: sentBy('sms'),
    voice: 0,
    smsOptOutConfirmations: Math.max(0, input.accepted.sms - sentBy('sms')),
    voicePlanned: actions.filter((a) => a.channel === 'voice').length,
    notSent: {} as Record<string, number>,
  };
  for (const a of actions) {
    if (a.channel === 'voice') continue;
    const s = sends.get(a.actionId);
    if (s?.status === 'sent') continue;
    const k = s ? `${s.status}${s.reason ? `:${s.reason}` : ''}` : 'not_dispatched';
    messages.notSent[k] = (messages.notSent[k] ?? 0) + 1;
  }

  // Rates: delivered per message sent; open/click/reply per message delivered.
  // Campaign messages only: the opt-out confirmation texts (action ids `optout#…`) are not in `messages`.
  const campaign = (e: EventLine) => !(e.actionId && isConfirmationActionId(e.actionId));
  const msgsWith = (ch: string, type: string) => new Set(events.filter((e) => e.channel === ch && e.type === type && e.messageId && campaign(e)).map((e) => e.messageId!)).size;
  const smsReplies = events.filter((e) => e.channel === 'sms' && e.source.startsWith('sms-inbound') && (e.type === 'reply' || e.type === 'opt_out')).length;
  const deliveredEmail = msgsWith('email', 'delivered');
  const deliveredSms = msgsWith('sms', 'delivered');
  const rates = {
    definition: 'delivered = messages with a delivery event / messages sent (ledger `sent`); open, click = messages with ≥1 such event / delivered; reply = inbound replies (incl. STOP) / delivered texts',
    email: {
      delivered: ratio(deliveredEmail, messages.email),
      open: ratio(msgsWith('email', 'open'), deliveredEmail),
      click: ratio(msgsWith('email', 'click'), deliveredEmail),
      reply: null as number | null,
    },
    sms: {
      delivered: ratio(deliveredSms, messages.sms),
      open: null as number | null,
      click: null as number | null,
      reply: ratio(smsReplies, deliveredSms),
    },
  };

  const count = (pred: (e: EventLine) => boolean) => {
    const r = { email: 0, sms: 0, total: 0 };
    for (const e of events) if (pred(e)) (r[e.channel]++, r.total++);
    return r;
  };
  const optOuts = count((e) => e.type === 'opt_out');
  const bounces = {
    ...count((e) => e.type === 'bounce'),
    permanent: events.filter((e) => e.type === 'bounce' && e.suppressing).length,
    transient: events.filter((e) => e.type === 'bounce' && !e.suppressing).length,
  };
  const complaints = count((e) => e.type === 'complaint');
  const payEvents = events.filter((e) => e.type === 'payment');
  const payments = { count: payEvents.length, amountCents: payEvents.reduce((n, e) => n + (e.amountCents ?? 0), 0), accounts: new Set(payEvents.map((e) => e.accountId)).size };
  const promises = events.filter((e) => e.type === 'promise').length;

  // Cure rate by segment: accounts past due in day 1's file, by their day-1 action's segment.
  const day1Segment = new Map<string, string>();
  const firstRun = actions.reduce((m, a) => (a.runDate < m ? a.runDate : m), '9999-12-31');
  for (const a of actions) if (a.runDate === firstRun && !day1Segment.has(a.accountId)) day1Segment.set(a.accountId, a.segment);
  const cure: Record<string, { accounts: number; cured: number; rate: number | null }> = {};
  for (const [id, d] of input.day1) {
    if (!(d.pastDueCents > 0)) continue;
    const seg = day1Segment.get(id) ?? 'not_contacted_day1';
    const c = (cure[seg] ??= { accounts: 0, cured: 0, rate: null });
    c.accounts++;
    if (d.finalPastDueCents === 0) c.cured++;
  }
  for (const c of Object.values(cure)) c.rate = ratio(c.cured, c.accounts);

  // Lift: learned vs holdout arm (assignArm). Response = click or reply (not STOP) per account contacted.
  const exp = DEFAULT_PREFERENCE_POLICY.experiment;
  const responded = new Set(events.filter((e) => e.accountId && (e.type === 'click' || e.type === 'reply')).map((e) => e.accountId!));
  const contacted = new Set(sentActions.map((a) => a.accountId));
  const resp: Record<Arm, ArmOutcome> = { learned: { successes: 0, trials: 0 }, holdout: { successes: 0, trials: 0 } };
  for (const id of contacted) {
    const arm = assignArm(id, exp);
    resp[arm].trials++;
    if (responded.has(id)) resp[arm].successes++;
  }
  const cures: Record<Arm, ArmOutcome> = { learned: { successes: 0, trials: 0 }, holdout: { successes: 0, trials: 0 } };
  for (const [id, d] of input.day1) {
    if (!(d.pastDueCents > 0)) continue;
    const arm = assignArm(id, exp);
    cures[arm].trials++;
    if (d.finalPastDueCents === 0) cures[arm].successes++;
  }
  const round = <T extends object>(o: T): T => JSON.parse(JSON.stringify(o, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v))) as T;
  const rankers: Record<string, number> = {};
  for (const a of actions) if (a.ranker) rankers[a.ranker] = (rankers[a.ranker] ?? 0) + 1;
  const lift = {
    // Read from the plans, not assumed: true only when the Strategy's actions name the learned ranker.
    learnedPolicyActive: (rankers[LEARNED_RANKER_NAME] ?? 0) > 0,
    actionsByRanker: rankers,
    experiment: exp.id,
    holdoutFraction: exp.holdoutFraction,
    responseRate: round(liftInterval(resp.learned, resp.holdout)),
    cureRate: round(liftInterval(cures.learned, cures.holdout)),
  };

  // Compliance, computed independently of the code that enforces it.
  const outsideWindow = { planned: 0, sent: 0 };
  for (const a of actions) {
    const planned = a.sendAt.slice(11, 16); // the offset in sendAt is the action's zone
    if (planned < window.start || planned >= window.end) outsideWindow.planned++;
    const s = sends.get(a.actionId);
    if (s?.status === 'sent' && s.completedAt) {
      const hhmm = localHHMM(Date.parse(s.completedAt), a.timezone);
      const sameDay = new Intl.DateTimeFormat('en-CA', { timeZone: a.timezone }).format(new Date(Date.parse(s.completedAt))) === a.runDate;
      if (!sameDay || hhmm < window.start || hhmm >= window.end) outsideWindow.sent++;
    }
  }
  const rolling = (list: number[], max: number) => {
    list.sort((x, y) => x - y);
    let worst = 0;
    for (let i = 0, j = 0; i < list.length; i++) {
      while (list[i]! - list[j]! >= 7 * DAY) j++;
      worst = Math.max(worst, i - j + 1);
    }
    return worst > max;
  };
  const calls = new Map<string, number[]>();
  const maContacts = new Map<string, number[]>();
  for (const a of actions) {
    const t = Date.parse(a.sendAt);
    if (a.channel === 'voice') (calls.get(a.accountId) ?? calls.set(a.accountId, []).get(a.accountId)!).push(t);
    if (input.states.get(a.accountId) === 'MA' && a.channel !== 'email') (maContacts.get(a.accountId) ?? maContacts.set(a.accountId, []).get(a.accountId)!).push(t);
  }
  const regF = [...calls.values()].filter((l) => rolling(l, input.regFCallsPer7Days ?? 7)).length;
  const ma = [...maContacts.values()].filter((l) => rolling(l, input.maCallsAndTextsPer7Days ?? 2)).length;

  const suppressedAt = suppressionTimes(events, input.transient);
  let plannedAfterSuppression = 0;
  let sentAfterSuppression = 0;
  let suppressedAtSend = 0;
  for (const a of actions) {
    if (a.channel === 'voice') continue;
    const p = suppressedAt.get(`${a.accountId}|${a.channel}`);
    if (p === undefined) continue;
    if ((input.plannedAt.get(a.runDate) ?? 0) > p) plannedAfterSuppression++;
    const s = sends.get(a.actionId);
    const sentAt = s?.completedAt ? Date.parse(s.completedAt) : Date.parse(a.sendAt);
    if (s?.status === 'sent' && sentAt > p) sentAfterSuppression++;
    else if (Date.parse(a.sendAt) > p && (input.plannedAt.get(a.runDate) ?? 0) <= p) suppressedAtSend++;
  }
  // Voice after what the dialer reported, for calls planned once its results were in (they are
  // applied before the next run): within the cooldown of a conversation, or after cease / wrong number.
  const talked = new Map<string, number[]>();
  const doNotCall = new Map<string, number>();
  for (const c of input.calls ?? []) {
    const t = Date.parse(c.attemptedAt);
    if (c.outcome === 'connected' || c.outcome === 'cease') (talked.get(c.accountId) ?? talked.set(c.accountId, []).get(c.accountId)!).push(t);
    if (c.outcome === 'cease' || c.outcome === 'wrong_number') doNotCall.set(c.accountId, Math.min(doNotCall.get(c.accountId) ?? Infinity, t));
  }
  const cooldown = (input.conversationCooldownDays ?? 7) * DAY;
  let callsInConversationCooldown = 0;
  let callsAfterCeaseOrWrongNumber = 0;
  for (const a of actions) {
    if (a.channel !== 'voice') continue;
    const planned = input.plannedAt.get(a.runDate) ?? 0;
    const at = Date.parse(a.sendAt);
    if ((talked.get(a.accountId) ?? []).some((t) => t < planned && at < t + cooldown)) callsInConversationCooldown++;
    if ((doNotCall.get(a.accountId) ?? Infinity) < planned) callsAfterCeaseOrWrongNumber++;
  }

  const violations = {
    outsideContactWindowPlanned: outsideWindow.planned,
    outsideContactWindowSent: outsideWindow.sent,
    regFCallsOver7In7Days: regF,
    maCallsAndTextsOver2In7Days: ma,
    plannedAfterOptOutBounceComplaint: plannedAfterSuppression,
    sentAfterOptOutBounceComplaint: sentAfterSuppression,
    callsWithin7DaysOfConversation: callsInConversationCooldown,
    callsAfterCeaseOrWrongNumber,
  };
  const compliance = {
    suppressedByRule: input.suppressed,
    violations,
    totalViolations: Object.values(violations).reduce((n, v) => n + v, 0),
    // Planned before the opt-out/bounce/complaint was processed, due after it: the sender's INBOUND check stopped them.
    stoppedAtSendTime: suppressedAtSend,
  };
  return { messages, rates, optOuts, bounces, complaints, payments, promises, cureRateBySegment: cure, lift, compliance };
}

export type SimulationMetrics = ReturnType<typeof computeMetrics>;
