/**
 * Property-style check over a few thousand random accounts: whatever the inputs, no action is
 * outside the contact window in any candidate zone, over a cap, to a stopped account, or on a
 * channel without consent. The cap check here is an independent re-implementation: for every
 * planned send T, count attempts in (T - 7 days, T] (history + today's plan).
 */
import type { Account, Channel } from '../../../src/domain/portfolio/account';
import { decide } from '../../../src/domain/strategy/engine';
import { DEFAULT_CONTACT_POLICY } from '../../../src/domain/strategy/policy';
import { localHHMM, resolveZones, STATE_TIMEZONES } from '../../../src/domain/strategy/timezones';
import type { ContactEvent, Suppressions } from '../../../src/domain/strategy/types';
import { makeAccount, allChannelsPolicy } from './fixtures';

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = mulberry32(20260308);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const chance = (p: number) => rnd() < p;
const DAY = 86_400_000;
const STATES = Object.keys(STATE_TIMEZONES);
const RUN_DATES = ['2026-03-07', '2026-03-08', '2026-03-09', '2026-07-01', '2026-10-31', '2026-11-01', '2026-11-02', '2026-12-31'];
const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'Pacific/Honolulu', 'America/Puerto_Rico', 'America/Anchorage', 'Not/AZone'];
const CHANNELS: Channel[] = ['email', 'sms', 'voice'];
const POLICIES = [
  DEFAULT_CONTACT_POLICY,
  allChannelsPolicy({ statePolicies: { MA: { callsAndTextsPer7Days: 2 }, NY: { allChannelsPer7Days: 3 }, TX: { callsAndTextsPer7Days: 3 } } }, { sendTimes: { email: '06:00', sms: '12:00', voice: '22:30' } }),
];

function randomAccount(i: number): Account {
  const state = pick(STATES);
  return makeAccount({
    accountId: `P${i}`,
    email: chance(0.85) ? `user${i}@example.com` : null,
    phone: chance(0.85) ? `+1555${String(1_000_000 + i).slice(-7)}` : null,
    language: pick(['en', 'es', 'fr', 'vi']),
    state,
    timezone: chance(0.5) ? pick(ZONES) : null,
    balanceDueCents: Math.floor(rnd() * 800_000),
    amountPastDueCents: chance(0.05) ? 0 : 1 + Math.floor(rnd() * 50_000),
    daysPastDue: chance(0.05) ? 0 : Math.floor(rnd() * 200),
    emailConsent: chance(0.8),
    smsConsent: chance(0.7),
    callConsent: chance(0.8),
    doNotContact: chance(0.03),
    inDispute: chance(0.03),
    bankruptcy: chance(0.02),
    promiseToPayDate: chance(0.1) ? pick(['2026-03-01', '2026-03-08', '2026-03-10', '2026-07-02', '2026-11-01', '2027-01-01']) : null,
  });
}

function randomHistory(runDate: string): ContactEvent[] {
  const base = Date.parse(`${runDate}T00:00:00Z`);
  const n = Math.floor(rnd() * 14);
  return Array.from({ length: n }, (_, k) => ({
    at: new Date(base - Math.floor(rnd() * 10 * DAY) + Math.floor(rnd() * DAY)).toISOString(),
    channel: pick(CHANNELS),
    kind: chance(0.1) ? ('conversation' as const) : ('attempt' as const),
    actionId: `h${k}`,
  }));
}

function countIn(events: { ms: number; channel: Channel }[], channels: Channel[], endMs: number, windowDays: number): number {
  return events.filter((e) => channels.includes(e.channel) && e.ms > endMs - windowDays * DAY && e.ms <= endMs).length;
}

