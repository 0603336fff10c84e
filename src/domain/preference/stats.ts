/**
 * Per account and channel: how often we reached the consumer (attempts) and how often they
 * responded. Built from the engagement table's counters (email, SMS) and the contact LOG (voice),
 * with the definitions in config/preference-policy.json `responses` (docs/preference-model.md).
 */
import { CHANNELS, type Channel } from '../portfolio/account';
import type { ContactEvent } from '../strategy/types';
import type { PreferencePolicy } from './policy';
import { DAY_MS } from '../dates';

/** Pseudo-counts: month decay and weights make them non-integer; responses <= attempts always. */
export interface ChannelStat {
  attempts: number;
  responses: number;
}

/** One account's stats; a channel without data is absent (its prior alone is used). */
export type ChannelStats = Partial<Record<Channel, ChannelStat>>;

/**
 * One monthly counter item of the engagement table, as plain data: `counts` per kind (`delivered`,
 * `open`, `click`, `reply`, `bounce`, `opt_out`, …). `month` is `YYYY-MM`.
 */
export interface MonthlyCounters {
  channel: string;
  month: string;
  counts: Readonly<Record<string, number | undefined>>;
}

/** Already summed counters per channel (the shape of EngagementStore.getEngagement): no decay applied. */
export type SummedCounters = Partial<Record<string, { counts: Readonly<Record<string, number | undefined>> }>>;

const SK_RE = /^CH#([a-z]+)#(\d{4}-\d{2})$/;

/**
 * A raw (unmarshalled) engagement item `{ pk, sk: 'CH#<channel>#<YYYY-MM>', <kind>: n, last_<kind>, ids, … }`
 * as plain counters: every numeric attribute is a count; anything else (ids, last_*, expiresAt is
 * not on counter items) is skipped. Undefined for items that are not counter items.
 */
export function countersFromItem(item: Readonly<Record<string, unknown>>): MonthlyCounters | undefined {
  const m = typeof item.sk === 'string' ? SK_RE.exec(item.sk) : null;
  if (!m) return undefined;
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries(item)) if (typeof v === 'number' && Number.isFinite(v) && k !== 'expiresAt') counts[k] = v;
  return { channel: m[1]!, month: m[2]!, counts };
}

/** Whole months from `month` (YYYY-MM) to the run date's month; negative when in the future. */
export function monthsBefore(month: string, runDate: string): number {
  const y = Number(month.slice(0, 4));
  const mo = Number(month.slice(5, 7));
  return (Number(runDate.slice(0, 4)) - y) * 12 + (Number(runDate.slice(5, 7)) - mo);
}

/** Weight of a month `age` months before the run month (0 when outside the kept window). */
export function monthWeight(age: number, policy: PreferencePolicy): number {
  // A month after the run date is clock skew or a future-dated event: counted like the run month.
  const a = Math.max(0, age);
  if (a >= policy.history.maxMonths) return 0;
  const hl = policy.history.halfLifeMonths;
  return hl === null ? 1 : Math.pow(0.5, a / hl);
}

/**
 * Stats from monthly counter items (any order, several channels, duplicates of one item must not
 * be passed). Months are decayed by age relative to `runDate`; per channel, attempts are the first
 * attempt kind with a non-zero weighted total, responses the weighted sum of response kinds,
 * capped at attempts (counters count events, not messages: three clicks on one email are three).
 */
export function statsFromMonthlyCounters(records: Iterable<MonthlyCounters>, runDate: string, policy: PreferencePolicy): ChannelStats {
  const acc = new Map<Channel, Map<string, number>>();
  for (const r of records) {
    if (!isChannel(r.channel)) continue;
    const w = monthWeight(monthsBefore(r.month, runDate), policy);
    if (w === 0) continue;
    const sums = acc.get(r.channel) ?? new Map<string, number>();
    acc.set(r.channel, sums);
    for (const [k, v] of Object.entries(r.counts)) if (typeof v === 'number' && v > 0) sums.set(k, (sums.get(k) ?? 0) + w * v);
  }
  const out: ChannelStats = {};
  for (const [ch, sums] of acc) {
    const stat = statFromSums(ch, (k) => sums.get(k) ?? 0, policy);
    if (stat) out[ch] = stat;
  }
  return out;
}

/**
 * Keys of the monthly counter items the model reads for one account (`ACCT#<id>` /
 * `CH#<channel>#<YYYY-MM>`, run month and the `maxMonths − 1` before it), for one BatchGetItem
 * over a whole chunk. Voice has no engagement counters (it comes from the LOG).
 */
