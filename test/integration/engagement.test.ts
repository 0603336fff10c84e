/**
 * The engagement handlers on the committed sample events (events/sesNotifications.json: SQS with the
 * SNS envelope; events/engagementStream.json: Kinesis with base64 EventBridge events), against the
 * local stack's emulators: dynalite (real conditional writes and set ADDs), the local Firehose
 * endpoint (records to <dataDir>/firehose/<stream>.jsonl, and delivered to the stream's S3 destination in
 * s3rver) and sqslite (confirmation requests).
 * The engagement table is created here (serverless.yml does not declare it yet).
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { gunzipSync } from 'node:zlib';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { DynamoEngagementStore } from '../../src/adapters/dynamo-engagement-store';
import { FirehoseArchiver } from '../../src/adapters/firehose-archiver';
import type { ArchiveRecord } from '../../src/usecases/engagement';
import { businessDate, type EngagementRow } from '../../src/usecases/analytics/lake';

const ROOT = resolve(__dirname, '../..');
const event = (name: string): Record<string, any> => JSON.parse(readFileSync(join(ROOT, 'events', `${name}.json`), 'utf8'));
const STREAM = 'curepath-dev-engagement-archive';
const ENGAGEMENT_TABLE = 'curepath-dev-engagement';
const context = { functionName: 'engagement', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:engagement', memoryLimitInMB: '512', awsRequestId: 'req-1', logGroupName: 'g', logStreamName: 's', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 30_000 };

describe('engagement handlers on the local stack', () => {
  let dir: string;
  let stack: LocalStack;
  let ddb: DynamoDBClient;
  let doc: DynamoDBDocumentClient;
  let sqs: SQSClient;
  let queueUrl: string;
  let store: DynamoEngagementStore;
  let sesHandler: (e: unknown, c: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  let streamHandler: typeof sesHandler;
  const saved = { ...process.env };

  const inbound = async (accountId: string) => (await doc.send(new GetCommand({ TableName: stack.resources.ContactsTable!, Key: { accountId, kind: 'INBOUND' } }))).Item;
  const archived = (): ArchiveRecord[] => {
    const file = join(dir, 'firehose', `${STREAM}.jsonl`);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse((JSON.parse(l) as { data: string }).data) as ArchiveRecord);
  };
  const confirmations = async () => {
    const out: unknown[] = [];
    for (;;) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }));
      if (!r.Messages?.length) return out;
      out.push(...r.Messages.map((m) => JSON.parse(m.Body!)));
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-engagement-'));
    stack = await startLocalStack({ dataDir: dir, inMemory: true, noReuse: true });
    ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
    doc = DynamoDBDocumentClient.from(ddb);
    sqs = new SQSClient(stack.clientConfig('sqs'));
    // EngagementTable comes from resources/engagement.yml (created by the local stack).
    expect(stack.resources.EngagementTable).toBe(ENGAGEMENT_TABLE);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'curepath-dev-sms-confirmations' }))).QueueUrl!;
    store = new DynamoEngagementStore(doc, ENGAGEMENT_TABLE);
    Object.assign(process.env, stack.env, {
      ENGAGEMENT_TABLE,
      CONTACTS_TABLE: stack.resources.ContactsTable!,
      ARCHIVE_STREAM_NAME: STREAM,
      LAKE_ENGAGEMENT_STREAM_NAME: stack.resources.LakeEngagementEventsStream!,
      CONFIRMATION_QUEUE_URL: queueUrl,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    sesHandler = (await import('../../functions/ses-notifications')).handler as never;
    streamHandler = (await import('../../functions/engagement-stream')).handler as never;
  });
  afterAll(async () => {
    process.env = saved;
    for (const c of [ddb, sqs]) c?.destroy();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Rows the engagement handlers emitted to the lake's Firehose (delivered into s3rver). */
  const lakeRows = async () => {
    const s3 = new S3Client(stack.clientConfig('s3'));
    const bucket = stack.resources.DataBucket!;
    const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'lake/engagement_events/' }));
    const out: { key: string; row: EngagementRow & { dt: string } }[] = [];
    for (const c of r.Contents ?? []) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: c.Key! }))).Body!.transformToString();
      for (const l of body.split('\n').filter(Boolean)) out.push({ key: c.Key!, row: JSON.parse(l) });
    }
    s3.destroy();
    return out;
  };

  it('SQS sample (SNS envelopes): bounces, complaint, delivery and a STOP reply; a redelivery changes nothing', async () => {
    await store.register('+14255550182', 'A0005', '2026-01-05T14:00:00.000Z');
    const e = event('sesNotifications');
    expect(await sesHandler(e, context)).toEqual({ batchItemFailures: [] });

    expect([...(await inbound('A0001'))!.email].sort()).toEqual(['jane@example.com', 'richard@example.com']);
    expect([...(await inbound('A0002'))!.email]).toEqual(['richard@example.com']);
    expect([...(await inbound('A0005'))!.sms]).toEqual(['+14255550182']);
    const a1 = await store.getEngagement('A0001');
    expect(a1.email?.counts).toEqual({ bounce: 2, delivered: 1 });
    expect(a1.email?.lastAt).toEqual({ bounce: '2016-01-27T14:59:38.237Z', delivered: '2016-01-27T14:59:38.237Z' });
    expect((await store.getEngagement('A0005')).sms?.counts).toEqual({ opt_out: 1 });
    expect(await confirmations()).toEqual([{ type: 'sms-opt-out-confirmation', to: '+14255550182', accountIds: ['A0005'], revocationId: expect.stringMatching(/^sms-inbound-/), requestedAt: expect.any(String) }]);
    expect(archived()).toHaveLength(4);
    // The analytics lake: one row per newly counted (event, account), in its business day's partition.
    const rows = await lakeRows();
    expect(rows.map((r) => `${r.key.split('/')[2]} ${r.row.accountId} ${r.row.channel} ${r.row.type} ${r.row.suppressing}`).sort()).toEqual(
      [...rows.map((r) => `dt=${businessDate(r.row.atMs)} ${r.row.accountId} ${r.row.channel} ${r.row.type} ${r.row.suppressing}`)].sort(),
    );
    expect(rows.map((r) => `${r.row.accountId} ${r.row.type}`).sort()).toEqual(['A0001 bounce', 'A0001 bounce', 'A0001 delivered', 'A0002 complaint', 'A0005 opt_out']);
    expect(rows.find((r) => r.row.type === 'opt_out')!.row).toMatchObject({ channel: 'sms', suppressing: true, source: 'sms-inbound' });
    expect(new Set(rows.map((r) => r.row.eventId)).size).toBe(rows.length);

    // At-least-once: the whole batch again.
    expect(await sesHandler(e, context)).toEqual({ batchItemFailures: [] });
    expect(await lakeRows()).toHaveLength(rows.length);
    expect((await store.getEngagement('A0001')).email?.counts).toEqual({ bounce: 2, delivered: 1 });
    expect((await store.getEngagement('A0005')).sms?.counts).toEqual({ opt_out: 1 });
    expect([...(await inbound('A0001'))!.email]).toHaveLength(2);
    expect(await confirmations()).toEqual([]);
  });

  it('SQS poison record fails alone (reported for the DLQ); its neighbours are applied', async () => {
    const e = event('sesNotifications');
    const poison = { ...e.Records[0], messageId: 'poison-1', body: '{"Type":"Notification","Message":"not json"}' };
    const fresh = { ...e.Records[1], messageId: 'fresh-1', body: e.Records[1].body.replace(/A0002/g, 'A0010') };
    expect(await sesHandler({ Records: [poison, fresh] }, context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison-1' }] });
    expect([...(await inbound('A0010'))!.email]).toEqual(['richard@example.com']);
  });

  it('Kinesis sample (base64 EventBridge events): counters per channel, subscription and TEXT_INVALID suppress; idempotent', async () => {
    const e = event('engagementStream');
    expect(await streamHandler(e, context)).toEqual({ batchItemFailures: [] });
    const a3 = await store.getEngagement('A0003');
    expect(a3.email?.counts).toEqual({ send: 1, delivered: 1, open: 1, click: 1, unsubscribe: 1 });
    expect(a3.email?.lastAt.open).toBe('2017-08-09T22:00:19.652Z');
    expect([...(await inbound('A0003'))!.email]).toEqual(['recipient@example.com']);
    expect((await store.getEngagement('A0004')).sms?.counts).toEqual({ delivered: 1, failed: 1 });
    expect([...(await inbound('A0004'))!.sms]).toEqual(['+14255550199']);

    expect(await streamHandler(e, context)).toEqual({ batchItemFailures: [] });
    expect((await store.getEngagement('A0003')).email?.counts).toEqual({ send: 1, delivered: 1, open: 1, click: 1, unsubscribe: 1 });
    const lines = archived().filter((a) => a.transport === 'kinesis');
    expect(lines).toHaveLength(14); // archived at least once per delivery: duplicates are deduplicated downstream by eventIds
    expect(new Set(lines.flatMap((l) => l.eventIds)).size).toBe(7);
  });

  it('Kinesis poison: reports the first failing sequence number and stops (later records are not applied)', async () => {
    const e = event('engagementStream');
    const [good, , , , , , late] = e.Records;
    const bad = { ...good, kinesis: { ...good.kinesis, sequenceNumber: 'seq-bad', data: Buffer.from('\u0000garbage').toString('base64') } };
    const lateFresh = { ...late, kinesis: { ...late.kinesis, sequenceNumber: 'seq-late', data: Buffer.from(Buffer.from(late.kinesis.data, 'base64').toString('utf8').replace(/A0004/g, 'A0011')).toString('base64') } };
    expect(await streamHandler({ Records: [good, bad, lateFresh] }, context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'seq-bad' }] });
    expect(await inbound('A0011')).toBeUndefined();
  });

  it('DynamoDB store: real conditional writes (count once), transient history is a set, one confirmation claim', async () => {
    const ev = { eventId: 'email-open-x', source: 'ses-event', channel: 'email', kind: 'open', occurredAt: '2026-02-01T00:00:00.000Z', detail: {} } as const;
    expect(await store.recordEvent('A0020', ev)).toBe(true);
    expect(await store.recordEvent('A0020', ev)).toBe(false);
    expect(await store.recordEvent('A0020', { ...ev, eventId: 'email-open-y', occurredAt: '2026-03-01T00:00:00.000Z' })).toBe(true);
    expect((await store.getEngagement('A0020')).email).toEqual({ counts: { open: 2 }, lastAt: { open: '2026-03-01T00:00:00.000Z' } });
    expect(await store.addTransientFailure('A0020', 'email', 'a@example.com', '2026-02-01T00:00:00.000Z', 'b1')).toEqual(['2026-02-01T00:00:00.000Z']);
    expect(await store.addTransientFailure('A0020', 'email', 'a@example.com', '2026-02-01T00:00:00.000Z', 'b1')).toHaveLength(1);
    expect(await store.addTransientFailure('A0020', 'email', 'a@example.com', '2026-02-02T00:00:00.000Z', 'b2')).toHaveLength(2);
    expect(await store.claimConfirmation('+15550000001', 'r1', '2026-02-01T00:00:00.000Z', 30)).toBe(true);
    expect(await store.claimConfirmation('+15550000001', 'r1', '2026-02-01T00:00:01.000Z', 30)).toBe(false);
    expect(await store.claimConfirmation('+15550000001', 'r2', '2026-02-10T00:00:00.000Z', 30)).toBe(false);
    expect(await store.claimConfirmation('+15550000001', 'r3', '2026-03-05T00:00:00.000Z', 30)).toBe(true);
    expect(await store.accountsFor('+14255550182')).toEqual(['A0005']);
  });

  it('Firehose archiver against the local endpoint: 1,201 records in 3 calls, newline-delimited JSON', async () => {
    const fh = new FirehoseClient(stack.clientConfig('firehose'));
    const before = archived().length;
    const recs: ArchiveRecord[] = Array.from({ length: 1201 }, (_, i) => ({ archivedAt: '2026-01-05T00:00:00.000Z', transport: 'sqs', type: 'bulk', eventIds: [`bulk-${i}`], payload: { i } }));
    await new FirehoseArchiver(fh, STREAM).archive(recs);
    const raw = readFileSync(join(dir, 'firehose', `${STREAM}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { data: string }).data);
    expect(raw.slice(before)).toHaveLength(1201);
    for (const d of raw.slice(before)) expect(d).toMatch(/^\{.*\}\n$/);
    expect(archived().slice(before).map((a) => a.eventIds[0])).toEqual(recs.map((r) => r.eventIds[0]));
    fh.destroy();
  });

  it('Firehose sink: records put through the archiver land in s3rver under the declared prefix, gzipped, none lost', async () => {
    const fh = new FirehoseClient(stack.clientConfig('firehose'));
    const s3 = new S3Client(stack.clientConfig('s3'));
    const bucket = stack.resources.DataBucket!;
    expect(stack.report.find((r) => r.logicalId === 'EngagementArchiveStream')?.outcome).toBe('created');
    const list = async () => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'engagement/raw/', ContinuationToken: token }));
        keys.push(...(r.Contents ?? []).map((c) => c.Key!));
        token = r.NextContinuationToken;
      } while (token);
      return keys;
    };
    const before = new Set(await list());
    const t0 = new Date();
    const recs: ArchiveRecord[] = Array.from({ length: 1201 }, (_, i) => ({ archivedAt: '2026-01-05T00:00:00.000Z', transport: 'sqs', type: 's3-sink', eventIds: [`s3-${i}`], payload: { i, text: 'line\nbreak ✓' } }));
    await new FirehoseArchiver(fh, STREAM).archive(recs);
    const t1 = new Date();
    const fresh = (await list()).filter((k) => !before.has(k)).sort();
    // One object per PutRecordBatch call (≤ 500 records each).
    expect(fresh).toHaveLength(3);
    const day = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '/');
    const days = new Set([day(t0), day(t1)]);
    const lines: string[] = [];
    for (const key of fresh) {
      const m = /^engagement\/raw\/(\d{4}\/\d{2}\/\d{2})\/(.+)$/.exec(key);
      expect(m).not.toBeNull();
      expect(days.has(m![1]!)).toBe(true);
      expect(m![2]).toMatch(new RegExp(`^${STREAM}-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f-]{36}\\.gz$`));
      const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = gunzipSync(Buffer.from(await obj.Body!.transformToByteArray())).toString('utf8');
      expect(text.endsWith('\n')).toBe(true);
      lines.push(...text.split('\n').slice(0, -1));
    }
    const got = lines.map((l) => JSON.parse(l) as ArchiveRecord);
    expect(got).toHaveLength(1201);
    expect(got.map((r) => r.eventIds[0]).sort()).toEqual(recs.map((r) => r.eventIds[0]).sort());
    expect(got.find((r) => r.eventIds[0] === 's3-7')).toEqual(recs[7]);
    fh.destroy();
    s3.destroy();
  });
});
