import type { ChunkRecord } from './account';
import type { PortfolioItem, PortfolioReject } from './reader';

/**
 * Groups validated accounts into fixed-size chunks and hands each to the sink as soon as it is
 * full, with at most `maxInFlight` writes pending: memory holds at most maxInFlight + 1 chunks,
 * whatever the file size. Rejects are handed over in batches, in row order, one write at a time.
 */

export interface ChunkSink {
  /** Writes chunk `index` (0, 1, 2, … in file order). Calls may overlap up to maxInFlight. */
  writeChunk(index: number, records: ChunkRecord[]): Promise<void>;
  /** Appends a batch of rejects. Calls never overlap and come in row order. */
  writeRejects?(rejects: PortfolioReject[]): Promise<void>;
}

export interface ChunkOptions {
  /** Chunk writes allowed in flight at once (default 2). */
  maxInFlight?: number;
  /** Rejects per writeRejects call (default 1000). */
  rejectBatchSize?: number;
}

export interface ChunkSummary {
  accounts: number;
  rejected: number;
  /** Every chunk written, in index order. Empty when there were no valid accounts. */
  chunks: { index: number; count: number }[];
}

/**
 * Consumes `items` to the end. If a write fails, reading stops, the writes already started
 * are awaited, and the first error is thrown; an error from `items` is rethrown the same way.
 */
export async function chunkPortfolio(
  items: AsyncIterable<PortfolioItem>,
  chunkSize: number,
  sink: ChunkSink,
  options: ChunkOptions = {},
): Promise<ChunkSummary> {
  const maxInFlight = options.maxInFlight ?? 2;
  const rejectBatchSize = options.rejectBatchSize ?? 1000;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError(`maxInFlight must be a positive integer`);
  if (!Number.isInteger(rejectBatchSize) || rejectBatchSize < 1) throw new RangeError(`rejectBatchSize must be a positive integer`);

  const summary: ChunkSummary = { accounts: 0, rejected: 0, chunks: [] };
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  let rejectsTail: Promise<void> = Promise.resolve();

  // Tracked promises never reject, so nothing is left unhandled while we keep reading.
  const track = (write: () => Promise<void>): Promise<void> => {
    const tracked: Promise<void> = Promise.resolve()
      .then(write)
      .then(
        () => void inFlight.delete(tracked),
        (error: unknown) => {
          inFlight.delete(tracked);
          failure ??= { error };
        },
      );
    inFlight.add(tracked);
    return tracked;
  };

  let records: ChunkRecord[] = [];
  let rejects: PortfolioReject[] = [];
  let index = 0;

  const flushChunk = async (): Promise<void> => {
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if (failure) return;
    const i = index++;
    const batch = records;
    records = [];
    summary.chunks.push({ index: i, count: batch.length });
    track(() => sink.writeChunk(i, batch));
  };
  const flushRejects = async (): Promise<void> => {
    const writeRejects = sink.writeRejects?.bind(sink);
    const batch = rejects;
    rejects = [];
    if (!writeRejects || batch.length === 0) return;
    await rejectsTail; // one rejects write at a time, in order; also our backpressure
    if (failure) return;
    rejectsTail = track(() => writeRejects(batch));
  };

  try {
    for await (const item of items) {
      if (item.kind === 'account') {
        summary.accounts++;
        records.push({ row: item.row, account: item.account });
        if (records.length >= chunkSize) await flushChunk();
      } else {
        summary.rejected++;
        rejects.push(item);
        if (rejects.length >= rejectBatchSize) await flushRejects();
      }
      if (failure) break;
    }
    if (!failure && records.length > 0) await flushChunk();
    if (!failure) await flushRejects();
  } finally {
    await Promise.all(inFlight);
  }
  if (failure) throw (failure as { error: unknown }).error;
  return summary;
}
