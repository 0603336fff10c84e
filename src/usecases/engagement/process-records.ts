import { MalformedRecordError, normalizeRecord, parseJson } from '../../domain/engagement';
import { processEngagementEvent, type EngagementDeps, type EventOutcome } from './process-event';
import type { EngagementRow } from '../analytics/lake';
import { ArchiveError, type ArchiveRecord, type EventArchiver } from './ports';

export interface RawRecord {
  /** SQS messageId / Kinesis sequenceNumber: what batchItemFailures reports. */
  id: string;
  /** The record's JSON text (SQS body, decoded Kinesis data). */
  body: string;
  /** When the transport received it (ISO): the time of replies that carry none. */
  arrivedAt: string;
}

export interface RecordFailure {
  id: string;
  /** poison: can never succeed (retries end in the DLQ / on-failure destination); error: may succeed on retry. */
  kind: 'poison' | 'error' | 'archive';
  reason: string;
}

export interface BatchResult {
  /** In record order; for Kinesis only the first matters (Lambda resumes from it). */
  failures: RecordFailure[];
  outcomes: EventOutcome[];
  ignored: number;
  archived: number;
  /** Records not attempted because an earlier one failed (Kinesis order). */
  skipped: number;
}

export interface BatchOptions {
  transport: 'sqs' | 'kinesis';
  /** Kinesis: stop at the first failure — records after it are retried with it, in order. */
  stopOnFirstFailure: boolean;
}

const reasonOf = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** One SES notification (SQS body with the SNS envelope) → its outcomes. Throws on a bad record. */
export async function processSesNotification(deps: EngagementDeps, body: string, arrivedAt: string): Promise<EventOutcome[]> {
  const normalized = normalizeRecord(parseJson(body, 'SQS body'), arrivedAt);
  const out: EventOutcome[] = [];
  for (const e of normalized.events) out.push(await processEngagementEvent(deps, e));
  return out;
}

/**
 * A batch from SQS or Kinesis: each record normalized and applied (a malformed one fails alone),
 * then the raw payloads of the records that succeeded archived in one call. Effects are idempotent,
 * so a record retried because only its archiving failed is not counted twice.
 */
export async function processRecords(
  deps: EngagementDeps & { archiver: EventArchiver },
  records: readonly RawRecord[],
  opts: BatchOptions,
): Promise<BatchResult> {
  const result: BatchResult = { failures: [], outcomes: [], ignored: 0, archived: 0, skipped: 0 };
  const archive: ArchiveRecord[] = [];
  const archiveOwner: number[] = [];
  let stoppedAt = records.length;
  // Lake rows are collected over the batch and emitted in one PutRecordBatch at the end (one call
  // per invocation, not per event).
  const lakeRows: { owner: number; rows: readonly EngagementRow[] }[] = [];
  let current = -1;
  const eventDeps: EngagementDeps = deps.lake ? { ...deps, lake: { emit: async (rows) => void lakeRows.push({ owner: current, rows }) } } : deps;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    current = i;
    try {
      const normalized = normalizeRecord(parseJson(r.body, 'record data'), r.arrivedAt);
      if (normalized.type === 'ignored') result.ignored++;
      for (const e of normalized.events) result.outcomes.push(await processEngagementEvent(eventDeps, e));
      archive.push({
        archivedAt: (deps.now ?? (() => new Date()))().toISOString(),
        transport: opts.transport,
        type: normalized.type,
        eventIds: normalized.events.map((e) => e.eventId),
        payload: normalized.payload,
      });
      archiveOwner.push(i);
    } catch (e) {
      result.failures.push({ id: r.id, kind: e instanceof MalformedRecordError ? 'poison' : 'error', reason: reasonOf(e) });
      if (opts.stopOnFirstFailure) {
        stoppedAt = i;
        break;
      }
    }
  }
  result.skipped = Math.max(0, records.length - stoppedAt - 1);
  const failedIds = new Set(result.failures.map((f) => f.id));
  const emit = lakeRows.filter((l) => !failedIds.has(records[l.owner]!.id));
  if (deps.lake && emit.length > 0) {
    try {
      await deps.lake.emit(emit.flatMap((l) => l.rows));
    } catch (e) {
      // Retried, those records find their events counted and emit nothing: the rows are lost
      // (at-most-once for analytics; counters and suppressions are unaffected). docs/analytics.md.
      for (const owner of new Set(emit.map((l) => l.owner))) result.failures.push({ id: records[owner]!.id, kind: 'archive', reason: reasonOf(e) });
      const order = new Map(records.map((r, i) => [r.id, i]));
      result.failures.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    }
  }
  if (archive.length > 0) {
    try {
      await deps.archiver.archive(archive);
      result.archived = archive.length;
    } catch (e) {
      const failed = e instanceof ArchiveError ? e.failed : archive.map((_, k) => k);
      const failedSet = new Set(failed);
      result.archived = archive.length - failedSet.size;
      for (const k of failedSet) {
        const r = records[archiveOwner[k]!]!;
        const oversize = e instanceof ArchiveError && e.oversize.includes(k);
        // An oversize record can never be archived: poison, not a retryable error.
        result.failures.push({ id: r.id, kind: oversize ? 'poison' : 'archive', reason: reasonOf(e) });
      }
      const order = new Map(records.map((r, i) => [r.id, i]));
      result.failures.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    }
  }
  return result;
}
