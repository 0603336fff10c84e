/**
 * SES → EngagementEvent. One normalizer for both shapes SES publishes:
 *  - feedback notifications (identity → SNS): `notificationType` Bounce | Complaint | Delivery;
 *  - event publishing (configuration set → SNS / Firehose / EventBridge): `eventType`.
 * Unknown fields are ignored (SES adds fields over time); one event per recipient. Event ids are
 * built from the facts, not from the transport, so a bounce that arrives both as a notification
 * and as an event-publishing record is counted once.
 */
import { z } from 'zod';
import { digest, isoInstant, normalizeEmail } from './addresses';
import { MalformedRecordError, type EngagementEvent, type EngagementKind } from './types';

const recipient = z.looseObject({ emailAddress: z.string().min(1) });
const mailSchema = z.looseObject({
  messageId: z.string().min(1),
  timestamp: z.string().optional(),
  destination: z.array(z.string()).optional(),
  // Each tag value is an array of strings (AWS docs: mail object).
  tags: z.record(z.string(), z.array(z.string())).optional(),
});

const sesSchema = z.looseObject({
  notificationType: z.string().optional(),
  eventType: z.string().optional(),
  mail: mailSchema,
  bounce: z
    .looseObject({
      bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(recipient).min(1),
      timestamp: z.string().optional(),
      feedbackId: z.string().min(1),
    })
    .optional(),
  complaint: z
    .looseObject({
      complainedRecipients: z.array(recipient).min(1),
      complaintFeedbackType: z.string().nullish(),
      complaintSubType: z.string().nullish(),
      timestamp: z.string().optional(),
      feedbackId: z.string().min(1),
    })
    .optional(),
  delivery: z.looseObject({ timestamp: z.string().optional(), recipients: z.array(z.string()).optional() }).optional(),
  open: z.looseObject({ timestamp: z.string().optional() }).optional(),
  click: z.looseObject({ timestamp: z.string().optional(), link: z.string().optional() }).optional(),
  reject: z.looseObject({ reason: z.string().optional() }).optional(),
  failure: z.looseObject({ errorMessage: z.string().optional(), templateName: z.string().optional() }).optional(),
  deliveryDelay: z
    .looseObject({
      timestamp: z.string().optional(),
      delayType: z.string().optional(),
      delayedRecipients: z.array(recipient).optional(),
    })
    .optional(),
  subscription: z
    .looseObject({
      timestamp: z.string().optional(),
      source: z.string().optional(),
      contactList: z.string().optional(),
      newTopicPreferences: z
        .looseObject({
          unsubscribeAll: z.boolean().optional(),
          topicSubscriptionStatus: z.array(z.looseObject({ topicName: z.string().optional(), subscriptionStatus: z.string().optional() })).optional(),
        })
        .optional(),
    })
    .optional(),
});

export type SesPayload = z.infer<typeof sesSchema>;

/** True when the object looks like an SES notification or event record (used to route payloads). */
export function isSesPayload(o: Record<string, unknown>): boolean {
  return (typeof o.notificationType === 'string' || typeof o.eventType === 'string') && typeof o.mail === 'object' && o.mail !== null;
}

const firstTag = (tags: Record<string, string[]> | undefined, name: string) => tags?.[name]?.find((v) => v.length > 0);

/**
 * SES notification or event-publishing record → events. An unknown type (SES may add some) yields
 * none; a record missing what its type requires (message id, feedback id, recipients) is malformed.
 */
