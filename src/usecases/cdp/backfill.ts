/**
 * History in batch: reads customers straight from the core (no stream), maps them with the
 * extractor's code (same encryption, same tokens) and runs them through `processTransactions`,
 * the stream processor's transform, in chunks. No alerts (history is not news). Re-running a
 * backfill is harmless: every transaction already applied is a duplicate to the card's state.
 */
import type { StreamRecord } from '../../domain/cdp/records';
import { toCardRecord, toTransactionRecord, type ExtractDeps } from './extract';
import { processTransactions, type ProcessDeps, type ProcessResult } from './process-transactions';

export interface BackfillInput {
  userIds: number[];
  /** Only transactions before this instant (the rest streams live). */
  before?: string;
  chunkSize?: number;
}

export interface BackfillResult {
  customers: number;
  cards: number;
  transactions: number;
  duplicates: number;
  flagged: number;
  encryptedFields: number;
  failed: number;
}

export async function backfill(deps: ExtractDeps & ProcessDeps, input: BackfillInput): Promise<BackfillResult> {
  const chunkSize = input.chunkSize ?? 2_000;
  const total: BackfillResult = { customers: 0, cards: 0, transactions: 0, duplicates: 0, flagged: 0, encryptedFields: 0, failed: 0 };
  // One buffer across customers: fewer, larger lake deliveries (each call writes one object per dt).
  // A card's snapshot always precedes its transactions in it, as on the stream.
  let chunk: StreamRecord[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const records = chunk;
    chunk = [];
    const res: ProcessResult = await processTransactions(
      deps,
      records.map((r) => ({ id: r.kind === 'card' ? r.recordId : r.txnId, record: r })),
      { source: 'backfill', sendAlerts: false },
    );
    total.transactions += res.transactions;
    total.duplicates += res.duplicates;
    total.flagged += res.flagged;
    total.failed += res.failed.length;
  };
  const push = async (r: StreamRecord) => {
    chunk.push(r);
    if (chunk.length >= chunkSize) await flush();
  };
  for (const userId of input.userIds) {
    const user = await deps.core.customer(userId);
    if (!user) continue;
    total.customers++;
    const tokens = new Map<number, string>();
    for (const card of await deps.core.cards(userId)) {
      const r = await toCardRecord(deps, user, card, deps.now().toISOString());
      tokens.set(card.cardIndex, r.cardToken);
      total.encryptedFields += Object.keys(r.encrypted).length;
      total.cards++;
      await push(r);
    }
    for await (const page of deps.core.transactions(userId, { before: input.before })) {
      for (const t of page) {
        const token = tokens.get(t.card);
        if (token) await push(toTransactionRecord(t, token));
        else total.failed++;
      }
    }
  }
  await flush();
  return total;
}
