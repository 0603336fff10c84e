/**
 * Builds the sender functions' dependencies from their validated configuration. Clients are
 * created once per process and injected; tests pass their own (aws-sdk-client-mock, dynalite).
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoEngagementStore } from '../../adapters/dynamo-engagement-store';
import { DynamoInboundReader } from '../../adapters/dynamo-inbound-reader';
import { DynamoSendLedger } from '../../adapters/dynamo-send-ledger';
import { SesEmailSender } from '../../adapters/ses-email-sender';
import { EndUserMessagingSmsSender } from '../../adapters/sms-sender';
import { DEFAULT_CONTACT_POLICY } from '../../domain/strategy/policy';
import { brandOf, type CommonSenderConfig, type sendEmailShape, type sendSmsShape } from './config';
import type { SendMessageDeps } from './send-message';
import { unsubscribeLinks } from './unsubscribe-token';
import type { z } from 'zod';

type EmailConfig = z.infer<z.ZodObject<typeof sendEmailShape>>;
type SmsConfig = z.infer<z.ZodObject<typeof sendSmsShape>>;

function common(doc: DynamoDBDocumentClient, c: CommonSenderConfig) {
  return {
    ledger: new DynamoSendLedger(doc, c.SENDS_TABLE, c.SEND_RETENTION_DAYS),
    suppressions: new DynamoInboundReader(doc, c.CONTACTS_TABLE),
    brand: brandOf(c),
    leaseMs: c.SEND_LEASE_SECONDS * 1000,
    contactWindow: DEFAULT_CONTACT_POLICY.contactWindow,
  };
}

export function emailSenderDeps(c: EmailConfig, clients: { doc: DynamoDBDocumentClient; ses: SESv2Client }): SendMessageDeps {
  return {
    ...common(clients.doc, c),
    email: {
      sender: new SesEmailSender(clients.ses, {
        from: c.EMAIL_FROM,
        configurationSet: c.SES_CONFIGURATION_SET,
        ...(c.EMAIL_REPLY_TO ? { replyTo: c.EMAIL_REPLY_TO } : {}),
      }),
      links: unsubscribeLinks({ baseUrl: c.UNSUBSCRIBE_BASE_URL, mailbox: c.UNSUBSCRIBE_MAILTO, secret: c.UNSUBSCRIBE_TOKEN_SECRET }),
    },
  };
}

export function smsSenderDeps(c: SmsConfig, clients: { doc: DynamoDBDocumentClient; sms: PinpointSMSVoiceV2Client }): SendMessageDeps {
  return {
    ...common(clients.doc, c),
    phones: new DynamoEngagementStore(clients.doc, c.ENGAGEMENT_TABLE),
    sms: new EndUserMessagingSmsSender(clients.sms, { configurationSet: c.SMS_CONFIGURATION_SET, originationIdentity: c.SMS_ORIGINATION_IDENTITY }),
  };
}
