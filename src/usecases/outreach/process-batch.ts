import { RetryableSendError } from '../../domain/outreach/errors';
import { workItemSchema, type OutreachChannel, type WorkItem } from '../../domain/outreach/work-item';
import { confirmationActionId, optOutConfirmationSchema, type OptOutConfirmation } from './send-confirmation';
import type { LakeEmitter, SendRow } from '../analytics/lake';
import type { SendOutcome } from './send-message';

/** The part of an SQS record the senders read (aws-lambda's SQSRecord has it). */
export interface QueueRecord {
  messageId: string;
  body: string;
}

export interface BatchLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

export interface BatchResult {
  batchItemFailures: { itemIdentifier: string }[];
  counts: Record<string, number>;
}

type Parsed = { ok: true; item: WorkItem } | { ok: true; confirmation: OptOutConfirmation } | { ok: false; why: string };

const issues = (e: { issues: { path: PropertyKey[]; code: string }[] }) => e.issues.map((i) => `${i.path.join('.') || '(root)'}:${i.code}`).join(', ');

/** Why a body is poison, without echoing any of its values (PII). */
function parse(body: string, channel: OutreachChannel): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, why: 'body is not JSON' };
  }
  if (typeof json === 'object' && json !== null && (json as { type?: unknown }).type === 'sms-opt-out-confirmation') {
    if (channel !== 'sms') return { ok: false, why: `opt-out confirmation on the ${channel} queue` };
    const c = optOutConfirmationSchema.safeParse(json);
    return c.success ? { ok: true, confirmation: c.data } : { ok: false, why: issues(c.error) };
  }
  const parsed = workItemSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, why: issues(parsed.error) };
  }
  if (parsed.data.channel !== channel) return { ok: false, why: `channel ${parsed.data.channel} on the ${channel} queue` };
  return { ok: true, item: parsed.data };
}

/**
 * ReportBatchItemFailures semantics: records one at a time; a record is reported failed (back to
 * the queue, to the DLQ after maxReceiveCount) when it is poison or its failure is transient.
 * Permanent failures are recorded on the send ledger and count as processed.
 */
export async function processSendBatch(
  records: readonly QueueRecord[],
  channel: OutreachChannel,
  send: (item: WorkItem) => Promise<SendOutcome>,
  log: BatchLog,
  /** SMS queue only: the engagement loop's opt-out confirmation requests (absent: they are poison). */
  confirm?: (request: OptOutConfirmation) => Promise<SendOutcome>,
  /** The analytics lake's `sends` (one row per outcome this batch recorded first; one PutRecordBatch). */
  lake?: LakeEmitter<SendRow>,
): Promise<BatchResult> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  const rows: SendRow[] = [];
  const counts: Record<string, number> = {};
  const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
  for (const record of records) {
    const parsed = parse(record.body, channel);
    if (!parsed.ok) {
      count('poison');
      log.error('poison message', { messageId: record.messageId, why: parsed.why });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    if ('confirmation' in parsed && !confirm) {
      count('poison');
      log.error('poison message', { messageId: record.messageId, why: 'opt-out confirmation but no confirmation sender' });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    const actionId = 'item' in parsed ? parsed.item.actionId : confirmationActionId(parsed.confirmation.revocationId);
    try {
      const result = 'item' in parsed ? await send(parsed.item) : await confirm!(parsed.confirmation);
      count(result.outcome);
      if ('row' in result && result.row) rows.push(result.row);
      const fields: Record<string, unknown> = { messageId: record.messageId, actionId, outcome: result.outcome };
      if (result.outcome === 'failed') fields.reason = result.reason;
      if (result.outcome === 'duplicate') fields.status = result.status;
      if ('leaseLost' in result && result.leaseLost) log.warn('outcome not recorded: lease lost or ledger write failed', fields);
      else log.info('send processed', fields);
    } catch (e) {
      count('retry');
      const err = e as Error;
      const fields = { messageId: record.messageId, actionId, error: err?.name, cause: (err?.cause as Error | undefined)?.name };
      if (e instanceof RetryableSendError) log.warn('send will be retried', { ...fields, message: err.message });
      else log.error('send failed unexpectedly; will be retried', fields);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  if (lake && rows.length > 0) {
    // The sends are done and recorded: failing the records would not bring the rows back (a
    // redelivery is a duplicate, which emits nothing). At most once for the lake; the ledger is the record.
    try {
      await lake.emit(rows);
      counts.lakeRows = rows.length;
    } catch (e) {
      counts.lakeRowsLost = rows.length;
      log.error('send outcomes not emitted to the lake', { rows: rows.length, error: (e as Error)?.name });
    }
  }
  return { batchItemFailures, counts };
}
