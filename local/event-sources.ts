/**
 * Local Lambda event source mappings: SQS queues and Kinesis streams delivered to the real
 * handlers (through the stack's in-process runtime) with Lambda's event shapes and batch-failure
 * semantics. Driven by the same definition as the cloud: `functions.<fn>.events[].sqs|stream` of
 * the resolved serverless service, and the queues' VisibilityTimeout / RedrivePolicy as created in
 * the local SQS (local/emulators/sqs.cjs, which performs the redrive to the DLQ itself, like SQS).
 *
 * Deliberately local-only choices (see docs/local-stack.md): one batch at a time per shard
 * (parallelizationFactor is read but not applied), `timeScale` shortens the waits before a retry
 * (visibility timeouts, batching windows, Kinesis retry backoff), checkpoints live in memory.
 */
import { randomUUID } from 'node:crypto';
import type { CfnContext, ResolvedService } from './cfn';
import type { LocalService } from '../src/adapters/local-overrides';

type Json = Record<string, unknown>;

/** What the event sources need from the stack (LocalStack satisfies it). */
export interface EventSourceHost {
  service: ResolvedService;
  cfn: CfnContext;
  stage: string;
  clientConfig(service: LocalService): Record<string, unknown>;
  invoke(functionName: string, event: unknown): Promise<unknown>;
}

export interface OnFailureDestination {
  arn: string;
  type: 'sqs' | 'sns';
}

export interface SqsMapping {
  kind: 'sqs';
  functionName: string;
  queueArn: string;
  queueName: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  maximumConcurrency?: number;
}

export interface KinesisMapping {
  kind: 'kinesis';
  functionName: string;
  streamArn: string;
  streamName: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  startingPositionTimestamp?: number;
  bisectBatchOnFunctionError: boolean;
  /** -1 = infinite (Lambda's default). */
  maximumRetryAttempts: number;
  /** -1 = infinite (Lambda's default). */
  maximumRecordAgeInSeconds: number;
  parallelizationFactor: number;
  reportBatchItemFailures: boolean;
  onFailure?: OnFailureDestination;
}

export type EventSourceMapping = SqsMapping | KinesisMapping;

export interface InvocationReport {
  functionName: string;
  source: 'sqs' | 'kinesis';
  eventSourceArn: string;
  shardId?: string;
  /** messageIds (SQS) or sequence numbers (Kinesis) in the batch, in order. */
  ids: string[];
  outcome: 'success' | 'partial' | 'error';
  /** The ids Lambda treats as failed (all of them on error or an invalid response). */
  failed: string[];
  error?: { errorType: string; errorMessage: string };
}

export interface OnFailureReport {
  functionName: string;
  destination: OnFailureDestination;
  record: KinesisOnFailureRecord;
}

export interface EventSourcesOptions {
  /** Only these serverless functions (default: every function with sqs/stream events). */
  functions?: string[];
  /** Idle wait between Kinesis GetRecords and SQS long-poll slice; default 200 ms (Lambda: ~1 s). */
  pollIntervalMs?: number;
  /**
   * Multiplies the waits before redelivery: SQS visibility timeouts, batching windows and the
   * Kinesis retry backoff (default 1 = the real values). Record-age limits are never scaled.
   */
  timeScale?: number;
  /** Wait between Kinesis retries of a failed batch before timeScale; default 1000 ms. */
  kinesisRetryDelayMs?: number;
  /** Concurrent batches per SQS mapping (capped by maximumConcurrency); default 1. */
  sqsConcurrency?: number;
  log?: (line: string) => void;
  onInvoke?: (r: InvocationReport) => void;
  onFailureSent?: (r: OnFailureReport) => void;
}

export interface DrainOptions {
  /** Reject after this long (default 30 s) with what is still pending. */
  timeoutMs?: number;
  /**
   * true (default): wait until failed SQS messages are redelivered and settle (deleted or moved
   * to their DLQ). false: messages only waiting out a visibility timeout do not count.
   */
  waitForRetries?: boolean;
}

export interface DrainReport {
  waitedMs: number;
  invocations: number;
}

