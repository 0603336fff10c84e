/**
 * Local event source mappings on the emulators: SQS and Kinesis records reach the fixture's real
 * handlers (test/fixtures/local/service/functions/event-recorder.ts) with Lambda's event shapes,
 * and Lambda's batch-failure semantics hold (partial batch responses, redrive to the DLQ,
 * checkpointing, bisect, retry exhaustion to the on-failure destination).
 * Waits are scaled down with timeScale (30 s visibility timeout → 0.3 s).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { parseBatchItemFailures, type InvocationReport } from '../../local/event-sources';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/local/service');
const MODEL = join(ROOT, 'model/propensity-xgb.json');

interface Call {
  fn: string;
  source: 'sqs' | 'kinesis';
  event: { Records: Record<string, any>[] };
  ids: string[];
}
const g = globalThis as { __eventRecorderCalls?: Call[] };
const calls = (fn: string) => (g.__eventRecorderCalls ?? []).filter((c) => c.fn === `curepath-dev-${fn}`);
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

let dir: string;
let stack: LocalStack;
let sqs: SQSClient;
let kinesis: KinesisClient;
let reports: InvocationReport[] = [];
let runId = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'curepath-es-'));
  stack = await startLocalStack({
    serviceDir: FIXTURE,
    dataDir: dir,
    inMemory: true,
    modelPath: MODEL,
    eventSources: { timeScale: 0.01, pollIntervalMs: 50, kinesisRetryDelayMs: 100, onInvoke: (r) => reports.push(r) },
  });
  sqs = new SQSClient(stack.clientConfig('sqs'));
  kinesis = new KinesisClient(stack.clientConfig('kinesis'));
}, 60_000);

afterAll(async () => {
  sqs?.destroy();
  kinesis?.destroy();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  g.__eventRecorderCalls = [];
  reports = [];
  runId++;
});

const send = async (queue: string, bodies: Record<string, unknown>[], attrs?: Record<string, any>) => {
  const r = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: stack.resources[queue]!,
      Entries: bodies.map((b, i) => ({ Id: String(i), MessageBody: JSON.stringify(b), ...(attrs ? { MessageAttributes: attrs } : {}) })),
    }),
  );
  expect(r.Failed ?? []).toEqual([]);
  return r.Successful!.sort((a, b) => Number(a.Id) - Number(b.Id)).map((s) => s.MessageId!);
};
const depth = async (queue: string) => {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: stack.resources[queue]!, AttributeNames: ['All'] }))).Attributes!;
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible) + Number(a.ApproximateNumberOfMessagesDelayed);
};
const put = async (stream: string, items: Record<string, unknown>[]) => {
  const r = await kinesis.send(
    new PutRecordsCommand({ StreamName: stack.resources[stream]!, Records: items.map((d) => ({ PartitionKey: 'acct-1', Data: Buffer.from(JSON.stringify(d)) })) }),
  );
  expect(r.FailedRecordCount ?? 0).toBe(0);
  return r.Records!.map((x) => x.SequenceNumber!);
};
/** How many times each id reached the handler. */
const deliveries = (fn: string) => {
  const m = new Map<string, number>();
  for (const c of calls(fn)) for (const id of c.ids) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
};
const drain = () => stack.eventSources!.drain({ timeoutMs: 10_000 });

describe('batch responses (Lambda rules)', () => {
  it('treats null/empty as success and malformed or unknown identifiers as a failed batch', () => {
    const ids = ['a', 'b'];
    for (const ok of [null, undefined, '', {}, { batchItemFailures: null }, { batchItemFailures: [] }]) expect(parseBatchItemFailures(ok, ids)).toEqual({ kind: 'success' });
    expect(parseBatchItemFailures({ batchItemFailures: [{ itemIdentifier: 'b' }] }, ids)).toEqual({ kind: 'partial', failed: ['b'] });
    for (const bad of [[1], { batchItemFailures: 'b' }, { batchItemFailures: [{ itemIdentifier: '' }] }, { batchItemFailures: [{ itemIdentifier: null }] }, { batchItemFailures: [{ id: 'a' }] }, { batchItemFailures: [{ itemIdentifier: 'zz' }] }]) {
      expect(parseBatchItemFailures(bad, ids).kind).toBe('invalid');
    }
  });
});

