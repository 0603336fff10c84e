import { decide } from '../../../src/domain/strategy/engine';
import { formatInZone, localHHMM, offsetMinutes, resolveZones, sendWindow, STATE_TIMEZONES, zonedTimeToUtc } from '../../../src/domain/strategy/timezones';
import { allChannelsPolicy, makeAccount, makeInput } from './fixtures';

// sendTimes: email 08:00 (the window start), sms 12:00, voice 20:30 (near the end).
const P = allChannelsPolicy({}, { sendTimes: { email: '08:00', sms: '12:00', voice: '20:30' } });

function plan(runDate: string, over: { timezone: string | null; state: string }) {
  const d = decide(makeInput({ runDate, account: makeAccount(over) }), P);
  return Object.fromEntries(d.actions.map((a) => [a.channel, a.sendAt]));
}

/** Every action's local time in every zone the consumer may be in is within [08:00, 21:00). */
function assertInsideWindowEverywhere(runDate: string, over: { timezone: string | null; state: string }) {
  const d = decide(makeInput({ runDate, account: makeAccount(over) }), P);
  const zones = resolveZones(over.timezone, over.state)!.zones;
  expect(d.actions.length).toBe(3);
  for (const a of d.actions) {
    for (const z of zones) {
      const local = localHHMM(Date.parse(a.sendAt), z);
      expect(local >= '08:00' && local < '21:00').toBe(true);
    }
  }
}

describe('zonedTimeToUtc / formatInZone across DST', () => {
  test.each([
    // New York spring forward 2026-03-08 02:00 EST -> 03:00 EDT
    ['America/New_York', '2026-03-07', '09:00', '2026-03-07T09:00:00-05:00', true],
    ['America/New_York', '2026-03-08', '01:59', '2026-03-08T01:59:00-05:00', true],
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T03:30:00-04:00', false], // does not exist: moved forward
    ['America/New_York', '2026-03-08', '03:00', '2026-03-08T03:00:00-04:00', true],
    ['America/New_York', '2026-03-08', '08:00', '2026-03-08T08:00:00-04:00', true],
    ['America/New_York', '2026-03-09', '08:00', '2026-03-09T08:00:00-04:00', true],
    // New York fall back 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice, take the first
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T01:30:00-04:00', true],
    ['America/New_York', '2026-11-01', '08:00', '2026-11-01T08:00:00-05:00', true],
    ['America/New_York', '2026-10-31', '20:59', '2026-10-31T20:59:00-04:00', true],
    // Chicago, same days
    ['America/Chicago', '2026-03-08', '02:30', '2026-03-08T03:30:00-05:00', false],
    ['America/Chicago', '2026-03-08', '09:00', '2026-03-08T09:00:00-05:00', true],
    ['America/Chicago', '2026-11-01', '09:00', '2026-11-01T09:00:00-06:00', true],
    // no DST
    ['America/Phoenix', '2026-03-08', '09:00', '2026-03-08T09:00:00-07:00', true],
    ['America/Phoenix', '2026-07-01', '09:00', '2026-07-01T09:00:00-07:00', true],
    ['Pacific/Honolulu', '2026-11-01', '09:00', '2026-11-01T09:00:00-10:00', true],
    ['America/Puerto_Rico', '2026-03-08', '09:00', '2026-03-08T09:00:00-04:00', true],
    ['America/Puerto_Rico', '2026-12-01', '09:00', '2026-12-01T09:00:00-04:00', true],
    ['America/Adak', '2026-07-01', '08:00', '2026-07-01T08:00:00-09:00', true],
  ])('%s %s %s -> %s', (zone, date, hhmm, iso, exists) => {
    const z = zonedTimeToUtc(zone, date, hhmm);
    expect(formatInZone(z.utcMs, zone)).toBe(iso);
    expect(z.exists).toBe(exists);
    expect(z.utcMs).toBe(Date.parse(iso));
  });

  test('offsets', () => {
    expect(offsetMinutes('America/New_York', Date.parse('2026-03-08T06:59:59Z'))).toBe(-300);
    expect(offsetMinutes('America/New_York', Date.parse('2026-03-08T07:00:00Z'))).toBe(-240);
    expect(offsetMinutes('Asia/Kolkata', Date.parse('2026-03-08T07:00:00Z'))).toBe(330);
    expect(formatInZone(Date.parse('2026-03-08T07:00:00Z'), 'Asia/Kolkata')).toBe('2026-03-08T12:30:00+05:30');
  });
});

