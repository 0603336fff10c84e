import { PortfolioFileError, NotFoundError } from '../domain/errors';
import { chunkPortfolio, type ChunkSummary } from '../domain/portfolio/chunker';
import { readPortfolio } from '../domain/portfolio/reader';
import { REJECTS_HEADER, rejectToCsvLine } from '../domain/portfolio/rejects';
import type { ObjectStore, ObjectWriter } from '../ports';
import { keys, toJsonl } from './keys';

export interface FetchInput {
  runDate?: string;
  sourceKey?: string;
  /** ISO instant the execution started: the run date defaults to its UTC date. */
  executionStartTime: string;
}

export interface ChunkRef {
  index: number;
  key: string;
  count: number;
}

export interface FetchResult {
  runDate: string;
  sourceKey: string;
  accounts: number;
  rejected: number;
  rejectsKey: string;
  chunks: ChunkRef[];
  unknownColumns: string[];
  /** No chunk of this run date existed before this Fetch: nothing of the day was planned yet. */
  firstRunOfDay: boolean;
}

export interface FetchDeps {
  store: ObjectStore;
  chunkSize: number;
  /** Chunk uploads in flight at once: bounds memory while the parser keeps going. */
  uploadConcurrency?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * Reads today's portfolio file as a stream, validates every row, writes valid accounts into
 * chunk files as they fill and invalid rows into the rejects file. Memory stays flat: at most
 * `uploadConcurrency` + 1 chunks are held while their uploads are in flight.
 */
export async function fetchPortfolio(deps: FetchDeps, input: FetchInput): Promise<FetchResult> {
  const runDate = input.runDate ?? input.executionStartTime.slice(0, 10);
  const sourceKey = input.sourceKey ?? keys.portfolio(runDate);
  const rejectsKey = keys.rejects(runDate);

  let source: AsyncIterable<Uint8Array>;
  try {
    source = await deps.store.getStream(sourceKey);
  } catch (err) {
    if (err instanceof NotFoundError) throw new PortfolioFileError(`no portfolio file for ${runDate}: ${sourceKey} does not exist`);
    throw err;
  }

  // Checked before the first chunk is written: any earlier attempt of the day (even one that
  // failed half-way) wrote its chunks before any ledger, so this is a safe test for "nothing planned yet".
  const firstRunOfDay = (await deps.store.list(`runs/${runDate}/chunks/`)).length === 0;

  // The rejects file is opened lazily: a bad header must fail the run before anything is written.
  let rejects: ObjectWriter | null = null;
  let unknownColumns: string[] = [];
  let summary: ChunkSummary;
  try {
    summary = await chunkPortfolio(
      readPortfolio(source, { onHeader: (h) => (unknownColumns = h.unknown) }),
      deps.chunkSize,
      {
        writeChunk: (index, records) =>
          deps.store.putText(keys.chunk(runDate, index), toJsonl(records), 'application/x-ndjson'),
        writeRejects: async (batch) => {
          if (!rejects) {
            rejects = deps.store.openWriter(rejectsKey, 'text/csv');
            await rejects.write(REJECTS_HEADER);
          }
          await rejects.write(batch.map(rejectToCsvLine).join(''));
        },
      },
      { maxInFlight: deps.uploadConcurrency ?? 4 },
    );
    // Always publish a rejects file (header only when clean), so a re-run never leaves a stale one.
    if (rejects) await (rejects as ObjectWriter).close();
    else await deps.store.putText(rejectsKey, REJECTS_HEADER, 'text/csv');
  } catch (err) {
    if (rejects) await (rejects as ObjectWriter).abort().catch(() => undefined);
    throw err;
  }
  const chunks: ChunkRef[] = summary.chunks.map((c) => ({ ...c, key: keys.chunk(runDate, c.index) }));
  const { accounts, rejected } = summary;
  deps.log?.('portfolio fetched', { runDate, sourceKey, accounts, rejected, chunks: chunks.length });
  return { runDate, sourceKey, accounts, rejected, rejectsKey, chunks, unknownColumns, firstRunOfDay };
}
