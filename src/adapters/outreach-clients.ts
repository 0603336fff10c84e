/**
 * SDK clients of the outbound senders and the dispatcher (SES v2, End User Messaging SMS, SQS),
 * built once per process like src/adapters/aws-clients.ts. On the local stack (CUREPATH_LOCAL=1)
 * each takes its endpoint from AWS_ENDPOINT_URL_SESV2 / AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 /
 * AWS_ENDPOINT_URL_SQS (src/adapters/local-overrides.ts): the hook for local SES/SMS stand-ins.
 */
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { localClientOverrides, type LocalService } from './local-overrides';

/** Few SDK retries for the providers: a throttled message goes back to the queue instead of holding the batch. */
function settings(service: LocalService, maxAttempts: number, env: Record<string, string | undefined> = process.env): Record<string, unknown> {
  const base = { region: env.AWS_REGION ?? 'us-east-1', maxAttempts };
  return env.CUREPATH_LOCAL === '1' ? { ...base, ...localClientOverrides(service, env) } : base;
}

let ses: SESv2Client | undefined;
let sms: PinpointSMSVoiceV2Client | undefined;
let sqs: SQSClient | undefined;
export const sesClient = () => (ses ??= new SESv2Client(settings('sesv2', 3)));
export const smsClient = () => (sms ??= new PinpointSMSVoiceV2Client(settings('pinpoint-sms-voice-v2', 3)));
export const outboundSqsClient = () => (sqs ??= new SQSClient(settings('sqs', 5)));
/** For tests: the settings a client would get from `env`. */
export const outreachClientSettings = settings;
