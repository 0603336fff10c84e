/**
 * Self-service choices (contacts INBOUND: promiseUntil, prefChannel, prefLanguage, prefHours) in the
 * daily decision: a promise pauses outreach, the preferred channel goes first when allowed, sends
 * stay inside the preferred hours, templates use the preferred language when the policy has it.
 */
import { decide } from '../../../src/domain/strategy/engine';
import { describeReason } from '../../../src/domain/strategy/reasons';
import type { ContactPreferences } from '../../../src/domain/strategy/types';
import { allChannelsPolicy, channelsOf, makeAccount, makeInput } from './fixtures';

const RUN = '2026-04-14';
const localTime = (sendAt: string) => sendAt.slice(11, 16);

describe('promiseUntil pauses outreach like a promise to pay', () => {
  test.each<[string, ContactPreferences, string | null, string | null]>([
    ['a promise ahead', { promiseUntil: '2026-04-20' }, null, '2026-04-20'],
    ['a promise ending today (resume on the date)', { promiseUntil: RUN }, null, null],
    ['a promise already past', { promiseUntil: '2026-04-13' }, null, null],
    ['the later of the file date and self-service wins', { promiseUntil: '2026-04-20' }, '2026-04-16', '2026-04-20'],
    ['the file date wins when later', { promiseUntil: '2026-04-16' }, '2026-04-25', '2026-04-25'],
    ['a malformed promiseUntil is ignored', { promiseUntil: 'soon' }, null, null],
  ])('%s', (_name, preferences, fileDate, pausedUntil) => {
    const d = decide(makeInput({ runDate: RUN, preferences, account: makeAccount({ promiseToPayDate: fileDate }) }), allChannelsPolicy());
    if (pausedUntil) {
      expect(d.contact).toBe(false);
      expect(d.suppressedBy).toBe('promise_pending');
      expect(d.reasons).toContain(`suppressed:promise_pending(until=${pausedUntil})`);
    } else {
      expect(d.contact).toBe(true);
      expect(d.suppressedBy).toBeNull();
    }
  });
});

describe('preferred channel', () => {
  const onePerDay = allChannelsPolicy({}, { maxChannelsPerDay: 1 });
  test.each<[string, ContactPreferences, Partial<Parameters<typeof makeAccount>[0]>, string[], string | null]>([
    ['no preference: the plan order', {}, {}, ['voice'], null],
    ['sms preferred', { channel: 'sms' }, {}, ['sms'], 'preference:channel(sms)'],
    ['email preferred', { channel: 'email' }, {}, ['email'], 'preference:channel(email)'],
    ['preferred channel without consent: not used', { channel: 'email' }, { emailConsent: false }, ['voice'], 'preference:channel_unavailable(email)'],
    ['preferred channel opted out... via no phone', { channel: 'sms' }, { phone: null }, ['email'], 'preference:channel_unavailable(sms)'],
  ])('%s', (_name, preferences, over, channels, reason) => {
    const d = decide(makeInput({ runDate: RUN, preferences, account: makeAccount(over) }), onePerDay);
    expect(channelsOf(d)).toEqual(channels);
    if (reason) expect(d.reasons).toContain(reason);
    for (const r of d.reasons) expect(describeReason(r)).not.toBe(r);
  });

  it('with several channels a day, the preferred one is first and the others follow in plan order', () => {
    const d = decide(makeInput({ runDate: RUN, preferences: { channel: 'email' } }), allChannelsPolicy());
    expect(channelsOf(d)).toEqual(['email', 'voice', 'sms']);
  });

  it('a ranker that drops the preferred channel does not override the consumer', () => {
    const d = decide(
      makeInput({ runDate: RUN, preferences: { channel: 'sms' }, channelRanker: { name: 'drops-sms', rank: (ctx) => ctx.allowed.filter((c) => c !== 'sms') } }),
      allChannelsPolicy({}, { maxChannelsPerDay: 1 }),
    );
    expect(channelsOf(d)).toEqual(['sms']);
  });
});

describe('preferred hours narrow the legal window (account in America/New_York; plan times voice 11:00, sms 13:00, email 09:00)', () => {
  test.each<[string, string | null, Record<string, string> | null]>([
    ['none: the plan times', null, { voice: '11:00', sms: '13:00', email: '09:00' }],
    ['evenings: every send moved into 18:00-20:00', '18:00-20:00', { voice: '18:00', sms: '18:00', email: '18:00' }],
    ['mornings: later sends clamped to the end (exclusive)', '08:00-10:30', { voice: '10:29', sms: '10:29', email: '09:00' }],
    ['a range containing every plan time changes nothing', '09:00-14:00', { voice: '11:00', sms: '13:00', email: '09:00' }],
    ['malformed hours are ignored', '9-5', { voice: '11:00', sms: '13:00', email: '09:00' }],
  ])('%s', (_name, hours, times) => {
    const d = decide(makeInput({ runDate: RUN, preferences: { hours } }), allChannelsPolicy());
    expect(d.contact).toBe(true);
    expect(Object.fromEntries(d.actions.map((a) => [a.channel, localTime(a.sendAt)]))).toEqual(times);
    for (const r of d.reasons) expect(describeReason(r)).not.toBe(r);
  });

  it('preferred hours outside the policy window: no contact (a time the consumer called inconvenient)', () => {
    const d = decide(makeInput({ runDate: RUN, preferences: { hours: '19:00-20:30' } }), allChannelsPolicy({ contactWindow: { start: '09:00', end: '18:00' } }));
    expect(d.contact).toBe(false);
    expect(d.suppressedBy).toBe('outside_window');
    expect(d.reasons).toContain('send_window:empty(preferred_hours)');
  });
});

describe('preferred language (policy languages: en, es)', () => {
  test.each<[string, string, string | null, string]>([
    ['account en, no preference', 'en', null, 'en'],
    ['account en, prefers es', 'en', 'es', 'es'],
    ['account es, prefers en', 'es', 'en', 'en'],
    ['unsupported preference: the account language', 'es', 'fr', 'es'],
    ['unsupported both: the default', 'fr', 'de', 'en'],
  ])('%s', (_name, accountLanguage, language, expected) => {
    const d = decide(makeInput({ runDate: RUN, preferences: { language }, account: makeAccount({ language: accountLanguage }) }), allChannelsPolicy());
    expect(new Set(d.actions.map((a) => a.language))).toEqual(new Set([expected]));
  });
});
