import { decodeAttempt, decodePlannedAction, encodeAttempt, encodePlannedAction } from '../../../src/adapters/dynamo-repositories';

describe('contact ledger compact encoding', () => {
  it('stores a standard action id as its run date and restores it', () => {
    const e = { at: '2026-03-09T14:00:00.000Z', channel: 'voice' as const, kind: 'attempt' as const, actionId: '2026-03-09#ACC1#voice' };
    const s = encodeAttempt(e, 'ACC1');
    expect(s).toBe('2026-03-09T14:00:00.000Z|voice|2026-03-09');
    expect(decodeAttempt(s, 'ACC1')).toEqual(e);
  });

  it('keeps a non-standard action id whole, and an attempt without one', () => {
    const odd = { at: '2026-03-09T14:00:00.000Z', channel: 'sms' as const, kind: 'attempt' as const, actionId: 'manual#42' };
    expect(decodeAttempt(encodeAttempt(odd, 'ACC1'), 'ACC1')).toEqual(odd);
    const bare = { at: '2026-03-09T14:00:00.000Z', channel: 'email' as const, kind: 'attempt' as const };
    expect(decodeAttempt(encodeAttempt(bare, 'ACC1'), 'ACC1')).toEqual(bare);
  });

  it('round-trips a planned action without repeating the account or the day', () => {
    const a = {
      actionId: '2026-03-09#ACC7#sms',
      accountId: 'ACC7',
      runDate: '2026-03-09',
      channel: 'sms' as const,
      sendAt: '2026-03-09T12:00:00-05:00',
      timezone: 'America/New_York',
      segment: 'mid_stage',
      template: 'mid-stage-reminder',
      language: 'es',
      reasons: ['x'],
      score: 0.4,
    };
    const s = encodePlannedAction(a);
    expect(s).not.toContain('ACC7');
    expect(decodePlannedAction(s, 'ACC7', '2026-03-09')).toEqual({
      actionId: a.actionId,
      channel: 'sms',
      sendAt: a.sendAt,
      timezone: a.timezone,
      template: a.template,
      language: 'es',
    });
  });
});
