import type { ObjectStore, Ranking, RankingRepository } from '../ports';
import type { ChunkInput, InferResult, ScoreLine } from './infer-chunk';
import { parseJsonl } from './keys';

export interface PersistInput extends ChunkInput {
  infer: InferResult;
}

/** Writes the chunk's rankings; keys (accountId, runDate) make a re-run overwrite, never duplicate. */
export async function persistRankings(
  deps: { store: ObjectStore; rankings: RankingRepository },
  input: PersistInput,
): Promise<{ persisted: number }> {
  // The scores file carries the snapshot the ranking needs: the chunk file is not read here.
  const scored = parseJsonl<ScoreLine>(await deps.store.getText(input.infer.scoresKey));
  const rankings: Ranking[] = scored.map((a) => ({
    accountId: a.accountId,
    runDate: input.runDate,
    score: a.score,
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
