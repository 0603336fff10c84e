/**
 * One fraud alert email: claim the card's alert window (dedup), decrypt only the holder's name and
 * email, word the message (Bedrock, or the deterministic template when it is disabled, fails or
 * times out), send it. The prompt carries the first name, merchant, amount and time only.
 */
import type { FraudAlertMessage } from '../../domain/cdp/records';
import type { AlertClaims, AlertEmailSender, AlertPrompt, AlertWording, AlertWriter, FieldCipher } from './ports';

export interface FraudAlertDeps {
  cipher: FieldCipher;
  claims: AlertClaims;
  writer: AlertWriter;
  sender: AlertEmailSender;
  /** Alert window per card (default 60 minutes). */
  windowMinutes: number;
  now: () => Date;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export type FraudAlertOutcome = { status: 'sent'; wording: 'bedrock' | 'template'; messageId: string } | { status: 'duplicate' };

const MCC_WORDS: Record<number, string> = {
  5411: 'grocery store',
  5541: 'gas station',
  5812: 'restaurant',
  5814: 'fast food restaurant',
  5912: 'pharmacy',
  5311: 'department store',
  5732: 'electronics store',
  5999: 'retail store',
  4829: 'money transfer',
  5300: 'wholesale club',
  7538: 'auto service shop',
  4121: 'taxi or ride service',
  5499: 'food store',
};

export function promptOf(m: FraudAlertMessage, person: string): AlertPrompt {
  const firstName = person.trim().split(/\s+/)[0] ?? 'customer';
  const kind = MCC_WORDS[m.mcc] ?? 'merchant';
  const where = m.merchantCity === 'ONLINE' ? 'online' : `in ${m.merchantCity}${m.merchantState ? `, ${m.merchantState}` : ''}`;
  const amount = `$${(Math.abs(m.amountCents) / 100).toFixed(2)}`;
  const time = `${m.at.slice(0, 10)} at ${m.at.slice(11, 16)}`;
  return { firstName, merchant: `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} ${where}`, amount, time };
}

/** The deterministic wording (local default, and the fallback of any Bedrock failure). */
export function templateWording(p: AlertPrompt): AlertWording {
  return {
    subject: 'Please confirm a recent card transaction',
    body: [
      `Hello ${p.firstName},`,
      '',
      `We noticed a transaction of ${p.amount} at ${p.merchant} on ${p.time} that does not look like your usual activity.`,
      'If you made it, no action is needed. If you did not, please call the number on the back of your card so we can protect your account.',
      '',
      'We will never ask for your card number, PIN or security code by email.',
    ].join('\n'),
  };
}

export const windowStartOf = (at: Date, windowMinutes: number): string => {
  const ms = windowMinutes * 60_000;
  return new Date(Math.floor(at.getTime() / ms) * ms).toISOString();
};

export async function sendFraudAlert(deps: FraudAlertDeps, m: FraudAlertMessage): Promise<FraudAlertOutcome> {
  // The window follows the transaction's time: a replay of the same alert lands in the same window.
  const window = windowStartOf(new Date(m.at), deps.windowMinutes);
  // Kept a day past the window (TTL attribute): long enough for every redelivery.
  const expiresAt = Math.floor(deps.now().getTime() / 1000) + deps.windowMinutes * 60 + 86_400;
  if (!(await deps.claims.claim(m.cardToken, window, m.txnId, expiresAt))) return { status: 'duplicate' };
  const person = await deps.cipher.decrypt('person', m.recordId, m.encrypted.person);
  const email = await deps.cipher.decrypt('email', m.recordId, m.encrypted.email);
  const prompt = promptOf(m, person);
  let wording: AlertWording | undefined;
  let source: 'bedrock' | 'template' = 'template';
  try {
    wording = await deps.writer.write(prompt);
    if (wording) source = 'bedrock';
  } catch (e) {
    deps.log?.('alert wording fell back to the template', { reason: (e as Error).name });
  }
  const messageId = await deps.sender.send(email, wording ?? templateWording(prompt), { kind: 'fraud-alert', card: m.cardToken.slice(0, 32) });
  await deps.claims.markSent(m.cardToken, window, m.txnId, messageId);
  return { status: 'sent', wording: source, messageId };
}
