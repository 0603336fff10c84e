import { PermanentSendError, RetryableSendError, type PermanentReason } from '../../domain/outreach/errors';
import { TemplateError } from '../../domain/outreach/format';
import { renderEmail, renderSms, type Brand } from '../../domain/outreach/render';
import { normalizeEmail, validAddress, type WorkItem } from '../../domain/outreach/work-item';
import { formatInZone } from '../../domain/strategy/timezones';
import type { SendRow } from '../analytics/lake';
import type { EmailSender, SendLedger, SendRecord, SmsSender, SuppressionReader } from './ports';
import type { UnsubscribeLinks } from './unsubscribe-token';

export interface SendMessageDeps {
  /** Each sender function wires only its own channel (email: sender + unsubscribe links). */
  email?: { sender: EmailSender; links: UnsubscribeLinks };
  sms?: SmsSender;
  ledger: SendLedger;
  suppressions: SuppressionReader;
  brand: Brand;
  /** How long a claim is held; longer than the function timeout (docs/outreach.md). */
  leaseMs: number;
  /**
   * SMS only: number → account, so inbound STOP replies (which carry no tags) can be resolved
   * (the engagement store's phone directory).
   */
  phones?: { register(phone: string, accountId: string, at: string): Promise<void> };
  /** Consumer-local HH:MM window (config/contact-policy.json contactWindow). */
  contactWindow: { start: string; end: string };
  now?: () => Date;
}

/**
 * `row`: the analytics lake's send row (docs/analytics.md), present only when this delivery is the
 * one that recorded the final outcome on the ledger — a redelivery finds it final (`duplicate`) and
 * carries none, so the lake gets at most one row per action.
 */
export type SendOutcome =
  /** leaseLost: the outcome could not be recorded (lease taken over, or the ledger write failed). */
  | { actionId: string; outcome: 'sent'; providerMessageId: string; attempt: number; leaseLost: boolean; row?: SendRow }
  | { actionId: string; outcome: 'suppressed'; leaseLost: boolean; row?: SendRow }
  | { actionId: string; outcome: 'failed'; reason: PermanentReason; leaseLost: boolean; row?: SendRow }
  /** Already completed by an earlier delivery: nothing sent now. */
  | { actionId: string; outcome: 'duplicate'; status: 'sent' | 'failed' | 'suppressed' };

type Timing = 'due' | 'early' | 'expired';

/**
 * Only inside the consumer-local window of the planned day (Reg F §1006.6(b)(1)(i)): a message
 * delayed by retries past the window's end, or into another day, is not sent (recorded
 * `expired`; the next daily run plans again). Before the window it is retried later.
 */
function timing(now: Date, item: WorkItem, window: { start: string; end: string }): Timing {
  let local: string;
  try {
    local = formatInZone(now.getTime(), item.timezone); // 2026-03-09T12:00:00-04:00
  } catch {
    throw new PermanentSendError('invalid_item', 'unknown time zone');
  }
  const date = local.slice(0, 10);
  const hhmm = local.slice(11, 16);
  if (date < item.runDate || (date === item.runDate && hhmm < window.start)) return 'early';
  if (date > item.runDate || hhmm >= window.end) return 'expired';
  return 'due';
}

/**
 * A claim that did not succeed: another delivery holds a live lease (or crashed less than a lease
 * ago) → retry later; the action already finished → a duplicate delivery, nothing to send.
 */
export function alreadyClaimed(actionId: string, record: SendRecord): SendOutcome {
  if (record.status === 'sending') {
    throw new RetryableSendError(`${actionId} is being sent by another delivery (lease until ${record.leaseUntil})`);
  }
  return { actionId, outcome: 'duplicate', status: record.status };
}

/**
 * Sends one work item at most once (idempotent on actionId), re-checking at send time what may
 * have changed since the Strategy planned it: the suppressions in INBOUND and the contact window.
 * Returns the recorded outcome; throws RetryableSendError (or any unexpected error) when the
 * message must go back to the queue.
 */
export async function sendMessage(deps: SendMessageDeps, item: WorkItem): Promise<SendOutcome> {
  // The ledger as seen by this delivery: remembers when (if) its completion was the one recorded.
  let completedAt: Date | undefined;
  const inner = deps.ledger;
  const ledger: SendLedger = {
    claim: (r) => inner.claim(r),
    release: (id, token) => inner.release(id, token),
    get: (id) => inner.get(id),
    complete: async (id, token, completion, at) => {
      const recorded = await inner.complete(id, token, completion, at);
      if (recorded) completedAt = at;
      return recorded;
    },
  };
  const out = await sendOnce({ ...deps, ledger }, item);
  if (out.outcome === 'duplicate' || !completedAt) return out;
  const row: SendRow = {
    actionId: item.actionId,
    accountId: item.accountId,
    runDate: item.runDate,
    channel: item.channel,
    segment: item.segment,
    status: out.outcome,
    reason: out.outcome === 'failed' ? out.reason : null,
    completedAtMs: completedAt.getTime(),
  };
  return { ...out, row };
}

