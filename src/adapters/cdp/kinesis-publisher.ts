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
import { planBatches } from '../firehose-archiver';

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
    const failed: number[] = [];
    const sendable: number[] = [];
    sizes.forEach((s, i) => (s > KINESIS_MAX_RECORD_BYTES ? failed : sendable).push(i));
    for (const batch of planBatches(sendable.map((i) => sizes[i]!), KINESIS_MAX_RECORDS, KINESIS_MAX_CALL_BYTES)) {
      let pending = batch.map((k) => sendable[k]!);
      for (let round = 0; pending.length > 0; round++) {
        if (round >= this.maxRounds) {
          failed.push(...pending);
          break;
        }
        if (round > 0) {
          this.stats.resent += pending.length;
          await this.sleep(Math.random() * Math.min(2_000, this.baseDelayMs * 2 ** (round - 1)));
        }
        try {
          this.stats.calls++;
          const res = await this.client.send(new PutRecordsCommand({ StreamName: this.streamName, Records: pending.map((i) => entries[i]!) }));
          if (!res.FailedRecordCount) {
            pending = [];
            continue;
          }
          const out = res.Records ?? [];
          // Positional results: resend exactly the entries with an ErrorCode.
          pending = pending.filter((_, k) => out[k] === undefined || out[k]!.ErrorCode !== undefined);
        } catch {
          // Whole call failed after the SDK's own retries: every pending entry is retried.
        }
      }
    }
    return { failed: failed.sort((a, b) => a - b) };
  }
}
