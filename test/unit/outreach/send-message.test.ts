import { RetryableSendError } from '../../../src/domain/outreach/errors';
import type { WorkItem } from '../../../src/domain/outreach/work-item';
import { workItemSchema } from '../../../src/domain/outreach/work-item';
import { sendMessage, type SendMessageDeps } from '../../../src/usecases/outreach/send-message';
import { unsubscribeLinks, unsubscribeToken, verifyUnsubscribeToken } from '../../../src/usecases/outreach/unsubscribe-token';
import { FakeEmail, FakeSms, MemoryLedger, MemorySuppressions } from './memory';

const SECRET = 'x'.repeat(32);
// 2026-01-05 15:00 UTC = 10:00 in New York: inside the 08:00–21:00 window.
const NOON = new Date('2026-01-05T15:00:00Z');

const item = (channel: 'email' | 'sms' = 'email', over: Partial<WorkItem> = {}): WorkItem =>
  workItemSchema.parse({
    actionId: `2026-01-05#A1#${channel}`,
    accountId: 'A1',
    runDate: '2026-01-05',
    channel,
    sendAt: '2026-01-05T09:00:00-05:00',
    timezone: 'America/New_York',
    segment: 'mid_stage',
    template: 'mid-stage-reminder',
    language: 'es',
    reasons: [],
    score: 0.4,
    to: channel === 'email' ? 'Ana@Example.com' : '+15555550123',
    customerId: 'C1',
    firstName: 'Ana',
    lastName: 'Pérez',
    product: 'credit_card',
    amountPastDueCents: 12345,
    balanceDueCents: 99999,
    daysPastDue: 40,
    ...over,
  });

function setup(now = NOON) {
  const clock = { now };
  const email = new FakeEmail();
  const sms = new FakeSms();
  const ledger = new MemoryLedger();
  const suppressions = new MemorySuppressions();
  const deps: SendMessageDeps = {
    email: { sender: email, links: unsubscribeLinks({ baseUrl: 'https://acme.example/unsubscribe', mailbox: 'unsubscribe@acme.example', secret: SECRET }) },
    sms,
    ledger,
    suppressions,
    brand: { senderName: 'Acme', postalAddress: '1 Main St, Springfield, IL', paymentUrl: 'https://pay.acme.example', supportPhone: '1-800-555-0100', debtCollectorDisclosure: true },
    leaseMs: 120_000,
    contactWindow: { start: '08:00', end: '21:00' },
    now: () => clock.now,
  };
  return { deps, email, sms, ledger, suppressions, clock };
}

