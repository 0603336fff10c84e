import { contactEventsFor, decide, mergeHistory, pruneHistory, BASELINE_RANKER } from '../../../src/domain/strategy/engine';
import { DEFAULT_CONTACT_POLICY } from '../../../src/domain/strategy/policy';
import { describeReason } from '../../../src/domain/strategy/reasons';
import type { ChannelRanker, ContactEvent } from '../../../src/domain/strategy/types';
import { ValidationError } from '../../../src/domain/errors';
import { allChannelsPolicy, channelsOf, DAY_MIN, eventAt, makeAccount, makeInput, NO_SUPPRESSIONS } from './fixtures';

const P = allChannelsPolicy();
// allChannelsPolicy on 2026-04-14 in New York (EDT, -04:00): the planned instants.
const VOICE_AT = '2026-04-14T15:00:00.000Z'; // 11:00 EDT
const SMS_AT = '2026-04-14T17:00:00.000Z'; // 13:00 EDT
const EMAIL_AT = '2026-04-14T13:00:00.000Z'; // 09:00 EDT

const repeat = (n: number, f: (i: number) => ContactEvent) => Array.from({ length: n }, (_, i) => f(i));

describe('account-level stops', () => {
  test.each([
    [{ doNotContact: true }, 'do_not_contact'],
    [{ inDispute: true }, 'in_dispute'],
    [{ bankruptcy: true }, 'bankruptcy'],
    [{ amountPastDueCents: 0 }, 'nothing_past_due'],
    [{ daysPastDue: 0 }, 'nothing_past_due'],
    [{ promiseToPayDate: '2026-04-15' }, 'promise_pending'],
    [{ doNotContact: true, bankruptcy: true }, 'do_not_contact'],
    [{ inDispute: true, bankruptcy: true, promiseToPayDate: '2026-05-01' }, 'in_dispute'],
    [{ bankruptcy: true, amountPastDueCents: 0 }, 'bankruptcy'],
  ])('%j stops all outreach (%s)', (over, primary) => {
    const d = decide(makeInput({ account: makeAccount(over) }), P);
    expect(d.contact).toBe(false);
    expect(d.actions).toEqual([]);
    expect(d.suppressedBy).toBe(primary);
    expect(d.reasons.some((r) => r.startsWith(`suppressed:${primary}`))).toBe(true);
    expect(d.reasons).toContain(`no_contact:${primary}`);
    // every applicable stop is in the audit, not only the primary one
    if ('bankruptcy' in over) expect(d.reasons).toContain('suppressed:bankruptcy');
  });

  test.each([
    ['2026-04-13', 0, true], // promise yesterday: passed
    ['2026-04-14', 0, true], // promise today: not in the future (> runDate) any more
    ['2026-04-15', 0, false], // promise tomorrow: paused
    ['2026-03-01', 0, true], // long past
    ['2026-04-14', 1, false], // policy: resume the day after the promise date
    ['2026-04-13', 1, true],
  ])('promise to pay %s with resumeDaysAfterPromise=%i -> contact=%s', (promise, resume, contact) => {
    const policy = allChannelsPolicy({ promiseToPay: { resumeDaysAfterPromise: resume } });
    const d = decide(makeInput({ account: makeAccount({ promiseToPayDate: promise }) }), policy);
    expect(d.contact).toBe(contact);
    if (!contact) {
      expect(d.suppressedBy).toBe('promise_pending');
      expect(d.reasons.some((r) => r.startsWith('suppressed:promise_pending(until='))).toBe(true);
    }
  });

  test('nothing past due is checked on both amount and days', () => {
    expect(decide(makeInput({ account: makeAccount({ amountPastDueCents: 1, daysPastDue: 1 }) }), P).contact).toBe(true);
  });
});

