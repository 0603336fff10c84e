import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const WRITE_BATCH = 25; // BatchWriteItem limit
const GET_BATCH = 100; // BatchGetItem limit
const MAX_ROUNDS = 10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Full-jitter exponential backoff, capped. */
const backoff = (round: number) => sleep(Math.random() * Math.min(2_000, 25 * 2 ** round));

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T, i);
    }
  });
  await Promise.all(lanes);
  return results;
}

function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
}

/**
 * PutRequests in batches of 25, several batches in flight, always retrying
 * UnprocessedItems with backoff (DynamoDB may accept part of a batch under load).
 */
export async function batchPut(
  doc: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
  concurrency = 8,
): Promise<void> {
  await mapLimit(slices(items, WRITE_BATCH), concurrency, async (batch) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; requests.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new UnprocessedItemsError(`${requests.length} items still unprocessed in ${table}`);
      if (round > 0) await backoff(round);
      const res = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (res.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  });
}

/** BatchGetItem over many keys (100 per call), retrying UnprocessedKeys. */
export async function batchGet(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly Record<string, unknown>[],
  concurrency = 8,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  await mapLimit(slices(keys, GET_BATCH), concurrency, async (batch) => {
    let pending: Record<string, unknown>[] = batch;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new UnprocessedItemsError(`${pending.length} keys still unprocessed in ${table}`);
      if (round > 0) await backoff(round);
      const res = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
      found.push(...((res.Responses?.[table] ?? []) as Record<string, unknown>[]));
      pending = (res.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
    }
  });
  return found;
}
