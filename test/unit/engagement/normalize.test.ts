import { MalformedRecordError, normalizeInboundSms, normalizeRecord, normalizeSes, normalizeSmsStatus, digest } from '../../../src/domain/engagement';
import * as n from '../../fixtures/engagement/ses-notifications';
import * as ev from '../../fixtures/engagement/ses-events';
import * as sms from '../../fixtures/engagement/sms';

describe('SES notifications (AWS documented examples)', () => {
  it('bounce with a DSN: one permanent bounce for jane, no account tag', () => {
    const [e, ...rest] = normalizeSes(n.bounceWithDsn);
    expect(rest).toHaveLength(0);
    expect(e).toEqual({
      eventId: `email-bounce-${digest('bounce', '00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000', 'jane@example.com')}`,
      source: 'ses-notification',
      channel: 'email',
      kind: 'bounce',
      occurredAt: '2016-01-27T14:59:38.237Z',
      address: 'jane@example.com',
      messageId: '00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000',
      detail: { bounceType: 'Permanent', bounceSubType: 'General' },
    });
  });

  it('bounce without a DSN: one event per bounced recipient (not per destination), distinct ids', () => {
    const events = normalizeSes(n.bounceWithoutDsn);
    expect(events.map((e) => e.address)).toEqual(['jane@example.com', 'richard@example.com']);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(2);
    for (const e of events) expect(e).toMatchObject({ kind: 'bounce', detail: { bounceType: 'Permanent' }, messageId: '00000137860315fd-34208509-5b74-41f3-95c5-22c1edc3c924-000000' });
  });

  it('complaints with and without a feedback report', () => {
    expect(normalizeSes(n.complaintWithFeedback)).toEqual([
      expect.objectContaining({ kind: 'complaint', address: 'richard@example.com', occurredAt: '2016-01-27T14:59:38.237Z', detail: { complaintFeedbackType: 'abuse' } }),
    ]);
    const [e] = normalizeSes(n.complaintWithoutFeedback);
    expect(e).toMatchObject({ kind: 'complaint', address: 'richard@example.com', detail: {} });
    expect(e!.eventId).not.toBe(normalizeSes(n.complaintWithFeedback)[0]!.eventId);
  });

  it('delivery: recipient from delivery.recipients, time of delivery', () => {
    expect(normalizeSes(n.delivery)).toEqual([
      expect.objectContaining({ kind: 'delivered', address: 'jane@example.com', occurredAt: '2016-01-27T14:59:38.237Z', source: 'ses-notification' }),
    ]);
  });

  it('tags: account and action come from mail.tags arrays; unknown fields are ignored', () => {
    const tagged = n.withTags({ ...n.bounceWithDsn, somethingNew: { x: 1 } }, { account: ['A0001'], action: ['2026-01-05#A0001#email'], segment: ['early'] });
    expect(normalizeSes(tagged)[0]).toMatchObject({ accountId: 'A0001', actionId: '2026-01-05#A0001#email' });
  });

  it('malformed: bounce without feedbackId / recipients, no mail.messageId', () => {
    const noFeedback = { ...n.bounceWithDsn, bounce: { ...n.bounceWithDsn.bounce, feedbackId: undefined } };
    expect(() => normalizeSes(noFeedback)).toThrow(MalformedRecordError);
    expect(() => normalizeSes({ ...n.bounceWithDsn, bounce: { ...n.bounceWithDsn.bounce, bouncedRecipients: [] } })).toThrow(MalformedRecordError);
    expect(() => normalizeSes({ ...n.delivery, mail: { ...n.delivery.mail, messageId: undefined } })).toThrow(MalformedRecordError);
    expect(() => normalizeSes({ notificationType: 'Bounce', mail: { messageId: 'm' } })).toThrow(/missing bounce/);
  });
});