describe('channel consent, address and opt-outs', () => {
  test.each([
    [{ email: null }, 'email', 'no_address'],
    [{ emailConsent: false }, 'email', 'no_consent'],
    [{ phone: null }, 'sms', 'no_phone'],
    [{ smsConsent: false }, 'sms', 'no_consent'],
    [{ phone: null }, 'voice', 'no_phone'],
    [{ callConsent: false }, 'voice', 'no_consent'],
  ])('%j excludes %s (%s)', (over, channel, why) => {
    const d = decide(makeInput({ account: makeAccount(over) }), P);
    expect(channelsOf(d)).not.toContain(channel);
    expect(d.reasons).toContain(`channel_excluded:${channel}:${why}`);
    expect(d.contact).toBe(true); // the other channels still go
  });

  test.each([
    ['email', { email: ['MARIA.Lopez@Example.com'], sms: [], voice: [] }],
    ['sms', { email: [], sms: ['+15551234567'], voice: [] }],
    ['sms', { email: [], sms: ['(555) 123-4567'], voice: [] }],
    ['voice', { email: [], sms: [], voice: ['+1 555 123 4567'] }],
  ])('suppressed %s address/number is excluded (case and format insensitive)', (channel, suppressions) => {
    const d = decide(makeInput({ suppressions }), P);
    expect(channelsOf(d)).not.toContain(channel);
    expect(d.reasons).toContain(`channel_excluded:${channel}:opted_out`);
  });

  test('an sms opt-out does not stop calls to the same number, and another address is not suppressed', () => {
    const d = decide(makeInput({ suppressions: { email: ['someone.else@example.com'], sms: ['+15551234567'], voice: [] } }), P);
    expect(channelsOf(d).sort()).toEqual(['email', 'voice']);
  });

  test.each([
    [{ emailConsent: false, smsConsent: false, callConsent: false }, NO_SUPPRESSIONS, 'no_channel_consent'],
    [{ email: null, phone: null }, NO_SUPPRESSIONS, 'no_channel_consent'],
    [{ smsConsent: false, callConsent: false }, { email: ['maria.lopez@example.com'], sms: [], voice: [] }, 'opted_out'],
  ])('no usable channel: %j -> %s', (over, suppressions, primary) => {
    const d = decide(makeInput({ account: makeAccount(over), suppressions }), P);
    expect(d.contact).toBe(false);
    expect(d.suppressedBy).toBe(primary);
  });

  test('reasons never carry the address, number or name', () => {
    const d = decide(makeInput({ account: makeAccount({ callConsent: false }), suppressions: { email: ['maria.lopez@example.com'], sms: ['+15551234567'], voice: [] } }), P);
    const text = JSON.stringify([d.reasons, d.actions.map((a) => a.reasons)]);
    for (const pii of ['maria', 'lopez', '5551234567', '@']) expect(text.toLowerCase()).not.toContain(pii);
  });
});

