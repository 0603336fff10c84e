/**
 * AWS End User Messaging SMS → EngagementEvent: delivery status events (configuration-set event
 * destinations, EventBridge detail-type "Text Message Delivery Status Updated") and inbound two-way
 * SMS (the JSON the service publishes to the number's SNS topic).
 */
import { z } from 'zod';
import { digest, isoInstant, normalizePhone } from './addresses';
import { isRevocation } from './keywords';
import { MalformedRecordError, type EngagementEvent, type EngagementKind, type FailureClass } from './types';

/**
 * How each TEXT_* status is treated (docs/engagement.md):
 *  - permanent (the number cannot receive texts): suppress the number for SMS at once;
 *  - transient (phone off, carrier down, no receipt): counted like transient email bounces;
 *  - message (this message was refused — content, spam filter, our own protect config): counted, no
 *    suppression, since the number itself is fine.
 */
export const SMS_STATUS: Record<string, { kind: EngagementKind; failureClass?: FailureClass }> = {
  TEXT_QUEUED: { kind: 'pending' },
  TEXT_PENDING: { kind: 'pending' },
  TEXT_SUCCESSFUL: { kind: 'delivered' },
  TEXT_DELIVERED: { kind: 'delivered' },
  TEXT_INVALID: { kind: 'failed', failureClass: 'permanent' },
  TEXT_BLOCKED: { kind: 'failed', failureClass: 'permanent' },
  TEXT_TTL_EXPIRED: { kind: 'failed', failureClass: 'transient' },
  TEXT_CARRIER_UNREACHABLE: { kind: 'failed', failureClass: 'transient' },
  TEXT_UNREACHABLE: { kind: 'failed', failureClass: 'transient' },
  TEXT_UNKNOWN: { kind: 'failed', failureClass: 'transient' },
  TEXT_INVALID_MESSAGE: { kind: 'failed', failureClass: 'message' },
  TEXT_CARRIER_BLOCKED: { kind: 'failed', failureClass: 'message' },
  TEXT_SPAM: { kind: 'failed', failureClass: 'message' },
  TEXT_PROTECT_BLOCKED: { kind: 'failed', failureClass: 'message' },
};

const statusSchema = z.looseObject({
  eventType: z.string().min(1),
  eventTimestamp: z.number().or(z.string()),
  messageId: z.string().min(1),
  destinationPhoneNumber: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});

export function isSmsStatusPayload(o: Record<string, unknown>): boolean {
  return typeof o.eventType === 'string' && /^(TEXT|VOICE|MEDIA)_/.test(o.eventType) && 'messageId' in o;
}

/**
 * One status event → at most one EngagementEvent. Voice and media events are not this loop's
 * (none). TEXT_SUCCESSFUL and TEXT_DELIVERED share an id per message ("delivered and successful
 * are interchangeable by country"), so a message is counted delivered once whichever arrives.
 */
export function normalizeSmsStatus(payload: unknown): EngagementEvent[] {
  const parsed = statusSchema.safeParse(payload);
  if (!parsed.success) throw new MalformedRecordError(`SMS status event: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const e = parsed.data;
  if (!e.eventType.startsWith('TEXT_')) return [];
  const status = SMS_STATUS[e.eventType] ?? { kind: 'failed' as const, failureClass: 'transient' as const };
  const occurredAt = isoInstant(typeof e.eventTimestamp === 'string' && /^\d+$/.test(e.eventTimestamp) ? Number(e.eventTimestamp) : e.eventTimestamp);
  if (!occurredAt) throw new MalformedRecordError('SMS status event: bad eventTimestamp');
  const ctx = e.context ?? {};
  const accountId = typeof ctx.account === 'string' && ctx.account ? ctx.account : undefined;
  const actionId = typeof ctx.action === 'string' && ctx.action ? ctx.action : undefined;
  const address = e.destinationPhoneNumber ? normalizePhone(e.destinationPhoneNumber) : undefined;
  // pending: per event type (queued then pending); delivered/failed: once per message.
  const idParts = status.kind === 'pending' ? [e.messageId, e.eventType] : [e.messageId];
  return [
    {
      eventId: `sms-${status.kind}-${digest(status.kind, ...idParts)}`,
      source: 'sms-status',
      channel: 'sms',
      kind: status.kind,
      occurredAt,
      ...(accountId ? { accountId } : {}),
      ...(address ? { address } : {}),
      messageId: e.messageId,
      ...(actionId ? { actionId } : {}),
      detail: { smsEventType: e.eventType, ...(status.failureClass ? { failureClass: status.failureClass } : {}) },
    },
  ];
}

const inboundSchema = z.looseObject({
  originationNumber: z.string().min(1),
  destinationNumber: z.string().optional(),
  messageKeyword: z.string().nullish(),
  messageBody: z.string(),
  inboundMessageId: z.string().min(1),
  previousPublishedMessageId: z.string().nullish(),
});

export function isInboundSmsPayload(o: Record<string, unknown>): boolean {
  return typeof o.originationNumber === 'string' && 'inboundMessageId' in o;
}

/**
 * Inbound reply → one event: `opt_out` when it revokes consent, `reply` otherwise. It has no tags:
 * the account is resolved from the number by the use case (PhoneDirectory). The payload carries no
 * timestamp; `receivedAt` (the SNS envelope's Timestamp or the record's arrival) is used.
 */
export function normalizeInboundSms(payload: unknown, receivedAt: string): EngagementEvent[] {
  const parsed = inboundSchema.safeParse(payload);
  if (!parsed.success) throw new MalformedRecordError(`inbound SMS: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const m = parsed.data;
  const address = normalizePhone(m.originationNumber);
  if (!address) throw new MalformedRecordError('inbound SMS: originationNumber is not a phone number');
  const occurredAt = isoInstant(receivedAt);
  if (!occurredAt) throw new MalformedRecordError('inbound SMS: no receive time');
  const revocation = isRevocation(m.messageBody, m.messageKeyword ?? undefined);
  const kind: EngagementKind = revocation ? 'opt_out' : 'reply';
  return [
    {
      eventId: `sms-inbound-${digest('inbound', m.inboundMessageId)}`,
      source: 'sms-inbound',
      channel: 'sms',
      kind,
      occurredAt,
      address,
      messageId: m.inboundMessageId,
      detail: { revocation },
    },
  ];
}
