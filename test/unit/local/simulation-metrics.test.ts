import type { EventLine } from '../../../local/simulation/events';
import { computeMetrics, type MetricsInput, type PlannedAction } from '../../../local/simulation/metrics';

const call = (runDate: string, accountId: string, sendAt: string): PlannedAction => ({
  actionId: `${runDate}#${accountId}#voice`,
  accountId,
  runDate,
  channel: 'voice',
  sendAt,
  timezone: 'America/New_York',
  segment: 'early',
});

// Sent emails to enough other accounts for both arms of the lift (it needs trials in each).
const others = Array.from({ length: 60 }, (_, i): PlannedAction => ({ ...call('2026-03-02', `B${i}`, '2026-03-02T09:00:00-05:00'), actionId: `2026-03-02#B${i}#email`, channel: 'email' }));

function input(actions: PlannedAction[], calls: MetricsInput['calls']): MetricsInput {
  return {
    actions: [...actions, ...others],
    sends: new Map(others.map((a) => [a.actionId, { actionId: a.actionId, status: 'sent', completedAt: '2026-03-02T14:00:00.000Z' }])),
    events: [],
    accepted: { email: 0, sms: 0 },
    plannedAt: new Map([
      ['2026-03-02', Date.parse('2026-03-02T10:00:00Z')],
      ['2026-03-03', Date.parse('2026-03-03T10:00:00Z')],
      ['2026-03-10', Date.parse('2026-03-10T10:00:00Z')],
    ]),
    day1: new Map(Array.from({ length: 60 }, (_, i) => [`B${i}`, { pastDueCents: 100, finalPastDueCents: 100 }])),
    states: new Map(),
    suppressed: {},
    calls,
  };
}

describe('simulation compliance: what the dialer reported', () => {
  const day1 = call('2026-03-02', 'A1', '2026-03-02T10:00:00-05:00');
  it('counts a call planned within 7 days after a reported conversation, and none 8 days later', () => {
    const talked = [{ accountId: 'A1', attemptedAt: '2026-03-02T10:02:00-05:00', outcome: 'connected' }];
    const next = call('2026-03-03', 'A1', '2026-03-03T10:00:00-05:00');
    const later = call('2026-03-10', 'A1', '2026-03-10T11:00:00-04:00');
    expect(computeMetrics(input([day1, next], talked)).compliance.violations.callsWithin7DaysOfConversation).toBe(1);
    expect(computeMetrics(input([day1, later], talked)).compliance.violations.callsWithin7DaysOfConversation).toBe(0);
    // A voicemail is no conversation.
    expect(computeMetrics(input([day1, next], [{ ...talked[0]!, outcome: 'voicemail' }])).compliance.violations.callsWithin7DaysOfConversation).toBe(0);
  });

  it('counts any call planned after a cease or wrong-number result, not the call that produced it', () => {
    const ceased = [{ accountId: 'A1', attemptedAt: '2026-03-02T10:02:00-05:00', outcome: 'cease' }];
    const later = call('2026-03-10', 'A1', '2026-03-10T11:00:00-04:00');
    expect(computeMetrics(input([day1], ceased)).compliance.violations.callsAfterCeaseOrWrongNumber).toBe(0);
    expect(computeMetrics(input([day1, later], ceased)).compliance.violations.callsAfterCeaseOrWrongNumber).toBe(1);
    expect(computeMetrics(input([day1, later], [{ ...ceased[0]!, outcome: 'wrong_number' }])).compliance.violations.callsAfterCeaseOrWrongNumber).toBe(1);
  });
});

describe('simulation rates', () => {
  it('count deliveries of campaign texts only: an opt-out confirmation text is not a message sent', () => {
    const sms = (i: number): PlannedAction => ({ ...others[i]!, actionId: `2026-03-02#B${i}#sms`, channel: 'sms' });
    const texts = [sms(0), sms(1)];
    const delivered = (messageId: string, actionId: string): EventLine => ({ eventId: `d-${messageId}`, accountId: 'B0', channel: 'sms', type: 'delivered', at: '2026-03-02T15:00:00.000Z', processedAt: '2026-03-02T15:00:01.000Z', messageId, actionId, source: 'sms-status' });
    const base = input([], []);
    const m = computeMetrics({
      ...base,
      actions: [...base.actions, ...texts],
      sends: new Map([...base.sends, ...texts.map((a) => [a.actionId, { actionId: a.actionId, status: 'sent', completedAt: '2026-03-02T15:00:00.000Z' }] as const)]),
      events: [delivered('m0', texts[0]!.actionId), delivered('m1', texts[1]!.actionId), delivered('m2', 'optout#rev-1')],
    });
    expect(m.rates.sms.delivered).toBe(1);
  });
});