describe('SES event publishing records (AWS documented examples)', () => {
  const mid = 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';
  it.each([
    ['Bounce', ev.bounceRecord, { kind: 'bounce', occurredAt: '2017-08-05T00:41:02.669Z', address: 'recipient@example.com', detail: { bounceType: 'Permanent', bounceSubType: 'General' } }],
    ['Complaint', ev.complaintRecord, { kind: 'complaint', occurredAt: '2017-08-05T00:41:02.669Z', address: 'recipient@example.com', detail: { complaintFeedbackType: 'abuse' } }],
    ['Delivery', ev.deliveryRecord, { kind: 'delivered', occurredAt: '2016-10-19T23:21:04.133Z', address: 'recipient@example.com', detail: {} }],
    ['Send', ev.sendRecord, { kind: 'send', occurredAt: '2016-10-14T05:02:16.645Z', address: 'recipient@example.com', detail: {} }],
    ['Reject', ev.rejectRecord, { kind: 'reject', occurredAt: '2016-10-14T17:38:15.211Z', address: 'sender@example.com', detail: {} }],
    ['Open', ev.openRecord, { kind: 'open', occurredAt: '2017-08-09T22:00:19.652Z', address: 'recipient@example.com', detail: {} }],
    ['Click', ev.clickRecord, { kind: 'click', occurredAt: '2017-08-09T23:51:25.570Z', address: 'recipient@example.com', detail: {} }],
    ['Rendering Failure', ev.renderingFailureRecord, { kind: 'rendering_failure', occurredAt: '2018-01-22T18:43:06.197Z', address: 'recipient@example.com', detail: {} }],
    ['DeliveryDelay', ev.deliveryDelayRecord, { kind: 'delay', occurredAt: '2020-06-16T00:25:40.095Z', address: 'recipient@example.com', detail: {} }],
    ['Subscription', ev.subscriptionRecord, { kind: 'unsubscribe', occurredAt: '2022-01-12T01:00:17.910Z', address: 'recipient@example.com', detail: { unsubscribed: true, subscriptionSource: 'UnsubscribeHeader' } }],
  ])('%s', (_type, record, expected) => {
    const events = normalizeSes(record);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      eventId: expect.stringMatching(new RegExp(`^email-${expected.kind}-[A-Za-z0-9_-]{22}$`)),
      source: 'ses-event',
      channel: 'email',
      messageId: _type === 'Subscription' ? 'EXAMPLEe4bccb684-777bc8de-afa7-4970-92b0-f515137b1497-000000' : mid,
      ...expected,
    });
  });

  it('the same bounce as a notification and as an event-publishing record has one id', () => {
    const asNotification = { ...ev.bounceRecord, eventType: undefined, notificationType: 'Bounce' };
    expect(normalizeSes(asNotification)[0]!.eventId).toBe(normalizeSes(ev.bounceRecord)[0]!.eventId);
    expect(normalizeSes(asNotification)[0]!.source).toBe('ses-notification');
  });

  it('a re-subscription and an unknown SES type yield nothing; ids are deterministic', () => {
    const resub = { ...ev.subscriptionRecord, subscription: { ...ev.subscriptionRecord.subscription, newTopicPreferences: { unsubscribeAll: false, topicSubscriptionStatus: [{ topicName: 'T', subscriptionStatus: 'OptIn' }] } } };
    expect(normalizeSes(resub)).toEqual([]);
    expect(normalizeSes({ ...ev.sendRecord, eventType: 'SomethingNew' })).toEqual([]);
    expect(normalizeSes(ev.openRecord)[0]!.eventId).toBe(normalizeSes(JSON.parse(JSON.stringify(ev.openRecord)))[0]!.eventId);
  });
});

