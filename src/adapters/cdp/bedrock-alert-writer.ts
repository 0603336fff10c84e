/**
 * Alert wording from Amazon Bedrock (Converse API, an Anthropic Claude model). The prompt holds
 * only the first name, a merchant description, the amount and the time. An AbortController bounds
 * the call; any failure, timeout or unusable answer throws and the caller uses the template.
 */
import { ConverseCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { AlertPrompt, AlertWording, AlertWriter } from '../../usecases/cdp/ports';

export class AlertWordingError extends Error {
  override readonly name = 'AlertWordingError';
}

const SYSTEM = [
  'You write short, calm fraud-alert emails for a bank.',
  'Write 3 to 5 sentences of plain text: greet the customer by first name, describe the transaction with the details given,',
  'say no action is needed if they made it, and otherwise ask them to call the number on the back of their card.',
  'Never ask for a card number, PIN, password or security code, never include links, never invent details.',
  'Answer with the email body only.',
].join(' ');

export function alertPromptText(p: AlertPrompt): string {
  return `Customer first name: ${p.firstName}\nMerchant: ${p.merchant}\nAmount: ${p.amount}\nTime: ${p.time}`;
}

export class BedrockAlertWriter implements AlertWriter {
  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly opts: { enabled: boolean; modelId: string; timeoutMs: number },
  ) {}

  async write(p: AlertPrompt): Promise<AlertWording | undefined> {
    if (!this.opts.enabled) return undefined;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // The signal cancels the HTTP request; the race bounds the wait even if a layer ignores it.
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new AlertWordingError(`Bedrock did not answer within ${this.opts.timeoutMs} ms`));
      }, this.opts.timeoutMs);
    });
    try {
      const call = this.client.send(
        new ConverseCommand({
          modelId: this.opts.modelId,
          system: [{ text: SYSTEM }],
          messages: [{ role: 'user', content: [{ text: alertPromptText(p) }] }],
          inferenceConfig: { maxTokens: 400, temperature: 0.2 },
        }),
        { abortSignal: abort.signal },
      );
      call.catch(() => {}); // settled after a timeout: nobody awaits it any more
      const res = await Promise.race([call, timedOut]);
      const text = (res.output?.message?.content ?? [])
        .map((c) => c.text ?? '')
        .join('')
        .trim();
      if (!text || text.length > 2_000) throw new AlertWordingError(`unusable answer (${text.length} chars, stop: ${res.stopReason})`);
      if (/https?:\/\//i.test(text)) throw new AlertWordingError('answer contains a link');
      return { subject: 'Please confirm a recent card transaction', body: text };
    } finally {
      clearTimeout(timer);
    }
  }
}
