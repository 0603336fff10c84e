import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { VoiceContactWriter } from '../usecases/dialer/ingest-results';
import type { InboundStats, SuppressionWriter } from '../usecases/engagement/ports';
import { counterAttribute, isMirrored } from './inbound-counters';

/**
 * Suppressions into the contacts table's INBOUND item (docs/data-model.md): atomic ADD to the
 * channel's string set — concurrent writers never lose each other's entries, and adding an address
 * that is already there changes nothing (idempotent). Addresses arrive normalized (email lower-case,
 * phone E.164).
 */
export class DynamoInboundWriter implements SuppressionWriter, InboundStats, VoiceContactWriter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** true when the address was not in the set before (this call suppressed it first). */
  async suppress(accountId: string, channel: 'email' | 'sms' | 'voice', address: string): Promise<boolean> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { accountId, kind: 'INBOUND' },
        UpdateExpression: 'ADD #ch :a',
        ExpressionAttributeNames: { '#ch': channel },
        ExpressionAttributeValues: { ':a': new Set([address]) },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    const before = out.Attributes?.[channel] as Set<string> | undefined;
    return !before?.has(address);
  }

  /** A phone conversation with the consumer (UTC ISO instant): the Strategy's 7-day call cooldown reads this set. */
  async addConversation(accountId: string, at: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { accountId, kind: 'INBOUND' },
        UpdateExpression: 'ADD #c :at',
        ExpressionAttributeNames: { '#c': 'conversations' },
        ExpressionAttributeValues: { ':at': new Set([at]) },
      }),
    );
  }

  /** ADD 1 to `n_<channel>_<kind>` on INBOUND, for the kinds the preference model reads. */
  async count(accountId: string, channel: 'email' | 'sms', kind: string): Promise<void> {
    if (!isMirrored(channel, kind)) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { accountId, kind: 'INBOUND' },
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': counterAttribute(channel, kind) },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }
}