describe('zones of an account', () => {
  test('an explicit valid timezone is used alone', () => {
    expect(resolveZones('America/Phoenix', 'TX')).toEqual({ primary: 'America/Phoenix', zones: ['America/Phoenix'], source: 'account' });
  });
  test.each(['Mars/Olympus', 'EST+99', ''])('invalid timezone %j falls back to the state', (tz) => {
    expect(resolveZones(tz, 'TX')?.zones).toEqual(['America/Chicago', 'America/Denver']);
  });
  test.each([
    ['TX', ['America/Chicago', 'America/Denver']],
    ['FL', ['America/New_York', 'America/Chicago']],
    ['IN', ['America/Indiana/Indianapolis', 'America/Chicago']],
    ['KY', ['America/New_York', 'America/Chicago']],
    ['TN', ['America/Chicago', 'America/New_York']],
    ['MI', ['America/Detroit', 'America/Menominee']],
    ['ND', ['America/Chicago', 'America/Denver']],
    ['SD', ['America/Chicago', 'America/Denver']],
    ['NE', ['America/Chicago', 'America/Denver']],
    ['KS', ['America/Chicago', 'America/Denver']],
    ['ID', ['America/Boise', 'America/Los_Angeles']],
    ['OR', ['America/Los_Angeles', 'America/Boise']],
    ['HI', ['Pacific/Honolulu']],
    ['PR', ['America/Puerto_Rico']],
  ])('state %s -> %j', (state, zones) => {
    expect(resolveZones(null, state)?.zones).toEqual(zones);
  });
  test('AK lists every Alaska zone including Adak; every table zone is known to ICU; 50 states + DC + PR', () => {
    expect(resolveZones(null, 'AK')?.zones).toContain('America/Adak');
    expect(Object.keys(STATE_TIMEZONES)).toHaveLength(52);
    for (const zones of Object.values(STATE_TIMEZONES)) for (const z of zones) expect(() => new Intl.DateTimeFormat('en-US', { timeZone: z })).not.toThrow();
  });
  test('policy overrides win; unknown state without timezone -> null', () => {
    expect(resolveZones(null, 'TX', { TX: ['America/Chicago'] })?.zones).toEqual(['America/Chicago']);
    expect(resolveZones(null, 'ZZ')).toBeNull();
  });
  test('unknown state without timezone is not contacted', () => {
    const d = decide(makeInput({ account: makeAccount({ state: 'ZZ', timezone: null }) }), P);
    expect(d).toMatchObject({ contact: false, suppressedBy: 'no_timezone' });
  });
});

describe('send window is the intersection of every candidate zone', () => {
  test.each([
    // TX: 08:00 Denver = 09:00 Chicago; 21:00 Chicago comes first
    [['America/Chicago', 'America/Denver'], '2026-03-09', '09:00', '21:00', 'America/Chicago'],
    // TN: 08:00 Chicago; 21:00 New York = 20:00 Chicago
    [['America/Chicago', 'America/New_York'], '2026-03-09', '08:00', '20:00', 'America/Chicago'],
    // AZ in summer: Navajo Nation (MDT) is an hour ahead of Phoenix (MST)
    [['America/Phoenix', 'America/Denver'], '2026-07-01', '08:00', '20:00', 'America/Phoenix'],
    [['America/Phoenix', 'America/Denver'], '2026-01-15', '08:00', '21:00', 'America/Phoenix'],
    // the spring-forward day itself: Chicago and Denver shift together
    [['America/Chicago', 'America/Denver'], '2026-03-08', '09:00', '21:00', 'America/Chicago'],
  ])('%j on %s: %s-%s %s', (zones, date, start, end, shownIn) => {
    const w = sendWindow(zones, date, '08:00', '21:00')!;
    expect(localHHMM(w.startMs, shownIn)).toBe(start);
    expect(localHHMM(w.endMs, shownIn)).toBe(end);
  });
  test('zones with no common convenient hour give no window', () => {
    expect(sendWindow(['America/New_York', 'Asia/Tokyo'], '2026-03-09', '08:00', '21:00')).toBeNull();
  });
});

