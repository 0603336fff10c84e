import { mockClient } from 'aws-sdk-client-mock';
import { BadRequestException, SendEmailCommand, SendingPausedException, SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { ConflictException, PinpointSMSVoiceV2Client, SendTextMessageCommand, ThrottlingException, ValidationException } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { PermanentSendError, RetryableSendError } from '../../../src/domain/outreach/errors';
import { SesEmailSender, sesTagValue } from '../../../src/adapters/ses-email-sender';
import { EndUserMessagingSmsSender } from '../../../src/adapters/sms-sender';
import type { OutboundEmail, OutboundSms } from '../../../src/usecases/outreach/ports';

const ses = mockClient(SESv2Client);
const sms = mockClient(PinpointSMSVoiceV2Client);
beforeEach(() => {
  ses.reset();
  sms.reset();
});

const email: OutboundEmail = {
  to: 'ana@example.com',
  subject: 'Subject',
  text: 'text',
  html: '<p>html</p>',
  unsubscribeUrl: 'https://acme.example/unsubscribe?token=abc.def',
  unsubscribeMailto: 'mailto:unsubscribe@acme.example?subject=unsubscribe%20abc.def',
  tags: { account: 'A-1', action: '2026-01-05#A-1#email', segment: 'mid stage', template: 'early-reminder' },
};
const text: OutboundSms = { to: '+15555550123', body: 'Acme: hi. Reply STOP to opt out', context: { accountId: 'A-1', actionId: '2026-01-05#A-1#sms', segment: 'mid_stage', template: 'early-reminder' } };
const meta = { $metadata: {} };

describe('SesEmailSender', () => {
  const sender = new SesEmailSender(new SESv2Client({ region: 'us-east-1' }), { from: 'Acme <billing@acme.example>', configurationSet: 'curepath-dev-outreach' });

  it('SendEmail: configuration set, sanitized tags, Simple content with one-click unsubscribe headers', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-123' });
    expect(await sender.send(email)).toEqual({ providerMessageId: 'ses-123' });
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      FromEmailAddress: 'Acme <billing@acme.example>',
      Destination: { ToAddresses: ['ana@example.com'] },
      ConfigurationSetName: 'curepath-dev-outreach',
      EmailTags: [
        { Name: 'account', Value: 'A-1' },
        { Name: 'action', Value: '2026-01-05_A-1_email' },
        { Name: 'segment', Value: 'mid_stage' },
        { Name: 'template', Value: 'early-reminder' },
      ],
      Content: {
        Simple: {
          Subject: { Data: 'Subject', Charset: 'UTF-8' },
          Body: { Text: { Data: 'text', Charset: 'UTF-8' }, Html: { Data: '<p>html</p>', Charset: 'UTF-8' } },
          Headers: [
            { Name: 'List-Unsubscribe', Value: '<https://acme.example/unsubscribe?token=abc.def>, <mailto:unsubscribe@acme.example?subject=unsubscribe%20abc.def>' },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
    });
  });

  it('tag values only ever contain [A-Za-z0-9_-]', () => {
    expect(sesTagValue('2026-01-05#A1#email')).toBe('2026-01-05_A1_email');
    expect(sesTagValue('é/ü +x')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sesTagValue('')).toBe('_');
    expect(sesTagValue('x'.repeat(300))).toHaveLength(256);
  });

  const failure = async (e: Error) => {
    ses.reset();
    ses.on(SendEmailCommand).rejects(e);
    return sender.send(email).catch((x: unknown) => x);
  };

  it('maps throttling and a paused account to retryable, a rejected message to permanent', async () => {
    expect(await failure(new TooManyRequestsException({ message: 'slow down', ...meta }))).toBeInstanceOf(RetryableSendError);
    expect(await failure(new SendingPausedException({ message: 'paused', ...meta }))).toBeInstanceOf(RetryableSendError);
    expect(await failure(new BadRequestException({ message: 'Illegal address', ...meta }))).toMatchObject({ name: 'PermanentSendError', reason: 'invalid_address' });
    expect(await failure(new BadRequestException({ message: 'Message too large', ...meta }))).toMatchObject({ name: 'PermanentSendError', reason: 'rejected' });
    expect(await failure(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))).toBeInstanceOf(RetryableSendError);
  });
});

describe('EndUserMessagingSmsSender', () => {
  const sender = new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({ region: 'us-east-1' }), { configurationSet: 'curepath-dev-sms', originationIdentity: 'pool-abc' });

  it('SendTextMessage: TRANSACTIONAL, configuration set, origination identity, context', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'sms-9' });
    expect(await sender.send(text)).toEqual({ providerMessageId: 'sms-9' });
    expect(sms.commandCalls(SendTextMessageCommand)[0]!.args[0].input).toEqual({
      DestinationPhoneNumber: '+15555550123',
      OriginationIdentity: 'pool-abc',
      MessageBody: 'Acme: hi. Reply STOP to opt out',
      MessageType: 'TRANSACTIONAL',
      ConfigurationSetName: 'curepath-dev-sms',
      Context: { account: 'A-1', action: '2026-01-05#A-1#sms', segment: 'mid_stage', template: 'early-reminder' },
    });
  });

  const failure = async (e: Error) => {
    sms.reset();
    sms.on(SendTextMessageCommand).rejects(e);
    return sender.send(text).catch((x: unknown) => x);
  };

  it('maps throttling to retryable; opted-out number and invalid number to permanent', async () => {
    expect(await failure(new ThrottlingException({ message: 'slow', ...meta }))).toBeInstanceOf(RetryableSendError);
    expect(await failure(new ConflictException({ message: 'opted out', Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', ...meta }))).toMatchObject({
      name: 'PermanentSendError',
      reason: 'opted_out_at_provider',
    });
    expect(
      await failure(new ValidationException({ message: 'bad', Reason: 'INVALID_PARAMETER', Fields: [{ Name: 'DestinationPhoneNumber', Message: 'invalid' }], ...meta })),
    ).toMatchObject({ name: 'PermanentSendError', reason: 'invalid_address' });
    expect(await failure(new ValidationException({ message: 'x', Reason: 'UNKNOWN_OPERATION', ...meta }))).toBeInstanceOf(RetryableSendError);
    sms.reset();
    sms.on(SendTextMessageCommand).resolves({}); // no MessageId
    const err = await sender.send(text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableSendError);
    expect(err).not.toBeInstanceOf(PermanentSendError);
  });
});