export function counterKeys(accountId: string, runDate: string, policy: PreferencePolicy, channels: readonly string[] = ['email', 'sms']): { pk: string; sk: string }[] {
  const y = Number(runDate.slice(0, 4));
  const m = Number(runDate.slice(5, 7)) - 1;
  const keys: { pk: string; sk: string }[] = [];
  for (let k = 0; k < policy.history.maxMonths; k++) {
    const total = y * 12 + m - k;
    const month = `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
    for (const ch of channels) keys.push({ pk: `ACCT#${accountId}`, sk: `CH#${ch}#${month}` });
  }
  return keys;
}

/** The counter attributes the model reads (attempt kinds and weighted response kinds): a projection that skips `ids`. */
export function countedKinds(policy: PreferencePolicy): string[] {
  const kinds = new Set<string>();
  for (const ch of CHANNELS) {
    for (const k of policy.responses[ch].attempts) kinds.add(k);
    for (const [k, w] of Object.entries(policy.responses[ch].responses)) if (w > 0) kinds.add(k);
  }
  return [...kinds].sort();
}

/** Stats from counters already summed over months (EngagementStore.getEngagement): no decay. */
export function statsFromSummedCounters(summed: SummedCounters, policy: PreferencePolicy): ChannelStats {
  const out: ChannelStats = {};
  for (const ch of CHANNELS) {
    const c = summed[ch]?.counts;
    if (!c) continue;
    const stat = statFromSums(ch, (k) => Math.max(0, c[k] ?? 0), policy);
    if (stat) out[ch] = stat;
  }
  return out;
}

/**
 * Voice stats from the contact LOG: attempts = voice call attempts, responses = voice
 * conversations (right-party contact). This run's own earlier attempts (a re-run of the day,
 * actionId `<runDate>#<accountId>#…`) are not counted, so a re-run sees the same stats.
 */
export function voiceStatsFromHistory(history: readonly ContactEvent[], ownActionPrefix: string, policy: PreferencePolicy): ChannelStat | undefined {
  const counts: Record<string, number> = {};
  for (const e of history) {
    if (e.channel !== 'voice') continue;
    if (e.kind === 'attempt' && e.actionId?.startsWith(ownActionPrefix)) continue;
    counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  }
  return statFromSums('voice', (k) => counts[k] ?? 0, policy);
}

/**
 * The channel credited with a payment: the latest attempt (any channel) whose UTC date is on or
 * before `paymentDate` and at most `windowDays` before it. This run's own attempts never count.
 */
export function attributePayment(history: readonly ContactEvent[], paymentDate: string | null, windowDays: number, ownActionPrefix: string): Channel | null {
  if (!paymentDate || windowDays <= 0) return null;
  const payMs = Date.parse(`${paymentDate}T00:00:00Z`);
  if (!Number.isFinite(payMs)) return null;
  const earliest = payMs - windowDays * DAY_MS;
  let best: { ms: number; ch: Channel } | null = null;
  for (const e of history) {
    if (e.kind !== 'attempt' || e.actionId?.startsWith(ownActionPrefix)) continue;
    const ms = Date.parse(e.at);
    if (!Number.isFinite(ms)) continue;
    const day = Date.parse(`${new Date(ms).toISOString().slice(0, 10)}T00:00:00Z`);
    if (day > payMs || day < earliest) continue;
    if (!best || ms > best.ms) best = { ms, ch: e.channel };
  }
  return best?.ch ?? null;
}

/** `stat` plus `weight` responses (capped at attempts; nothing credited without an attempt). */
export function creditResponse(stat: ChannelStat | undefined, weight: number): ChannelStat | undefined {
  if (!stat) return undefined;
  return { attempts: stat.attempts, responses: Math.min(stat.attempts, stat.responses + weight) };
}

/** Sum of stats (pooling accounts of a segment, or merging sources). */
export function addStats(a: ChannelStat | undefined, b: ChannelStat | undefined): ChannelStat {
  return { attempts: (a?.attempts ?? 0) + (b?.attempts ?? 0), responses: (a?.responses ?? 0) + (b?.responses ?? 0) };
}

function statFromSums(ch: Channel, count: (kind: string) => number, policy: PreferencePolicy): ChannelStat | undefined {
  const spec = policy.responses[ch];
  let attempts = 0;
  for (const k of spec.attempts) {
    attempts = count(k);
    if (attempts > 0) break;
  }
  if (!(attempts > 0)) return undefined;
  let responses = 0;
  for (const [k, w] of Object.entries(spec.responses)) if (w > 0) responses += w * count(k);
  return { attempts, responses: Math.min(attempts, responses) };
}

function isChannel(c: string): c is Channel {
  return (CHANNELS as readonly string[]).includes(c);
}
