import { featureMatrix, NUM_FEATURES } from '../domain/model/features';
import type { Account, ChunkRecord, Score } from '../domain/portfolio/account';
import type { ObjectStore, Scorer } from '../ports';
import type { ChunkRef } from './fetch-portfolio';
import { keys, parseJsonl, toJsonl } from './keys';

export interface ChunkInput {
  runDate: string;
  chunk: ChunkRef;
}

export interface InferResult {
  scoresKey: string;
  scored: number;
  modelVersion: string;
}

/**
 * A line of the scores file: the score and the account snapshot the ranking records, so Persist
 * reads this small file instead of parsing the whole chunk again.
 */
export type ScoreLine = Score & Pick<Account, 'daysPastDue' | 'amountPastDueCents' | 'balanceDueCents' | 'product' | 'state'>;

/** Scores one chunk: features → model (endpoint or embedded) → scores file beside the chunk. */
export async function inferChunk(deps: { store: ObjectStore; scorer: Scorer }, input: ChunkInput): Promise<InferResult> {
  const records = parseJsonl<ChunkRecord>(await deps.store.getText(input.chunk.key));
  const probabilities = await deps.scorer.score(
    featureMatrix(
      records.map((r) => r.account),
      input.runDate,
    ),
    NUM_FEATURES,
  );
  const scores: ScoreLine[] = records.map(({ account: a }, i) => ({
    accountId: a.accountId,
    score: probabilities[i]!,
    daysPastDue: a.daysPastDue,
    amountPastDueCents: a.amountPastDueCents,
    balanceDueCents: a.balanceDueCents,
    product: a.product,
    state: a.state,
  }));
  const scoresKey = keys.scores(input.runDate, input.chunk.index);
  await deps.store.putText(scoresKey, toJsonl(scores), 'application/x-ndjson');
  return { scoresKey, scored: scores.length, modelVersion: deps.scorer.modelVersion };
}

/** Reads a chunk and its scores back, joined by account id (the Strategy needs whole accounts). */
export async function loadScoredChunk(
  store: ObjectStore,
  chunkKey: string,
  scoresKey: string,
): Promise<{ record: ChunkRecord; score: number }[]> {
  const [records, scores] = await Promise.all([
    store.getText(chunkKey).then((t) => parseJsonl<ChunkRecord>(t)),
    store.getText(scoresKey).then((t) => parseJsonl<Score>(t)),
  ]);
  const byId = new Map(scores.map((s) => [s.accountId, s.score]));
  return records.map((record) => {
    const score = byId.get(record.account.accountId);
    if (score === undefined) throw new Error(`no score for account ${record.account.accountId} in ${scoresKey}`);
    return { record, score };
  });
}
