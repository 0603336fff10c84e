import { SendEmailCommand, SESv2Client, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { PermanentSendError, RetryableSendError } from '../domain/outreach/errors';
import type { EmailSender, OutboundEmail, SendReceipt } from '../usecases/outreach/ports';

/** SES tag names and values allow only [A-Za-z0-9_-] (≤ 256): `#` in action ids becomes `_`. */
export const sesTagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';

export interface SesEmailSenderOptions {
  from: string;
  configurationSet: string;
  replyTo?: string;
}

/** SES v2 SendEmail, Simple content with the RFC 8058 one-click unsubscribe headers. */
export class SesEmailSender implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesEmailSenderOptions,
  ) {}

  commandInput(m: OutboundEmail): SendEmailCommandInput {
    const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });
    return {
      FromEmailAddress: this.options.from,
      Destination: { ToAddresses: [m.to] },
      ...(this.options.replyTo ? { ReplyToAddresses: [this.options.replyTo] } : {}),
      ConfigurationSetName: this.options.configurationSet,
      EmailTags: Object.entries(m.tags).map(([Name, v]) => ({ Name, Value: sesTagValue(v) })),
      Content: {
        Simple: {
          Subject: utf8(m.subject),
          Body: { Text: utf8(m.text), Html: utf8(m.html) },
          Headers: [
            { Name: 'List-Unsubscribe', Value: `<${m.unsubscribeUrl}>, <${m.unsubscribeMailto}>` },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
    };
  }

  async send(m: OutboundEmail): Promise<SendReceipt> {
    try {
      const out = await this.client.send(new SendEmailCommand(this.commandInput(m)));
      if (!out.MessageId) throw new RetryableSendError('SES returned no MessageId');
      return { providerMessageId: out.MessageId };
    } catch (e) {
      throw mapSesError(e);
    }
  }
}

/**
 * Only a rejection of this message is permanent. Throttling, quotas, a paused or suspended
 * account, a missing configuration set or identity are the same for every message: retried,
 * so they wait in the queue (and then the DLQ, for a redrive) instead of being dropped.
 */
export function mapSesError(e: unknown): Error {
  if (e instanceof RetryableSendError || e instanceof PermanentSendError) return e;
  const name = (e as { name?: string })?.name ?? '';
  const message = String((e as { message?: string })?.message ?? '');
  if (name === 'BadRequestException' || name === 'MessageRejected') {
    const reason = /address/i.test(message) ? 'invalid_address' : 'rejected';
    return new PermanentSendError(reason, `SES ${name}`, { cause: e });
  }
  return new RetryableSendError(`SES ${name || 'error'}`, { cause: e });
}
