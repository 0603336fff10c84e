/**
 * The daily contact decision for one account: stops, segment, channel eligibility (consent,
 * opt-outs), send time inside the legal window, and every frequency cap — with an audit reason
 * for each step. Pure and synchronous: the Strategy use case calls it ~200k times per run.
 */
import { ValidationError } from '../errors';
import type { Account, Channel } from '../portfolio/account';
import type { ContactPolicy, SegmentPolicy } from './policy';
import { segmentFor, segmentReason } from './segments';
import { addDays, DAY_MS } from '../dates';
import { formatInZone, localHHMM, resolveZones, sendWindow, zonedTimeToUtc, type ResolvedZones } from './timezones';
import type { Action, ChannelRanker, ContactEvent, ContactPreferences, Decision, DecisionInput, RankerContext, SuppressionReason, Suppressions } from './types';

/** Default ranker: the segment's channel plan order, unchanged. */
export const BASELINE_RANKER: ChannelRanker = { name: 'baseline', rank: (ctx) => ctx.allowed };

const MINUTE = 60_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const HOURS_RE = /^(([01]\d|2[0-3]):[0-5]\d)-(([01]\d|2[0-3]):[0-5]\d)$/;

interface Planned {
  channel: Channel;
  ms: number;
}

/** A rolling-window cap over one or more channels. */
interface CapGroup {
  code: string;
  channels: readonly Channel[];
  max: number;
  windowMs: number;
}

/** Parsed history: attempt instants per channel, and phone-conversation instants. */
interface History {
  attempts: Record<Channel, number[]>;
  voiceConversations: number[];
}

type ChannelBlock = 'no_channel_consent' | 'opted_out' | 'frequency_cap';
const BLOCK_RANK: Record<ChannelBlock, number> = { no_channel_consent: 0, opted_out: 1, frequency_cap: 2 };

/**
 * True when the lender's own flags stop the account today (do not contact, dispute, bankruptcy, a
 * promise to pay still pending, nothing past due). Nothing in the contact state (opt-outs,
 * history, preferences) can lift such a stop — suppressions and promises only ever add — so the
 * Strategy decides these accounts without reading their state.
 */
export function stoppedByLenderFlags(account: Account, runDate: string, policy: ContactPolicy): boolean {
  return accountStops(account, runDate, policy, null).stops.length > 0;
}

/**
 * The account-level stops, in priority order, shared by decide() and stoppedByLenderFlags() so the
 * two cannot drift. `promiseUntil` is a self-service promise; the lender's and it pause alike, the
 * later wins. `promiseResume` is set only while that promise is pending.
 */
function accountStops(
  account: Account,
  runDate: string,
  policy: ContactPolicy,
  promiseUntil: string | null,
): { stops: SuppressionReason[]; promiseResume: string | null } {
  const stops: SuppressionReason[] = [];
  let promiseResume: string | null = null;
  if (account.doNotContact) stops.push('do_not_contact');
  if (account.inDispute) stops.push('in_dispute');
  if (account.bankruptcy) stops.push('bankruptcy');
  const promised = laterDate(account.promiseToPayDate, promiseUntil);
  if (promised) {
    const resume = addDays(promised, policy.promiseToPay.resumeDaysAfterPromise);
    if (runDate < resume) {
      stops.push('promise_pending');
      promiseResume = resume;
    }
  }
  if (account.amountPastDueCents <= 0 || account.daysPastDue <= 0) stops.push('nothing_past_due');
  return { stops, promiseResume };
}

