/** The ports of the customer data stream (docs/cdp.md); adapters in src/adapters/cdp/. */
import type { TabCard, TabTransaction, TabUser } from '../../synthetic/tabformer/types';
import type { CardRecord, FraudAlertMessage, LakeTransaction, PiiField, StreamRecord } from '../../domain/cdp/records';

/** Field-level encryption (AWS Encryption SDK). The context binds a ciphertext to one field of one record. */
export interface FieldCipher {
  encrypt(field: PiiField, recordId: string, plaintext: string): Promise<string>;
  /** Fails unless the message's encryption context names exactly this field and record. */
  decrypt(field: PiiField, recordId: string, ciphertext: string): Promise<string>;
}

/** Keyed, deterministic card-number token (joinable, not reversible without the key). */
export interface CardTokenizer {
  token(cardNumber: string): string;
}

/** The bank's core (read side, as the extractor and the backfill see it). */
export interface CoreReader {
  customer(user: number): Promise<TabUser | undefined>;
  card(user: number, cardIndex: number): Promise<TabCard | undefined>;
  cards(user: number): Promise<TabCard[]>;
  /** The customer's transactions in time order, `from` ≤ at < `before` (ISO instants). */
  transactions(user: number, range: { from?: string; before?: string }): AsyncIterable<TabTransaction[]>;
}

export interface CoreWriter {
  write(data: { users: TabUser[]; cards: TabCard[]; transactions: TabTransaction[] }): Promise<void>;
}

/** PutRecords onto the `transactions` stream; resolves with the indexes that were not accepted. */
export interface StreamPublisher {
  publish(records: readonly StreamRecord[]): Promise<{ failed: number[] }>;
}

/** The stored state of one card: its context from the last card record, its fraud profile, what was applied. */
export interface CardState {
  cardToken: string;
  /** Optimistic lock: the commit succeeds only if nobody wrote since it was read (undefined = new item). */
  version?: number;
  card?: Omit<CardRecord, 'kind' | 'encrypted'> & { contact: { person: string; email: string } };
  /** Opaque JSON of the domain's CardProfile. */
  profile?: unknown;
  /** Applied transactions, newest last: [txnId, at] (the idempotency window). */
  recent: [string, string][];
}

export interface CardStateStore {
  getMany(cardTokens: readonly string[]): Promise<Map<string, CardState>>;
  /** Conditional on `state.version`; resolves false when someone else wrote first. */
  commit(state: CardState): Promise<boolean>;
}

/** The lake (Firehose → S3, partitioned by dt). Throws when records could not be delivered. */
export interface LakeWriter {
  write(records: readonly LakeTransaction[]): Promise<void>;
}

/** The fraud alerts queue. Throws when messages could not be enqueued. */
export interface AlertQueue {
  send(messages: readonly FraudAlertMessage[]): Promise<void>;
}

/** One alert per card and time window (conditional put with a TTL). */
export interface AlertClaims {
  /** true: this transaction owns the window (first, or a retry of the same one not yet sent). */
  claim(cardToken: string, windowStart: string, txnId: string, expiresAt: number): Promise<boolean>;
  markSent(cardToken: string, windowStart: string, txnId: string, messageId: string): Promise<void>;
}

/** What the wording model sees: no card number, no CVV, no surname, no address. */
export interface AlertPrompt {
  firstName: string;
  merchant: string;
  amount: string;
  time: string;
}

export interface AlertWording {
  subject: string;
  body: string;
}

export interface AlertWriter {
  /** Resolves to undefined when disabled; throws on failure or timeout (the caller falls back). */
  write(prompt: AlertPrompt): Promise<AlertWording | undefined>;
}

export interface AlertEmailSender {
  send(to: string, wording: AlertWording, tags: Record<string, string>): Promise<string>;
}
