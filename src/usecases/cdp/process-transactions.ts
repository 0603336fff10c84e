/**
 * The one transform of the customer data stream: card snapshots and transactions (stream
 * records) → per-card fraud profile → features → fraud score → lake record (+ alert). The Kinesis
 * processor and the backfill both call `processTransactions` (docs/cdp.md).
 *
 * Exactly-once on the profile, at-least-once to the lake and the alerts queue:
 *  1. the states of the batch's cards are read (with their version);
 *  2. each card's records are applied in order; a transaction already in the card's idempotency
 *     window (its last RECENT_WINDOW transaction ids, or older than all of them) is a duplicate and skipped entirely;
 *  3. lake records and alerts are delivered;
 *  4. each card's state is committed conditionally on the version read. A card whose commit loses
 *     (or whose records could not be applied) reports all its records as failed: on redelivery they
 *     are recomputed from the committed state, so the lake may hold a record twice (identical: same
 *     features, same score) but the profile never counts one twice. Lake readers dedupe on txnId.
 */
import { dtOf, fraudInputOf, type CardRecord, type FraudAlertMessage, type LakeTransaction, type StreamRecord, type TransactionRecord } from '../../domain/cdp/records';
import { emptyProfile, fraudFeatures, updateProfile, type CardProfile } from '../../domain/fraud/features';
import { FRAUD_ALERT_THRESHOLD, FRAUD_MODEL_VERSION, scoreFraud } from '../../domain/fraud/model';
import { mapLimit } from '../../adapters/dynamo-batch';
import type { AlertQueue, CardState, CardStateStore, LakeWriter } from './ports';

/** Transactions per card remembered by id for idempotency; older redeliveries are caught by time (see isDuplicate). */
export const RECENT_WINDOW = 64;

export interface ProcessDeps {
  states: CardStateStore;
  lake: LakeWriter;
  alerts: AlertQueue;
  now: () => Date;
  /** Commits in flight (default 16). */
  concurrency?: number;
}

export interface ProcessOptions {
  source: 'backfill' | 'stream';
  /** Alert customers (live traffic only: history is not news to anyone). */
  sendAlerts: boolean;
  threshold?: number;
}

/** An input record: its id (Kinesis sequence number, or the transaction id in a backfill) and its parsed body. */
export interface InputRecord {
  id: string;
  record?: StreamRecord;
  /** Why the body could not be parsed (a poison record). */
  invalid?: string;
}

export interface ProcessResult {
  /** Ids of records to retry (Kinesis: report the lowest). */
  failed: string[];
  cards: number;
  transactions: number;
  duplicates: number;
  flagged: number;
  alertsQueued: number;
  lake: LakeTransaction[];
}

type CardContext = NonNullable<CardState['card']>;

function cardContext(r: CardRecord): CardContext {
  const { kind: _kind, encrypted, ...rest } = r;
  return { ...rest, contact: { person: encrypted.person ?? '', email: encrypted.email ?? '' } };
}

function isDuplicate(state: CardState, t: TransactionRecord): boolean {
  if (state.recent.some(([id]) => id === t.txnId)) return true;
  // Older than the whole (full) window: applied long ago (or hopelessly late): never counted twice.
  if (state.recent.length >= RECENT_WINDOW) return state.recent.every(([, at]) => t.at < at);
  return false;
}