async function sendOnce(deps: SendMessageDeps, item: WorkItem): Promise<SendOutcome> {
  const now = deps.now ?? (() => new Date());
  const { actionId } = item;
  const claim = await deps.ledger.claim({
    actionId,
    accountId: item.accountId,
    runDate: item.runDate,
    channel: item.channel,
    segment: item.segment,
    template: item.template,
    language: item.language,
    to: item.to ?? null,
    now: now(),
    leaseMs: deps.leaseMs,
  });
  if (!claim.claimed) return alreadyClaimed(actionId, claim.record);
  const { leaseToken, attempt } = claim;

  try {
    const when = timing(now(), item, deps.contactWindow);
    if (when === 'early') throw new RetryableSendError('before the contact window');
    if (when === 'expired') throw new PermanentSendError('expired', 'the contact window of the planned day has passed');

    const raw = item.to?.trim() ?? '';
    if (raw.length === 0) throw new PermanentSendError('missing_address', `no ${item.channel} address on file`);
    const to = item.channel === 'email' ? normalizeEmail(raw) : raw;
    if (!validAddress(item.channel, to)) throw new PermanentSendError('invalid_address', `malformed ${item.channel} address`);

    const suppressed = await deps.suppressions.suppressed(item.accountId);
    if ((item.channel === 'email' ? suppressed.email : suppressed.sms).has(to)) {
      const recorded = await deps.ledger.complete(actionId, leaseToken, { status: 'suppressed' }, now());
      return { actionId, outcome: 'suppressed', leaseLost: !recorded };
    }

    let receipt;
    try {
      if (item.channel === 'email') {
        if (!deps.email) throw new Error('this sender is not wired for email');
        const { sender, links } = deps.email;
        const r = renderEmail(item, deps.brand, links.url(actionId));
        receipt = await sender.send({
          to,
          subject: r.subject,
          text: r.text,
          html: r.html,
          unsubscribeUrl: links.url(actionId),
          unsubscribeMailto: links.mailto(actionId),
          tags: { account: item.accountId, action: actionId, segment: item.segment, template: r.template },
        });
      } else {
        if (!deps.sms) throw new Error('this sender is not wired for sms');
        const r = renderSms(item, deps.brand);
        // Before the provider call, not after: a failure here is retried with nothing sent, whereas
        // after a send it could not be retried (the ledger says sent) and a STOP reply from this
        // number would then resolve to no account. An entry for an attempt that then fails is harmless.
        await deps.phones?.register(to, item.accountId, now().toISOString());
        receipt = await deps.sms.send({
          to,
          body: r.body,
          context: { accountId: item.accountId, actionId, segment: item.segment, template: r.template },
        });
      }
    } catch (e) {
      if (e instanceof TemplateError) {
        throw new PermanentSendError(e.message.startsWith('unknown template') ? 'unknown_template' : 'rendering_failed', e.message, { cause: e });
      }
      throw e;
    }
    return await recordSent(deps.ledger, actionId, leaseToken, attempt, receipt.providerMessageId, now());
  } catch (e) {
    return settleFailure(deps.ledger, actionId, leaseToken, e, now());
  }
}

/**
 * The provider has the message: from here on a failure must not put it back on the queue (that
 * would send it twice). An unrecorded send shows as leaseLost for the caller to log.
 */
export async function recordSent(ledger: SendLedger, actionId: string, leaseToken: string, attempt: number, providerMessageId: string, at: Date): Promise<SendOutcome> {
  const recorded = await ledger.complete(actionId, leaseToken, { status: 'sent', providerMessageId }, at).catch(() => false);
  return { actionId, outcome: 'sent', providerMessageId, attempt, leaseLost: !recorded };
}

/**
 * A send under lease that failed: a permanent error is recorded (never retried); anything else gives
 * the lease back so the redelivery can claim at once (if even that fails, the lease simply expires)
 * and is rethrown so the message returns to the queue.
 */
export async function settleFailure(ledger: SendLedger, actionId: string, leaseToken: string, e: unknown, at: Date): Promise<SendOutcome> {
  if (e instanceof PermanentSendError) {
    const recorded = await ledger.complete(actionId, leaseToken, { status: 'failed', reason: e.reason }, at);
    return { actionId, outcome: 'failed', reason: e.reason, leaseLost: !recorded };
  }
  await ledger.release(actionId, leaseToken).catch(() => undefined);
  throw e;
}
