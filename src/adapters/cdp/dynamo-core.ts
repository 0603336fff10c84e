/**
 * The core table (resources/cdp.yml): one partition per customer.
 *   pk = CUST#<user>, sk = PROFILE            the customer (TabFormer users.csv row + email, phone)
 *                     sk = CARD#<index>        a card (cards.csv row, CVV included: the core keeps it)
 *                     sk = TXN#<iso at>#<id>   a transaction (time-ordered within the customer)
 * Its DynamoDB stream (NEW_IMAGE) feeds the extractor in AWS.
 */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TabCard, TabTransaction, TabUser } from '../../synthetic/tabformer/types';
import type { CoreReader, CoreWriter } from '../../usecases/cdp/ports';
import type { CoreChange } from '../../usecases/cdp/extract';
import { batchGet, batchPut, type Item } from '../dynamo-batch';

export const customerPk = (user: number) => `CUST#${user}`;
export const cardSk = (index: number) => `CARD#${index}`;
export const txnSk = (t: Pick<TabTransaction, 'at' | 'id'>) => `TXN#${t.at}#${t.id}`;

export function coreItems(data: { users: TabUser[]; cards: TabCard[]; transactions: TabTransaction[] }): Record<string, unknown>[] {
  return [
    ...data.users.map((u) => ({ pk: customerPk(u.user), sk: 'PROFILE', ...u })),
    ...data.cards.map((c) => ({ pk: customerPk(c.user), sk: cardSk(c.cardIndex), ...c })),
    ...data.transactions.map((t) => ({ pk: customerPk(t.user), sk: txnSk(t), ...t })),
  ];
}

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};

/** A core item (unmarshalled) → what changed. */
export function coreChangeOf(id: string, item: Record<string, unknown> | undefined): CoreChange {
  const sk = typeof item?.sk === 'string' ? item.sk : '';
  if (!item || !sk) return { id, entity: 'ignored' };
  if (sk === 'PROFILE') return { id, entity: 'customer', user: strip<TabUser>(item) };
  if (sk.startsWith('CARD#')) return { id, entity: 'card', card: strip<TabCard>(item) };
  if (sk.startsWith('TXN#')) return { id, entity: 'transaction', transaction: strip<TabTransaction>(item) };
  return { id, entity: 'ignored' };
}

export class DynamoCore implements CoreReader, CoreWriter {
  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly table: string,
  ) {}

  async write(data: { users: TabUser[]; cards: TabCard[]; transactions: TabTransaction[] }): Promise<void> {
    await batchPut(this.ddb, this.table, coreItems(data).map((i) => marshall(i, { removeUndefinedValues: true }) as Item));
  }

  private async get<T>(pk: string, sk: string): Promise<T | undefined> {
    const [item] = await batchGet(this.ddb, this.table, [marshall({ pk, sk }) as Item]);
    return item ? strip<T>(unmarshall(item)) : undefined;
  }

  customer(user: number) {
    return this.get<TabUser>(customerPk(user), 'PROFILE');
  }

  card(user: number, cardIndex: number) {
    return this.get<TabCard>(customerPk(user), cardSk(cardIndex));
  }

  async cards(user: number): Promise<TabCard[]> {
    const out: TabCard[] = [];
    for await (const page of this.query(customerPk(user), 'CARD#', 'CARD#\uffff')) out.push(...page.map((i) => strip<TabCard>(i)));
    return out;
  }

  async *transactions(user: number, range: { from?: string; before?: string }): AsyncIterable<TabTransaction[]> {
    for await (const page of this.query(customerPk(user), `TXN#${range.from ?? ''}`, `TXN#${range.before ?? '\uffff'}`)) {
      yield page.map((i) => strip<TabTransaction>(i)).filter((t) => !range.before || t.at < range.before);
    }
  }

  private async *query(pk: string, fromSk: string, toSk: string): AsyncIterable<Record<string, unknown>[]> {
    let start: Record<string, any> | undefined;
    do {
      const res = await this.ddb.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
          ExpressionAttributeValues: marshall({ ':pk': pk, ':a': fromSk, ':b': toSk }),
          ExclusiveStartKey: start,
        }),
      );
      yield (res.Items ?? []).map((i) => unmarshall(i));
      start = res.LastEvaluatedKey;
    } while (start);
  }
}
