/**
 * The engagement table (`curepath-<stage>-engagement`, PK `pk`, SK `sk`, TTL `expiresAt`):
 *  - `ACCT#<accountId>` / `CH#<channel>#<YYYY-MM>`: counters per kind (ADD), `last_<kind>` instants,
 *    and `ids` — the event ids counted in that month. Counting and the idempotency check are one
 *    conditional UpdateItem (`NOT contains(ids, :id)`): no transactions needed (dynalite has none),
 *    and a redelivered event can never be counted twice. Monthly items keep the id set small.
 *  - `ACCT#<accountId>` / `SOFT#<channel>#<digest(address)>`: transient failures, SS of
 *    `<occurredAt>|<eventId>` (a set: a redelivery adds nothing).
 *  - `PHONE#<e164>` / `ACCT#<accountId>`: the phone directory (who we texted from which account).
 *  - `PHONE#<e164>` / `CONFIRMATION`: the last opt-out confirmation claimed for the number.
 */
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { digest, type EngagementChannel, type EngagementEvent, type EngagementKind } from '../domain/engagement';
import type { ChannelEngagement, EngagementStore, PhoneDirectory } from '../usecases/engagement/ports';
import { isConditionFailed } from './dynamo-batch';
import { queryPages } from './dynamo-query';

const DAY_S = 86_400;
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export const accountPk = (accountId: string) => `ACCT#${accountId}`;
export const phonePk = (phone: string) => `PHONE#${phone}`;
export const counterSk = (channel: EngagementChannel, occurredAt: string) => `CH#${channel}#${occurredAt.slice(0, 7)}`;

export interface EngagementStoreOptions {
  /** TTL of transient-failure histories and directory entries (default 400 days). */
  retentionDays?: number;
}

export class DynamoEngagementStore implements EngagementStore, PhoneDirectory {
  private readonly retentionDays: number;
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    opts: EngagementStoreOptions = {},
  ) {
    this.retentionDays = opts.retentionDays ?? 400;
  }

  async recordEvent(accountId: string, event: EngagementEvent): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: accountPk(accountId), sk: counterSk(event.channel, event.occurredAt) },
          UpdateExpression: 'ADD #k :one, ids :ids SET accountId = :a, channel = :c',
          ConditionExpression: 'attribute_not_exists(ids) OR NOT contains(ids, :id)',
          ExpressionAttributeNames: { '#k': event.kind },
          ExpressionAttributeValues: { ':one': 1, ':ids': new Set([event.eventId]), ':id': event.eventId, ':a': accountId, ':c': event.channel },
        }),
      );
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
    // "last at" is a max, which ADD cannot express: a second, conditional SET (order-independent).
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: accountPk(accountId), sk: counterSk(event.channel, event.occurredAt) },
          UpdateExpression: 'SET #l = :t',
          ConditionExpression: 'attribute_not_exists(#l) OR #l < :t',
          ExpressionAttributeNames: { '#l': `last_${event.kind}` },
          ExpressionAttributeValues: { ':t': event.occurredAt },
        }),
      );
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
    }
    return true;
  }

  async addTransientFailure(accountId: string, channel: EngagementChannel, address: string, occurredAt: string, eventId: string): Promise<string[]> {
    const res = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        // The address is hashed in the key: keys show up in metrics and consoles.
        Key: { pk: accountPk(accountId), sk: `SOFT#${channel}#${digest(address)}` },
        UpdateExpression: 'ADD failures :f SET expiresAt = :x',
        ExpressionAttributeValues: { ':f': new Set([`${occurredAt}|${eventId}`]), ':x': epoch(occurredAt) + this.retentionDays * DAY_S },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const failures = (res.Attributes?.failures as Set<string> | undefined) ?? new Set<string>();
    return [...failures].map((f) => f.slice(0, f.indexOf('|')));
  }

  async claimConfirmation(phone: string, revocationId: string, now: string, cooldownDays: number): Promise<boolean> {
    const cutoff = new Date(Date.parse(now) - cooldownDays * DAY_S * 1000).toISOString();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: phonePk(phone), sk: 'CONFIRMATION', revocationId, claimedAt: now, expiresAt: epoch(now) + Math.max(cooldownDays, 1) * DAY_S * 2 },
          // Never twice for one revocation; a new revocation only after the cooldown.
          ConditionExpression: 'attribute_not_exists(pk) OR (revocationId <> :r AND claimedAt <= :cutoff)',
          ExpressionAttributeValues: { ':r': revocationId, ':cutoff': cutoff },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }

  async getEngagement(accountId: string): Promise<Partial<Record<EngagementChannel, ChannelEngagement>>> {
    const out: Partial<Record<EngagementChannel, ChannelEngagement>> = {};
    const pages = queryPages(this.doc, { TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': accountPk(accountId), ':s': 'CH#' } });
    for await (const page of pages) {
      for (const item of page) {
        const channel = item.channel as EngagementChannel;
        const agg = (out[channel] ??= { counts: {}, lastAt: {} });
        for (const [k, v] of Object.entries(item)) {
          if (typeof v === 'number') agg.counts[k as EngagementKind] = (agg.counts[k as EngagementKind] ?? 0) + v;
          else if (k.startsWith('last_') && typeof v === 'string') {
            const kind = k.slice(5) as EngagementKind;
            if (!agg.lastAt[kind] || agg.lastAt[kind]! < v) agg.lastAt[kind] = v;
          }
        }
      }
    }
    return out;
  }

  async accountsFor(phone: string): Promise<string[]> {
    const ids: string[] = [];
    const pages = queryPages(this.doc, { TableName: this.table, KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': phonePk(phone), ':s': 'ACCT#' } });
    for await (const page of pages) for (const i of page) ids.push(i.accountId as string);
    return ids;
  }

  async register(phone: string, accountId: string, at: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: phonePk(phone), sk: accountPk(accountId), accountId, registeredAt: at, expiresAt: epoch(at) + this.retentionDays * DAY_S },
      }),
    );
  }
}
