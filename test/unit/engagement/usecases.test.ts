import { normalizeRecord } from '../../../src/domain/engagement';
import { ArchiveError, processEngagementEvent, processRecords, processSesNotification, type ArchiveRecord, type EngagementStore, type EventArchiver } from '../../../src/usecases/engagement';
import * as n from '../../fixtures/engagement/ses-notifications';
import * as sms from '../../fixtures/engagement/sms';
import { MemoryEngagement } from './memory-ports';

const tagged = <T extends { mail: object }>(x: T, account = 'A0001'): T => n.withTags(x, { account: [account], action: [`2026-01-05#${account}#email`] });
const body = (x: unknown) => JSON.stringify(n.snsEnvelope(x));
const stop = (text = 'STOP', id = 'in-1') => ({ ...sms.inboundExample, messageBody: text, inboundMessageId: id, messageKeyword: null });

describe('processEngagementEvent / processSesNotification', () => {
  it('permanent bounce: suppressed at once, counted once; the same notification twice changes nothing', async () => {
    const m = new MemoryEngagement();
    const first = await processSesNotification(m.deps(), body(tagged(n.bounceWithoutDsn)), '2016-01-27T15:00:00Z');
    expect(first.map((o) => [o.status, o.suppressed])).toEqual([
      ['applied', 'permanent_bounce'],
      ['applied', 'permanent_bounce'],
    ]);
    const again = await processSesNotification(m.deps(), body(tagged(n.bounceWithoutDsn)), '2016-01-27T15:05:00Z');
    expect(again.map((o) => o.status)).toEqual(['duplicate', 'duplicate']);
    expect([...m.inbound.get('A0001')!.email].sort()).toEqual(['jane@example.com', 'richard@example.com']);
    expect(m.counts.get('A0001|email')).toEqual({ bounce: 2 });
  });

  it('complaint suppresses; delivery only counts; no account tag → unattributed, nothing written', async () => {
    const m = new MemoryEngagement();
    await processSesNotification(m.deps(), body(tagged(n.complaintWithFeedback)), 'x');
    await processSesNotification(m.deps(), body(tagged(n.delivery)), 'x');
    expect([...m.inbound.get('A0001')!.email]).toEqual(['richard@example.com']);
    expect(m.counts.get('A0001|email')).toEqual({ complaint: 1, delivered: 1 });
    const un = await processSesNotification(m.deps(), body(n.bounceWithDsn), 'x');
    expect(un).toEqual([expect.objectContaining({ status: 'unattributed', accounts: 0 })]);
    expect(m.inbound.size).toBe(1);
  });

  it('transient bounces: suppressed at the 3rd within 7 days, duplicates never count toward the limit', async () => {
    const m = new MemoryEngagement();
    const transient = (feedbackId: string, timestamp: string) =>
      tagged({ ...n.bounceWithDsn, bounce: { ...n.bounceWithDsn.bounce, bounceType: 'Transient', bounceSubType: 'MailboxFull', feedbackId, timestamp } });
    await processSesNotification(m.deps(), body(transient('f1', '2026-01-01T00:00:00Z')), 'x');
    await processSesNotification(m.deps(), body(transient('f1', '2026-01-01T00:00:00Z')), 'x'); // redelivery
    await processSesNotification(m.deps(), body(transient('f2', '2026-01-03T00:00:00Z')), 'x');
    await processSesNotification(m.deps(), body(transient('f2', '2026-01-03T00:00:00Z')), 'x'); // redelivery
    expect(m.inbound.get('A0001')).toBeUndefined();
    const third = await processSesNotification(m.deps(), body(transient('f3', '2026-01-02T00:00:00Z')), 'x'); // out of order
    expect(third[0]).toMatchObject({ status: 'applied', suppressed: 'transient_limit' });
    expect([...m.inbound.get('A0001')!.email]).toEqual(['jane@example.com']);
    expect(m.counts.get('A0001|email')).toEqual({ bounce: 3 });
  });

  it('SMS STOP: every account of the number revoked, ONE confirmation even when delivered three times', async () => {
    const m = new MemoryEngagement();
    await m.register('+14255550182', 'A0001');
    await m.register('+14255550182', 'A0002');
    for (let i = 0; i < 3; i++) {
      const out = await processSesNotification(m.deps(), body(stop('Stop!')), '2026-01-05T15:00:00Z');
      expect(out[0]).toMatchObject({ kind: 'opt_out', accounts: 2, suppressed: 'sms_revocation', status: i === 0 ? 'applied' : 'duplicate' });
    }
    expect([...m.inbound.get('A0001')!.sms]).toEqual(['+14255550182']);
    expect([...m.inbound.get('A0002')!.sms]).toEqual(['+14255550182']);
    expect(m.confirmations).toEqual([{ phone: '+14255550182', accountIds: ['A0001', 'A0002'], revocationId: expect.stringMatching(/^sms-inbound-/), requestedAt: '2026-01-05T12:00:00.000Z' }]);
    expect(m.counts.get('A0001|sms')).toEqual({ opt_out: 1 });
    // A second STOP (another reply) inside the cooldown: revoked again (idempotent), no second text.
    await processSesNotification(m.deps(), body(stop('unsubscribe', 'in-2')), 'x');
    expect(m.confirmations).toHaveLength(1);
    expect(m.counts.get('A0001|sms')).toEqual({ opt_out: 2 });
  });

  it('an unknown number\'s reply is unattributed (no suppression written, no confirmation)', async () => {
    const m = new MemoryEngagement();
    const out = await processSesNotification(m.deps(), body(stop()), 'x');
    expect(out[0]).toMatchObject({ status: 'unattributed', confirmationRequested: false });
    expect(m.confirmations).toHaveLength(0);
  });

  it('SMS status: TEXT_INVALID suppresses the number; SUCCESSFUL then DELIVERED counts delivered once', async () => {
    const m = new MemoryEngagement();
    for (const t of ['TEXT_SUCCESSFUL', 'TEXT_DELIVERED', 'TEXT_INVALID']) {
      for (const e of normalizeRecord(sms.smsEvent(t, t === 'TEXT_INVALID' ? { messageId: 'other' } : {}), 'x').events) await processEngagementEvent(m.deps(), e);
    }
    expect(m.counts.get('A0001|sms')).toEqual({ delivered: 1, failed: 1 });
    expect([...m.inbound.get('A0001')!.sms]).toEqual(['+14255550156']);
    expect(m.confirmations).toHaveLength(0);
  });
});

