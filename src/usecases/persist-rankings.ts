import type { ObjectStore, Ranking, RankingRepository } from '../ports';
import type { ChunkInput, InferResult } from './infer-chunk';
import { loadScoredChunk } from './infer-chunk';

export interface PersistInput extends ChunkInput {
  infer: InferResult;
}

/** Writes the chunk's rankings; keys (accountId, runDate) make a re-run overwrite, never duplicate. */
export async function persistRankings(
  deps: { store: ObjectStore; rankings: RankingRepository },
  input: PersistInput,
): Promise<{ persisted: number }> {
  const scored = await loadScoredChunk(deps.store, input.chunk.key, input.infer.scoresKey);
  const rankings: Ranking[] = scored.map(({ record: { account: a }, score }) => ({
    accountId: a.accountId,
    runDate: input.runDate,
    score,
    modelVersion: input.infer.modelVersion,
    daysPastDue: a.daysPastDue,
    amountPastDueCents: a.amountPastDueCents,
    balanceDueCents: a.balanceDueCents,
    product: a.product,
    state: a.state,
  }));
  await deps.rankings.putRankings(rankings);
  return { persisted: rankings.length };
}
