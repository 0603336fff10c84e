import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SendTargetLookup, UnsubscribeTarget } from '../usecases/outreach/unsubscribe';

/**
 * Reads the account, channel and address of one send record (`curepath-<stage>-sends`, PK
 * actionId) for the unsubscribe endpoint: a projected GetItem, read-only (the senders stay the
 * ledger's only writers).
 */
export class DynamoSendTargetReader implements SendTargetLookup {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async target(actionId: string): Promise<UnsubscribeTarget | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { actionId },
        ProjectionExpression: '#accountId, #channel, #to',
        ExpressionAttributeNames: { '#accountId': 'accountId', '#channel': 'channel', '#to': 'to' },
      }),
    );
    const i = out.Item;
    if (!i || typeof i.accountId !== 'string') return undefined;
    return {
      accountId: i.accountId,
      channel: String(i.channel ?? ''),
      ...(typeof i.to === 'string' && i.to.length > 0 ? { to: i.to } : {}),
    };
  }
}
