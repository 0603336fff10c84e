/**
 * Per-card state in the cdp-state table: pk = CARD#<token>. `version` is the optimistic lock
 * (a commit succeeds only on the version it read, or on no item), `profile` the fraud profile
 * (JSON), `recent` the idempotency window (JSON [txnId, at][]), `card` the card context
 * (non-personal fields, plus the holder's name and email as ciphertext for the alerts).
 */
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CardState, CardStateStore } from '../../usecases/cdp/ports';
import { batchGet, type Item, isConditionFailed } from '../dynamo-batch';

const pkOf = (token: string) => `CARD#${token}`;

export class DynamoCardStateStore implements CardStateStore {
  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly table: string,
  ) {}

  async getMany(cardTokens: readonly string[]): Promise<Map<string, CardState>> {
    const items = await batchGet(this.ddb, this.table, cardTokens.map((t) => ({ pk: { S: pkOf(t) } })));
    const out = new Map<string, CardState>();
    for (const raw of items) {
      const i = unmarshall(raw);
      const cardToken = String(i.cardToken);
      out.set(cardToken, {
        cardToken,
        version: Number(i.version),
        card: i.card,
        profile: typeof i.profile === 'string' ? JSON.parse(i.profile) : undefined,
        recent: typeof i.recent === 'string' ? JSON.parse(i.recent) : [],
      });
    }
    return out;
  }

  async commit(state: CardState): Promise<boolean> {
    const next = (state.version ?? 0) + 1;
    const item = marshall(
      {
        pk: pkOf(state.cardToken),
        cardToken: state.cardToken,
        version: next,
        card: state.card,
        profile: state.profile === undefined ? undefined : JSON.stringify(state.profile),
        recent: JSON.stringify(state.recent),
        updatedAt: new Date().toISOString(),
      },
      { removeUndefinedValues: true, convertClassInstanceToMap: true },
    );
    try {
      await this.ddb.send(
        new PutItemCommand({
          TableName: this.table,
          Item: item as Item,
          ...(state.version === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': { N: String(state.version) } } }),
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }
}
