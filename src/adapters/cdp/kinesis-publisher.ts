/**
 * PutRecords onto the `transactions` stream, partition key = card token. Calls hold ≤ 500
 * records and ≤ 5 MiB (data + partition keys); a record over 1 MiB is never sent (reported as
 * failed, not silently dropped). Entries a response marks with an ErrorCode (FailedRecordCount > 0:
 * throttling, internal errors) are resent with full-jitter backoff; after `maxRounds` the rest are
 * reported to the caller, which retries them through its own event source.
 */
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { partitionKeyOf, type StreamRecord } from '../../domain/cdp/records';
import type { StreamPublisher } from '../../usecases/cdp/ports';
import { sendWithResend } from '../firehose-archiver';

export const KINESIS_MAX_RECORDS = 500;
export const KINESIS_MAX_CALL_BYTES = 5 * 1024 * 1024;
export const KINESIS_MAX_RECORD_BYTES = 1024 * 1024;

export interface KinesisPublisherOptions {
  maxRounds?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class KinesisPublisher implements StreamPublisher {
  private readonly maxRounds: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Calls made and entries resent (for the benchmark and the tests). */
  readonly stats = { calls: 0, resent: 0 };

  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    opts: KinesisPublisherOptions = {},
  ) {
    this.maxRounds = opts.maxRounds ?? 5;
    this.baseDelayMs = opts.baseDelayMs ?? 100;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async publish(records: readonly StreamRecord[]): Promise<{ failed: number[] }> {
    const entries = records.map((r) => ({ Data: Buffer.from(JSON.stringify(r), 'utf8'), PartitionKey: partitionKeyOf(r) }));
    const sizes = entries.map((e) => e.Data.length + Buffer.byteLength(e.PartitionKey));
    const tooBig: number[] = [];
    const sendable: number[] = [];
    sizes.forEach((s, i) => (s > KINESIS_MAX_RECORD_BYTES ? tooBig : sendable).push(i));
    const sent = await sendWithResend(
      sendable, sizes, { maxRecords: KINESIS_MAX_RECORDS, maxBytes: KINESIS_MAX_CALL_BYTES },
      { maxRounds: this.maxRounds, baseDelayMs: this.baseDelayMs, sleep: this.sleep, onResend: (n) => (this.stats.resent += n) },
      async (pending) => {
        this.stats.calls++;
        const res = await this.client.send(new PutRecordsCommand({ StreamName: this.streamName, Records: pending.map((i) => entries[i]!) }));
        return res.FailedRecordCount ? (res.Records ?? []) : null;
      },
    );
    const failed = [...tooBig, ...sent.failed];
    return { failed: failed.sort((a, b) => a - b) };
  }
}