export async function processTransactions(deps: ProcessDeps, input: readonly InputRecord[], opts: ProcessOptions): Promise<ProcessResult> {
  const threshold = opts.threshold ?? FRAUD_ALERT_THRESHOLD;
  const failed = new Set<string>();
  const groups = new Map<string, InputRecord[]>();
  for (const r of input) {
    if (!r.record) {
      failed.add(r.id);
      continue;
    }
    const g = groups.get(r.record.cardToken);
    if (g) g.push(r);
    else groups.set(r.record.cardToken, [r]);
  }
  const stored = await deps.states.getMany([...groups.keys()]);
  const processedAt = deps.now().toISOString();
  const lake: LakeTransaction[] = [];
  const alerts: FraudAlertMessage[] = [];
  const toCommit: { state: CardState; ids: string[] }[] = [];
  let cards = 0;
  let transactions = 0;
  let duplicates = 0;
  let flagged = 0;

  for (const [cardToken, records] of groups) {
    const before = stored.get(cardToken) ?? { cardToken, recent: [] };
    const state: CardState = { ...before, recent: [...before.recent] };
    let profile = (state.profile as CardProfile | undefined) ?? emptyProfile();
    const groupLake: LakeTransaction[] = [];
    const groupAlerts: FraudAlertMessage[] = [];
    let ok = true;
    let changed = false;
    let groupCards = 0;
    let groupTxns = 0;
    let groupDup = 0;
    let groupFlagged = 0;
    for (const { record } of records) {
      const r = record!;
      if (r.kind === 'card') {
        state.card = cardContext(r);
        groupCards++;
        changed = true;
        continue;
      }
      if (isDuplicate(state, r)) {
        groupDup++;
        continue;
      }
      // The card snapshot precedes its transactions on the same shard; without it there is
      // nothing to score against yet: retry (and, past the retries, the on-failure destination).
      if (!state.card) {
        ok = false;
        break;
      }
      const fraudInput = fraudInputOf(r, state.card);
      const features = fraudFeatures(fraudInput, profile);
      const score = scoreFraud(features);
      profile = updateProfile(profile, fraudInput);
      state.recent.push([r.txnId, r.at]);
      if (state.recent.length > RECENT_WINDOW) state.recent.splice(0, state.recent.length - RECENT_WINDOW);
      changed = true;
      groupTxns++;
      const isFlagged = score >= threshold;
      if (isFlagged) groupFlagged++;
      groupLake.push({
        dt: dtOf(r.at),
        txnId: r.txnId,
        at: r.at,
        hour: Number(r.at.slice(11, 13)),
        cardToken: r.cardToken,
        userId: r.userId,
        amountCents: r.amountCents,
        useChip: r.useChip,
        merchantId: r.merchantId,
        merchantCity: r.merchantCity,
        merchantState: r.merchantState,
        merchantZip: r.merchantZip,
        mcc: r.mcc,
        errors: r.errors,
        isFraud: r.isFraud,
        score,
        flagged: isFlagged,
        modelVersion: FRAUD_MODEL_VERSION,
        features,
        source: opts.source,
        processedAt,
      });
      if (isFlagged && opts.sendAlerts && state.card.contact.person && state.card.contact.email) {
        groupAlerts.push({
          txnId: r.txnId,
          cardToken: r.cardToken,
          userId: r.userId,
          at: r.at,
          amountCents: r.amountCents,
          merchantId: r.merchantId,
          merchantCity: r.merchantCity,
          merchantState: r.merchantState,
          mcc: r.mcc,
          score,
          modelVersion: FRAUD_MODEL_VERSION,
          recordId: state.card.recordId,
          encrypted: { person: state.card.contact.person, email: state.card.contact.email },
        });
      }
    }
    const ids = records.map((r) => r.id);
    if (!ok) {
      for (const id of ids) failed.add(id);
      continue;
    }
    duplicates += groupDup;
    if (!changed) continue;
    state.profile = profile;
    lake.push(...groupLake);
    alerts.push(...groupAlerts);
    toCommit.push({ state, ids });
    cards += groupCards;
    transactions += groupTxns;
    flagged += groupFlagged;
  }

  // Deliver before committing: a failure here throws (nothing committed, the batch is retried).
  if (lake.length > 0) await deps.lake.write(lake);
  if (alerts.length > 0) await deps.alerts.send(alerts);

  const results = await mapLimit(toCommit, deps.concurrency ?? 16, ({ state }) => deps.states.commit(state));
  results.forEach((won, i) => {
    if (!won) for (const id of toCommit[i]!.ids) failed.add(id);
  });
  return { failed: input.filter((r) => failed.has(r.id)).map((r) => r.id), cards, transactions, duplicates, flagged, alertsQueued: alerts.length, lake };
}
