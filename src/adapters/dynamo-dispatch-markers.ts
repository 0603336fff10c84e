import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DispatchMarkers } from '../usecases/outreach/dispatch';
import { isConditionFailed } from './dynamo-batch';


/**
 * The dispatcher's markers, in the sends table beside the send ledger (same PK `actionId`, same TTL
 * `expiresAt`) under their own keys, so they never meet the senders' conditional claims:
 *  - `dispatch#<actionId>`: status `enqueuing` (with leaseUntil) → `queued`;
 *  - `dispatch#<runDate>#<part key>`: `doneThrough`, the horizon of the part's last clean pass.
 */
export class DynamoDispatchMarkers implements DispatchMarkers {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = 7,
  ) {}

  private expiresAt(now: Date) {
    return Math.floor(now.getTime() / 1000) + this.retentionDays * 86_400;
  }

  async begin(actionId: string, now: Date, leaseMs: number): Promise<'taken' | 'queued' | 'busy'> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { actionId: `dispatch#${actionId}`, status: 'enqueuing', leaseUntil: now.getTime() + leaseMs, expiresAt: this.expiresAt(now) },
          // First time, or take over an `enqueuing` marker whose dispatch crashed (lease over).
          ConditionExpression: 'attribute_not_exists(actionId) OR (#s = :enqueuing AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':enqueuing': 'enqueuing', ':now': now.getTime() },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'taken';
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
      const old = (e as { Item?: Record<string, { S?: string }> }).Item;
      const status = old?.status?.S ?? (await this.status(actionId));
      return status === 'queued' ? 'queued' : 'busy';
    }
  }

  private async status(actionId: string): Promise<string | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { actionId: `dispatch#${actionId}` }, ConsistentRead: true }));
    return out.Item?.status as string | undefined;
  }

  async queued(actionId: string, now: Date): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { actionId: `dispatch#${actionId}` },
        UpdateExpression: 'SET #s = :queued, queuedAt = :at REMOVE leaseUntil',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':queued': 'queued', ':at': now.toISOString() },
      }),
    );
  }

  async release(actionId: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { actionId: `dispatch#${actionId}` },
        UpdateExpression: 'SET leaseUntil = :zero',
        ConditionExpression: '#s = :enqueuing',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':zero': 0, ':enqueuing': 'enqueuing' },
      }),
    ).catch((e: unknown) => {
      if (!isConditionFailed(e)) throw e;
    });
  }

  async doneThrough(runDate: string, part: string): Promise<string | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { actionId: `dispatch#${runDate}#${part}` }, ConsistentRead: true }));
    return out.Item?.doneThrough as string | undefined;
  }

  async setDoneThrough(runDate: string, part: string, through: string): Promise<void> {
    // Only forward: a slower, older dispatch never moves it back.
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { actionId: `dispatch#${runDate}#${part}` },
        UpdateExpression: 'SET doneThrough = :t, expiresAt = :x',
        ConditionExpression: 'attribute_not_exists(doneThrough) OR doneThrough < :t',
        ExpressionAttributeValues: { ':t': through, ':x': this.expiresAt(new Date()) },
      }),
    ).catch((e: unknown) => {
      if (!isConditionFailed(e)) throw e;
    });
  }
}