export function normalizeSes(payload: unknown): EngagementEvent[] {
  const parsed = sesSchema.safeParse(payload);
  if (!parsed.success) {
    throw new MalformedRecordError(`SES record: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  }
  const p = parsed.data;
  const type = p.notificationType ?? p.eventType;
  if (!type) throw new MalformedRecordError('SES record: neither notificationType nor eventType');
  const source = p.notificationType ? 'ses-notification' : 'ses-event';
  const mail = p.mail;
  const accountId = firstTag(mail.tags, 'account');
  const actionId = firstTag(mail.tags, 'action');
  const mailAt = isoInstant(mail.timestamp);
  const destination = (mail.destination ?? []).map(normalizeEmail).filter((a): a is string => !!a);

  const base = (kind: EngagementKind, idParts: string[], at: string | undefined, address: string | undefined, detail: EngagementEvent['detail'] = {}): EngagementEvent => {
    const occurredAt = isoInstant(at) ?? mailAt;
    if (!occurredAt) throw new MalformedRecordError(`SES ${type}: no timestamp`);
    return {
      eventId: `email-${kind}-${digest(kind, ...idParts)}`,
      source,
      channel: 'email',
      kind,
      occurredAt,
      ...(accountId ? { accountId } : {}),
      ...(address ? { address } : {}),
      messageId: mail.messageId,
      ...(actionId ? { actionId } : {}),
      detail,
    };
  };
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new MalformedRecordError(`SES ${type}: missing ${what}`);
    return v;
  };
  const emails = (list: { emailAddress: string }[]) => {
    const out = list.map((r) => normalizeEmail(r.emailAddress));
    if (out.some((a) => a === undefined)) throw new MalformedRecordError(`SES ${type}: a recipient is not an email address`);
    return out as string[];
  };

  switch (type) {
    case 'Bounce': {
      const b = need(p.bounce, 'bounce object');
      return emails(b.bouncedRecipients).map((addr) =>
        base('bounce', [b.feedbackId, addr], b.timestamp, addr, {
          bounceType: b.bounceType,
          ...(b.bounceSubType ? { bounceSubType: b.bounceSubType } : {}),
        }),
      );
    }
    case 'Complaint': {
      const c = need(p.complaint, 'complaint object');
      return emails(c.complainedRecipients).map((addr) =>
        base('complaint', [c.feedbackId, addr], c.timestamp, addr, c.complaintFeedbackType ? { complaintFeedbackType: c.complaintFeedbackType } : {}),
      );
    }
    case 'Delivery': {
      const d = need(p.delivery, 'delivery object');
      const to = (d.recipients ?? []).map(normalizeEmail).filter((a): a is string => !!a);
      return (to.length > 0 ? to : destination).map((addr) => base('delivered', [mail.messageId, addr], d.timestamp, addr));
    }
    case 'Send':
      return [base('send', [mail.messageId], mail.timestamp, destination[0])];
    case 'Reject':
      return [base('reject', [mail.messageId], mail.timestamp, destination[0])];
    case 'Rendering Failure':
      return [base('rendering_failure', [mail.messageId], mail.timestamp, destination[0])];
    case 'Open': {
      const o = need(p.open, 'open object');
      return [base('open', [mail.messageId, o.timestamp ?? ''], o.timestamp, destination[0])];
    }
    case 'Click': {
      const c = need(p.click, 'click object');
      return [base('click', [mail.messageId, c.timestamp ?? '', c.link ?? ''], c.timestamp, destination[0])];
    }
    case 'DeliveryDelay': {
      const d = need(p.deliveryDelay, 'deliveryDelay object');
      const list = d.delayedRecipients && d.delayedRecipients.length > 0 ? emails(d.delayedRecipients) : destination;
      return list.map((addr) => base('delay', [mail.messageId, addr, d.timestamp ?? ''], d.timestamp, addr));
    }
    case 'Subscription': {
      const s = need(p.subscription, 'subscription object');
      const prefs = s.newTopicPreferences;
      const unsubscribed = prefs?.unsubscribeAll === true || (prefs?.topicSubscriptionStatus ?? []).some((t) => t.subscriptionStatus === 'OptOut');
      // A re-subscription is not consent we act on here: re-consent goes through self-service.
      if (!unsubscribed) return [];
      return [
        base('unsubscribe', [mail.messageId, s.timestamp ?? ''], s.timestamp, destination[0], {
          unsubscribed,
          ...(s.source ? { subscriptionSource: s.source } : {}),
        }),
      ];
    }
    default:
      return [];
  }
}
