/**
 * Writers of the collections lake (`lake/<dataset>/dt=YYYY-MM-DD/<part>.jsonl`): flat JSON lines,
 * one column per field of src/analytics/catalog.ts, epoch milliseconds instead of ISO strings (the
 * same arithmetic in Athena and DuckDB, no timestamp-parsing dialects). docs/analytics.md.
 */
import type { EngagementEvent } from '../../domain/engagement';
import type { ObjectStore } from '../../ports';
import { logger } from '../../logger';
import type { RunSummary } from '../notify-run';

export const lakeKey = (dataset: string, dt: string, part = 'part-00000') => `lake/${dataset}/dt=${dt}/${part}.jsonl`;

/** One flat line per run: the dashboard's "latest run" panel and the runs-over-time chart. */
export function runSummaryRow(s: RunSummary) {
  return {
    runDate: s.runDate,
    status: s.status,
    accounts: s.accounts,
    scored: s.scored,
    rejected: s.rejected,
    contacted: s.contacted,
    actionsEmail: s.actions.email,
    actionsSms: s.actions.sms,
    actionsVoice: s.actions.voice,
    chunks: s.chunks,
    failedChunks: s.failedChunks.length,
    failedChunksJson: JSON.stringify(s.failedChunks),
    errorName: s.error?.name ?? null,
  };
}

export interface SendRow {
  actionId: string;
  accountId: string;
  runDate: string;
  channel: string;
  segment: string;
  /** `sent`, `suppressed` or `failed` (planned but never sent is derived from `actions` by the SQL). */
  status: string;
  reason: string | null;
  completedAtMs: number | null;
}

export interface EngagementRow {
  eventId: string;
  accountId: string | null;
  channel: string;
  type: string;
  atMs: number;
  processedAtMs: number;
  suppressing: boolean;
  messageId: string | null;
  actionId: string | null;
  source: string;
  amountCents: number | null;
}

/** Groups rows by partition date and writes one part per partition (overwrites: idempotent per writer). */
export async function writeLakeDataset<T>(store: ObjectStore, dataset: string, rows: readonly T[], dtOf: (r: T) => string, part = 'part-00000'): Promise<string[]> {
  const byDt = new Map<string, T[]>();
  for (const r of rows) {
    const dt = dtOf(r);
    (byDt.get(dt) ?? byDt.set(dt, []).get(dt)!).push(r);
  }
  const written: string[] = [];
  for (const [dt, list] of [...byDt].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const key = lakeKey(dataset, dt, part);
    await store.putText(key, list.map((r) => JSON.stringify(r)).join('\n') + '\n', 'application/x-ndjson');
    written.push(key);
  }
  return written;
}

export const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Engagement events are partitioned by the business day they happened in: days start at 10:00Z, the
 * daily run's time (after 21:00 in Hawaii, before 08:00 in Puerto Rico), so a run's messages and
 * what customers did about them until the next run share a `dt`.
 */
export const BUSINESS_DAY_START_UTC_HOURS = 10;
export const businessDate = (ms: number) => utcDate(ms - BUSINESS_DAY_START_UTC_HOURS * 3_600_000);

/** The event's type in the lake and whether the engagement rules suppress at once on it. */
export function classifyEngagement(e: EngagementEvent): { type: string; suppressing: boolean } {
  switch (e.kind) {
    case 'bounce':
      return { type: 'bounce', suppressing: e.detail.bounceType === 'Permanent' };
    case 'complaint':
      return { type: 'complaint', suppressing: e.detail.complaintFeedbackType !== 'not-spam' };
    case 'unsubscribe':
      return e.detail.unsubscribed ? { type: 'opt_out', suppressing: true } : { type: 'unsubscribe', suppressing: false };
    case 'opt_out':
      return { type: 'opt_out', suppressing: true };
    case 'failed':
      // TEXT_INVALID / TEXT_BLOCKED: the number is suppressed at once — the SMS equivalent of a hard bounce.
      return e.detail.failureClass === 'permanent' ? { type: 'bounce', suppressing: true } : { type: 'failed', suppressing: false };
    default:
      return { type: e.kind, suppressing: false };
  }
}

/**
 * The lake row of an engagement event applied to one account. An inbound reply applied to several
 * accounts (one number, several accounts) gets one row each, `<eventId>|<accountId>`.
 */
export function engagementRowOf(e: EngagementEvent, accountId: string, processedAtMs: number, perAccount: boolean): EngagementRow {
  const { type, suppressing } = classifyEngagement(e);
  return {
    eventId: perAccount ? `${e.eventId}|${accountId}` : e.eventId,
    accountId,
    channel: e.channel,
    type,
    atMs: Date.parse(e.occurredAt),
    processedAtMs,
    suppressing,
    messageId: e.messageId ?? null,
    actionId: e.actionId ?? null,
    source: e.source,
    amountCents: null,
  };
}

/** Where rows are emitted in AWS (Firehose, dynamic partitioning on `dt`). */
export interface LakeEmitter<T> {
  emit(rows: readonly T[]): Promise<void>;
}

/** The Firehose record of an engagement row: the row plus `dt` (its business day) for the partition key. */
export const engagementLakeRecord = (r: EngagementRow) => ({ ...r, dt: businessDate(r.atMs) });

/** The Firehose record of a send outcome: partitioned by the run date that planned it (`dt` = `runDate`). */
export const sendLakeRecord = (r: SendRow) => ({ ...r, dt: r.runDate });

/**
 * Rows of what our own API applies (not an engagement event): a payment, a promise to pay, a
 * one-click unsubscribe. `atMs` = `processedAtMs` = when it was applied: the request is the event.
 */
export function appliedRow(o: { eventId: string; accountId: string; type: 'payment' | 'promise' | 'opt_out'; channel: string; atMs: number; source: string; amountCents?: number | null; actionId?: string | null }): EngagementRow {
  return {
    eventId: o.eventId,
    accountId: o.accountId,
    channel: o.channel,
    type: o.type,
    atMs: o.atMs,
    processedAtMs: o.atMs,
    suppressing: o.type === 'opt_out',
    messageId: null,
    actionId: o.actionId ?? null,
    source: o.source,
    amountCents: o.amountCents ?? null,
  };
}

/**
 * Emits the row of something a request has already applied, at most once: a failed put loses the
 * row (logged, for backfill) and never fails the request — the change stands and its retry is a replay.
 */
export async function emitAppliedRow(lake: LakeEmitter<EngagementRow>, row: EngagementRow): Promise<void> {
  try {
    await lake.emit([row]);
  } catch (e) {
    logger.error('lake row lost', { dataset: 'engagement_events', eventId: row.eventId, error: (e as Error).name });
  }
}
