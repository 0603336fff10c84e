import { decideSuppression, isRevocation, transientLimitReached, suppressionRulesSchema, type EngagementEvent } from '../../../src/domain/engagement';

describe('revocation keywords (STOP, QUIT, END, REVOKE, OPT OUT, CANCEL, UNSUBSCRIBE)', () => {
  it.each([
    ['STOP', true],
    ['stop', true],
    ['  Stop  ', true],
    ['stop!', true],
    ['STOP.', true],
    ['"stop"', true],
    ['Stop 🛑', true],
    ['STOP STOP', true],
    ['stop please', true],
    ['Please STOP', true],
    ['quit', true],
    ['END', true],
    ['Revoke', true],
    ['OPT OUT', true],
    ['opt-out', true],
    ['optout', true],
    ['Cancel', true],
    ['UNSUBSCRIBE', true],
    ['unsubscribe me from this', true],
    ['stop texting me', true],
    ['Stop sending me messages', true],
    ['please stop all texts', true],
    ['cancel messages', true],
    ['I want to opt out', true],
    ['revoke consent', true],
    ["don't stop", false],
    ['dont stop', false],
    ['do not cancel', false],
    ['never stop', false],
    ['I will pay at the end of the month', false],
    ['cancel my payment plan', false],
    ['stopped by the branch today', false],
    ['Can I pay $50 now?', false],
    ['JOIN', false],
    ['', false],
    ['   ', false],
  ])('%j → %s', (body, expected) => {
    expect(isRevocation(body)).toBe(expected);
  });

  it('the number\'s registered opt-out keyword reported by the service counts', () => {
    expect(isRevocation('whatever', 'STOP')).toBe(true);
    expect(isRevocation('EXAMPLE', 'JOIN')).toBe(false);
  });
});

const ev = (over: Partial<EngagementEvent>): EngagementEvent => ({
  eventId: 'e',
  source: 'ses-notification',
  channel: 'email',
  kind: 'bounce',
  occurredAt: '2026-01-05T00:00:00.000Z',
  accountId: 'A1',
  address: 'a@example.com',
  detail: {},
  ...over,
});

describe('suppression decisions', () => {
  it.each<[string, Partial<EngagementEvent>, ReturnType<typeof decideSuppression>]>([
    ['permanent bounce', { kind: 'bounce', detail: { bounceType: 'Permanent' } }, { action: 'suppress', reason: 'permanent_bounce', confirm: false }],
    ['transient bounce', { kind: 'bounce', detail: { bounceType: 'Transient' } }, { action: 'count-transient' }],
    ['undetermined bounce', { kind: 'bounce', detail: { bounceType: 'Undetermined' } }, { action: 'count-transient' }],
    ['complaint', { kind: 'complaint' }, { action: 'suppress', reason: 'complaint', confirm: false }],
    ['complaint "not-spam"', { kind: 'complaint', detail: { complaintFeedbackType: 'not-spam' } }, { action: 'none' }],
    ['subscription opt-out', { kind: 'unsubscribe', detail: { unsubscribed: true } }, { action: 'suppress', reason: 'unsubscribed', confirm: false }],
    ['delivery', { kind: 'delivered' }, { action: 'none' }],
    ['open', { kind: 'open' }, { action: 'none' }],
    ['delay', { kind: 'delay' }, { action: 'none' }],
    ['SMS STOP', { channel: 'sms', kind: 'opt_out', address: '+15551234567' }, { action: 'suppress', reason: 'sms_revocation', confirm: true }],
    ['SMS reply', { channel: 'sms', kind: 'reply', address: '+15551234567' }, { action: 'none' }],
    ['TEXT_INVALID', { channel: 'sms', kind: 'failed', detail: { failureClass: 'permanent' } }, { action: 'suppress', reason: 'sms_permanent_failure', confirm: false }],
    ['TEXT_UNREACHABLE', { channel: 'sms', kind: 'failed', detail: { failureClass: 'transient' } }, { action: 'count-transient' }],
    ['TEXT_SPAM', { channel: 'sms', kind: 'failed', detail: { failureClass: 'message' } }, { action: 'none' }],
  ])('%s', (_n, over, expected) => {
    expect(decideSuppression(ev(over))).toEqual(expected);
  });
  it('no address, nothing to suppress', () => {
    const { address: _a, ...noAddress } = ev({ kind: 'complaint' });
    expect(decideSuppression(noAddress)).toEqual({ action: 'none' });
  });
});

describe('transient failures: N within M days (default 3 in 7)', () => {
  const rule = { limit: 3, windowDays: 7 };
  const at = (d: string) => `2026-01-${d}`;
  it.each<[string, string[], boolean]>([
    ['2 failures', [at('01T00:00:00Z'), at('02T00:00:00Z')], false],
    ['3 within 1 day', [at('01T00:00:00Z'), at('01T01:00:00Z'), at('01T02:00:00Z')], true],
    ['3 spanning 6d23h59m59.999s', [at('01T00:00:00.000Z'), at('04T00:00:00Z'), at('07T23:59:59.999Z')], true],
    ['3 spanning exactly 7 days', [at('01T00:00:00.000Z'), at('04T00:00:00Z'), at('08T00:00:00.000Z')], false],
    ['4 spread, any 3 within 7 days', [at('01T00:00:00Z'), at('09T00:00:00Z'), at('10T00:00:00Z'), at('12T00:00:00Z')], true],
    ['4 spread, no 3 within 7 days', [at('01T00:00:00Z'), at('05T00:00:00Z'), at('12T00:00:00Z'), at('16T00:00:00Z')], false],
    ['unordered arrival', [at('07T00:00:00Z'), at('01T00:00:00Z'), at('03T00:00:00Z')], true],
    ['duplicate instants count (distinct events)', [at('01T00:00:00Z'), at('01T00:00:00Z'), at('01T00:00:00Z')], true],
  ])('%s', (_n, instants, expected) => {
    expect(transientLimitReached(instants, rule)).toBe(expected);
  });
  it('limit 1 suppresses at the first; custom window', () => {
    expect(transientLimitReached([at('01T00:00:00Z')], { limit: 1, windowDays: 1 })).toBe(true);
    expect(transientLimitReached([at('01T00:00:00Z'), at('02T00:00:00Z')], { limit: 2, windowDays: 1 })).toBe(false);
  });
  it('rules are validated (zod): defaults, bad values refused', () => {
    expect(suppressionRulesSchema.parse({})).toEqual({ transient: { limit: 3, windowDays: 7 }, confirmationCooldownDays: 30 });
    expect(suppressionRulesSchema.safeParse({ transient: { limit: 0, windowDays: 7 } }).success).toBe(false);
    expect(suppressionRulesSchema.safeParse({ transient: { limit: 3, windowDays: 1.5 } }).success).toBe(false);
  });
});
