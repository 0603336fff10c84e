import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SuppressionReader } from '../usecases/outreach/ports';

const asSet = (v: unknown, normalize: (s: string) => string): ReadonlySet<string> =>
  new Set(v instanceof Set ? [...(v as Set<string>)].map(normalize) : Array.isArray(v) ? (v as string[]).map(normalize) : []);

/**
 * The contacts table INBOUND item (docs/data-model.md), read at send time with a strongly
 * consistent GetItem: an opt-out written a moment ago must stop this message.
 */
export class DynamoInboundReader implements SuppressionReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async suppressed(accountId: string) {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { accountId, kind: 'INBOUND' },
        ConsistentRead: true,
        ProjectionExpression: '#email, #sms',
        ExpressionAttributeNames: { '#email': 'email', '#sms': 'sms' },
      }),
    );
    return {
      email: asSet(out.Item?.email, (s) => s.trim().toLowerCase()),
      sms: asSet(out.Item?.sms, (s) => s.trim()),
    };
  }
}