export interface KinesisOnFailureRecord {
  requestContext: { requestId: string; functionArn: string; condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded'; approximateInvokeCount: number };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface MappingStats {
  functionName: string;
  kind: 'sqs' | 'kinesis';
  source: string;
  invocations: number;
  records: number;
  failedInvocations: number;
  deleted: number;
  onFailureSent: number;
}

export interface EventSources {
  mappings: EventSourceMapping[];
  /** Resolves when every subscribed queue is empty and every shard caught up (see DrainOptions). */
  drain(opts?: DrainOptions): Promise<DrainReport>;
  stats(): MappingStats[];
  /** In-memory Kinesis checkpoints: `<stream>/<shardId>` → last processed sequence number. */
  checkpoints(): Record<string, string>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const num = (v: unknown, d: number): number => (v === undefined || v === null || v === '' || Number.isNaN(Number(v)) ? d : Number(v));
const MAX_PAYLOAD = 6 * 1024 * 1024; // Lambda's synchronous invocation payload limit

function arnName(arn: string, kind: 'sqs' | 'kinesis' | 'sns'): string {
  if (kind === 'kinesis') return arn.split(':stream/')[1]?.split('/')[0] ?? arn;
  return arn.split(':').pop() ?? arn;
}

/** The event source mappings the service declares (functions.<fn>.events[].sqs / .stream). */
export function resolveEventSourceMappings(service: ResolvedService, cfn: CfnContext, log: (l: string) => void = () => undefined): EventSourceMapping[] {
  const out: EventSourceMapping[] = [];
  const asArn = (v: unknown, what: string): string => {
    const r = cfn.resolve(v);
    if (typeof r !== 'string') throw new Error(`${what}: arn did not resolve to a string (${JSON.stringify(v)})`);
    return r;
  };
  for (const [fn, def] of Object.entries(service.functions ?? {})) {
    for (const [i, ev] of (def.events ?? []).entries()) {
      const e = ev as Json;
      const what = `functions.${fn}.events[${i}]`;
      if (e.sqs !== undefined) {
        const c = (typeof e.sqs === 'object' && e.sqs !== null ? e.sqs : { arn: e.sqs }) as Json;
        if (c.enabled === false) continue;
        if (c.filterPatterns) log(`${what}: filterPatterns are not applied locally (every message is delivered)`);
        const queueArn = asArn(c.arn, what);
        out.push({
          kind: 'sqs',
          functionName: fn,
          queueArn,
          queueName: arnName(queueArn, 'sqs'),
          batchSize: num(c.batchSize, 10),
          maximumBatchingWindowSeconds: num(c.maximumBatchingWindow, 0),
          reportBatchItemFailures: c.functionResponseType === 'ReportBatchItemFailures',
          ...(c.maximumConcurrency !== undefined ? { maximumConcurrency: num(c.maximumConcurrency, 1000) } : {}),
        });
      } else if (e.stream !== undefined) {
        const c = (typeof e.stream === 'object' && e.stream !== null ? e.stream : { arn: e.stream }) as Json;
        if (c.enabled === false) continue;
        const streamArn = asArn(c.arn, what);
        const type = (c.type as string | undefined) ?? (streamArn.includes(':kinesis:') ? 'kinesis' : 'dynamodb');
        if (type !== 'kinesis') {
          log(`${what}: ${type} streams have no local emulator (skipped)`);
          continue;
        }
        if (c.filterPatterns) log(`${what}: filterPatterns are not applied locally (every record is delivered)`);
        const dest = (c.destinations as Json | undefined)?.onFailure;
        let onFailure: OnFailureDestination | undefined;
        if (dest !== undefined) {
          const d = (typeof dest === 'object' && dest !== null && ('arn' in dest || 'type' in dest) ? dest : { arn: dest }) as Json;
          const arn = asArn(d.arn, `${what}.destinations.onFailure`);
          const t = (d.type as string | undefined) ?? (arn.includes(':sns:') ? 'sns' : 'sqs');
          if (t !== 'sqs' && t !== 'sns') throw new Error(`${what}.destinations.onFailure: type ${t} is not supported locally (sqs or sns)`);
          onFailure = { arn, type: t };
        }
        const sp = String(c.startingPosition ?? 'TRIM_HORIZON');
        out.push({
          kind: 'kinesis',
          functionName: fn,
          streamArn,
          streamName: arnName(streamArn, 'kinesis'),
          batchSize: num(c.batchSize, 100),
          maximumBatchingWindowSeconds: num(c.maximumBatchingWindow, 0),
          startingPosition: sp === 'LATEST' || sp === 'AT_TIMESTAMP' ? sp : 'TRIM_HORIZON',
          ...(c.startingPositionTimestamp !== undefined ? { startingPositionTimestamp: num(c.startingPositionTimestamp, 0) } : {}),
          bisectBatchOnFunctionError: c.bisectBatchOnFunctionError === true,
          maximumRetryAttempts: num(c.maximumRetryAttempts, -1),
          maximumRecordAgeInSeconds: num(c.maximumRecordAgeInSeconds, -1),
          parallelizationFactor: num(c.parallelizationFactor, 1),
          reportBatchItemFailures: c.functionResponseType === 'ReportBatchItemFailures',
          ...(onFailure ? { onFailure } : {}),
        });
      }
    }
  }
  return out;
}

/** Lambda's verdict on a batch response with ReportBatchItemFailures. */
export function parseBatchItemFailures(
  response: unknown,
  ids: readonly string[],
): { kind: 'success' } | { kind: 'partial'; failed: string[] } | { kind: 'invalid'; reason: string } {
  // null/empty response or null/empty list = complete success (Lambda's documented rules).
  if (response === null || response === undefined || response === '') return { kind: 'success' };
  if (typeof response !== 'object' || Array.isArray(response)) return { kind: 'invalid', reason: 'response is not an object' };
  const list = (response as Json).batchItemFailures;
  if (list === null || list === undefined) return { kind: 'success' };
  if (!Array.isArray(list)) return { kind: 'invalid', reason: 'batchItemFailures is not a list' };
  if (list.length === 0) return { kind: 'success' };
  const known = new Set(ids);
  const failed: string[] = [];
  for (const f of list) {
    const id = (f as Json | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !known.has(id)) return { kind: 'invalid', reason: `unknown itemIdentifier ${JSON.stringify(id)}` };
    failed.push(id);
  }
  return { kind: 'partial', failed };
}

interface SqsMessageLike {
  MessageId?: string;
  ReceiptHandle?: string;
  Body?: string;
  MD5OfBody?: string;
  MD5OfMessageAttributes?: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array | string; StringListValues?: string[]; BinaryListValues?: (Uint8Array | string)[] }>;
}

const b64 = (v: Uint8Array | string) => (typeof v === 'string' ? v : Buffer.from(v).toString('base64'));

/** One SQSRecord of the Lambda event, from a ReceiveMessage message. */
export function toSqsRecord(m: SqsMessageLike, queueArn: string, region: string): Json {
  const a = m.Attributes ?? {};
  const { ApproximateReceiveCount, SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp, ...rest } = a;
  const messageAttributes: Json = {};
  for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) {
    messageAttributes[k] = {
      ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { binaryValue: b64(v.BinaryValue) } : {}),
      stringListValues: v.StringListValues ?? [],
      binaryListValues: (v.BinaryListValues ?? []).map(b64),
      dataType: v.DataType,
    };
  }
  return {
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body,
    attributes: { ApproximateReceiveCount, SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp, ...rest },
    messageAttributes,
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    md5OfBody: m.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

interface KRecord {
  SequenceNumber: string;
  PartitionKey: string;
  Data: Uint8Array;
  ApproximateArrivalTimestamp?: Date;
}

/** One KinesisStreamRecord of the Lambda event. */
export function toKinesisRecord(r: KRecord, shardId: string, streamArn: string, region: string, roleArn: string): Json {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: r.PartitionKey,
      sequenceNumber: r.SequenceNumber,
      data: Buffer.from(r.Data).toString('base64'),
      approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${r.SequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: roleArn,
    awsRegion: region,
    eventSourceARN: streamArn,
  };
}

function errorInfo(e: unknown): { errorType: string; errorMessage: string } {
  const x = e as { errorType?: string; errorMessage?: string; name?: string; message?: string };
  return { errorType: x?.errorType ?? x?.name ?? 'Error', errorMessage: x?.errorMessage ?? x?.message ?? String(e) };
}

/** Starts polling every mapping of the service. Call stop() (the stack's stop() does) to end it. */
export async function startEventSources(host: EventSourceHost, opts: EventSourcesOptions = {}): Promise<EventSources> {
  const log = opts.log ?? (() => undefined);
  const pollMs = opts.pollIntervalMs ?? 200;
  const scale = opts.timeScale ?? 1;
  const retryDelayMs = (opts.kinesisRetryDelayMs ?? 1000) * scale;
  const region = host.cfn.region;
  const all = resolveEventSourceMappings(host.service, host.cfn, log);
  const mappings = opts.functions ? all.filter((m) => opts.functions!.includes(m.functionName)) : all;

  const needSqs = mappings.some((m) => m.kind === 'sqs' || m.onFailure?.type === 'sqs');
  const needKinesis = mappings.some((m) => m.kind === 'kinesis');
  const needSns = mappings.some((m) => m.kind === 'kinesis' && m.onFailure?.type === 'sns');
  const [sqsMod, kinMod, snsMod] = await Promise.all([
    needSqs ? import('@aws-sdk/client-sqs') : undefined,
    needKinesis ? import('@aws-sdk/client-kinesis') : undefined,
    needSns ? import('@aws-sdk/client-sns') : undefined,
  ]);
  const sqs = sqsMod && new sqsMod.SQSClient(host.clientConfig('sqs'));
  const kinesis = kinMod && new kinMod.KinesisClient(host.clientConfig('kinesis'));
  const sns = snsMod && new snsMod.SNSClient(host.clientConfig('sns'));

  const abort = new AbortController();
  let stopped = false;
  let inflight = 0; // batches between receive/fetch and settle
  let epoch = 0; // bumps on every settled batch (drain's "nothing happened meanwhile")
  let lastSettledAt = 0;
  let invocations = 0;
  const loops: Promise<void>[] = [];
  const stats = new Map<EventSourceMapping, MappingStats>();
  const queueUrls = new Map<string, string>();
  const shardStates: ShardState[] = [];

  interface ShardState {
    mapping: KinesisMapping;
    shardId: string;
    checkpoint?: string;
    /** Start time of the last GetRecords that returned nothing (drain: caught up since then). */
    lastEmptyPollStart: number;
    busy: boolean;
  }

  const fnArn = (fn: string) => host.cfn.functionArn(fn);
  const roleArn = (fn: string): string => {
    const role = host.service.functions?.[fn]?.role ?? (host.service.provider as Json).role;
    const resolved = typeof role === 'string' && !role.startsWith('arn:') ? host.cfn.physical[role]?.attrs.Arn : role !== undefined ? host.cfn.resolve(role) : undefined;
    return typeof resolved === 'string' ? resolved : `arn:aws:iam::${host.cfn.accountId}:role/${host.service.service}-${host.stage}-${region}-lambdaRole`;
  };
  const settle = () => {
    epoch++;
    lastSettledAt = Date.now();
  };
  const report = (r: InvocationReport) => {
    invocations++;
    try {
      opts.onInvoke?.(r);
    } catch {
      /* an observer never breaks delivery */
    }
  };
  const queueUrl = async (name: string): Promise<string> => {
    let u = queueUrls.get(name);
    if (!u) {
      u = (await sqs!.send(new sqsMod!.GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
      queueUrls.set(name, u);
    }
    return u;
  };

  // ---------------------------------------------------------------- SQS
  async function sqsWorker(m: SqsMapping, st: MappingStats, url: string, visibilitySeconds: number): Promise<void> {
    const windowMs = m.maximumBatchingWindowSeconds * 1000 * scale;
    while (!stopped) {
      let msgs: SqsMessageLike[] = [];
      try {
        // Gather: one receive without a window; with a window, until batchSize, 6 MB or the window ends.
        let deadline = 0;
        let bytes = 0;
        for (;;) {
          const first = msgs.length === 0;
          const waitMs = first ? Math.max(pollMs, 1000) : Math.max(0, deadline - Date.now());
          const r = await sqs!.send(
            new sqsMod!.ReceiveMessageCommand({
              QueueUrl: url,
              MaxNumberOfMessages: Math.min(10, m.batchSize - msgs.length),
              AttributeNames: ['All'],
              MessageSystemAttributeNames: ['All'],
              MessageAttributeNames: ['All'],
              // Local SQS accepts fractional seconds (timeScale); the real service takes integers.
              VisibilityTimeout: visibilitySeconds,
              WaitTimeSeconds: waitMs / 1000,
            }),
            { abortSignal: abort.signal },
          );
          const got = r.Messages ?? [];
          if (got.length && first) inflight++;
          msgs.push(...got);
          bytes += got.reduce((s, x) => s + (x.Body?.length ?? 0), 0);
          if (!msgs.length) break;
          if (first) deadline = Date.now() + windowMs;
          if (windowMs <= 0 || msgs.length >= m.batchSize || bytes >= MAX_PAYLOAD / 2 || Date.now() >= deadline) break;
        }
      } catch (e) {
        if (msgs.length) inflight--;
        if (stopped) return;
        log(`sqs ${m.queueName} → ${m.functionName}: receive failed: ${(e as Error).message}`);
        await sleep(pollMs);
        continue;
      }
      if (!msgs.length) continue;
      try {
        await deliverSqs(m, st, url, msgs);
      } catch (e) {
        if (!stopped) log(`sqs ${m.queueName} → ${m.functionName}: ${(e as Error).message}`);
      } finally {
        inflight--;
        settle();
      }
    }
  }

  async function deliverSqs(m: SqsMapping, st: MappingStats, url: string, msgs: SqsMessageLike[]): Promise<void> {
    const ids = msgs.map((x) => x.MessageId!);
    const event = { Records: msgs.map((x) => toSqsRecord(x, m.queueArn, region)) };
    st.invocations++;
    st.records += msgs.length;
    let toDelete: SqsMessageLike[] = [];
    try {
      const res = await host.invoke(m.functionName, event);
      const verdict = m.reportBatchItemFailures ? parseBatchItemFailures(res, ids) : ({ kind: 'success' } as const);
      if (verdict.kind === 'success') {
        toDelete = msgs;
        report({ functionName: m.functionName, source: 'sqs', eventSourceArn: m.queueArn, ids, outcome: 'success', failed: [] });
      } else if (verdict.kind === 'partial') {
        const failed = new Set(verdict.failed);
        toDelete = msgs.filter((x) => !failed.has(x.MessageId!));
        report({ functionName: m.functionName, source: 'sqs', eventSourceArn: m.queueArn, ids, outcome: 'partial', failed: [...failed] });
      } else {
        // An invalid response fails the whole batch, as Lambda does.
        st.failedInvocations++;
        log(`sqs ${m.queueName} → ${m.functionName}: invalid batch response (${verdict.reason}); the whole batch is retried`);
        report({ functionName: m.functionName, source: 'sqs', eventSourceArn: m.queueArn, ids, outcome: 'error', failed: ids, error: { errorType: 'InvalidBatchItemFailures', errorMessage: verdict.reason } });
      }
    } catch (e) {
      st.failedInvocations++;
      report({ functionName: m.functionName, source: 'sqs', eventSourceArn: m.queueArn, ids, outcome: 'error', failed: ids, error: errorInfo(e) });
    }
    for (let i = 0; i < toDelete.length; i += 10) {
      const chunk = toDelete.slice(i, i + 10);
      const r = await sqs!.send(new sqsMod!.DeleteMessageBatchCommand({ QueueUrl: url, Entries: chunk.map((x, j) => ({ Id: String(j), ReceiptHandle: x.ReceiptHandle! })) }));
      st.deleted += r.Successful?.length ?? 0;
      for (const f of r.Failed ?? []) log(`sqs ${m.queueName}: delete failed (${f.Code}: ${f.Message})`);
    }
  }

  // ---------------------------------------------------------------- Kinesis
  async function sendOnFailure(m: KinesisMapping, st: MappingStats, s: ShardState, batch: KRecord[], condition: KinesisOnFailureRecord['requestContext']['condition'], invokeCount: number, functionError?: string) {
    const first = batch[0]!;
    const last = batch[batch.length - 1]!;
    const record: KinesisOnFailureRecord = {
      requestContext: { requestId: randomUUID(), functionArn: fnArn(m.functionName), condition, approximateInvokeCount: invokeCount },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(functionError ? { functionError } : {}) },
      version: '1.0',
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId: s.shardId,
        startSequenceNumber: first.SequenceNumber,
        endSequenceNumber: last.SequenceNumber,
        approximateArrivalOfFirstRecord: (first.ApproximateArrivalTimestamp ?? new Date()).toISOString(),
        approximateArrivalOfLastRecord: (last.ApproximateArrivalTimestamp ?? new Date()).toISOString(),
        batchSize: batch.length,
        streamArn: m.streamArn,
      },
    };
    if (!m.onFailure) {
      log(`kinesis ${m.streamName}/${s.shardId} → ${m.functionName}: ${batch.length} record(s) discarded (${condition}), no on-failure destination`);
      return;
    }
    const body = JSON.stringify(record);
    if (m.onFailure.type === 'sqs') {
      await sqs!.send(new sqsMod!.SendMessageCommand({ QueueUrl: await queueUrl(arnName(m.onFailure.arn, 'sqs')), MessageBody: body }));
    } else {
      await sns!.send(new snsMod!.PublishCommand({ TopicArn: m.onFailure.arn, Message: body }));
    }
    st.onFailureSent++;
    log(`kinesis ${m.streamName}/${s.shardId} → ${m.functionName}: ${batch.length} record(s) sent to ${m.onFailure.arn} (${condition})`);
    try {
      opts.onFailureSent?.({ functionName: m.functionName, destination: m.onFailure, record });
    } catch {
      /* observer */
    }
  }

  /** Lambda's stream semantics for one (sub-)batch; returns when every record is checkpointed. */
  async function deliverKinesis(m: KinesisMapping, st: MappingStats, s: ShardState, batch: KRecord[]): Promise<void> {
    let current = batch;
    let attempts = 0;
    while (!stopped && current.length) {
      if (m.maximumRecordAgeInSeconds >= 0) {
        const oldest = Date.now() - m.maximumRecordAgeInSeconds * 1000;
        const expired = current.filter((r) => (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) < oldest);
        if (expired.length) {
          // Records are in order, so the expired ones are a prefix.
          const n = current.indexOf(expired[expired.length - 1]!) + 1;
          await sendOnFailure(m, st, s, current.slice(0, n), 'RecordAgeExceeded', attempts);
          s.checkpoint = current[n - 1]!.SequenceNumber;
          current = current.slice(n);
          continue;
        }
      }
      const ids = current.map((r) => r.SequenceNumber);
      const event = { Records: current.map((r) => toKinesisRecord(r, s.shardId, m.streamArn, region, roleArn(m.functionName))) };
      st.invocations++;
      st.records += current.length;
      let failedFrom = -1; // index of the first record to retry; -1 = success
      let functionError: string | undefined;
      try {
        const res = await host.invoke(m.functionName, event);
        const verdict = m.reportBatchItemFailures ? parseBatchItemFailures(res, ids) : ({ kind: 'success' } as const);
        if (verdict.kind === 'success') {
          report({ functionName: m.functionName, source: 'kinesis', eventSourceArn: m.streamArn, shardId: s.shardId, ids, outcome: 'success', failed: [] });
        } else if (verdict.kind === 'partial') {
          // Lambda checkpoints before the lowest reported sequence number and retries from it.
          failedFrom = Math.min(...verdict.failed.map((id) => ids.indexOf(id)));
          report({ functionName: m.functionName, source: 'kinesis', eventSourceArn: m.streamArn, shardId: s.shardId, ids, outcome: 'partial', failed: ids.slice(failedFrom) });
        } else {
          failedFrom = 0;
          functionError = 'Unhandled';
          log(`kinesis ${m.streamName}/${s.shardId} → ${m.functionName}: invalid batch response (${verdict.reason}); the whole batch fails`);
          report({ functionName: m.functionName, source: 'kinesis', eventSourceArn: m.streamArn, shardId: s.shardId, ids, outcome: 'error', failed: ids, error: { errorType: 'InvalidBatchItemFailures', errorMessage: verdict.reason } });
        }
      } catch (e) {
        failedFrom = 0;
        functionError = 'Unhandled';
        report({ functionName: m.functionName, source: 'kinesis', eventSourceArn: m.streamArn, shardId: s.shardId, ids, outcome: 'error', failed: ids, error: errorInfo(e) });
      }
      if (failedFrom < 0) {
        s.checkpoint = current[current.length - 1]!.SequenceNumber;
        return;
      }
      st.failedInvocations++;
      attempts++;
      if (failedFrom > 0) s.checkpoint = current[failedFrom - 1]!.SequenceNumber;
      const failed = current.slice(failedFrom);
      if (m.bisectBatchOnFunctionError && functionError && failed.length > 1) {
        // Splitting does not consume the retry quota: each half starts afresh.
        const mid = Math.ceil(failed.length / 2);
        await deliverKinesis(m, st, s, failed.slice(0, mid));
        await deliverKinesis(m, st, s, failed.slice(mid));
        return;
      }
      if (m.maximumRetryAttempts >= 0 && attempts > m.maximumRetryAttempts) {
        await sendOnFailure(m, st, s, failed, 'RetryAttemptsExhausted', attempts, functionError);
        s.checkpoint = failed[failed.length - 1]!.SequenceNumber;
        return;
      }
      current = failed;
      await sleep(retryDelayMs);
    }
  }

  async function shardIterator(m: KinesisMapping, s: ShardState): Promise<string> {
    const base = { StreamName: m.streamName, ShardId: s.shardId };
    const r = await kinesis!.send(
      new kinMod!.GetShardIteratorCommand(
        s.checkpoint
          ? { ...base, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: s.checkpoint }
          : m.startingPosition === 'AT_TIMESTAMP'
            ? { ...base, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date((m.startingPositionTimestamp ?? 0) * 1000) }
            : { ...base, ShardIteratorType: m.startingPosition },
      ),
    );
    return r.ShardIterator!;
  }

  async function shardLoop(m: KinesisMapping, st: MappingStats, s: ShardState): Promise<void> {
    let iterator: string | undefined;
    const windowMs = m.maximumBatchingWindowSeconds * 1000 * scale;
    const limit = Math.min(10_000, m.batchSize);
    while (!stopped) {
      try {
        iterator ??= await shardIterator(m, s);
        const pollStart = Date.now();
        const r = await kinesis!.send(new kinMod!.GetRecordsCommand({ ShardIterator: iterator, Limit: limit }), { abortSignal: abort.signal });
        iterator = r.NextShardIterator;
        let records = (r.Records ?? []) as KRecord[];
        if (!records.length) {
          s.lastEmptyPollStart = pollStart;
          if (!iterator) return; // closed shard, fully read
          await sleep(pollMs);
          continue;
        }
        s.busy = true;
        inflight++;
        try {
          const deadline = Date.now() + windowMs;
          while (windowMs > 0 && records.length < m.batchSize && Date.now() < deadline && iterator && !stopped) {
            await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())));
            const more = await kinesis!.send(new kinMod!.GetRecordsCommand({ ShardIterator: iterator, Limit: m.batchSize - records.length }), { abortSignal: abort.signal });
            iterator = more.NextShardIterator;
            records = records.concat((more.Records ?? []) as KRecord[]);
          }
          // One batch at a time per shard, within batchSize and the 6 MB payload limit.
          while (records.length && !stopped) {
            let n = 0;
            let bytes = 0;
            while (n < records.length && n < m.batchSize && (n === 0 || bytes + records[n]!.Data.length * 1.4 + 600 < MAX_PAYLOAD)) {
              bytes += records[n]!.Data.length * 1.4 + 600;
              n++;
            }
            await deliverKinesis(m, st, s, records.slice(0, n));
            records = records.slice(n);
          }
        } finally {
          s.busy = false;
          inflight--;
          settle();
        }
      } catch (e) {
        if (stopped) return;
        const name = (e as Error).name;
        if (name === 'ExpiredIteratorException' || name === 'InvalidArgumentException') iterator = undefined;
        else log(`kinesis ${m.streamName}/${s.shardId} → ${m.functionName}: ${(e as Error).message}`);
        await sleep(pollMs);
      }
    }
  }

  // ---------------------------------------------------------------- start
  try {
    for (const m of mappings) await startMapping(m);
  } catch (e) {
    // A mapping that cannot start (missing queue/stream) stops the ones already polling.
    stopped = true;
    abort.abort();
    await Promise.allSettled(loops);
    for (const c of [sqs, kinesis, sns]) c?.destroy();
    throw e;
  }

  async function startMapping(m: EventSourceMapping): Promise<void> {
    const st: MappingStats = {
      functionName: m.functionName,
      kind: m.kind,
      source: m.kind === 'sqs' ? m.queueArn : m.streamArn,
      invocations: 0,
      records: 0,
      failedInvocations: 0,
      deleted: 0,
      onFailureSent: 0,
    };
    stats.set(m, st);
    if (m.kind === 'sqs') {
      const url = await queueUrl(m.queueName);
      const a = await sqs!.send(new sqsMod!.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }));
      const visibility = num(a.Attributes?.VisibilityTimeout, 30) * scale;
      const workers = Math.max(1, Math.min(opts.sqsConcurrency ?? 1, m.maximumConcurrency ?? Infinity));
      for (let i = 0; i < workers; i++) loops.push(sqsWorker(m, st, url, visibility));
      log(`event source: sqs ${m.queueName} → ${m.functionName} (batch ${m.batchSize}, window ${m.maximumBatchingWindowSeconds}s, visibility ${visibility}s${m.reportBatchItemFailures ? ', ReportBatchItemFailures' : ''})`);
    } else {
      const shards = await kinesis!.send(new kinMod!.ListShardsCommand({ StreamName: m.streamName }));
      if (m.parallelizationFactor > 1) log(`event source: kinesis ${m.streamName}: parallelizationFactor ${m.parallelizationFactor} runs as 1 locally (stricter ordering)`);
      for (const sh of shards.Shards ?? []) {
        const s: ShardState = { mapping: m, shardId: sh.ShardId!, lastEmptyPollStart: 0, busy: false };
        shardStates.push(s);
        loops.push(shardLoop(m, st, s));
      }
      log(`event source: kinesis ${m.streamName} (${shards.Shards?.length ?? 0} shard(s), ${m.startingPosition}) → ${m.functionName}`);
    }
  }

  async function quiet(since: number, waitForRetries: boolean): Promise<string[]> {
    const e0 = epoch;
    const pending: string[] = [];
    if (inflight > 0) pending.push(`${inflight} batch(es) in flight`);
    const queues = [...new Set(mappings.filter((m): m is SqsMapping => m.kind === 'sqs').map((m) => m.queueName))];
    await Promise.all(
      queues.map(async (q) => {
        const a = (await sqs!.send(new sqsMod!.GetQueueAttributesCommand({ QueueUrl: await queueUrl(q), AttributeNames: ['All'] }))).Attributes ?? {};
        const visible = num(a.ApproximateNumberOfMessages, 0);
        const delayed = num(a.ApproximateNumberOfMessagesDelayed, 0);
        const invisible = num(a.ApproximateNumberOfMessagesNotVisible, 0);
        if (visible || delayed || (waitForRetries && invisible)) pending.push(`queue ${q}: ${visible} visible, ${invisible} in flight/awaiting visibility timeout, ${delayed} delayed`);
      }),
    );
    const after = Math.max(since, lastSettledAt);
    for (const s of shardStates) {
      if (s.busy || s.lastEmptyPollStart <= after) pending.push(`stream ${s.mapping.streamName}/${s.shardId} not caught up`);
    }
    if (epoch !== e0 || inflight > 0) pending.push('activity during the check');
    return pending;
  }

  return {
    mappings,
    async drain(o: DrainOptions = {}) {
      const t0 = Date.now();
      const inv0 = invocations;
      const timeoutMs = o.timeoutMs ?? 30_000;
      for (;;) {
        if (stopped) throw new Error('event sources are stopped');
        const pending = await quiet(t0, o.waitForRetries ?? true);
        if (!pending.length) return { waitedMs: Date.now() - t0, invocations: invocations - inv0 };
        if (Date.now() - t0 > timeoutMs) throw new Error(`event sources not drained after ${timeoutMs} ms: ${pending.join('; ')}`);
        await sleep(Math.max(10, Math.min(50, pollMs / 2)));
      }
    },
    stats: () => [...stats.values()].map((s) => ({ ...s })),
    checkpoints: () => Object.fromEntries(shardStates.filter((s) => s.checkpoint).map((s) => [`${s.mapping.streamName}/${s.shardId}`, s.checkpoint!])),
    async stop() {
      if (stopped) return;
      stopped = true;
      abort.abort();
      // Loops end at their next await; an invocation already running is let finish.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(loops), new Promise<void>((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      for (const c of [sqs, kinesis, sns]) c?.destroy();
    },
  };
}