describe('Regulation F call cap (7 in 7 days, including the planned call)', () => {
  const voiceOnly = makeAccount({ emailConsent: false, smsConsent: false });
  const callsBefore = (minutesBefore: number[]) => minutesBefore.map((m) => eventAt(VOICE_AT, m, 'voice'));
  const within = (n: number) => repeat(n, (i) => eventAt(VOICE_AT, (i + 1) * 20 * 60, 'voice'));

  test.each([
    [0, true],
    [5, true],
    [6, true], // 6 before + this one = 7: allowed
    [7, false], // 7 before + this one = 8: refused
    [9, false],
  ])('%i prior call attempts in the window -> call allowed=%s', (n, allowed) => {
    const d = decide(makeInput({ account: voiceOnly, history: within(n) }), P);
    expect(channelsOf(d)).toEqual(allowed ? ['voice'] : []);
    if (!allowed) {
      expect(d.suppressedBy).toBe('frequency_cap');
      expect(d.reasons).toContain('cap:reg_f_7_in_7(voice)');
    }
  });

  test.each([
    ['exactly 7 days before the planned call: outside', 7 * DAY_MIN, true],
    ['7 days minus one minute before: inside', 7 * DAY_MIN - 1, false],
    ['8 days before: outside', 8 * DAY_MIN, true],
  ])('rolling window edge, 7th prior call %s', (_label, minutesBefore, allowed) => {
    const history = [...callsBefore([60, 120, 180, 240, 300, 360]), ...callsBefore([minutesBefore])];
    expect(channelsOf(decide(makeInput({ account: voiceOnly, history }), P))).toEqual(allowed ? ['voice'] : []);
  });

  test('only call attempts count: 7 emails and texts do not block a call', () => {
    const history = [...repeat(7, (i) => eventAt(VOICE_AT, (i + 1) * 60, 'email')), ...repeat(7, (i) => eventAt(VOICE_AT, (i + 1) * 60, 'sms'))];
    expect(channelsOf(decide(makeInput({ account: voiceOnly, history }), P))).toEqual(['voice']);
  });

  test.each([
    ['1 hour before', 60, false],
    ['6 days 23:59 before', 7 * DAY_MIN - 1, false],
    ['exactly 7 days before', 7 * DAY_MIN, true],
    ['10 days before', 10 * DAY_MIN, true],
  ])('phone conversation %s -> call allowed=%s', (_label, minutesBefore, allowed) => {
    const d = decide(makeInput({ account: voiceOnly, history: [eventAt(VOICE_AT, minutesBefore, 'voice', 'conversation')] }), P);
    expect(channelsOf(d)).toEqual(allowed ? ['voice'] : []);
    if (!allowed) expect(d.reasons).toContain('cap:reg_f_conversation_7d(voice)');
  });

  test('a conversation does not block email or sms', () => {
    const d = decide(makeInput({ history: [eventAt(VOICE_AT, 60, 'voice', 'conversation')] }), P);
    expect(channelsOf(d).sort()).toEqual(['email', 'sms']);
  });

  test('the cap is configurable', () => {
    const policy = allChannelsPolicy({ regF: { callsPer7Days: 3, conversationCooldownDays: 7 } });
    expect(channelsOf(decide(makeInput({ account: voiceOnly, history: within(2) }), policy))).toEqual(['voice']);
    const d = decide(makeInput({ account: voiceOnly, history: within(3) }), policy);
    expect(d.reasons).toContain('cap:reg_f_3_in_7(voice)');
  });
});

describe('state caps', () => {
  const ma = makeAccount({ state: 'MA', timezone: 'America/New_York', emailConsent: false });

  test.each([
    [[], ['voice', 'sms']],
    [[eventAt(VOICE_AT, 2 * DAY_MIN, 'sms')], ['voice']],
    [[eventAt(VOICE_AT, 2 * DAY_MIN, 'voice')], ['voice']],
    [[eventAt(VOICE_AT, 2 * DAY_MIN, 'voice'), eventAt(VOICE_AT, 3 * DAY_MIN, 'sms')], []],
    // edge: measured from the earliest planned call/text (voice 11:00)
    [[eventAt(VOICE_AT, 1, 'voice'), eventAt(VOICE_AT, 7 * DAY_MIN, 'sms')], ['voice']],
    // the 11:00 call's window holds both (refused); the 13:00 text's window no longer holds the old text
    [[eventAt(VOICE_AT, 1, 'voice'), eventAt(VOICE_AT, 7 * DAY_MIN - 1, 'sms')], ['sms']],
    // emails do not count towards MA's calls-and-texts cap
    [[eventAt(VOICE_AT, 60, 'email'), eventAt(VOICE_AT, 120, 'email')], ['voice', 'sms']],
  ])('MA: calls and texts together <= 2 in 7 days; history %j -> %j', (history, expected) => {
    const d = decide(makeInput({ account: ma, history }), P);
    expect(channelsOf(d)).toEqual(expected);
    if (expected.length < 2) expect(d.reasons.some((r) => r.startsWith('cap:state_MA_2_in_7('))).toBe(true);
    if (expected.length === 0) expect(d.suppressedBy).toBe('frequency_cap');
  });

  test.each([
    [7 * DAY_MIN, ['sms']],
    [7 * DAY_MIN - 1, []],
  ])('MA text-only edge: prior texts 1 min and %i min before the planned text -> %j', (minutesBefore, expected) => {
    const textOnly = makeAccount({ state: 'MA', emailConsent: false, callConsent: false });
    const history = [eventAt(SMS_AT, 1, 'sms'), eventAt(SMS_AT, minutesBefore, 'sms')];
    expect(channelsOf(decide(makeInput({ account: textOnly, history }), P))).toEqual(expected);
  });

  test('the same history in New York (no state cap) keeps both', () => {
    const d = decide(makeInput({ account: makeAccount({ emailConsent: false }), history: [eventAt(VOICE_AT, 60, 'voice')] }), P);
    expect(channelsOf(d)).toEqual(['voice', 'sms']);
  });

  test('allChannelsPer7Days (NYC-like) caps every channel together', () => {
    const policy = allChannelsPolicy({ statePolicies: { NY: { allChannelsPer7Days: 3 } } });
    expect(channelsOf(decide(makeInput(), policy))).toEqual(['voice', 'sms', 'email']);
    const d = decide(makeInput({ history: [eventAt(EMAIL_AT, DAY_MIN, 'email'), eventAt(EMAIL_AT, 2 * DAY_MIN, 'sms')] }), policy);
    expect(channelsOf(d)).toEqual(['voice']);
    expect(d.reasons).toContain('cap:state_NY_all_channels_3_in_7(sms)');
    expect(d.reasons).toContain('cap:state_NY_all_channels_3_in_7(email)');
  });
});

