/**
 * The dispatcher's real handler (functions/dispatch.ts) on the local stack in memory: exports in
 * s3rver, markers in dynalite, the outbound queues in the local SQS. Re-runs never enqueue twice;
 * DelaySeconds follows sendAt; work beyond the 15-minute horizon waits for a later run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { delaySecondsFor } from '../../src/usecases/outreach/dispatch';

const RUN_DATE = '2026-01-05';
const NOW = '2026-01-05T15:00:00.000Z';
const at = (min: number) => new Date(Date.parse(NOW) + min * 60_000).toISOString();
const item = (accountId: string, channel: 'email' | 'sms', sendAt: string) => ({
  actionId: `${RUN_DATE}#${accountId}#${channel}`,
  accountId,
  runDate: RUN_DATE,
  channel,
  sendAt,
  timezone: 'America/New_York',
  segment: 'early',
  template: 'early-reminder',
  language: 'en',
  to: channel === 'email' ? `${accountId.toLowerCase()}@example.com` : '+15555550100',
  product: 'personal_loan',
  amountPastDueCents: 12_345,
  daysPastDue: 12,
});

describe('dispatch on the local stack', () => {
  let dir: string;
  let stack: LocalStack;
  let sqs: SQSClient;

  const drain = async (queue: 'OutboundEmailQueue' | 'OutboundSmsQueue') => {
    const got: { body: Record<string, any>; delay?: string }[] = [];
    for (;;) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.resources[queue]!, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 600, AttributeNames: ['All'] }));
      if (!r.Messages?.length) return got;
      for (const m of r.Messages) got.push({ body: JSON.parse(m.Body!) });
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-dispatch-'));
    stack = await startLocalStack({ dataDir: dir, inMemory: true, noReuse: true });
    sqs = new SQSClient(stack.clientConfig('sqs'));
    const s3 = new S3Client(stack.clientConfig('s3'));
    const Bucket = stack.env.DATA_BUCKET!;
    // 23 email lines (3 batches), one beyond the horizon, one malformed; 2 sms lines.
    const emails = Array.from({ length: 22 }, (_, i) => item(`A-${1000 + i}`, 'email', i === 0 ? at(-30) : at(i % 15)));
    emails.push(item('A-LATER', 'email', at(45)));
    const emailText = emails.map((e) => JSON.stringify(e)).join('\n') + '\n{"not":"an item"}\n';
    const smsText = [item('A-2000', 'sms', at(5)), item('A-2001', 'sms', at(14))].map((e) => JSON.stringify(e)).join('\n') + '\n';
    const put = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket, Key, Body }));
    await put(`exports/${RUN_DATE}/email/00000.jsonl`, emailText);
    await put(`exports/${RUN_DATE}/sms/00000.jsonl`, smsText);
    await put(
      `exports/${RUN_DATE}/manifest.json`,
      JSON.stringify({ runDate: RUN_DATE, complete: true, parts: { voice: [], email: [`exports/${RUN_DATE}/email/00000.jsonl`], sms: [`exports/${RUN_DATE}/sms/00000.jsonl`] } }),
    );
    s3.destroy();
  }, 120_000);

  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('DelaySeconds = clamp(sendAt − now, 0, 900)', () => {
    const now = Date.parse(NOW);
    expect(delaySecondsFor(now - 60_000, now)).toBe(0);
    expect(delaySecondsFor(now + 90_500, now)).toBe(91);
    expect(delaySecondsFor(now + 3_600_000, now)).toBe(900);
  });

  it('enqueues what is due before now + 15 min, once; a re-run and a scheduled run add nothing', async () => {
    const first = (await stack.invoke('dispatch', { runDate: RUN_DATE, now: NOW })) as { results: any[] };
    expect(first.results[0]).toMatchObject({ manifest: true, enqueued: { email: 22, sms: 2 }, later: 1, malformed: 1, failed: 0, alreadyQueued: 0 });
    const again = (await stack.invoke('dispatch', { runDate: RUN_DATE, now: at(1) })) as { results: any[] };
    expect(again.results[0]).toMatchObject({ enqueued: { email: 0, sms: 0 }, failed: 0 });
    const scheduled = (await stack.invoke('dispatch', { 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-01-05T15:02:00Z' })) as { results: any[] };
    expect(scheduled.results.map((r) => r.runDate)).toEqual(['2026-01-04', RUN_DATE]);
    expect(scheduled.results[1]).toMatchObject({ enqueued: { email: 0, sms: 0 } });
    expect(scheduled.results[0]).toMatchObject({ manifest: false });

    // The local SQS holds delayed messages back: wait past the longest delay used (14 min is too
    // long for a test), so count what the queues accepted through the markers + immediate ones.
    const email = await drain('OutboundEmailQueue');
    const sms = await drain('OutboundSmsQueue');
    const ids = [...email, ...sms].map((m) => m.body.actionId as string);
    expect(new Set(ids).size).toBe(ids.length); // never twice
    // A-1000 was due 30 min ago: delay 0, visible at once.
    expect(ids).toContain(`${RUN_DATE}#A-1000#email`);
    expect(ids).not.toContain(`${RUN_DATE}#A-LATER#email`);
  });

  it('the line beyond the horizon is enqueued by the run whose horizon covers it, exactly once', async () => {
    const later = (await stack.invoke('dispatch', { runDate: RUN_DATE, now: at(31) })) as { results: any[] };
    expect(later.results[0]).toMatchObject({ enqueued: { email: 1, sms: 0 }, failed: 0 });
    const again = (await stack.invoke('dispatch', { runDate: RUN_DATE, now: at(32) })) as { results: any[] };
    expect(again.results[0]).toMatchObject({ enqueued: { email: 0, sms: 0 } });
  });
});