export function decide(input: DecisionInput, policy: ContactPolicy): Decision {
  const { account, score, runDate } = input;
  validateInput(score, runDate);
  const reasons: string[] = [];
  const segment = segmentFor(account, score, policy);
  const segReason = segmentReason(segment, account, score);
  reasons.push(segReason);

  const noContact = (by: SuppressionReason): Decision => {
    reasons.push(`no_contact:${by}`);
    return { accountId: account.accountId, runDate, segment: segment.id, score, contact: false, actions: [], suppressedBy: by, reasons };
  };

  // 1. Account-level stops. All that apply are recorded; the first (in this order) is primary.
  const prefs: ContactPreferences = input.preferences ?? {};
  const promiseUntil = prefs.promiseUntil && DATE_RE.test(prefs.promiseUntil) ? prefs.promiseUntil : null;
  const { stops, promiseResume } = accountStops(account, runDate, policy, promiseUntil);
  if (promiseResume) reasons.push(`suppressed:promise_pending(until=${promiseResume})`);
  for (const s of stops) if (s !== 'promise_pending') reasons.push(`suppressed:${s}`);
  if (stops[0]) return noContact(stops[0]);

  // 2. Where the consumer is.
  const zones = resolveZones(account.timezone, account.state, policy.stateTimezones);
  if (account.timezone && zones?.source !== 'account') reasons.push(`timezone:invalid_account_zone_fallback_state(${account.state})`);
  if (!zones) {
    reasons.push(`timezone:unknown(state=${account.state})`);
    return noContact('no_timezone');
  }
  if (zones.source === 'state') reasons.push(`timezone:from_state(${account.state}=${zones.zones.join(',')})`);
  // Preferred hours narrow the legal window; a time the consumer called inconvenient is never used.
  let windowStart = policy.contactWindow.start;
  let windowEnd = policy.contactWindow.end;
  if (prefs.hours) {
    const m = HOURS_RE.exec(prefs.hours);
    if (m) {
      if (m[1]! > windowStart) windowStart = m[1]!;
      if (m[3]! < windowEnd) windowEnd = m[3]!;
      reasons.push(`preference:hours(${prefs.hours})`);
      if (windowStart >= windowEnd) {
        reasons.push('send_window:empty(preferred_hours)');
        return noContact('outside_window');
      }
    } else reasons.push('preference:hours_ignored(malformed)');
  }
  const window = sendWindow(zones.zones, runDate, windowStart, windowEnd);
  if (!window) {
    reasons.push(`send_window:empty(${zones.zones.join(',')})`);
    return noContact('outside_window');
  }
  const windowReason = `send_window:${localHHMM(window.startMs, zones.primary)}-${localHHMM(window.endMs, zones.primary)} ${zones.primary}`;
  reasons.push(windowReason);

  // 3. Channel eligibility: consent, address, opt-outs, then each cap on its own.
  const history = parseHistory(input.history, `${runDate}#${account.accountId}#`);
  const groups = capGroups(account.state, policy);
  const sendMs = new Map<Channel, number>();
  const allowed: Channel[] = [];
  let worstBlock: ChannelBlock | null = null;
  const block = (b: ChannelBlock) => {
    if (worstBlock === null || BLOCK_RANK[b] > BLOCK_RANK[worstBlock]) worstBlock = b;
  };
  for (const channel of segment.channels) {
    const excluded = consentExclusions(account, channel, input.suppressions);
    if (excluded.length > 0) {
      for (const why of excluded) reasons.push(`channel_excluded:${channel}:${why}`);
      block(excluded.includes('no_consent') || excluded.includes('no_address') || excluded.includes('no_phone') ? 'no_channel_consent' : 'opted_out');
      continue;
    }
    const ms = plannedInstant(segment, channel, zones, runDate, window);
    sendMs.set(channel, ms);
    const capped = capViolations(history, groups, [{ channel, ms }]);
    if (channel === 'voice') {
      const cooldown = policy.regF.conversationCooldownDays * DAY_MS;
      if (cooldown > 0 && history.voiceConversations.some((t) => t > ms - cooldown)) {
        capped.push(`cap:reg_f_conversation_${policy.regF.conversationCooldownDays}d`);
      }
    }
    if (capped.length > 0) {
      for (const code of capped) reasons.push(`${code}(${channel})`);
      block('frequency_cap');
      continue;
    }
    allowed.push(channel);
  }
  if (allowed.length === 0) return noContact(worstBlock ?? 'no_channel_consent');

  // 4. Channel order: the ranker may reorder/drop, never add.
  const ranker = input.channelRanker ?? BASELINE_RANKER;
  const ranked = rankChannels(ranker, { account, score, segment: segment.id, runDate, allowed, history: input.history }, reasons);
  if (prefs.channel) {
    // The consumer's stated channel outranks the learned order, but only among allowed channels.
    if (allowed.includes(prefs.channel)) {
      const i = ranked.indexOf(prefs.channel);
      if (i !== 0) {
        if (i > 0) ranked.splice(i, 1);
        ranked.unshift(prefs.channel);
      }
      reasons.push(`preference:channel(${prefs.channel})`);
    } else reasons.push(`preference:channel_unavailable(${prefs.channel})`);
  }
  if (ranked.length === 0) return noContact('ranker_declined');

  // 5. Pick in rank order up to the daily maximum; combined caps (MA calls+texts, all-channel) are
  // re-checked against what is already planned today.
  const chosen: Planned[] = [];
  for (const channel of ranked) {
    if (chosen.length >= segment.maxChannelsPerDay) {
      reasons.push(`channel_skipped:${channel}:max_channels_per_day(${segment.maxChannelsPerDay})`);
      continue;
    }
    const ms = sendMs.get(channel) ?? 0;
    const capped = capViolations(history, groups, [...chosen, { channel, ms }]);
    if (capped.length > 0) {
      for (const code of capped) reasons.push(`${code}(${channel})`);
      block('frequency_cap');
      continue;
    }
    chosen.push({ channel, ms });
  }
  if (chosen.length === 0) return noContact(worstBlock ?? 'frequency_cap');

  // 6. Actions.
  const { language, reason: languageReason } = pickLanguage(account, policy, prefs.language ?? null);
  reasons.push(languageReason);
  const actions: Action[] = chosen.map((p, i) => {
    const template = segment.templates[p.channel] ?? '';
    const local = localHHMM(p.ms, zones.primary);
    const preferred = segment.sendTimes[p.channel] ?? windowStart;
    const actionReasons = [segReason, `channel:${p.channel}(rank=${i + 1},ranker=${ranker.name})`, `template:${template}`, languageReason];
    if (local !== preferred) actionReasons.push(`send_time_adjusted:${preferred}->${local}(window)`);
    actionReasons.push(`send_time:${local} ${zones.primary}`);
    if (zones.zones.length > 1) actionReasons.push(windowReason);
    reasons.push(`action:${p.channel}@${local} ${zones.primary}`);
    return {
      actionId: `${runDate}#${account.accountId}#${p.channel}`,
      accountId: account.accountId,
      runDate,
      channel: p.channel,
      sendAt: formatInZone(p.ms, zones.primary),
      timezone: zones.primary,
      segment: segment.id,
      template,
      language,
      reasons: actionReasons,
      score,
    };
  });
  return { accountId: account.accountId, runDate, segment: segment.id, score, contact: true, actions, suppressedBy: null, reasons };
}