describe('sendAt on DST edges (exact strings, every zone inside 08:00-21:00)', () => {
  test.each([
    ['2026-03-08', { timezone: 'America/New_York', state: 'NY' }, { email: '2026-03-08T08:00:00-04:00', sms: '2026-03-08T12:00:00-04:00', voice: '2026-03-08T20:30:00-04:00' }],
    ['2026-03-07', { timezone: 'America/New_York', state: 'NY' }, { email: '2026-03-07T08:00:00-05:00', sms: '2026-03-07T12:00:00-05:00', voice: '2026-03-07T20:30:00-05:00' }],
    ['2026-11-01', { timezone: 'America/New_York', state: 'NY' }, { email: '2026-11-01T08:00:00-05:00', sms: '2026-11-01T12:00:00-05:00', voice: '2026-11-01T20:30:00-05:00' }],
    ['2026-10-31', { timezone: 'America/New_York', state: 'NY' }, { email: '2026-10-31T08:00:00-04:00', sms: '2026-10-31T12:00:00-04:00', voice: '2026-10-31T20:30:00-04:00' }],
    ['2026-03-08', { timezone: 'America/Chicago', state: 'IL' }, { email: '2026-03-08T08:00:00-05:00', sms: '2026-03-08T12:00:00-05:00', voice: '2026-03-08T20:30:00-05:00' }],
    ['2026-11-01', { timezone: 'America/Chicago', state: 'IL' }, { email: '2026-11-01T08:00:00-06:00', sms: '2026-11-01T12:00:00-06:00', voice: '2026-11-01T20:30:00-06:00' }],
    ['2026-03-08', { timezone: 'America/Phoenix', state: 'AZ' }, { email: '2026-03-08T08:00:00-07:00', sms: '2026-03-08T12:00:00-07:00', voice: '2026-03-08T20:30:00-07:00' }],
    ['2026-07-01', { timezone: 'America/Phoenix', state: 'AZ' }, { email: '2026-07-01T08:00:00-07:00', sms: '2026-07-01T12:00:00-07:00', voice: '2026-07-01T20:30:00-07:00' }],
    ['2026-03-08', { timezone: 'Pacific/Honolulu', state: 'HI' }, { email: '2026-03-08T08:00:00-10:00', sms: '2026-03-08T12:00:00-10:00', voice: '2026-03-08T20:30:00-10:00' }],
    ['2026-11-01', { timezone: 'America/Puerto_Rico', state: 'PR' }, { email: '2026-11-01T08:00:00-04:00', sms: '2026-11-01T12:00:00-04:00', voice: '2026-11-01T20:30:00-04:00' }],
    // derived from state: shown in the first zone, clamped so every zone is inside the window
    ['2026-03-09', { timezone: null, state: 'TX' }, { email: '2026-03-09T09:00:00-05:00', sms: '2026-03-09T12:00:00-05:00', voice: '2026-03-09T20:30:00-05:00' }],
    ['2026-11-01', { timezone: null, state: 'TX' }, { email: '2026-11-01T09:00:00-06:00', sms: '2026-11-01T12:00:00-06:00', voice: '2026-11-01T20:30:00-06:00' }],
    ['2026-03-09', { timezone: null, state: 'TN' }, { email: '2026-03-09T08:00:00-05:00', sms: '2026-03-09T12:00:00-05:00', voice: '2026-03-09T19:59:00-05:00' }],
    ['2026-03-08', { timezone: null, state: 'FL' }, { email: '2026-03-08T09:00:00-04:00', sms: '2026-03-08T12:00:00-04:00', voice: '2026-03-08T20:30:00-04:00' }],
    ['2026-07-01', { timezone: null, state: 'AZ' }, { email: '2026-07-01T08:00:00-07:00', sms: '2026-07-01T12:00:00-07:00', voice: '2026-07-01T19:59:00-07:00' }],
    ['2026-07-01', { timezone: null, state: 'AK' }, { email: '2026-07-01T09:00:00-08:00', sms: '2026-07-01T12:00:00-08:00', voice: '2026-07-01T20:30:00-08:00' }],
    ['2026-07-01', { timezone: null, state: 'HI' }, { email: '2026-07-01T08:00:00-10:00', sms: '2026-07-01T12:00:00-10:00', voice: '2026-07-01T20:30:00-10:00' }],
  ])('%s %j', (runDate, over, expected) => {
    expect(plan(runDate, over)).toEqual(expected);
    assertInsideWindowEverywhere(runDate, over);
  });

  test('a window starting in the spring-forward gap starts at the first real minute after it', () => {
    const policy = allChannelsPolicy({ contactWindow: { start: '02:30', end: '21:00' } }, { sendTimes: { email: '02:30', sms: '12:00', voice: '20:30' } });
    const d = decide(makeInput({ runDate: '2026-03-08' }), policy);
    expect(d.actions.find((a) => a.channel === 'email')?.sendAt).toBe('2026-03-08T03:30:00-04:00');
  });

  test('a narrower configured window is honoured', () => {
    const policy = allChannelsPolicy({ contactWindow: { start: '09:00', end: '20:00' } }, { sendTimes: { email: '08:00', sms: '12:00', voice: '20:30' } });
    const d = decide(makeInput({ runDate: '2026-03-09' }), policy);
    expect(d.actions.map((a) => a.sendAt.slice(11, 16)).sort()).toEqual(['09:00', '12:00', '19:59']);
    expect(d.actions.find((a) => a.channel === 'voice')?.reasons).toContain('send_time_adjusted:20:30->19:59(window)');
  });
});
