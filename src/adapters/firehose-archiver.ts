import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { ArchiveError, type ArchiveRecord, type EventArchiver } from '../usecases/engagement/ports';

/** PutRecordBatch limits (Firehose quotas). */
export const FIREHOSE_MAX_RECORDS = 500;
export const FIREHOSE_MAX_BATCH_BYTES = 4 * 1024 * 1024;
export const FIREHOSE_MAX_RECORD_BYTES = 1_000 * 1024;

export interface FirehoseArchiverOptions {
  /** Calls per batch before the records still failing are given up (default 5). */
  maxRounds?: number;
  /** First backoff (full jitter, doubling, capped at 2 s); default 100 ms. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Splits encoded records into PutRecordBatch calls of ≤ 500 records and ≤ 4 MiB. */
export function planBatches(sizes: readonly number[], maxRecords = FIREHOSE_MAX_RECORDS, maxBytes = FIREHOSE_MAX_BATCH_BYTES): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  sizes.forEach((size, i) => {
    if (current.length > 0 && (current.length >= maxRecords || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

export interface ResendOptions {
  maxRounds: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Called with the number of entries about to be resent. */
  onResend?: (count: number) => void;
}

/**
 * The partial-failure loop of Firehose PutRecordBatch and Kinesis PutRecords: `sendable` (indices
 * into `sizes`) go out in planned batches; `send` returns null when all were accepted, else the
 * positional per-entry results, and exactly the entries that carry an ErrorCode (or no result) are
 * resent with full-jitter backoff. A call that throws (after the SDK's own retries) resends every
 * pending entry. After `maxRounds` calls per batch the rest are returned as failed.
 */
export async function sendWithResend(
  sendable: readonly number[],
  sizes: readonly number[],
  limits: { maxRecords: number; maxBytes: number },
  opts: ResendOptions,
  send: (pending: number[]) => Promise<readonly { ErrorCode?: string }[] | null>,
): Promise<{ failed: number[]; lastError: string }> {
  const failed: number[] = [];
  let lastError = '';
  for (const batch of planBatches(sendable.map((i) => sizes[i]!), limits.maxRecords, limits.maxBytes)) {
    let pending = batch.map((k) => sendable[k]!);
    for (let round = 0; pending.length > 0; round++) {
      if (round >= opts.maxRounds) {
        failed.push(...pending);
        break;
      }
      if (round > 0) {
        opts.onResend?.(pending.length);
        await opts.sleep(Math.random() * Math.min(2_000, opts.baseDelayMs * 2 ** (round - 1)));
      }
      try {
        const results = await send(pending);
        if (!results) {
          pending = [];
          continue;
        }
        pending = pending.filter((_, k) => results[k] === undefined || results[k]!.ErrorCode !== undefined);
        lastError = results.find((r) => r.ErrorCode)?.ErrorCode ?? lastError;
      } catch (e) {
        lastError = (e as Error).name;
      }
    }
  }
  return { failed, lastError };
}

/**
 * Archives raw engagement records through Firehose (→ S3, partitioned by date by the delivery
 * stream's prefix), one JSON document per line. Only the records a response marks with an
 * ErrorCode are resent, with backoff; after `maxRounds` the rest are reported in an ArchiveError.
 * A record over 1,000 KiB is never sent and is reported as oversize (not silently dropped).
 */
export class FirehoseArchiver implements EventArchiver {
  private readonly maxRounds: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: FirehoseClient,
    private readonly streamName: string,
    opts: FirehoseArchiverOptions = {},
  ) {
    this.maxRounds = opts.maxRounds ?? 5;
    this.baseDelayMs = opts.baseDelayMs ?? 100;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async archive(records: readonly ArchiveRecord[]): Promise<void> {
    const encoded = records.map((r) => Buffer.from(`${JSON.stringify(r)}\n`, 'utf8'));
    const oversize: number[] = [];
    const sendable: number[] = [];
    encoded.forEach((b, i) => (b.length > FIREHOSE_MAX_RECORD_BYTES ? oversize : sendable).push(i));
    const { failed, lastError } = await sendWithResend(
      sendable, encoded.map((b) => b.length), { maxRecords: FIREHOSE_MAX_RECORDS, maxBytes: FIREHOSE_MAX_BATCH_BYTES },
      { maxRounds: this.maxRounds, baseDelayMs: this.baseDelayMs, sleep: this.sleep }, async (pending) => {
        const res = await this.client.send(
          new PutRecordBatchCommand({ DeliveryStreamName: this.streamName, Records: pending.map((i) => ({ Data: encoded[i]! })) }),
        );
        return res.FailedPutCount ? (res.RequestResponses ?? []) : null;
      },
    );
    if (failed.length > 0 || oversize.length > 0) {
      const parts = [
        ...(failed.length > 0 ? [`${failed.length} record(s) not accepted after ${this.maxRounds} rounds (last error: ${lastError || 'unknown'})`] : []),
        ...(oversize.length > 0 ? [`${oversize.length} record(s) over the ${FIREHOSE_MAX_RECORD_BYTES}-byte Firehose record limit`] : []),
      ];
      throw new ArchiveError(`archive to ${this.streamName}: ${parts.join('; ')}`, [...failed, ...oversize].sort((a, b) => a - b), oversize);
    }
  }
}