/** The attempts a decision adds to the contacts LOG (`at` in UTC, so the LOG sorts as text). */
export function contactEventsFor(decision: Decision): ContactEvent[] {
  return decision.actions.map((a) => ({ at: new Date(Date.parse(a.sendAt)).toISOString(), channel: a.channel, kind: 'attempt', actionId: a.actionId }));
}

/**
 * Events from the last `keepDays` days before runDate (UTC midnight), oldest first, without
 * duplicates (same kind + actionId) and without unparseable timestamps.
 */
export function pruneHistory(events: readonly ContactEvent[], runDate: string, keepDays = 35): ContactEvent[] {
  const cutoff = Date.parse(`${runDate}T00:00:00Z`) - keepDays * DAY_MS;
  const seen = new Set<string>();
  const kept: { ms: number; e: ContactEvent }[] = [];
  for (const e of events) {
    const ms = Date.parse(e.at);
    if (!Number.isFinite(ms) || ms < cutoff) continue;
    if (e.actionId) {
      const key = `${e.kind}|${e.actionId}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    kept.push({ ms, e });
  }
  kept.sort((a, b) => a.ms - b.ms);
  return kept.map((k) => k.e);
}

/**
 * The LOG after a (re-)run: this run's earlier attempts for the account are replaced by the
 * decision's, so re-running a day never double-counts; conversations are kept.
 */
export function mergeHistory(existing: readonly ContactEvent[], decision: Decision, keepDays = 35): ContactEvent[] {
  const own = `${decision.runDate}#${decision.accountId}#`;
  const others = existing.filter((e) => !(e.kind === 'attempt' && e.actionId?.startsWith(own)));
  return pruneHistory([...others, ...contactEventsFor(decision)], decision.runDate, keepDays);
}

// ---------------------------------------------------------------------------------------------

function validateInput(score: number, runDate: string): void {
  if (!(typeof score === 'number' && score >= 0 && score <= 1)) {
    throw new ValidationError('score must be a probability in [0, 1]', [{ path: 'score', message: String(score) }]);
  }
  if (!DATE_RE.test(runDate) || Number.isNaN(Date.parse(`${runDate}T00:00:00Z`))) {
    throw new ValidationError('runDate must be YYYY-MM-DD', [{ path: 'runDate', message: runDate }]);
  }
}

const laterDate = (a: string | null, b: string | null): string | null => (a && b ? (a > b ? a : b) : (a ?? b));

/** Why a channel may not be used at all (no PII: codes only). */
function consentExclusions(account: Account, channel: Channel, sup: Suppressions): string[] {
  const out: string[] = [];
  if (channel === 'email') {
    if (!account.email) out.push('no_address');
    if (!account.emailConsent) out.push('no_consent');
    if (account.email && sup.email.length > 0) {
      const mine = account.email.toLowerCase();
      if (sup.email.some((e) => e.toLowerCase() === mine)) out.push('opted_out');
    }
    return out;
  }
  if (!account.phone) out.push('no_phone');
  if (!(channel === 'sms' ? account.smsConsent : account.callConsent)) out.push('no_consent');
  const list = channel === 'sms' ? sup.sms : sup.voice;
  if (account.phone && list.length > 0) {
    const mine = normalizePhone(account.phone);
    if (list.some((p) => normalizePhone(p) === mine)) out.push('opted_out');
  }
  return out;
}

/** Digits only, NANP numbers with the country code: '+1 (555) 123-4567' == '5551234567'. */
export function normalizePhone(p: string): string {
  const d = p.replace(/\D/g, '');
  return d.length === 10 ? `1${d}` : d;
}

/** The segment's preferred local time in the display zone, clamped into the shared window. */
function plannedInstant(segment: SegmentPolicy, channel: Channel, zones: ResolvedZones, runDate: string, w: { startMs: number; endMs: number }): number {
  const preferred = segment.sendTimes[channel] ?? '';
  const ms = zonedTimeToUtc(zones.primary, runDate, preferred).utcMs;
  // The window end is exclusive: the latest send is one minute before it.
  return Math.min(Math.max(ms, w.startMs), w.endMs - MINUTE);
}

function parseHistory(events: readonly ContactEvent[], ownPrefix: string): History {
  const h: History = { attempts: { email: [], sms: [], voice: [] }, voiceConversations: [] };
  for (const e of events) {
    const ms = Date.parse(e.at);
    // An unparseable timestamp cannot be placed in a window; the LOG writer never produces one.
    if (!Number.isFinite(ms)) continue;
    if (e.kind === 'conversation') {
      if (e.channel === 'voice') h.voiceConversations.push(ms);
      continue;
    }
    // This run's own earlier attempts (a re-run of the same day) are replaced, not added to.
    if (e.actionId?.startsWith(ownPrefix)) continue;
    h.attempts[e.channel]?.push(ms);
  }
  return h;
}

function capGroups(state: string, policy: ContactPolicy): CapGroup[] {
  const week = 7 * DAY_MS;
  const groups: CapGroup[] = [
    { code: `cap:reg_f_${policy.regF.callsPer7Days}_in_7`, channels: ['voice'], max: policy.regF.callsPer7Days, windowMs: week },
    { code: `cap:email_${policy.channelCaps.email.max}_in_${policy.channelCaps.email.windowDays}`, channels: ['email'], max: policy.channelCaps.email.max, windowMs: policy.channelCaps.email.windowDays * DAY_MS },
    { code: `cap:sms_${policy.channelCaps.sms.max}_in_${policy.channelCaps.sms.windowDays}`, channels: ['sms'], max: policy.channelCaps.sms.max, windowMs: policy.channelCaps.sms.windowDays * DAY_MS },
  ];
  const sp = policy.statePolicies[state];
  if (sp?.callsAndTextsPer7Days !== undefined) {
    groups.push({ code: `cap:state_${state}_${sp.callsAndTextsPer7Days}_in_7`, channels: ['voice', 'sms'], max: sp.callsAndTextsPer7Days, windowMs: week });
  }
  if (sp?.allChannelsPer7Days !== undefined) {
    groups.push({ code: `cap:state_${state}_all_channels_${sp.allChannelsPer7Days}_in_7`, channels: ['email', 'sms', 'voice'], max: sp.allChannelsPer7Days, windowMs: week });
  }
  return groups;
}

/**
 * Cap codes `planned` would break. For each group the binding window is the one ending at the
 * group's earliest planned send (it reaches furthest back); all of today's sends fall inside it
 * because every window is >= 1 day and the send window is shorter. History after the planned
 * send is counted too (only clock skew can produce it; counting it errs on the safe side).
 */
function capViolations(history: History, groups: readonly CapGroup[], planned: readonly Planned[]): string[] {
  const out: string[] = [];
  for (const g of groups) {
    let n = 0;
    let first = Infinity;
    for (const p of planned) {
      if (g.channels.includes(p.channel)) {
        n += 1;
        if (p.ms < first) first = p.ms;
      }
    }
    if (n === 0) continue;
    const since = first - g.windowMs;
    for (const c of g.channels) for (const t of history.attempts[c]) if (t > since) n += 1;
    if (n > g.max) out.push(g.code);
  }
  return out;
}

function rankChannels(ranker: ChannelRanker, ctx: RankerContext, reasons: string[]): Channel[] {
  let proposed: readonly Channel[];
  try {
    proposed = ranker.rank(ctx);
  } catch {
    // A failing learned model must not stop the compliant baseline plan.
    reasons.push(`ranker_error:${ranker.name}(baseline_used)`);
    return [...ctx.allowed];
  }
  const out: Channel[] = [];
  for (const c of proposed) {
    if (!ctx.allowed.includes(c)) {
      reasons.push(`ranker_ignored:${String(c)}:not_allowed`);
      continue;
    }
    if (!out.includes(c)) out.push(c);
  }
  reasons.push(`ranker:${ranker.name}(${out.join('>') || 'none'})`);
  return out;
}

function pickLanguage(account: Account, policy: ContactPolicy, preferred: string | null): { language: string; reason: string } {
  if (preferred && policy.languages.includes(preferred)) return { language: preferred, reason: `language:${preferred}(preference)` };
  if (policy.languages.includes(account.language)) return { language: account.language, reason: `language:${account.language}` };
  return { language: policy.defaultLanguage, reason: `language:${policy.defaultLanguage}(fallback_from=${account.language})` };
}
