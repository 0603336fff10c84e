import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ConfirmationSender, OptOutConfirmationRequest } from '../usecases/engagement/ports';

/**
 * Asks the SMS sender for the one opt-out confirmation text by queueing a request (the sender owns
 * templates, language and the origination number). The engagement store's claim has already made
 * sure this runs at most once per revocation.
 */
export class SqsConfirmationSender implements ConfirmationSender {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async requestOptOutConfirmation(req: OptOutConfirmationRequest): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({ type: 'sms-opt-out-confirmation', to: req.phone, accountIds: req.accountIds, revocationId: req.revocationId, requestedAt: req.requestedAt }),
      }),
    );
  }
}
