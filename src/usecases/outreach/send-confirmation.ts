import { z } from 'zod';
import { PermanentSendError } from '../../domain/outreach/errors';
import { validAddress } from '../../domain/outreach/work-item';
import type { Brand } from '../../domain/outreach/render';
import { alreadyClaimed, recordSent, settleFailure, type SendMessageDeps, type SendOutcome } from './send-message';

/**
 * The engagement loop's request for the one opt-out confirmation text (src/adapters/sqs-confirmation-sender.ts
 * puts it on the outbound SMS queue). `accountIds` may be empty (a number we cannot resolve).
 */
export const optOutConfirmationSchema = z.object({
  type: z.literal('sms-opt-out-confirmation'),
  to: z.string().min(1).max(20),
  accountIds: z.array(z.string().min(1).max(100)).default([]),
  revocationId: z.string().min(1).max(200),
  requestedAt: z.string().min(10),
});
export type OptOutConfirmation = z.infer<typeof optOutConfirmationSchema>;

/** The ledger key of a confirmation: one per revocation, never colliding with `<runDate>#<account>#<channel>`. */
export const confirmationActionId = (revocationId: string) => `optout#${revocationId}`;
/** An opt-out confirmation text's action id (not a campaign action). */
export const isConfirmationActionId = (actionId: string) => actionId.startsWith('optout#');

/** English only: the request carries no language, and the reply keywords that trigger it are English. GSM-7 (brand fields are). */
export const optOutConfirmationText = (brand: Brand) =>
  `${brand.senderName}: You are unsubscribed and will get no more text messages from us. Questions? Call ${brand.supportPhone}.`;

/**
 * Sends the confirmation exactly once per revocation (the send ledger's conditional claim, keyed on
 * the revocation id), WITHOUT consent, suppression or contact-window checks: the number has just
 * opted out, and this one text is what the opt-out requires. Same error semantics as sendMessage.
 */
export async function sendOptOutConfirmation(deps: SendMessageDeps, req: OptOutConfirmation): Promise<SendOutcome> {
  if (!deps.sms) throw new Error('this sender is not wired for sms');
  const now = deps.now ?? (() => new Date());
  const actionId = confirmationActionId(req.revocationId);
  const accountId = req.accountIds[0] ?? 'unknown';
  const claim = await deps.ledger.claim({
    actionId,
    accountId,
    runDate: /^\d{4}-\d{2}-\d{2}/.exec(req.requestedAt)?.[0] ?? now().toISOString().slice(0, 10),
    channel: 'sms',
    segment: 'opt-out',
    template: 'sms-opt-out-confirmation',
    language: 'en',
    to: req.to,
    now: now(),
    leaseMs: deps.leaseMs,
  });
  if (!claim.claimed) return alreadyClaimed(actionId, claim.record);
  const { leaseToken, attempt } = claim;
  try {
    if (!validAddress('sms', req.to)) throw new PermanentSendError('invalid_address', 'malformed sms address');
    const receipt = await deps.sms.send({
      to: req.to,
      body: optOutConfirmationText(deps.brand),
      context: { accountId, actionId, segment: 'opt-out', template: 'sms-opt-out-confirmation' },
    });
    return await recordSent(deps.ledger, actionId, leaseToken, attempt, receipt.providerMessageId, now());
  } catch (e) {
    return settleFailure(deps.ledger, actionId, leaseToken, e, now());
  }
}
