import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DispatchChannel, OutboundEntry, OutboundQueues } from '../usecases/outreach/dispatch';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SendMessageBatch (≤ 10 entries) to the outbound email / SMS queue. Entries SQS reports failed
 * through no fault of ours (SenderFault false: throttling, internal errors) are resent, with backoff,
 * up to `rounds` times; sender faults (e.g. a body over the size limit) are returned at once.
 */
export class SqsOutboundQueues implements OutboundQueues {
  constructor(
    private readonly sqs: SQSClient,
    private readonly urls: Record<DispatchChannel, string>,
    private readonly opts: { rounds?: number; backoffMs?: number } = {},
  ) {}

  async sendBatch(channel: DispatchChannel, entries: readonly OutboundEntry[]): Promise<string[]> {
    if (entries.length > 10) throw new RangeError('SendMessageBatch takes at most 10 entries');
    const rounds = this.opts.rounds ?? 4;
    let pending = [...entries];
    const refused: string[] = [];
    for (let round = 0; round < rounds && pending.length > 0; round++) {
      if (round > 0) await sleep((this.opts.backoffMs ?? 100) * 2 ** (round - 1));
      let out;
      try {
        out = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.urls[channel],
            Entries: pending.map((e) => ({ Id: e.id, MessageBody: e.body, DelaySeconds: e.delaySeconds })),
          }),
        );
      } catch (e) {
        // The whole call failed (after the SDK's own retries): try again, then give the entries up.
        if (round === rounds - 1) throw e;
        continue;
      }
      const failed = new Map((out.Failed ?? []).map((f) => [f.Id!, f]));
      const retry: OutboundEntry[] = [];
      for (const e of pending) {
        const f = failed.get(e.id);
        if (!f) continue;
        if (f.SenderFault) refused.push(e.id);
        else retry.push(e);
      }
      pending = retry;
    }
    return [...refused, ...pending.map((e) => e.id)];
  }
}
