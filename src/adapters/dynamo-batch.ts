import { BatchGetItemCommand, BatchWriteItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** An item in DynamoDB's wire format: the hot paths build these directly (no DocumentClient marshalling). */
export type Item = Record<string, AttributeValue>;

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

/** `items` in consecutive slices of at most `size`. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A conditional write lost its condition (by name: works for every client and SDK version). */
export const isConditionFailed = (e: unknown): boolean => (e as { name?: string })?.name === 'ConditionalCheckFailedException';

export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
}

/**
 * PutRequests in batches of 25, several batches in flight, always retrying
 * UnprocessedItems with backoff (DynamoDB may accept part of a batch under load).
 */
export async function batchPut(ddb: DynamoDBClient, table: string, items: readonly Item[], concurrency = 8): Promise<void> {
  await mapLimit(slices(items, WRITE_BATCH), concurrency, async (batch) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; requests.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new UnprocessedItemsError(`${requests.length} items still unprocessed in ${table}`);
      if (round > 0) await backoff(round);
      const res = await ddb.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
      requests = (res.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  });
}

/**
 * BatchGetItem over many keys (100 per call), retrying UnprocessedKeys. `projection` (a
 * ProjectionExpression with its attribute names) returns only what the caller reads.
 */
export async function batchGet(
  ddb: DynamoDBClient,
  table: string,
  keys: readonly Item[],
  opts: { concurrency?: number; projection?: { expression: string; names: Record<string, string> } } = {},
): Promise<Item[]> {
  const found: Item[] = [];
  const projection = opts.projection
    ? { ProjectionExpression: opts.projection.expression, ExpressionAttributeNames: opts.projection.names }
    : {};
  await mapLimit(slices(keys, GET_BATCH), opts.concurrency ?? 8, async (batch) => {
    let pending: Item[] = batch;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new UnprocessedItemsError(`${pending.length} keys still unprocessed in ${table}`);
      if (round > 0) await backoff(round);
      const res = await ddb.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: pending, ...projection } } }));
      for (const item of res.Responses?.[table] ?? []) found.push(item);
      pending = res.UnprocessedKeys?.[table]?.Keys ?? [];
    }
  });
  return found;
}