test('random accounts: window, caps, stops, consent, reasons, no PII', () => {
  let contacted = 0;
  let actionsSeen = 0;
  for (let i = 0; i < 4000; i++) {
    const policy = POLICIES[i % POLICIES.length]!;
    const account = randomAccount(i);
    const runDate = pick(RUN_DATES);
    const history = randomHistory(runDate);
    const suppressions: Suppressions = {
      email: chance(0.1) && account.email ? [account.email.toUpperCase()] : [],
      sms: chance(0.1) && account.phone ? [account.phone] : [],
      voice: chance(0.1) && account.phone ? [account.phone] : [],
    };
    const score = rnd();
    const d = decide({ account, score, runDate, history, suppressions }, policy);
    const ctx = JSON.stringify({ account, runDate, history, suppressions, d });

    expect(d.reasons.length).toBeGreaterThan(0);
    expect(d.reasons[0]).toMatch(/^segment:/);
    expect(d.contact).toBe(d.actions.length > 0);
    expect(d.suppressedBy === null).toBe(d.contact);
    const pii = [account.email, account.phone?.slice(2), account.firstName, account.lastName].filter(Boolean) as string[];
    const allReasons = JSON.stringify([d.reasons, d.actions.map((a) => a.reasons)]).toLowerCase();
    for (const p of pii) expect(allReasons).not.toContain(p.toLowerCase());
    if (!d.contact) continue;

    contacted++;
    expect(account.doNotContact || account.inDispute || account.bankruptcy).toBe(false);
    expect(account.amountPastDueCents > 0 && account.daysPastDue > 0).toBe(true);
    if (account.promiseToPayDate) expect(account.promiseToPayDate <= runDate).toBe(true);
    const segment = policy.segments.find((s) => s.id === d.segment)!;
    expect(d.actions.length).toBeLessThanOrEqual(segment.maxChannelsPerDay);
    expect(new Set(d.actions.map((a) => a.actionId)).size).toBe(d.actions.length);

    const zones = resolveZones(account.timezone, account.state, policy.stateTimezones)!.zones;
    for (const a of d.actions) {
      actionsSeen++;
      expect(a.actionId).toBe(`${runDate}#${account.accountId}#${a.channel}`);
      expect(a.reasons.length).toBeGreaterThan(0);
      const ms = Date.parse(a.sendAt);
      expect(a.sendAt.slice(0, 10)).toBe(runDate);
      expect(a.sendAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$/);
      expect(localHHMM(ms, a.timezone)).toBe(a.sendAt.slice(11, 16));
      for (const z of zones) {
        const local = localHHMM(ms, z);
        if (!(local >= policy.contactWindow.start && local < policy.contactWindow.end)) throw new Error(`outside window in ${z}: ${ctx}`);
      }
      // consent, address, opt-outs
      if (a.channel === 'email') expect(account.email && account.emailConsent && suppressions.email.length === 0).toBeTruthy();
      if (a.channel === 'sms') expect(account.phone && account.smsConsent && suppressions.sms.length === 0).toBeTruthy();
      if (a.channel === 'voice') expect(account.phone && account.callConsent && suppressions.voice.length === 0).toBeTruthy();
    }

    // caps: every window ending at a planned send
    const attempts = history.filter((e) => e.kind === 'attempt').map((e) => ({ ms: Date.parse(e.at), channel: e.channel }));
    const planned = d.actions.map((a) => ({ ms: Date.parse(a.sendAt), channel: a.channel }));
    const all = [...attempts, ...planned];
    const sp = policy.statePolicies[account.state];
    for (const p of planned) {
      if (p.channel === 'voice') {
        if (countIn(all, ['voice'], p.ms, 7) > policy.regF.callsPer7Days) throw new Error(`reg F: ${ctx}`);
        const talked = history.some((e) => e.kind === 'conversation' && e.channel === 'voice' && Date.parse(e.at) > p.ms - 7 * DAY && Date.parse(e.at) <= p.ms);
        if (talked) throw new Error(`call after conversation: ${ctx}`);
      }
      if (p.channel !== 'voice') {
        const cap = policy.channelCaps[p.channel];
        if (countIn(all, [p.channel], p.ms, cap.windowDays) > cap.max) throw new Error(`${p.channel} cap: ${ctx}`);
      }
      if (sp?.callsAndTextsPer7Days !== undefined && p.channel !== 'email' && countIn(all, ['voice', 'sms'], p.ms, 7) > sp.callsAndTextsPer7Days) throw new Error(`state cap: ${ctx}`);
      if (sp?.allChannelsPer7Days !== undefined && countIn(all, CHANNELS, p.ms, 7) > sp.allChannelsPer7Days) throw new Error(`all-channel cap: ${ctx}`);
    }
  }
  // the generator must actually exercise the contact path
  expect(contacted).toBeGreaterThan(1000);
  expect(actionsSeen).toBeGreaterThan(1500);
});
