import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { AlertEmailSender, AlertWording } from '../../usecases/cdp/ports';
import { sesTagValue } from '../ses-email-sender';

/** SES v2 SendEmail (plain text) of a fraud alert: transactional, no unsubscribe link. */
export class SesAlertSender implements AlertEmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly opts: { from: string; configurationSet?: string },
  ) {}

  async send(to: string, w: AlertWording, tags: Record<string, string>): Promise<string> {
    const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.opts.from,
        Destination: { ToAddresses: [to] },
        ...(this.opts.configurationSet ? { ConfigurationSetName: this.opts.configurationSet } : {}),
        EmailTags: Object.entries(tags).map(([Name, v]) => ({ Name, Value: sesTagValue(v) })),
        Content: { Simple: { Subject: utf8(w.subject), Body: { Text: utf8(w.body) } } },
      }),
    );
    if (!out.MessageId) throw new Error('SES returned no MessageId');
    return out.MessageId;
  }
}