describe('processRecords', () => {
  const rec = (id: string, b: string) => ({ id, body: b, arrivedAt: '2026-01-05T15:00:00Z' });

  it('SQS: a poison record fails alone; the others are applied and archived', async () => {
    const m = new MemoryEngagement();
    const r = await processRecords(m.deps(), [rec('m1', body(tagged(n.delivery))), rec('m2', '{not json'), rec('m3', body(tagged(n.complaintWithFeedback)))], { transport: 'sqs', stopOnFirstFailure: false });
    expect(r.failures).toEqual([{ id: 'm2', kind: 'poison', reason: expect.stringMatching(/MalformedRecordError/) }]);
    expect(r.outcomes.map((o) => o.kind)).toEqual(['delivered', 'complaint']);
    expect(m.archived.map((a) => [a.type, a.transport, a.eventIds.length])).toEqual([
      ['ses', 'sqs', 1],
      ['ses', 'sqs', 1],
    ]);
    expect((m.archived[0]!.payload as { notificationType: string }).notificationType).toBe('Delivery');
  });

  it('Kinesis: stops at the first failure, later records untouched (they are retried in order)', async () => {
    const m = new MemoryEngagement();
    const r = await processRecords(m.deps(), [rec('s1', body(tagged(n.delivery))), rec('s2', '[]'), rec('s3', body(tagged(n.complaintWithFeedback)))], { transport: 'kinesis', stopOnFirstFailure: true });
    expect(r.failures.map((f) => f.id)).toEqual(['s2']);
    expect(r.skipped).toBe(1);
    expect(m.inbound.size).toBe(0); // s3 (a complaint) was not applied
    expect(m.archived).toHaveLength(1);
  });

  it('a storage error is retryable (kind error), and archive failures name their records', async () => {
    const m = new MemoryEngagement();
    const deps: Omit<ReturnType<MemoryEngagement['deps']>, 'store' | 'archiver'> & { store: EngagementStore; archiver: EventArchiver } = m.deps();
    let calls = 0;
    deps.store = Object.assign(Object.create(m), { recordEvent: async () => (++calls === 1 ? Promise.reject(new Error('ProvisionedThroughputExceededException')) : true) });
    deps.archiver = { archive: async (rs: readonly ArchiveRecord[]) => Promise.reject(new ArchiveError('x', [rs.length - 1], [rs.length - 1])) };
    const r = await processRecords(deps, [rec('a', body(tagged(n.delivery))), rec('b', body(tagged(n.delivery))), rec('c', body(tagged(n.complaintWithFeedback)))], { transport: 'sqs', stopOnFirstFailure: false });
    expect(r.failures).toEqual([
      { id: 'a', kind: 'error', reason: expect.stringMatching(/Throughput/) },
      { id: 'c', kind: 'poison', reason: expect.any(String) },
    ]);
    expect(r.archived).toBe(1);
  });
});
