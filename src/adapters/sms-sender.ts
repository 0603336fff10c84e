import { PinpointSMSVoiceV2Client, SendTextMessageCommand, type SendTextMessageCommandInput } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { PermanentSendError, RetryableSendError } from '../domain/outreach/errors';
import type { OutboundSms, SendReceipt, SmsSender } from '../usecases/outreach/ports';

export interface EndUserMessagingSmsSenderOptions {
  configurationSet: string;
  /** Phone number, pool, sender id or their ARN (a registered 10DLC / toll-free number in the US). */
  originationIdentity: string;
}

/** AWS End User Messaging SMS (pinpoint-sms-voice-v2) SendTextMessage, TRANSACTIONAL. */
export class EndUserMessagingSmsSender implements SmsSender {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly options: EndUserMessagingSmsSenderOptions,
  ) {}

  commandInput(m: OutboundSms): SendTextMessageCommandInput {
    return {
      DestinationPhoneNumber: m.to,
      OriginationIdentity: this.options.originationIdentity,
      MessageBody: m.body,
      MessageType: 'TRANSACTIONAL',
      ConfigurationSetName: this.options.configurationSet,
      // Keys as the engagement loop reads them back from status events (`context.account`,
      // `context.action`: src/domain/engagement/sms.ts) and as the EventBridge rule partitions by.
      Context: { account: m.context.accountId, action: m.context.actionId, segment: m.context.segment, template: m.context.template },
    };
  }

  async send(m: OutboundSms): Promise<SendReceipt> {
    try {
      const out = await this.client.send(new SendTextMessageCommand(this.commandInput(m)));
      if (!out.MessageId) throw new RetryableSendError('SMS returned no MessageId');
      return { providerMessageId: out.MessageId };
    } catch (e) {
      throw mapSmsError(e);
    }
  }
}

/** ValidationException reasons that are about this message or number, not our setup. */
const PERMANENT_VALIDATION = new Set([
  'CANNOT_PARSE',
  'COUNTRY_CODE_MISMATCH',
  'DESTINATION_COUNTRY_BLOCKED',
  'FIELD_VALIDATION_FAILED',
  'INVALID_PARAMETER',
  'INVALID_REQUEST',
  'MAXIMUM_SIZE_EXCEEDED',
  'MISSING_PARAMETER',
  'PRICE_OVER_THRESHOLD',
]);

/**
 * Permanent: the number opted out at the provider (ConflictException
 * DESTINATION_PHONE_NUMBER_OPTED_OUT) or the request is invalid for this number/message.
 * Everything else (ThrottlingException, InternalServerException, spend or daily quotas,
 * missing configuration set or origination identity, access denied) is retried.
 */
export function mapSmsError(e: unknown): Error {
  if (e instanceof RetryableSendError || e instanceof PermanentSendError) return e;
  const err = e as { name?: string; Reason?: string; Fields?: { Name?: string }[] };
  const name = err?.name ?? 'error';
  if (name === 'ConflictException' && err.Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT') {
    return new PermanentSendError('opted_out_at_provider', 'destination number opted out at the provider', { cause: e });
  }
  if (name === 'ValidationException' && PERMANENT_VALIDATION.has(err.Reason ?? '')) {
    const aboutNumber = (err.Fields ?? []).some((f) => /DestinationPhoneNumber/i.test(f.Name ?? ''));
    return new PermanentSendError(aboutNumber ? 'invalid_address' : 'rejected', `SMS ValidationException ${err.Reason}`, { cause: e });
  }
  return new RetryableSendError(`SMS ${name}${err?.Reason ? ` ${err.Reason}` : ''}`, { cause: e });
}
