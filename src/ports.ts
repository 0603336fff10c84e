/**
 * The small interfaces the use cases talk to. Adapters in src/adapters implement them
 * with AWS SDK v3 clients; tests implement them in memory or point the adapters at the
 * local emulators.
 */
import type { Channel } from './domain/portfolio/account';
import type { SummedCounters } from './domain/preference';
import type { Action, ContactPreferences } from './domain/strategy/types';

export interface ObjectWriter {
  write(chunk: string): Promise<void>;
  /** Completes the object; nothing is visible under the key before this resolves. */
  close(): Promise<void>;
  abort(): Promise<void>;
}

export interface ObjectStore {
  /** Throws NotFoundError when the key does not exist. */
  getText(key: string): Promise<string>;
  /** Throws NotFoundError when the key does not exist. */
  getStream(key: string): Promise<AsyncIterable<Uint8Array>>;
  putText(key: string, body: string, contentType?: string): Promise<void>;
  /** Streams an object of unknown size (multipart under the hood). */
  openWriter(key: string, contentType?: string): ObjectWriter;
  list(prefix: string): Promise<string[]>;
}

export interface Scorer {
  readonly modelVersion: string;
  /** rows: row-major feature matrix (NaN = missing); returns one probability per row. */
  score(rows: Float64Array, nCols: number): Promise<Float64Array>;
}

export interface Ranking {
  accountId: string;
  runDate: string;
  score: number;
  modelVersion: string;
  daysPastDue: number;
  amountPastDueCents: number;
  balanceDueCents: number;
  product: string;
  state: string;
}

export interface RankingRepository {
  putRankings(rankings: readonly Ranking[]): Promise<void>;
}

export interface ContactEventRecord {
  at: string;
  channel: Channel;
  kind: 'attempt' | 'conversation';
  actionId?: string;
}

export interface ContactState {
  /** Our attempts (ledger) and the consumer's phone conversations (inbound), oldest first. */
  history: ContactEventRecord[];
  suppressions: { email: string[]; sms: string[]; voice: string[] };
  /** Email/SMS engagement counters (delivered, open, click, reply…) kept on INBOUND by the engagement loop. */
  engagement?: SummedCounters;
  /** Self-service choices on INBOUND (promiseUntil, preferred channel/language/hours); absent when none. */
  preferences?: ContactPreferences;
}

/** An action as the Strategy plans it (the domain's Action: id, channel, send time, reasons…). */
export type PlannedAction = Action;

/** What the Strategy records per contacted account and day: the plan and the attempt history. */
export interface LedgerEntry {
  accountId: string;
  runDate: string;
  /** Today's actions (empty when a re-run of the day now plans none). */
  plan: readonly PlannedAction[];
  /** Attempts only, already pruned to the window the rules look back over. */
  attempts: readonly ContactEventRecord[];
}

export interface ContactRepository {
  /** Accounts with no items get an empty state. */
  getStates(accountIds: readonly string[]): Promise<Map<string, ContactState>>;
  putLedgers(entries: readonly LedgerEntry[]): Promise<void>;
}

export interface Publisher {
  publish(subject: string, message: string): Promise<void>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionGateway {
  start(name: string, input: unknown): Promise<{ executionArn: string; startDate: string }>;
  /** Throws NotFoundError for an unknown execution. */
  describe(executionArn: string): Promise<{
    executionArn: string;
    name: string;
    status: ExecutionStatus;
    startDate: string;
    stopDate?: string;
    output?: unknown;
    error?: string;
  }>;
  executionArnFor(name: string): string;
}