describe('SQS → Lambda', () => {
  it('delivers the SQSEvent shape and deletes a successful batch', async () => {
    const attrs = {
      channel: { DataType: 'String', StringValue: 'email' },
      attempt: { DataType: 'Number', StringValue: '2' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
    };
    const bodies = [0, 1, 2].map((i) => ({ id: `ok-${runId}-${i}` }));
    const ids = await send('OutboxQueue', bodies, attrs);
    await drain();
    const records = calls('sqsRecorder').flatMap((c) => c.event.Records);
    expect(records.map((r) => r.messageId).sort()).toEqual([...ids].sort());
    const r = records.find((x) => x.messageId === ids[0])!;
    const body = JSON.stringify(bodies[0]);
    expect(r).toEqual({
      messageId: ids[0],
      receiptHandle: expect.any(String),
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        channel: { stringValue: 'email', stringListValues: [], binaryListValues: [], dataType: 'String' },
        attempt: { stringValue: '2', stringListValues: [], binaryListValues: [], dataType: 'Number' },
        blob: { binaryValue: Buffer.from([1, 2, 3]).toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
      md5OfBody: md5(body),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:curepath-dev-outbox`,
      awsRegion: 'us-east-1',
    });
    expect(Object.keys(r.attributes)).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
    expect(await depth('OutboxQueue')).toBe(0);
  });

  it('honours batchSize: 12 messages, every invocation ≤ 5 records, each delivered once', async () => {
    const a = await send('OutboxQueue', Array.from({ length: 10 }, (_, i) => ({ id: `b-${runId}-${i}` })));
    const b = await send('OutboxQueue', Array.from({ length: 2 }, (_, i) => ({ id: `b-${runId}-${10 + i}` })));
    await drain();
    expect(calls('sqsRecorder').every((c) => c.event.Records.length <= 5)).toBe(true);
    expect(calls('sqsRecorder').flatMap((c) => c.event.Records.map((r) => r.messageId)).sort()).toEqual([...a, ...b].sort());
    expect(await depth('OutboxQueue')).toBe(0);
  });

  it('partial batch failure: only the reported message is redelivered, the others are deleted', async () => {
    const bodies = [{ id: `p-${runId}-a` }, { id: `p-${runId}-b`, mode: 'fail-once' }, { id: `p-${runId}-c` }, { id: `p-${runId}-d` }];
    await send('OutboxQueue', bodies);
    await drain();
    const seen = deliveries('sqsRecorder');
    expect(Object.fromEntries(seen)).toEqual({ [`p-${runId}-a`]: 1, [`p-${runId}-b`]: 2, [`p-${runId}-c`]: 1, [`p-${runId}-d`]: 1 });
    const retry = calls('sqsRecorder').flatMap((c) => c.event.Records).filter((r) => JSON.parse(r.body).id === `p-${runId}-b`);
    expect(retry.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(reports.some((x) => x.outcome === 'partial' && x.failed.length === 1)).toBe(true);
    expect(await depth('OutboxQueue')).toBe(0);
    expect(await depth('OutboxDlq')).toBe(0);
  });

  it('a thrown error or an unknown itemIdentifier fails the whole batch: nothing is deleted, all come back', async () => {
    await send('OutboxQueue', [{ id: `t-${runId}-a` }, { id: `t-${runId}-b`, mode: 'throw-once' }, { id: `t-${runId}-c` }]);
    await drain();
    expect(Object.fromEntries(deliveries('sqsRecorder'))).toEqual({ [`t-${runId}-a`]: 2, [`t-${runId}-b`]: 2, [`t-${runId}-c`]: 2 });
    g.__eventRecorderCalls = [];
    await send('OutboxQueue', [{ id: `u-${runId}-a` }, { id: `u-${runId}-b`, mode: 'bad-id-once' }]);
    await drain();
    expect(Object.fromEntries(deliveries('sqsRecorder'))).toEqual({ [`u-${runId}-a`]: 2, [`u-${runId}-b`]: 2 });
    expect(await depth('OutboxQueue')).toBe(0);
  });

  it('a poison message reaches the DLQ after maxReceiveCount (3) receives; nothing else is lost', async () => {
    const ids = await send('OutboxQueue', [{ id: `x-${runId}-ok1` }, { id: `x-${runId}-poison`, mode: 'poison' }, { id: `x-${runId}-ok2` }]);
    await drain();
    expect(Object.fromEntries(deliveries('sqsRecorder'))).toEqual({ [`x-${runId}-ok1`]: 1, [`x-${runId}-poison`]: 3, [`x-${runId}-ok2`]: 1 });
    expect(await depth('OutboxQueue')).toBe(0);
    const dlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.resources.OutboxDlq!, MaxNumberOfMessages: 10, AttributeNames: ['All'] }));
    expect(dlq.Messages?.map((m) => [m.MessageId, JSON.parse(m.Body!).id])).toEqual([[ids[1], `x-${runId}-poison`]]);
  });
});

describe('Kinesis → Lambda', () => {
  const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
  /** Sequence numbers the handler completed, in order: whole successful batches, and the part of a partial one before its first failure. */
  const successes = (fn: string) =>
    reports.filter((r) => r.functionName === fn && r.outcome !== 'error').flatMap((r) => (r.outcome === 'success' ? r.ids : r.ids.slice(0, r.ids.indexOf(r.failed[0]!))));

  it('delivers the KinesisStreamEvent shape, in order, and checkpoints the last record', async () => {
    const items = [0, 1, 2, 3, 4].map((i) => ({ id: `k-${runId}-${i}` }));
    const seqs = await put('EngagementStream', items);
    await drain();
    expect(calls('streamRecorder').flatMap((c) => c.ids)).toEqual(items.map((d) => d.id));
    const r = calls('streamRecorder')[0]!.event.Records[0]!;
    expect(r).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'acct-1',
        sequenceNumber: seqs[0],
        data: Buffer.from(JSON.stringify(items[0])).toString('base64'),
        approximateArrivalTimestamp: expect.any(Number),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${seqs[0]}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: expect.stringMatching(/^arn:aws:iam::000000000000:role\/.+/),
      awsRegion: 'us-east-1',
      eventSourceARN: streamArn('curepath-dev-engagement'),
    });
    // Seconds with a fraction, not milliseconds.
    expect(r.kinesis.approximateArrivalTimestamp).toBeLessThan(1e11);
    expect(stack.eventSources!.checkpoints()['curepath-dev-engagement/shardId-000000000000']).toBe(seqs[4]);
  });

  it('ReportBatchItemFailures: checkpoints before the reported sequence number and retries from it', async () => {
    const items = [0, 1, 2, 3, 4].map((i) => ({ id: `c-${runId}-${i}`, ...(i === 2 ? { mode: 'fail-once' } : {}) }));
    const seqs = await put('EngagementStream', items);
    await drain();
    const fn = 'streamRecorder';
    const partialAt = reports.findIndex((r) => r.functionName === fn && r.outcome === 'partial');
    expect(reports[partialAt]!.failed[0]).toBe(seqs[2]);
    // The next invocation starts at the failed record; nothing before it is redelivered.
    expect(reports[partialAt + 1]!.ids[0]).toBe(seqs[2]);
    const seen = deliveries('streamRecorder');
    expect(seen.get(`c-${runId}-0`)).toBe(1);
    expect(seen.get(`c-${runId}-1`)).toBe(1);
    expect(seen.get(`c-${runId}-2`)).toBe(2);
    // Each record completed exactly once, in order.
    expect(successes(fn)).toEqual(seqs);
  });

  it('bisects a failing batch to isolate a poison record, which goes to the on-failure queue after maximumRetryAttempts', async () => {
    const items = [{ id: `s-${runId}-0` }, { id: `s-${runId}-1` }, { id: `s-${runId}-poison`, mode: 'poison' }, { id: `s-${runId}-3` }, { id: `s-${runId}-4` }];
    const seqs = await put('EngagementStream', items);
    await drain();
    const fn = 'streamRecorder';
    // Every good record processed exactly once, in order; the poison one never succeeds.
    expect(successes(fn)).toEqual([seqs[0], seqs[1], seqs[3], seqs[4]]);
    // Alone, the poison record is tried 1 + maximumRetryAttempts (2) times.
    expect(calls('streamRecorder').filter((c) => c.ids.length === 1 && c.ids[0] === `s-${runId}-poison`)).toHaveLength(3);
    const q = await sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.resources.StreamFailureQueue!, MaxNumberOfMessages: 10 }));
    expect(q.Messages).toHaveLength(1);
    const record = JSON.parse(q.Messages![0]!.Body!);
    expect(record).toEqual({
      requestContext: {
        requestId: expect.any(String),
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:curepath-dev-streamRecorder',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: seqs[2],
        endSequenceNumber: seqs[2],
        approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        batchSize: 1,
        streamArn: streamArn('curepath-dev-engagement'),
      },
    });
  });

  it('without bisect: retries exhausted → the whole batch is reported to the SNS destination and later records still flow', async () => {
    const fn = 'strictStreamRecorder';
    const seqs = await put('StrictStream', [{ id: `z-${runId}-0` }, { id: `z-${runId}-poison`, mode: 'poison' }, { id: `z-${runId}-2` }]);
    await drain();
    const failedBatch = calls('strictStreamRecorder').filter((c) => c.ids.includes(`z-${runId}-poison`));
    // 1 + maximumRetryAttempts (1) invocations of the same batch, then skipped.
    expect(failedBatch).toHaveLength(2);
    expect(failedBatch[1]!.ids).toEqual(failedBatch[0]!.ids);
    const later = await put('StrictStream', [{ id: `z-${runId}-later` }]);
    await drain();
    expect(successes(fn)).toContain(later[0]);
    const file = join(dir, 'sns', 'curepath-dev-stream-failures.jsonl');
    expect(existsSync(file)).toBe(true);
    const published = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(JSON.parse(l).message));
    expect(published).toHaveLength(1);
    const info = published[0].KinesisBatchInfo;
    expect(published[0].requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 });
    expect(info).toMatchObject({ shardId: 'shardId-000000000000', batchSize: failedBatch[0]!.ids.length, streamArn: streamArn('curepath-dev-strict') });
    expect(BigInt(info.startSequenceNumber) <= BigInt(seqs[1]!) && BigInt(seqs[1]!) <= BigInt(info.endSequenceNumber)).toBe(true);
    expect(stack.eventSources!.checkpoints()['curepath-dev-strict/shardId-000000000000']).toBe(later[0]);
  });
});

describe('lifecycle', () => {
  it('reports the mappings from the service definition and stops polling on stop()', async () => {
    const es = stack.eventSources!;
    expect(es.mappings.map((m) => `${m.kind}:${m.functionName}`).sort()).toEqual(['kinesis:streamRecorder', 'kinesis:strictStreamRecorder', 'sqs:sqsRecorder']);
    expect(es.mappings.find((m) => m.kind === 'kinesis' && m.functionName === 'streamRecorder')).toMatchObject({
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 2,
      maximumRecordAgeInSeconds: 3600,
      reportBatchItemFailures: true,
      onFailure: { type: 'sqs', arn: 'arn:aws:sqs:us-east-1:000000000000:curepath-dev-stream-failures' },
    });
    expect(es.stats().find((s) => s.functionName === 'sqsRecorder')!.deleted).toBeGreaterThan(0);
    await es.stop();
    await send('OutboxQueue', [{ id: `after-stop-${runId}` }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls('sqsRecorder')).toHaveLength(0);
    await expect(es.drain()).rejects.toThrow(/stopped/);
  });
});
