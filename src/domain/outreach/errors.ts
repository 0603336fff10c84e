import { DomainError } from '../errors';

/**
 * The provider throttled us or failed transiently (or another delivery of the same action
 * still holds its lease): the SQS message goes back to the queue and is retried, and reaches
 * the DLQ after maxReceiveCount.
 */
export class RetryableSendError extends DomainError {
  readonly code = 'SEND_RETRYABLE';
}

/** Reasons a send is given up for good and recorded on the send ledger. */
export type PermanentReason =
  | 'missing_address'
  | 'invalid_address'
  | 'unknown_template'
  | 'rendering_failed'
  | 'opted_out_at_provider'
  | 'rejected'
  | 'expired'
  | 'invalid_item';

/** The provider refused this message for good (invalid address, opted out, rejected content). */
export class PermanentSendError extends DomainError {
  readonly code = 'SEND_PERMANENT';
  constructor(
    readonly reason: PermanentReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