describe('email and sms frequency caps', () => {
  test.each([
    ['email', EMAIL_AT, 2, true],
    ['email', EMAIL_AT, 3, false],
    ['sms', SMS_AT, 2, true],
    ['sms', SMS_AT, 3, false],
  ] as const)('%s (planned %s) with %i prior in 7 days -> allowed=%s', (channel, at, n, allowed) => {
    const history = repeat(n, (i) => eventAt(at, (i + 1) * DAY_MIN, channel));
    const d = decide(makeInput({ history }), P);
    expect(channelsOf(d).includes(channel)).toBe(allowed);
    if (!allowed) expect(d.reasons).toContain(`cap:${channel}_3_in_7(${channel})`);
  });

  test('window edge: the oldest of 3 prior emails exactly 7 days before is outside', () => {
    const history = [eventAt(EMAIL_AT, DAY_MIN, 'email'), eventAt(EMAIL_AT, 2 * DAY_MIN, 'email'), eventAt(EMAIL_AT, 7 * DAY_MIN, 'email')];
    expect(channelsOf(decide(makeInput({ history }), P))).toContain('email');
  });

  test('configurable window and max', () => {
    const policy = allChannelsPolicy({ channelCaps: { email: { max: 1, windowDays: 14 }, sms: { max: 3, windowDays: 7 } } });
    const d = decide(makeInput({ history: [eventAt(EMAIL_AT, 10 * DAY_MIN, 'email')] }), policy);
    expect(channelsOf(d)).not.toContain('email');
    expect(d.reasons).toContain('cap:email_1_in_14(email)');
  });
});

