import {
  attributePayment,
  countersFromItem,
  counterKeys,
  countedKinds,
  creditResponse,
  DEFAULT_PREFERENCE_POLICY as P,
  monthWeight,
  monthsBefore,
  statsFromMonthlyCounters,
  statsFromSummedCounters,
  voiceStatsFromHistory,
} from '../../../src/domain/preference';
import type { ContactEvent } from '../../../src/domain/strategy/types';
import { policyWith } from './helpers';

const noDecay = policyWith({ history: { maxMonths: 12, halfLifeMonths: null } });

describe('response definitions', () => {
  it('email: attempts = delivered; responses = click + reply; opens ignored by default', () => {
    const s = statsFromSummedCounters({ email: { counts: { send: 12, delivered: 10, open: 7, click: 2, bounce: 1, complaint: 1 } } }, P);
    expect(s.email).toEqual({ attempts: 10, responses: 2 });
  });

  it('sms: responses = reply + click; an opt-out (STOP) is an attempt without a response', () => {
    const s = statsFromSummedCounters({ sms: { counts: { send: 6, delivered: 5, reply: 1, opt_out: 1, failed: 1 } } }, P);
    expect(s.sms).toEqual({ attempts: 5, responses: 1 });
  });

  it('attempts fall back to `send` when no delivery receipt was ever counted', () => {
    expect(statsFromSummedCounters({ sms: { counts: { send: 4, reply: 1 } } }, P).sms).toEqual({ attempts: 4, responses: 1 });
  });

  it('responses are capped at attempts (counters count events: three clicks on one email are three)', () => {
    expect(statsFromSummedCounters({ email: { counts: { delivered: 1, click: 3 } } }, P).email).toEqual({ attempts: 1, responses: 1 });
  });

  it('no attempt kind counted -> the channel is absent (prior only)', () => {
    expect(statsFromSummedCounters({ email: { counts: { open: 3 } } }, P)).toEqual({});
  });

  it('open weight is configurable (e.g. 0.25 of a response)', () => {
    const pol = policyWith({
      responses: { ...JSON.parse(JSON.stringify(P.responses)), email: { attempts: ['delivered'], responses: { click: 1, open: 0.25 } } },
    });
    expect(statsFromSummedCounters({ email: { counts: { delivered: 10, open: 4, click: 1 } } }, pol).email).toEqual({ attempts: 10, responses: 2 });
  });
});

