/**
 * Ports of the engagement loop (kept here, next to its use cases, rather than in src/ports.ts).
 * Adapters: src/adapters/dynamo-engagement-store.ts, dynamo-inbound-writer.ts, firehose-archiver.ts,
 * sqs-confirmation-sender.ts; tests: test/unit/engagement/memory-ports.ts.
 */
import type { EngagementChannel, EngagementEvent, EngagementKind } from '../../domain/engagement';

export interface ChannelEngagement {
  counts: Partial<Record<EngagementKind, number>>;
  /** Latest occurredAt per kind (ISO). */
  lastAt: Partial<Record<EngagementKind, string>>;
}

export interface EngagementStore {
  /**
   * Adds 1 to the `kind` counter of (account, channel) unless this event id was already counted —
   * atomically, so at-least-once delivery never double-counts. Returns false for a duplicate.
   */
  recordEvent(accountId: string, event: EngagementEvent): Promise<boolean>;
  /** Adds a transient failure of this address (idempotent per event id); returns every instant kept. */
  addTransientFailure(accountId: string, channel: EngagementChannel, address: string, occurredAt: string, eventId: string): Promise<string[]>;
  /**
   * Claims the one opt-out confirmation for this number: true at most once per revocation and per
   * cooldown window (conditional write). At-most-once on purpose: a second text after a revocation
   * is worse than a missing confirmation.
   */
  claimConfirmation(phone: string, revocationId: string, now: string, cooldownDays: number): Promise<boolean>;
  getEngagement(accountId: string): Promise<Partial<Record<EngagementChannel, ChannelEngagement>>>;
}

/** The contacts table's INBOUND item (docs/data-model.md): atomic ADD to the channel's string set. */
export interface SuppressionWriter {
  suppress(accountId: string, channel: EngagementChannel | 'voice', address: string): Promise<boolean | void>;
}

/**
 * Per-account engagement counters mirrored where the Strategy already reads (the contacts table's
 * INBOUND item), for the learned channel preference. Called once per newly counted event.
 */
export interface InboundStats {
  count(accountId: string, channel: EngagementChannel, kind: string): Promise<void>;
}

/**
 * Phone number → accounts, for inbound replies (they carry no tags). Written when an SMS is sent
 * (the sender registers the number it texted); one number can belong to several accounts.
 */
export interface PhoneDirectory {
  accountsFor(phone: string): Promise<string[]>;
  register(phone: string, accountId: string, at: string): Promise<void>;
}

export interface OptOutConfirmationRequest {
  phone: string;
  accountIds: string[];
  /** The revoking reply's event id (idempotency key for the sender too). */
  revocationId: string;
  requestedAt: string;
}

export interface ConfirmationSender {
  requestOptOutConfirmation(req: OptOutConfirmationRequest): Promise<void>;
}

/** One archived line: the raw payload (envelopes removed) and what it became. */
export interface ArchiveRecord {
  archivedAt: string;
  transport: 'sqs' | 'kinesis';
  type: string;
  eventIds: string[];
  payload: unknown;
}

export interface EventArchiver {
  /** Throws ArchiveError naming the records (indices into `records`) that could not be archived. */
  archive(records: readonly ArchiveRecord[]): Promise<void>;
}

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  constructor(
    message: string,
    /** Indices into the records passed to archive(). */
    readonly failed: number[],
    readonly oversize: number[] = [],
  ) {
    super(message);
  }
}
