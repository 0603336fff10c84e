import { PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AlertClaims } from '../../usecases/cdp/ports';
import { isConditionFailed } from '../dynamo-batch';

/**
 * pk = ALERT#<card token>#<window start> in the cdp-state table, `expiresAt` = the table's TTL
 * attribute. The first transaction of a window claims it; a redelivery of the same transaction
 * may claim it again until it is marked sent; any other transaction of the window is a duplicate.
 */
export class DynamoAlertClaims implements AlertClaims {
  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly table: string,
  ) {}

  async claim(cardToken: string, windowStart: string, txnId: string, expiresAt: number): Promise<boolean> {
    try {
      await this.ddb.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { pk: { S: `ALERT#${cardToken}#${windowStart}` }, txnId: { S: txnId }, status: { S: 'claimed' }, expiresAt: { N: String(expiresAt) } },
          ConditionExpression: 'attribute_not_exists(pk) OR (txnId = :t AND #s = :claimed)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':t': { S: txnId }, ':claimed': { S: 'claimed' } },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }

  async markSent(cardToken: string, windowStart: string, txnId: string, messageId: string): Promise<void> {
    await this.ddb.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: { S: `ALERT#${cardToken}#${windowStart}` } },
        UpdateExpression: 'SET #s = :sent, messageId = :m',
        ConditionExpression: 'txnId = :t',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sent': { S: 'sent' }, ':m': { S: messageId }, ':t': { S: txnId } },
      }),
    );
  }
}
