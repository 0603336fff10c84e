/**
 * The records AWS produces, built in the shapes of the documented examples
 * (test/fixtures/engagement/*.ts): SES event-publishing records and feedback notifications, the
 * EventBridge envelope, the SNS envelope an SQS subscription receives, End User Messaging SMS
 * status events and two-way SMS inbound messages.
 */
import { createHash } from 'node:crypto';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** Deterministic hex id from parts. */
export const hexId = (len: number, ...parts: readonly (string | number)[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, len);

/** UUID-shaped deterministic id. */
export const uuidOf = (...parts: readonly (string | number)[]) => {
  const h = hexId(32, ...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** SES message ids look like `0100018c1a2b3c4d-<uuid>-000000`. */
export const sesMessageId = (...parts: readonly (string | number)[]) => `0100${hexId(12, 'ts', ...parts)}-${uuidOf('ses', ...parts)}-000000`;

export const iso = (ms: number) => new Date(ms).toISOString();

export interface AcceptedEmail {
  messageId: string;
  sentAt: number;
  from: string;
  to: string[];
  subject: string;
  configurationSet?: string;
  /** User tags (Name → Value) as sent. */
  tags: Record<string, string>;
  /** First https link of the body that is not the unsubscribe link (what a click follows). */
  link?: string;
  /** The List-Unsubscribe HTTPS URL, if any (what a one-click unsubscribe POSTs to). */
  unsubscribeUrl?: string;
  /** SES list management (contact list) was requested: unsubscribes become SES Subscription events. */
  listManagement?: { contactListName: string; topicName?: string };
}

const domainOf = (addr: string) => addr.replace(/^.*<|>.*$/g, '').split('@')[1] ?? 'example.com';

/** The `mail` object of an event-publishing record (tags as arrays, plus SES's own ses:* tags). */
export function sesMail(m: AcceptedEmail, withTags: boolean): Record<string, unknown> {
  const tags: Record<string, string[]> = {
    'ses:operation': ['SendEmail'],
    ...(m.configurationSet ? { 'ses:configuration-set': [m.configurationSet] } : {}),
    'ses:source-ip': ['127.0.0.1'],
    'ses:from-domain': [domainOf(m.from)],
    'ses:caller-identity': ['local'],
  };
  for (const [k, v] of Object.entries(m.tags)) tags[k] = [v];
  return {
    timestamp: iso(m.sentAt),
    source: m.from,
    sourceArn: `arn:aws:ses:${LOCAL_REGION}:${LOCAL_ACCOUNT}:identity/${domainOf(m.from)}`,
    sendingAccountId: LOCAL_ACCOUNT,
    messageId: m.messageId,
    destination: m.to,
    headersTruncated: false,
    commonHeaders: { from: [m.from], to: m.to, messageId: m.messageId, subject: m.subject },
    ...(withTags ? { tags } : { sourceIp: '127.0.0.1', callerIdentity: 'local' }),
  };
}

const MTA = 'a8-70.smtp-out.amazonses.com';
const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

export type SesEventType = 'Send' | 'Delivery' | 'Open' | 'Click' | 'Bounce' | 'Complaint' | 'Subscription';

export const SES_DETAIL_TYPE: Record<SesEventType, string> = {
  Send: 'Email Sent',
  Delivery: 'Email Delivered',
  Open: 'Email Opened',
  Click: 'Email Clicked',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Subscription: 'Email Subscribed',
};

/** The type-specific object of a record (same in event publishing and feedback notifications). */
export function sesSubObject(type: SesEventType, m: AcceptedEmail, at: number, extra: { bounceType?: 'Permanent' | 'Transient' }): [string, Record<string, unknown>] {
  const t = iso(at);
  const to = m.to[0]!;
  switch (type) {
    case 'Send':
      return ['send', {}];
    case 'Delivery':
      return ['delivery', { timestamp: t, processingTimeMillis: at - m.sentAt, recipients: m.to, smtpResponse: '250 2.6.0 Message received', reportingMTA: MTA, remoteMtaIp: '192.0.2.10' }];
    case 'Open':
      return ['open', { ipAddress: '192.0.2.1', timestamp: t, userAgent: UA }];
    case 'Click':
      return ['click', { ipAddress: '192.0.2.1', link: m.link ?? 'https://example.com/', linkTags: {}, timestamp: t, userAgent: UA }];
    case 'Bounce': {
      const permanent = extra.bounceType !== 'Transient';
      return [
        'bounce',
        {
          bounceType: permanent ? 'Permanent' : 'Transient',
          bounceSubType: permanent ? 'General' : 'MailboxFull',
          bouncedRecipients: [
            permanent
              ? { emailAddress: to, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }
              : { emailAddress: to, action: 'failed', status: '4.2.2', diagnosticCode: 'smtp; 452 4.2.2 mailbox full' },
          ],
          timestamp: t,
          feedbackId: `0100${hexId(12, 'fb', m.messageId)}-${uuidOf('bounce', m.messageId)}-000000`,
          reportingMTA: `dsn; ${MTA}`,
        },
      ];
    }
    case 'Complaint':
      return [
        'complaint',
        {
          complainedRecipients: [{ emailAddress: to }],
          timestamp: t,
          feedbackId: `0100${hexId(12, 'fc', m.messageId)}-${uuidOf('complaint', m.messageId)}-000000`,
          userAgent: 'Local Feedback Loop (V0.01)',
          complaintFeedbackType: 'abuse',
          complaintSubType: null,
          arrivalDate: t,
        },
      ];
    case 'Subscription': {
      const topics = m.listManagement?.topicName ? [{ topicName: m.listManagement.topicName, subscriptionStatus: 'OptOut' }] : [];
      return [
        'subscription',
        {
          contactList: m.listManagement?.contactListName ?? 'default',
          timestamp: t,
          source: 'UnsubscribeHeader',
          newTopicPreferences: { unsubscribeAll: true, topicSubscriptionStatus: topics },
          oldTopicPreferences: { unsubscribeAll: false, topicSubscriptionStatus: topics.map((x) => ({ ...x, subscriptionStatus: 'OptIn' })) },
        },
      ];
    }
  }
}

/** SES event-publishing record (`eventType`). */
export function sesEventRecord(type: SesEventType, m: AcceptedEmail, at: number, extra: { bounceType?: 'Permanent' | 'Transient' } = {}) {
  const [key, obj] = sesSubObject(type, m, at, extra);
  return { eventType: type, mail: sesMail(m, true), [key]: obj };
}

/** SES feedback notification (`notificationType`), as the identity's SNS topic gets it (no tags). */
export function sesNotification(type: 'Bounce' | 'Complaint' | 'Delivery', m: AcceptedEmail, at: number, extra: { bounceType?: 'Permanent' | 'Transient' } = {}) {
  const [key, obj] = sesSubObject(type, m, at, extra);
  return { notificationType: type, [key]: obj, mail: sesMail(m, false) };
}

/** An EventBridge event as a rule's target receives it (the whole event as input). */
export function eventBridgeEvent(source: string, detailType: string, at: number, detail: unknown, resources: string[] = []) {
  return {
    version: '0',
    id: uuidOf('eb', detailType, JSON.stringify(detail)),
    'detail-type': detailType,
    source,
    account: LOCAL_ACCOUNT,
    // EventBridge's `time` has second precision.
    time: iso(at).replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources,
    detail,
  };
}

/** The SNS envelope an SQS subscription without raw message delivery receives as the body. */
export function snsEnvelope(topicArn: string, message: unknown, at: number, subject?: string) {
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  const messageId = uuidOf('sns', topicArn, text);
  return {
    Type: 'Notification',
    MessageId: messageId,
    TopicArn: topicArn,
    ...(subject ? { Subject: subject } : {}),
    Message: text,
    Timestamp: iso(at),
    SignatureVersion: '1',
    Signature: 'LOCAL',
    SigningCertURL: `https://sns.${LOCAL_REGION}.amazonaws.com/SimpleNotificationService-local.pem`,
    UnsubscribeURL: `https://sns.${LOCAL_REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:local`,
  };
}

export interface AcceptedSms {
  messageId: string;
  sentAt: number;
  to: string;
  originationIdentity: string;
  body: string;
  messageType: string;
  configurationSet?: string;
  context: Record<string, string>;
}

const gsmOnly = (s: string) => /^[\x20-\x7E\n\r£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉÄÖÑÜ§¿äöñüà¡]*$/.test(s);

/** End User Messaging SMS status event (the EventBridge `detail`). */
export function smsStatusEvent(m: AcceptedSms, eventType: string, at: number) {
  const gsm = gsmOnly(m.body);
  const parts = Math.max(1, Math.ceil(m.body.length / (gsm ? (m.body.length > 160 ? 153 : 160) : m.body.length > 70 ? 67 : 70)));
  const status = eventType.replace(/^TEXT_/, '');
  const description: Record<string, string> = {
    DELIVERED: 'Message has been accepted by phone',
    SUCCESSFUL: 'Message has been accepted by phone carrier',
    INVALID: 'Invalid destination phone number',
    BLOCKED: 'Destination phone number blocked from receiving messages',
  };
  return {
    eventType,
    eventVersion: '1.0',
    eventTimestamp: at,
    isFinal: true,
    originationPhoneNumber: m.originationIdentity,
    destinationPhoneNumber: m.to,
    isoCountryCode: m.to.startsWith('+1') ? 'US' : 'ZZ',
    isInternationalSend: false,
    mcc: '310',
    mnc: '410',
    messageId: m.messageId,
    messageRequestTimestamp: m.sentAt,
    messageEncoding: gsm ? 'GSM' : 'UCS2',
    messageType: m.messageType,
    messageStatus: status,
    messageStatusDescription: description[status] ?? status,
    context: m.context,
    totalMessageParts: parts,
    totalMessagePrice: Number((0.00581 * parts).toFixed(5)),
    totalCarrierFee: Number((0.003 * parts).toFixed(5)),
  };
}

/** Two-way SMS inbound message (what the number's SNS topic gets). */
export function inboundSms(m: AcceptedSms, body: string, keyword: string | undefined) {
  return {
    originationNumber: m.to,
    destinationNumber: m.originationIdentity,
    messageKeyword: keyword ?? '',
    messageBody: body,
    inboundMessageId: uuidOf('inbound', m.messageId, body),
    previousPublishedMessageId: m.messageId,
  };
}