describe('re-runs', () => {
  test("this run's own earlier attempts are not counted; other days' are", () => {
    const voiceOnly = makeAccount({ emailConsent: false, smsConsent: false, state: 'MA' });
    const own: ContactEvent = { at: VOICE_AT, channel: 'voice', kind: 'attempt', actionId: '2026-04-14#A1#voice' };
    const ownSms: ContactEvent = { at: SMS_AT, channel: 'sms', kind: 'attempt', actionId: '2026-04-14#A1#sms' };
    const first = decide(makeInput({ account: voiceOnly, history: [eventAt(VOICE_AT, DAY_MIN, 'voice')] }), P);
    const again = decide(makeInput({ account: voiceOnly, history: [eventAt(VOICE_AT, DAY_MIN, 'voice'), own, ownSms] }), P);
    expect(again).toEqual(first);
    expect(first.contact).toBe(true);
  });

  test('contactEventsFor / mergeHistory / pruneHistory', () => {
    const d = decide(makeInput(), P);
    const events = contactEventsFor(d);
    expect(events).toEqual([
      { at: '2026-04-14T15:00:00.000Z', channel: 'voice', kind: 'attempt', actionId: '2026-04-14#A1#voice' },
      { at: '2026-04-14T17:00:00.000Z', channel: 'sms', kind: 'attempt', actionId: '2026-04-14#A1#sms' },
      { at: '2026-04-14T13:00:00.000Z', channel: 'email', kind: 'attempt', actionId: '2026-04-14#A1#email' },
    ]);
    const old: ContactEvent = { at: '2026-03-01T15:00:00.000Z', channel: 'voice', kind: 'attempt', actionId: 'x' };
    const recent: ContactEvent = { at: '2026-04-01T15:00:00.000Z', channel: 'sms', kind: 'attempt', actionId: 'y' };
    const conversationToday: ContactEvent = { at: '2026-04-14T15:05:00.000Z', channel: 'voice', kind: 'conversation', actionId: '2026-04-14#A1#voice' };
    const staleToday: ContactEvent = { at: '2026-04-14T20:00:00.000Z', channel: 'voice', kind: 'attempt', actionId: '2026-04-14#A1#voice' };
    const merged = mergeHistory([old, recent, staleToday, conversationToday], d);
    expect(merged.map((e) => `${e.at}|${e.kind}`)).toEqual([
      '2026-04-01T15:00:00.000Z|attempt',
      '2026-04-14T13:00:00.000Z|attempt',
      '2026-04-14T15:00:00.000Z|attempt',
      '2026-04-14T15:05:00.000Z|conversation',
      '2026-04-14T17:00:00.000Z|attempt',
    ]);
    // 35 days back from 2026-04-14T00:00Z is 2026-03-10T00:00Z (inclusive)
    const edge = pruneHistory(
      [
        { at: '2026-03-09T23:59:59Z', channel: 'email', kind: 'attempt' },
        { at: '2026-03-10T00:00:00Z', channel: 'email', kind: 'attempt' },
        { at: 'garbage', channel: 'email', kind: 'attempt' },
        recent,
        recent,
      ],
      '2026-04-14',
    );
    expect(edge.map((e) => e.at)).toEqual(['2026-03-10T00:00:00Z', '2026-04-01T15:00:00.000Z']);
    expect(pruneHistory([old], '2026-04-14', 60)).toEqual([old]);
  });
});

describe('segments, templates and language (default policy)', () => {
  test.each([
    [12, 0.82, 50_000, 'early_self_cure', ['email'], 'early-reminder'],
    [12, 0.3, 50_000, 'early_high_risk', ['sms', 'email'], 'early-reminder'],
    [45, 0.9, 50_000, 'mid_stage', ['sms', 'email'], 'mid-stage-reminder'],
    [45, 0.3, 300_000, 'mid_high_balance', ['voice', 'email'], 'payment-plan-offer'],
    [120, 0.3, 50_000, 'late_stage', ['voice', 'sms'], 'payment-plan-offer'],
    [149, 0.3, 50_000, 'late_stage', ['voice', 'sms'], 'payment-plan-offer'],
    [150, 0.9, 50_000, 'pre_charge_off', ['voice', 'email'], 'final-notice'],
  ])('dpd=%i score=%d balance=%i -> %s via %j', (dpd, score, balance, segment, channels, template) => {
    const account = makeAccount({ daysPastDue: dpd, balanceDueCents: balance, amountPastDueCents: 10_000 });
    const d = decide(makeInput({ account, score }), DEFAULT_CONTACT_POLICY);
    expect(d.segment).toBe(segment);
    expect(d.reasons[0]).toMatch(new RegExp(`^segment:${segment}\\(score=${score},dpd=${dpd}`));
    expect(channelsOf(d)).toEqual(channels);
    expect(d.actions[0]?.template).toBe(template);
    expect(d.actions.every((a) => a.segment === segment && a.score === score)).toBe(true);
  });

  test('self-cure falls back to sms when there is no email, still one channel', () => {
    const d = decide(makeInput({ account: makeAccount({ daysPastDue: 5, email: null }), score: 0.9 }), DEFAULT_CONTACT_POLICY);
    expect(channelsOf(d)).toEqual(['sms']);
  });

  test('max channels per day is recorded in the reasons', () => {
    const d = decide(makeInput({ account: makeAccount({ daysPastDue: 5 }), score: 0.9 }), DEFAULT_CONTACT_POLICY);
    expect(d.reasons).toContain('channel_skipped:sms:max_channels_per_day(1)');
  });

  test.each([
    ['es', 'es', 'language:es'],
    ['en', 'en', 'language:en'],
    ['fr', 'en', 'language:en(fallback_from=fr)'],
    ['zh', 'en', 'language:en(fallback_from=zh)'],
  ])('language %s -> %s', (lang, expected, reason) => {
    const d = decide(makeInput({ account: makeAccount({ language: lang }) }), P);
    expect(d.actions.map((a) => a.language)).toEqual(d.actions.map(() => expected));
    expect(d.actions[0]?.reasons).toContain(reason);
  });

  test('action ids, fields and reasons', () => {
    const d = decide(makeInput(), P);
    const voice = d.actions[0]!;
    expect(voice).toMatchObject({
      actionId: '2026-04-14#A1#voice',
      accountId: 'A1',
      runDate: '2026-04-14',
      channel: 'voice',
      sendAt: '2026-04-14T11:00:00-04:00',
      timezone: 'America/New_York',
      segment: 'all',
      template: 'call',
      language: 'en',
      score: 0.3,
    });
    expect(voice.reasons).toContain('send_time:11:00 America/New_York');
    expect(voice.reasons).toContain('channel:voice(rank=1,ranker=baseline)');
    for (const r of [...d.reasons, ...voice.reasons]) expect(describeReason(r)).not.toBe(r);
  });
});

