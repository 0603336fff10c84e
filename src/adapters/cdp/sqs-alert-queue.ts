import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FraudAlertMessage } from '../../domain/cdp/records';
import type { AlertQueue } from '../../usecases/cdp/ports';

export class AlertQueueError extends Error {
  override readonly name = 'AlertQueueError';
}

/** SendMessageBatch (10 per call) to the fraud alerts queue; failed entries resent, then an error. */
export class SqsAlertQueue implements AlertQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly maxRounds = 5,
  ) {}

  async send(messages: readonly FraudAlertMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      let pending = messages.slice(i, i + 10).map((m, k) => ({ Id: String(k), MessageBody: JSON.stringify(m) }));
      for (let round = 0; pending.length > 0; round++) {
        if (round >= this.maxRounds) throw new AlertQueueError(`${pending.length} alert(s) not enqueued`);
        if (round > 0) await new Promise((r) => setTimeout(r, Math.random() * 100 * 2 ** round));
        const res = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }));
        const failed = new Set((res.Failed ?? []).map((f) => f.Id));
        pending = pending.filter((e) => failed.has(e.Id));
      }
    }
  }
}