describe('End User Messaging SMS', () => {
  it('the documented SMS event: delivered, account from context, E.164 address, ms timestamp', () => {
    expect(normalizeSmsStatus(sms.smsEventExample)).toEqual([
      {
        eventId: `sms-delivered-${digest('delivered', '862a8790-60c0-4430-9b2b-658bdexample')}`,
        source: 'sms-status',
        channel: 'sms',
        kind: 'delivered',
        occurredAt: new Date(1686975103470).toISOString(),
        accountId: 'bar',
        address: '+14255550156',
        messageId: '862a8790-60c0-4430-9b2b-658bdexample',
        detail: { smsEventType: 'TEXT_SUCCESSFUL' },
      },
    ]);
  });

  it('the documented EventBridge event (no context, no destination): unwrapped, unattributed, no address', () => {
    const r = normalizeRecord(sms.eventBridgeDelivered, '2025-10-01T18:20:42.000Z');
    expect(r.type).toBe('sms-status');
    expect(r.events).toEqual([expect.objectContaining({ kind: 'delivered', occurredAt: new Date(1759342841377).toISOString(), messageId: 'ed23196c-75ce-4727-93ee-7bf72b64998f' })]);
    expect(r.events[0]!.accountId).toBeUndefined();
    expect(r.events[0]!.address).toBeUndefined();
    expect(r.payload).toBe(sms.eventBridgeDelivered.detail);
  });

  it('TEXT_SUCCESSFUL and TEXT_DELIVERED of one message share the delivered id (counted once)', () => {
    expect(normalizeSmsStatus(sms.smsEvent('TEXT_DELIVERED'))[0]!.eventId).toBe(normalizeSmsStatus(sms.smsEvent('TEXT_SUCCESSFUL'))[0]!.eventId);
  });

  it.each([
    ['TEXT_QUEUED', 'pending', undefined],
    ['TEXT_PENDING', 'pending', undefined],
    ['TEXT_INVALID', 'failed', 'permanent'],
    ['TEXT_BLOCKED', 'failed', 'permanent'],
    ['TEXT_TTL_EXPIRED', 'failed', 'transient'],
    ['TEXT_CARRIER_UNREACHABLE', 'failed', 'transient'],
    ['TEXT_UNREACHABLE', 'failed', 'transient'],
    ['TEXT_UNKNOWN', 'failed', 'transient'],
    ['TEXT_INVALID_MESSAGE', 'failed', 'message'],
    ['TEXT_CARRIER_BLOCKED', 'failed', 'message'],
    ['TEXT_SPAM', 'failed', 'message'],
    ['TEXT_PROTECT_BLOCKED', 'failed', 'message'],
  ])('%s → %s (%s)', (type, kind, failureClass) => {
    const [e] = normalizeSmsStatus(sms.smsEvent(type));
    expect(e).toMatchObject({ kind, accountId: 'A0001', actionId: '2026-01-05#A0001#sms', detail: { smsEventType: type } });
    expect(e!.detail.failureClass).toBe(failureClass);
  });

  it('voice events are not this loop\'s; missing messageId is malformed', () => {
    expect(normalizeSmsStatus(sms.smsEvent('VOICE_COMPLETED'))).toEqual([]);
    expect(() => normalizeSmsStatus({ ...sms.smsEventExample, messageId: undefined })).toThrow(MalformedRecordError);
  });

  it('the documented inbound message: a reply (JOIN is not a revocation), time from the envelope', () => {
    expect(normalizeInboundSms(sms.inboundExample, '2026-01-05T15:00:00Z')).toEqual([
      {
        eventId: `sms-inbound-${digest('inbound', 'cae173d2-66b9-564c-8309-21f858e9fb84')}`,
        source: 'sms-inbound',
        channel: 'sms',
        kind: 'reply',
        occurredAt: '2026-01-05T15:00:00.000Z',
        address: '+14255550182',
        messageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
        detail: { revocation: false },
      },
    ]);
    expect(normalizeInboundSms({ ...sms.inboundExample, messageBody: ' Stop! ' }, '2026-01-05T15:00:00Z')[0]).toMatchObject({ kind: 'opt_out', detail: { revocation: true } });
  });
});

describe('envelopes', () => {
  it('SNS envelope in an SQS body: Message is a JSON string; SNS Timestamp is the inbound time', () => {
    const r = normalizeRecord(n.snsEnvelope(sms.inboundExample, { timestamp: '2026-01-05T15:00:01.000Z' }), '2026-01-05T16:00:00.000Z');
    expect(r.type).toBe('sms-inbound');
    expect(r.events[0]!.occurredAt).toBe('2026-01-05T15:00:01.000Z');
    expect(normalizeRecord(n.snsEnvelope(n.bounceWithoutDsn), 'x').events).toHaveLength(2);
  });
  it('poison: not JSON in Message, not an object, unknown payload', () => {
    expect(() => normalizeRecord({ Type: 'Notification', Message: '{oops' }, 'x')).toThrow(MalformedRecordError);
    expect(() => normalizeRecord([1, 2], 'x')).toThrow(MalformedRecordError);
    expect(() => normalizeRecord({ hello: 'world' }, 'x')).toThrow(/neither/);
  });
});
