/**
 * Ports of the accounts, payments and self-service use cases. Adapters:
 * src/adapters/dynamo-accounts.ts (accounts table) and src/adapters/dynamo-self-service-contacts.ts
 * (contacts table LEDGER/INBOUND).
 */
import type { Balances, PromiseResolution } from '../../domain/accounts/servicing';
import type { Account, Channel } from '../../domain/portfolio/account';

export interface StoredAccount {
  account: Account;
  balances: Balances;
  /** Incremented by every write to PROFILE: the optimistic-concurrency token. */
  version: number;
  /** Idempotency keys of the payments applied to this account (the crash-recovery marker). */
  paymentKeys: ReadonlySet<string>;
  updatedAt: string;
}

export interface PaymentRecord {
  /** sha256 of the canonical request: same key + another body → 409. */
  requestHash: string;
  status: 'pending' | 'applied';
  /** The PROFILE version `response` was computed from; applied only while PROFILE is still at it. */
  baseVersion: number;
  /** The response body (JSON), stored so a replay answers exactly the same. */
  response: string;
  createdAt: string;
}

export interface PromiseRecord {
  id: string;
  amountCents: number;
  date: string;
  createdAt: string;
  status: 'open' | 'kept' | 'broken';
  paidCents: number;
  resolvedOn?: string;
  createdBy: string;
}

export interface AuditEntry {
  at: string;
  id: string;
  actor: string;
  action: 'promise.create' | 'preferences.update';
  detail: Record<string, unknown>;
}

export interface AccountStore {
  /** Writes the lender's fields of PROFILE (keeps promise, payment keys, created date). */
  upsert(account: Account, now: Date): Promise<'created' | 'updated'>;
  /** Strongly consistent. */
  get(accountId: string): Promise<StoredAccount | null>;
  /** The customer's account ids (GSI byCustomer; eventually consistent). */
  accountIdsOf(customerId: string): Promise<string[]>;
  /**
   * PROFILE balances if PROFILE is still at `expectedVersion` (and, with `paymentKey`, that
   * payment is not applied yet, then it is recorded as applied). False when the condition fails.
   */
  saveBalances(accountId: string, expectedVersion: number, balances: Balances, now: Date, paymentKey?: string): Promise<boolean>;
  /** Creates PAYMENT#key; returns the existing record instead when the key was used before. */
  createPayment(accountId: string, key: string, record: PaymentRecord): Promise<PaymentRecord | null>;
  getPayment(accountId: string, key: string): Promise<PaymentRecord | null>;
  /** Re-bases a pending payment on a newer PROFILE version; false when it is no longer at `fromVersion` or not pending. */
  rebasePayment(accountId: string, key: string, fromVersion: number, toVersion: number, response: string): Promise<boolean>;
  markPaymentApplied(accountId: string, key: string, now: Date): Promise<void>;
  /** PROMISE#id as created (history; PROFILE holds the open one). */
  putPromise(accountId: string, record: PromiseRecord): Promise<void>;
  /** Marks PROMISE#id kept or broken (idempotent: safe to repeat after a crash). */
  resolvePromise(accountId: string, resolution: PromiseResolution): Promise<void>;
  putAudit(accountId: string, entry: AuditEntry): Promise<void>;
}

export interface ContactPreferences {
  channel: Channel | null;
  language: string | null;
  /** "HH:MM-HH:MM" in the consumer's local time. */
  hours: string | null;
}

export interface ContactView {
  /** Today's plan from the LEDGER (the day it was made and its actions). */
  plan: { runDate: string; actions: { channel: Channel; sendAt: string; timezone: string }[] } | null;
  promiseUntil: string | null;
  preferences: ContactPreferences;
  suppressed: Record<Channel, string[]>;
}

/** The contacts table as self-service sees it: INBOUND writes and a read of both items. */
export interface SelfServiceContacts {
  view(accountId: string): Promise<ContactView>;
  setPromiseUntil(accountId: string, date: string): Promise<void>;
  /** `undefined` fields stay as they are, `null` clears; opt-outs are added to the channel's suppression set. */
  setPreferences(
    accountId: string,
    prefs: { channel?: Channel | null; language?: string | null; hours?: string | null },
    optOuts: { channel: Channel; address: string }[],
  ): Promise<void>;
}

export type { PromiseResolution };
