import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queryPages } from '../../../src/adapters/dynamo-query';

/** A document client double answering a Query in pages of `size` items over `items`. */
function pagedClient(items: Record<string, unknown>[], size: number) {
  const seen: (Record<string, unknown> | undefined)[] = [];
  const send = jest.fn(async (cmd: QueryCommand) => {
    const start = cmd.input.ExclusiveStartKey as { i: number } | undefined;
    seen.push(start);
    const from = start ? start.i + 1 : 0;
    const page = items.slice(from, from + size);
    const last = from + size < items.length ? { i: from + size - 1 } : undefined;
    return { Items: page, ...(last ? { LastEvaluatedKey: last } : {}) };
  });
  return { send, seen } as unknown as { send: never; seen: typeof seen };
}

describe('queryPages', () => {
  it('follows LastEvaluatedKey until the last page and yields every item once, in order', async () => {
    const items = Array.from({ length: 7 }, (_, i) => ({ id: i }));
    const client = pagedClient(items, 3);
    const got: unknown[] = [];
    for await (const page of queryPages(client, { TableName: 't', KeyConditionExpression: 'pk = :p' })) got.push(...page);
    expect(got).toEqual(items);
    expect(client.seen).toEqual([undefined, { i: 2 }, { i: 5 }]);
  });

  it('stops after one request when the first page is the last, and yields an empty page for no items', async () => {
    const client = pagedClient([], 3);
    const pages: unknown[][] = [];
    for await (const page of queryPages(client, { TableName: 't' })) pages.push(page);
    expect(pages).toEqual([[]]);
    expect(client.seen).toHaveLength(1);
  });
});