describe('channel ranker port', () => {
  const ranker = (name: string, rank: ChannelRanker['rank']): ChannelRanker => ({ name, rank });

  test('a ranker reorders within the allowed channels', () => {
    const seen: unknown[] = [];
    const policy = allChannelsPolicy({}, { maxChannelsPerDay: 2 });
    const d = decide(makeInput({ account: makeAccount({ callConsent: false }), channelRanker: ranker('ts', (ctx) => { seen.push(ctx.allowed); return ['email', 'sms']; }) }), policy);
    expect(seen).toEqual([['sms', 'email']]);
    expect(channelsOf(d)).toEqual(['email', 'sms']);
    expect(d.reasons).toContain('ranker:ts(email>sms)');
  });

  test('a ranker cannot add a channel that consent/compliance excluded', () => {
    const d = decide(makeInput({ account: makeAccount({ callConsent: false }), channelRanker: ranker('bad', () => ['voice', 'email']) }), P);
    expect(channelsOf(d)).toEqual(['email']);
    expect(d.reasons).toContain('ranker_ignored:voice:not_allowed');
  });

  test('a ranker cannot exceed the daily maximum nor the combined caps', () => {
    const policy = allChannelsPolicy({}, { maxChannelsPerDay: 1 });
    expect(channelsOf(decide(makeInput({ channelRanker: ranker('all', () => ['sms', 'voice', 'email']) }), policy))).toEqual(['sms']);
    const ma = makeAccount({ state: 'MA', emailConsent: false });
    const d = decide(makeInput({ account: ma, history: [eventAt(VOICE_AT, DAY_MIN, 'voice')], channelRanker: ranker('r', () => ['sms', 'voice']) }), P);
    expect(channelsOf(d)).toEqual(['sms']);
  });

  test('a ranker may decline; a failing ranker falls back to the baseline', () => {
    const declined = decide(makeInput({ channelRanker: ranker('rest', () => []) }), P);
    expect(declined).toMatchObject({ contact: false, suppressedBy: 'ranker_declined' });
    const failed = decide(makeInput({ channelRanker: ranker('boom', () => { throw new Error('model down'); }) }), P);
    expect(channelsOf(failed)).toEqual(channelsOf(decide(makeInput({ channelRanker: BASELINE_RANKER }), P)));
    expect(failed.reasons).toContain('ranker_error:boom(baseline_used)');
  });
});

describe('input validation', () => {
  test.each([[NaN], [-0.1], [1.5]])('score %d is rejected', (score) => {
    expect(() => decide(makeInput({ score }), P)).toThrow(ValidationError);
  });
  test.each([['2026-4-14'], ['20260414'], ['2026-13-40']])('runDate %s is rejected', (runDate) => {
    expect(() => decide(makeInput({ runDate }), P)).toThrow(ValidationError);
  });
});
