/**
 * One shape for everything the engagement loop hears: SES notifications and event-publishing
 * records, End User Messaging SMS status events and inbound two-way SMS replies all become
 * `EngagementEvent`s (docs/engagement.md).
 */
import { DomainError } from '../errors';

export type EngagementChannel = 'email' | 'sms';

export type EngagementSource = 'ses-notification' | 'ses-event' | 'sms-status' | 'sms-inbound';

export type EngagementKind =
  | 'send'
  | 'delivered'
  | 'open'
  | 'click'
  | 'bounce'
  | 'complaint'
  | 'reject'
  | 'delay'
  | 'rendering_failure'
  | 'unsubscribe'
  | 'pending'
  | 'failed'
  | 'reply'
  | 'opt_out';

/** Counters kept per account and channel (one per kind). */
export const COUNTED_KINDS: readonly EngagementKind[] = [
  'send',
  'delivered',
  'open',
  'click',
  'bounce',
  'complaint',
  'reject',
  'delay',
  'rendering_failure',
  'unsubscribe',
  'failed',
  'reply',
  'opt_out',
];

export type FailureClass = 'permanent' | 'transient' | 'message';

export interface EngagementEvent {
  /** Deterministic: the same notification delivered twice (or by two paths) has the same id. No PII. */
  eventId: string;
  source: EngagementSource;
  channel: EngagementChannel;
  kind: EngagementKind;
  /** ISO-8601 UTC with milliseconds (lexically ordered). */
  occurredAt: string;
  /** From the message tags (`mail.tags.account`) / SMS `context.account`; absent for inbound replies. */
  accountId?: string;
  /** The consumer's address: email lower-cased, phone E.164. Absent when the source does not carry it. */
  address?: string;
  /** Provider message id (SES messageId, SMS messageId, inboundMessageId). */
  messageId?: string;
  /** Our action id (`mail.tags.action` / `context.action`) when tagged. */
  actionId?: string;
  /** What the suppression rules need; nothing else from the payload is kept. */
  detail: {
    bounceType?: 'Permanent' | 'Transient' | 'Undetermined';
    bounceSubType?: string;
    complaintFeedbackType?: string;
    /** SMS status event type, e.g. TEXT_INVALID. */
    smsEventType?: string;
    /** How an SMS failure is treated (docs/engagement.md). */
    failureClass?: FailureClass;
    /** Subscription: the consumer unsubscribed from everything or opted out of a topic. */
    unsubscribed?: boolean;
    subscriptionSource?: string;
    /** Inbound SMS: the reply revokes consent (STOP, QUIT, END, REVOKE, OPT OUT, CANCEL, UNSUBSCRIBE). */
    revocation?: boolean;
  };
}

/** A record that can never be processed (bad JSON, unknown shape, missing ids): retrying cannot help. */
export class MalformedRecordError extends DomainError {
  readonly code = 'MALFORMED_RECORD';
}