describe('sendMessage', () => {
  it('sends an email once: tags, unsubscribe links, normalized address, recorded sent with the provider id', async () => {
    const { deps, email, ledger } = setup();
    const out = await sendMessage(deps, item());
    expect(out).toMatchObject({ actionId: '2026-01-05#A1#email', outcome: 'sent', providerMessageId: 'ses-1', attempt: 1, leaseLost: false, row: { actionId: '2026-01-05#A1#email', accountId: 'A1', runDate: '2026-01-05', status: 'sent', reason: null } });
    expect(email.sent).toHaveLength(1);
    const m = email.sent[0]!;
    expect(m.to).toBe('ana@example.com');
    expect(m.tags).toEqual({ account: 'A1', action: '2026-01-05#A1#email', segment: 'mid_stage', template: 'mid-stage-reminder' });
    expect(m.subject).toContain('tarjeta de crédito'); // Spanish template
    const token = new URL(m.unsubscribeUrl).searchParams.get('token')!;
    expect(verifyUnsubscribeToken(SECRET, token)).toBe('2026-01-05#A1#email');
    expect(m.unsubscribeMailto.startsWith('mailto:unsubscribe@acme.example?subject=')).toBe(true);
    expect(m.text).toContain(m.unsubscribeUrl);
    expect(await ledger.get('2026-01-05#A1#email')).toMatchObject({ status: 'sent', providerMessageId: 'ses-1', attempts: 1 });
  });

  it('sends an SMS with the account/action context', async () => {
    const { deps, sms } = setup();
    const out = await sendMessage(deps, item('sms'));
    expect(out.outcome).toBe('sent');
    expect(sms.sent[0]).toMatchObject({ to: '+15555550123', context: { accountId: 'A1', actionId: '2026-01-05#A1#sms' } });
    expect(sms.sent[0]!.body.endsWith('Responda STOP para cancelar')).toBe(true);
  });

  it('a redelivered message is never sent twice (sent, failed and suppressed are final)', async () => {
    const { deps, email, sms, suppressions } = setup();
    await sendMessage(deps, item());
    expect(await sendMessage(deps, item())).toEqual({ actionId: '2026-01-05#A1#email', outcome: 'duplicate', status: 'sent' }); // no row: the lake has one per action
    expect(email.sent).toHaveLength(1);

    sms.next = ['optout'];
    expect(await sendMessage(deps, item('sms'))).toMatchObject({ outcome: 'failed', reason: 'opted_out_at_provider' });
    expect(await sendMessage(deps, item('sms'))).toMatchObject({ outcome: 'duplicate', status: 'failed' });
    expect(sms.sent).toHaveLength(0);

    suppressions.email.set('A2', new Set(['b@example.com']));
    const other = item('email', { actionId: '2026-01-05#A2#email', accountId: 'A2', to: 'B@example.com' });
    expect(await sendMessage(deps, other)).toMatchObject({ outcome: 'suppressed' });
    expect(await sendMessage(deps, other)).toMatchObject({ outcome: 'duplicate', status: 'suppressed' });
    expect(email.sent).toHaveLength(1);
  });

  it('suppressed at send time (INBOUND changed after planning): skipped and recorded, nothing sent', async () => {
    const { deps, sms, suppressions, ledger } = setup();
    suppressions.sms.set('A1', new Set(['+15555550123']));
    expect(await sendMessage(deps, item('sms'))).toMatchObject({ outcome: 'suppressed', leaseLost: false });
    expect(sms.sent).toHaveLength(0);
    expect((await ledger.get('2026-01-05#A1#sms'))?.status).toBe('suppressed');
  });

  it('missing or malformed address: permanent failure recorded, not retried', async () => {
    const { deps, email, ledger } = setup();
    expect(await sendMessage(deps, item('email', { to: null }))).toMatchObject({ outcome: 'failed', reason: 'missing_address' });
    expect((await ledger.get('2026-01-05#A1#email'))?.reason).toBe('missing_address');
    expect(await sendMessage(deps, item('sms', { to: '555-0123' }))).toMatchObject({ outcome: 'failed', reason: 'invalid_address' });
    expect(email.sent).toHaveLength(0);
  });

  it('unknown template: permanent failure recorded', async () => {
    const { deps } = setup();
    expect(await sendMessage(deps, item('email', { template: 'nope' }))).toMatchObject({ outcome: 'failed', reason: 'unknown_template' });
  });

  it('throttling: retryable error, the lease is released and the next delivery sends', async () => {
    const { deps, email, ledger } = setup();
    email.next = ['throttle'];
    await expect(sendMessage(deps, item())).rejects.toBeInstanceOf(RetryableSendError);
    expect(await ledger.get('2026-01-05#A1#email')).toMatchObject({ status: 'sending', leaseUntil: 0 });
    expect(await sendMessage(deps, item())).toMatchObject({ outcome: 'sent', attempt: 2 });
    expect(email.sent).toHaveLength(1);
  });

  it('permanent provider rejection: recorded failed with the reason, no retry', async () => {
    const { deps, email, ledger } = setup();
    email.next = ['reject'];
    expect(await sendMessage(deps, item())).toMatchObject({ outcome: 'failed', reason: 'rejected' });
    expect((await ledger.get('2026-01-05#A1#email'))?.status).toBe('failed');
  });

  it('an unexpected error (e.g. reading INBOUND fails) is rethrown for a retry and frees the lease', async () => {
    const { deps, ledger } = setup();
    deps.suppressions = { suppressed: async () => Promise.reject(new Error('ProvisionedThroughputExceededException')) };
    await expect(sendMessage(deps, item())).rejects.toThrow('ProvisionedThroughputExceededException');
    expect((await ledger.get('2026-01-05#A1#email'))?.leaseUntil).toBe(0);
  });

  it('crash between claim and send: a redelivery inside the lease retries later; after the lease it sends, exactly once', async () => {
    const { deps, email, ledger, clock } = setup();
    // A first delivery claimed, then its process died before sending (no complete, no release).
    const first = await ledger.claim({ actionId: '2026-01-05#A1#email', accountId: 'A1', runDate: '2026-01-05', channel: 'email', segment: 's', template: 't', language: 'en', to: 'a@b.co', now: clock.now, leaseMs: deps.leaseMs });
    expect(first.claimed).toBe(true);

    clock.now = new Date(NOON.getTime() + 60_000); // inside the lease
    await expect(sendMessage(deps, item())).rejects.toBeInstanceOf(RetryableSendError);
    expect(email.sent).toHaveLength(0);

    clock.now = new Date(NOON.getTime() + 180_000); // the visibility timeout later: lease expired
    expect(await sendMessage(deps, item())).toMatchObject({ outcome: 'sent', attempt: 2 });
    expect(await sendMessage(deps, item())).toMatchObject({ outcome: 'duplicate' });
    expect(email.sent).toHaveLength(1);

    // The crashed holder cannot overwrite the outcome later.
    expect(first.claimed && (await ledger.complete('2026-01-05#A1#email', first.leaseToken, { status: 'failed', reason: 'rejected' }))).toBe(false);
    expect((await ledger.get('2026-01-05#A1#email'))?.status).toBe('sent');
  });

  it('a send that cannot be recorded afterwards is not put back on the queue (no second send)', async () => {
    const { deps, email, ledger } = setup();
    ledger.complete = async () => Promise.reject(new Error('DynamoDB down'));
    expect(await sendMessage(deps, item())).toMatchObject({ outcome: 'sent', leaseLost: true });
    expect(email.sent).toHaveLength(1);
  });

  it('contact window in the consumer zone: before it → retry later; after it or on a later day → expired, recorded', async () => {
    const early = setup(new Date('2026-01-05T12:30:00Z')); // 07:30 New York
    await expect(sendMessage(early.deps, item())).rejects.toBeInstanceOf(RetryableSendError);
    expect(early.email.sent).toHaveLength(0);

    const late = setup(new Date('2026-01-06T02:30:00Z')); // 21:30 New York on the 5th
    expect(await sendMessage(late.deps, item())).toMatchObject({ outcome: 'failed', reason: 'expired' });

    const nextDay = setup(new Date('2026-01-06T15:00:00Z'));
    expect(await sendMessage(nextDay.deps, item())).toMatchObject({ outcome: 'failed', reason: 'expired' });
    expect(late.email.sent.length + nextDay.email.sent.length).toBe(0);
  });
});

describe('unsubscribe tokens', () => {
  it('round-trip; forged or altered tokens are refused', () => {
    const t = unsubscribeToken(SECRET, '2026-01-05#A1#email');
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(verifyUnsubscribeToken(SECRET, t)).toBe('2026-01-05#A1#email');
    expect(verifyUnsubscribeToken('y'.repeat(32), t)).toBeNull();
    const [p] = t.split('.');
    expect(verifyUnsubscribeToken(SECRET, `${Buffer.from('2026-01-05#A2#email').toString('base64url')}.${t.split('.')[1]}`)).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, `${p}.`)).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, 'garbage')).toBeNull();
  });
});

describe('work item schema', () => {
  it('accepts the exporter line (unknown fields ignored), refuses voice and inconsistent action ids', () => {
    expect(workItemSchema.safeParse({ ...item(), extra: 1 }).success).toBe(true);
    expect(workItemSchema.safeParse({ ...item(), channel: 'voice', actionId: '2026-01-05#A1#voice' }).success).toBe(false);
    expect(workItemSchema.safeParse({ ...item(), actionId: '2026-01-05#A9#email' }).success).toBe(false);
    expect(workItemSchema.safeParse({ ...item(), amountPastDueCents: '12' }).success).toBe(false);
  });
});
