import { ValidationError } from '../../domain/errors';
import { DIALER_OUTCOMES, effectsOf, readDialerResults, type DialerOutcome, type DialerReject, type DialerResult } from '../../domain/dialer/results';
import { REJECTS_HEADER, rejectToCsvLine } from '../../domain/portfolio/rejects';
import { mapLimit } from '../../adapters/dynamo-batch';
import type { ObjectStore, ObjectWriter } from '../../ports';
import type { EngagementRow, LakeEmitter } from '../analytics/lake';

/** Where dialers drop results, and where their bad rows are kept (outside the inbox: no new trigger). */
export const DIALER_INBOX = 'inbox/dialer-results/';
const QUARANTINE = 'quarantine/dialer-results/';
// File names a vendor can be told to use, identical whether or not a notification URL-encodes them.
export const DIALER_KEY_RE = /^inbox\/dialer-results\/[A-Za-z0-9._\/-]{1,900}\.csv$/;

/** The contacts table's INBOUND item, seen from the dialer: atomic ADDs to string sets (idempotent). */
export interface VoiceContactWriter {
  addConversation(accountId: string, at: string): Promise<void>;
  /** true when the number was not suppressed before. */
  suppress(accountId: string, channel: 'voice', phone: string): Promise<boolean | void>;
}

export interface DialerDeps {
  store: ObjectStore;
  inbound: VoiceContactWriter;
  /** The analytics lake's `engagement_events` (one `call_<outcome>` row per call); absent: not emitted. */
  lake?: LakeEmitter<EngagementRow>;
  /** Writes in flight at once (one account's effects stay in order). */
  concurrency?: number;
  /** When the file arrived (epoch ms); default: now. */
  now?: () => number;
}

export interface DialerIngestResult {
  key: string;
  results: number;
  rejected: number;
  rejectsKey: string | null;
  outcomes: Record<DialerOutcome, number>;
  conversations: number;
  /** Numbers put on a voice suppression list by this file for the first time, by cause. */
  suppressed: { cease_request: number; wrong_number: number };
}

/**
 * A call's lake row. Its id is the call (account + instant), so a file applied twice gives the same
 * ids: the lake may hold a redelivered row twice, and the calls query counts distinct ids.
 */
export function callRow(r: DialerResult, processedAtMs: number): EngagementRow {
  const effects = effectsOf(r);
  return {
    eventId: `dialer|${r.accountId}|${r.attemptedAt}`,
    accountId: r.accountId,
    channel: 'voice',
    type: `call_${r.outcome}`,
    atMs: Date.parse(r.attemptedAt),
    processedAtMs,
    suppressing: effects.suppressNumber !== undefined,
    messageId: null,
    actionId: r.actionId,
    source: 'dialer',
    amountCents: null,
  };
}

const BATCH = 200;

/**
 * Applies a dialer results file to the contact state the Strategy reads: conversations (the 7-day
 * call cooldown of Regulation F) and numbers never to call again. Every effect is an ADD to a set,
 * so a redelivered notification or a re-dropped file changes nothing; bad rows go to a rejects
 * file with their reasons and never stop the rest.
 */
export async function ingestDialerResults(deps: DialerDeps, input: { key: string }): Promise<DialerIngestResult> {
  if (!DIALER_KEY_RE.test(input.key)) throw new ValidationError(`not a dialer results key: expected ${DIALER_INBOX}<name>.csv (A-Z a-z 0-9 . _ - /)`);
  const outcomes = Object.fromEntries(DIALER_OUTCOMES.map((o) => [o, 0])) as Record<DialerOutcome, number>;
  const summary: DialerIngestResult = { key: input.key, results: 0, rejected: 0, rejectsKey: null, outcomes, conversations: 0, suppressed: { cease_request: 0, wrong_number: 0 } };
  const now = deps.now ?? Date.now;
  const rejectsKey = `${QUARANTINE}${input.key.slice(DIALER_INBOX.length)}.rejects.csv`;
  let rejects: ObjectWriter | null = null;
  const writeRejects = async (batch: DialerReject[]) => {
    if (batch.length === 0) return;
    if (!rejects) {
      rejects = deps.store.openWriter(rejectsKey, 'text/csv');
      await rejects.write(REJECTS_HEADER);
    }
    await rejects.write(batch.map(rejectToCsvLine).join(''));
  };

  const apply = async (batch: DialerResult[]) => {
    // Grouped by account: one account's rows apply in file order, accounts in parallel.
    const byAccount = new Map<string, DialerResult[]>();
    for (const r of batch) (byAccount.get(r.accountId) ?? byAccount.set(r.accountId, []).get(r.accountId)!).push(r);
    await mapLimit([...byAccount.values()], deps.concurrency ?? 16, async (lane) => {
      for (const r of lane) {
        const effects = effectsOf(r);
        if (effects.conversationAt) {
          await deps.inbound.addConversation(r.accountId, effects.conversationAt);
          summary.conversations++;
        }
        if (effects.suppressNumber && (await deps.inbound.suppress(r.accountId, 'voice', r.phone)) !== false) summary.suppressed[effects.suppressNumber]++;
      }
    });
    // After the effects: a failed emit fails the file, whose retry re-applies (idempotent) and re-emits.
    if (deps.lake && batch.length > 0) {
      const at = now();
      await deps.lake.emit(batch.map((r) => callRow(r, at)));
    }
  };

  const source = await deps.store.getStream(input.key);
  const results: DialerResult[] = [];
  const bad: DialerReject[] = [];
  try {
    for await (const row of readDialerResults(source, now())) {
      if (row.kind === 'reject') {
        bad.push(row.reject);
        summary.rejected++;
      } else {
        results.push(row.result);
        summary.results++;
        summary.outcomes[row.result.outcome]++;
      }
      if (results.length >= BATCH) await apply(results.splice(0));
      if (bad.length >= BATCH) await writeRejects(bad.splice(0));
    }
    await apply(results);
    await writeRejects(bad);
    if (rejects) {
      await (rejects as ObjectWriter).close();
      summary.rejectsKey = rejectsKey;
    }
  } catch (err) {
    if (rejects) await (rejects as ObjectWriter).abort().catch(() => undefined);
    throw err;
  }
  return summary;
}