describe('monthly counter items', () => {
  it('parses raw engagement items (numeric attributes only) and skips other items', () => {
    const item = { pk: 'ACCT#A1', sk: 'CH#email#2026-03', accountId: 'A1', channel: 'email', delivered: 4, click: 1, last_click: '2026-03-02T10:00:00.000Z', ids: new Set(['x']) };
    expect(countersFromItem(item)).toEqual({ channel: 'email', month: '2026-03', counts: { delivered: 4, click: 1 } });
    expect(countersFromItem({ pk: 'ACCT#A1', sk: 'SOFT#email#abc', failures: new Set() })).toBeUndefined();
  });

  it('keys to batch-read: maxMonths months back from the run month, email and SMS', () => {
    const keys = counterKeys('A1', '2026-02-10', P);
    expect(keys).toHaveLength(12);
    expect(keys.slice(0, 2)).toEqual([
      { pk: 'ACCT#A1', sk: 'CH#email#2026-02' },
      { pk: 'ACCT#A1', sk: 'CH#sms#2026-02' },
    ]);
    expect(keys.map((k) => k.sk.slice(-7))).toContain('2025-12');
    expect(keys[11]).toEqual({ pk: 'ACCT#A1', sk: 'CH#sms#2025-09' });
    expect(countedKinds(P)).toEqual(['attempt', 'click', 'conversation', 'delivered', 'reply', 'send']);
  });

  it('month arithmetic and decay weights', () => {
    expect(monthsBefore('2026-04', '2026-04-14')).toBe(0);
    expect(monthsBefore('2025-12', '2026-04-14')).toBe(4);
    expect(monthWeight(0, P)).toBe(1);
    expect(monthWeight(3, P)).toBeCloseTo(0.5, 12); // half-life 3 months
    expect(monthWeight(6, P)).toBe(0); // maxMonths 6: months 0..5 are kept
    expect(monthWeight(-1, P)).toBe(1); // future month: counted as the run month
  });

  it('sums months with decay and caps responses after summing', () => {
    const stats = statsFromMonthlyCounters(
      [
        { channel: 'email', month: '2026-04', counts: { delivered: 2, click: 0 } },
        { channel: 'email', month: '2026-01', counts: { delivered: 4, click: 2 } }, // weight 0.5
        { channel: 'sms', month: '2026-03', counts: { delivered: 3, reply: 1 } }, // weight 2^(-1/3)
        { channel: 'sms', month: '2025-09', counts: { delivered: 100, reply: 100 } }, // 7 months: dropped
        { channel: 'push', month: '2026-04', counts: { delivered: 1 } }, // unknown channel: ignored
      ],
      '2026-04-14',
      P,
    );
    expect(stats.email!.attempts).toBeCloseTo(2 + 0.5 * 4, 12);
    expect(stats.email!.responses).toBeCloseTo(0.5 * 2, 12);
    const w = Math.pow(0.5, 1 / 3);
    expect(stats.sms!.attempts).toBeCloseTo(3 * w, 12);
    expect(stats.sms!.responses).toBeCloseTo(w, 12);
    expect(stats.voice).toBeUndefined();
  });

  it('without decay the monthly and the summed paths agree', () => {
    const months = [
      { channel: 'email', month: '2026-04', counts: { delivered: 2, click: 1 } },
      { channel: 'email', month: '2026-02', counts: { delivered: 5, reply: 1, open: 3 } },
    ];
    expect(statsFromMonthlyCounters(months, '2026-04-14', noDecay)).toEqual(
      statsFromSummedCounters({ email: { counts: { delivered: 7, click: 1, reply: 1, open: 3 } } }, noDecay),
    );
  });
});

describe('voice from the contact LOG', () => {
  const own = '2026-04-14#A1#';
  const h: ContactEvent[] = [
    { at: '2026-04-08T15:00:00.000Z', channel: 'voice', kind: 'attempt', actionId: '2026-04-08#A1#voice' },
    { at: '2026-04-10T15:00:00.000Z', channel: 'voice', kind: 'attempt', actionId: '2026-04-10#A1#voice' },
    { at: '2026-04-10T15:03:00.000Z', channel: 'voice', kind: 'conversation' },
    { at: '2026-04-14T15:00:00.000Z', channel: 'voice', kind: 'attempt', actionId: '2026-04-14#A1#voice' }, // this run's own
    { at: '2026-04-11T13:00:00.000Z', channel: 'sms', kind: 'attempt', actionId: '2026-04-11#A1#sms' },
  ];
  it('attempts = voice attempts (not this run), responses = conversations', () => {
    expect(voiceStatsFromHistory(h, own, P)).toEqual({ attempts: 2, responses: 1 });
    expect(voiceStatsFromHistory([], own, P)).toBeUndefined();
  });

  it('payment attribution: the latest attempt within N days on or before the payment date', () => {
    expect(attributePayment(h, '2026-04-12', 3, own)).toBe('sms');
    expect(attributePayment(h, '2026-04-10', 3, own)).toBe('voice');
    expect(attributePayment(h, '2026-04-20', 3, own)).toBeNull(); // too late after the last attempt
    expect(attributePayment(h, '2026-04-12', 0, own)).toBeNull(); // off
    expect(attributePayment(h, null, 3, own)).toBeNull();
    expect(creditResponse({ attempts: 2, responses: 1.5 }, 1)).toEqual({ attempts: 2, responses: 2 });
    expect(creditResponse(undefined, 1)).toBeUndefined();
  });
});
