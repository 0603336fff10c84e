/**
 * Ports of the outreach senders (issue 3). Adapters: src/adapters/ses-email-sender.ts,
 * sms-sender.ts, dynamo-send-ledger.ts, dynamo-inbound-reader.ts; tests use memory versions.
 * Senders throw RetryableSendError (throttling, provider outage) or PermanentSendError
 * (src/domain/outreach/errors.ts); anything else is treated as retryable.
 */
import type { OutreachChannel } from '../../domain/outreach/work-item';
import type { PermanentReason } from '../../domain/outreach/errors';

export interface SendReceipt {
  providerMessageId: string;
}

/** Tag values are free text here; the SES adapter sanitizes them to SES's [A-Za-z0-9_-]. */
export interface OutboundEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** RFC 8058 one-click URL (HTTPS, POST) and the mailto alternative of List-Unsubscribe. */
  unsubscribeUrl: string;
  unsubscribeMailto: string;
  tags: { account: string; action: string; segment: string; template: string };
}

export interface OutboundSms {
  to: string;
  body: string;
  /** Echoed back in End User Messaging delivery events: how the engagement loop joins them. */
  context: { accountId: string; actionId: string; segment: string; template: string };
}

export interface EmailSender {
  send(message: OutboundEmail): Promise<SendReceipt>;
}

export interface SmsSender {
  send(message: OutboundSms): Promise<SendReceipt>;
}

/** The account's INBOUND suppressions (email lower-cased, phones E.164), read at send time. */
export interface SuppressionReader {
  suppressed(accountId: string): Promise<{ email: ReadonlySet<string>; sms: ReadonlySet<string> }>;
}

export type SendStatus = 'sending' | 'sent' | 'failed' | 'suppressed';

export interface SendRecord {
  actionId: string;
  status: SendStatus;
  accountId: string;
  channel: OutreachChannel;
  /** Claims so far (1 on the first delivery; more after a lost lease or a transient failure). */
  attempts: number;
  /** Epoch ms until which the current `sending` claim is held. */
  leaseUntil?: number;
  providerMessageId?: string;
  reason?: PermanentReason;
}

export interface ClaimRequest {
  actionId: string;
  accountId: string;
  runDate: string;
  channel: OutreachChannel;
  segment: string;
  template: string;
  language: string;
  /** Kept with the record (encrypted table) so a one-click unsubscribe can resolve the address. */
  to: string | null;
  now: Date;
  leaseMs: number;
}

export type ClaimResult = { claimed: true; leaseToken: string; attempt: number } | { claimed: false; record: SendRecord };

export type SendCompletion =
  | { status: 'sent'; providerMessageId: string }
  | { status: 'failed'; reason: PermanentReason }
  | { status: 'suppressed' };

/**
 * Idempotency on actionId (docs/outreach.md). `claim` is one conditional write: it succeeds when
 * there is no record, or when the record is `sending` and its lease has expired (the holder
 * crashed). A `sent`, `failed` or `suppressed` record is final: never claimed again.
 */
export interface SendLedger {
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /** Records the final outcome; only the lease holder may. false = the lease was lost meanwhile. */
  complete(actionId: string, leaseToken: string, completion: SendCompletion, now: Date): Promise<boolean>;
  /** Gives the lease up after a transient failure, so the next delivery can claim at once. */
  release(actionId: string, leaseToken: string): Promise<void>;
  get(actionId: string): Promise<SendRecord | undefined>;
}
