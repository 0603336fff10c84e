import { CreateTableCommand, waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * A fresh pk/sk table for a benchmark baseline, ready to write: dynalite, like DynamoDB, creates
 * tables asynchronously (CREATING → ACTIVE), so it waits for ACTIVE before returning the name.
 */
export async function createScratchTable(ddb: DynamoDBClient, prefix: string): Promise<string> {
  const table = `${prefix}-${Date.now()}`;
  await ddb.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    }),
  );
  await waitUntilTableExists({ client: ddb, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { TableName: table });
  return table;
}
