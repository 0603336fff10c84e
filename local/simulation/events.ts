/**
 * Every engagement event our handlers processed, for `events.jsonl` and the summary.
 *
 * Source: the simulation delivers the event sources' batches to the real engagement handlers
 * through its own invoke (loop.ts), so it sees each batch and the handler's answer. The records the
 * handler did not report as failed (SQS: every record not in batchItemFailures; Kinesis: the
 * records before the first reported one — Lambda retries from it) are processed; they are
 * normalized with the domain normalizer the handler itself uses, and the first processing of an
 * event id counts (at-least-once redeliveries are not double-counted). No address or text is kept.
 */
import { normalizeRecord, type EngagementEvent } from '../../src/domain/engagement';
import { classifyEngagement } from '../../src/usecases/analytics/lake';

export type EventType =
  | 'send'
  | 'delivered'
  | 'open'
  | 'click'
  | 'reply'
  | 'opt_out'
  | 'bounce'
  | 'complaint'
  | 'failed'
  | 'unsubscribe'
  | 'payment'
  | 'promise'
  | string;

export interface EventLine {
  eventId: string;
  accountId: string | null;
  channel: 'email' | 'sms';
  type: EventType;
  /** When it happened (ISO-8601 UTC). */
  at: string;
  /** When our handler processed it (simulated clock, ISO-8601 UTC); payments/promises: when the simulation applied them. */
  processedAt: string;
  /** True when it suppresses the address/number at once (opt-out, hard bounce, complaint, permanent SMS failure). */
  suppressing?: boolean;
  messageId?: string;
  actionId?: string;
  source: string;
  bounceType?: string;
  smsEventType?: string;
  amountCents?: number;
  promisedDate?: string;
}

/** The event's type in events.jsonl: the analytics lake's own classification, so both agree. */
export const classify: (e: EngagementEvent) => { type: EventType; suppressing: boolean } = classifyEngagement;

export class EventRecorder {
  private readonly all: EventLine[] = [];
  /** eventId → index in `all`, to attribute a line first seen without an account. */
  private readonly seen = new Map<string, number>();
  /** Engagement handler invocations that threw (every record of the batch retried). */
  errors = 0;

  /**
   * @param accountsFor the phone directory (inbound replies carry no account: the handler resolves
   *   the number the same way and applies the opt-out to every account registered for it)
   */
  constructor(private readonly accountsFor: (phone: string) => Promise<string[]> = async () => []) {}

  /** One invocation of sesNotifications / engagementStream and its response. */
  async record(fn: string, event: unknown, response: unknown, processedAtMs: number): Promise<void> {
    const processedAt = new Date(processedAtMs).toISOString();
    const failures = new Set(((response as { batchItemFailures?: { itemIdentifier?: string }[] } | null)?.batchItemFailures ?? []).map((f) => String(f.itemIdentifier)));
    const records = ((event as { Records?: Record<string, any>[] }).Records ?? []) as Record<string, any>[];
    let stopped = false;
    for (const r of records) {
      const kinesis = r.kinesis as { sequenceNumber: string; data: string; approximateArrivalTimestamp?: number } | undefined;
      const id = kinesis ? kinesis.sequenceNumber : String(r.messageId);
      if (failures.has(id)) {
        // Kinesis: Lambda retries from the lowest reported record, so nothing after it counts now.
        if (kinesis) stopped = true;
        continue;
      }
      if (stopped) continue;
      let body: unknown;
      try {
        body = JSON.parse(kinesis ? Buffer.from(kinesis.data, 'base64').toString('utf8') : String(r.body));
        const arrived = kinesis?.approximateArrivalTimestamp ? kinesis.approximateArrivalTimestamp * 1000 : Number(r.attributes?.SentTimestamp) || processedAtMs;
        for (const e of normalizeRecord(body, new Date(arrived).toISOString()).events) {
          if (e.accountId || !e.address || e.channel !== 'sms') this.add(e, processedAt, fn);
          else {
            const ids = await this.accountsFor(e.address);
            if (ids.length === 0) this.add(e, processedAt, fn);
            for (const accountId of ids) this.add({ ...e, accountId }, processedAt, fn, ids.length > 1);
          }
        }
      } catch {
        // A poison record: the handler reported it (or it would have); nothing processed.
      }
    }
  }

  private add(e: EngagementEvent, processedAt: string, fn: string, perAccount = false): void {
    const key = perAccount ? `${e.eventId}|${e.accountId}` : e.eventId;
    const prev = this.seen.get(key);
    // SES identity feedback carries no tags: the handler can only act on the event-publishing copy
    // of the same bounce/complaint (same event id), so that is when it was processed for the account.
    if (prev !== undefined && (this.all[prev]!.accountId !== null || !e.accountId)) return;
    const { type, suppressing } = classify(e);
    const line: EventLine = {
      eventId: key,
      accountId: e.accountId ?? null,
      channel: e.channel,
      type,
      at: e.occurredAt,
      processedAt,
      ...(suppressing ? { suppressing } : {}),
      ...(e.messageId ? { messageId: e.messageId } : {}),
      ...(e.actionId ? { actionId: e.actionId } : {}),
      source: `${e.source}:${fn}`,
      ...(e.detail.bounceType ? { bounceType: e.detail.bounceType } : {}),
      ...(e.detail.smsEventType ? { smsEventType: e.detail.smsEventType } : {}),
    };
    if (prev !== undefined) this.all[prev] = line;
    else this.seen.set(key, this.all.push(line) - 1);
  }

  /** Processed events attributed to an account (what events.jsonl holds). */
  get lines(): EventLine[] {
    return this.all.filter((l) => l.accountId !== null);
  }

  /** Processed events no account could be found for (the handler archives them and does nothing else). */
  get unattributed(): number {
    return this.all.length - this.lines.length;
  }

  /** Payments and promises of the stand-ins, applied by the simulation at `appliedAt`. */
  addOutcome(type: 'payment' | 'promise', o: { accountId: string; at: string; amountCents: number; channel: 'email' | 'sms'; actionId?: string; promisedDate?: string }, appliedAt: string): void {
    const eventId = `${type}|${o.accountId}|${o.at}`;
    if (this.seen.has(eventId)) return;
    this.seen.set(eventId, this.all.length);
    this.all.push({
      eventId,
      accountId: o.accountId,
      channel: o.channel,
      type,
      at: o.at,
      processedAt: appliedAt,
      ...(o.actionId ? { actionId: o.actionId } : {}),
      source: 'simulation',
      amountCents: o.amountCents,
      ...(o.promisedDate ? { promisedDate: o.promisedDate } : {}),
    });
  }

  /** A one-click unsubscribe (RFC 8058 POST) that our unsubscribe endpoint applied at `appliedAt`. */
  addUnsubscribe(o: { accountId: string; at: string; actionId: string }, appliedAt: string): void {
    const eventId = `unsubscribe|${o.actionId}`;
    if (this.seen.has(eventId)) return;
    this.seen.set(eventId, this.all.length);
    this.all.push({ eventId, accountId: o.accountId, channel: 'email', type: 'opt_out', at: o.at, processedAt: appliedAt, actionId: o.actionId, suppressing: true, source: 'unsubscribe-endpoint' });
  }
}
