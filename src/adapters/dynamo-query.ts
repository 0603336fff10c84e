import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * Every page of a Query through the document client, following LastEvaluatedKey. (lib-dynamodb's
 * paginateQuery checks the client's class, which rules out the test doubles the adapters are tested with.)
 */
export async function* queryPages(doc: Pick<DynamoDBDocumentClient, 'send'>, input: QueryCommandInput): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    yield out.Items ?? [];
    start = out.LastEvaluatedKey;
  } while (start);
}
