import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AllowlistEntry } from '../../domain/allowlist/entry';
import type { AllowlistStore, AuditLog, AuditRecord } from '../../usecases/allowlist/ports';
import { isConditionFailed } from '../dynamo-batch';
import { queryPages } from '../dynamo-query';

/**
 * The allowlist table (`curepath-<stage>-admin-allowlist`, PK `pk`, SK `sk`; docs/admin-allowlist.md):
 *   ENTRY            / <cidr>                    one dynamic entry (who, when, until when)
 *   AUDIT#<yyyy-mm>  / <iso>#<uuid>              one audit record (TTL `ttl`, epoch seconds)
 *   RULE#<group>     / <cidr>                    the local stand-in security group's rules
 * Entries are few (a group holds at most ~60 rules): one partition, read with one Query.
 */
export const ENTRY_PK = 'ENTRY';

const toEntry = (item: Record<string, unknown>): AllowlistEntry => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as AllowlistEntry;
};

export class DynamoAllowlistStore implements AllowlistStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(entry: AllowlistEntry): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: ENTRY_PK, sk: entry.cidr, ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }

  async get(cidr: string): Promise<AllowlistEntry | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: ENTRY_PK, sk: cidr }, ConsistentRead: true }));
    return out.Item ? toEntry(out.Item) : undefined;
  }

  async list(): Promise<AllowlistEntry[]> {
    const items: AllowlistEntry[] = [];
    const pages = queryPages(this.doc, { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': ENTRY_PK }, ConsistentRead: true });
    for await (const page of pages) items.push(...page.map(toEntry));
    return items;
  }

  async remove(cidr: string, createdAt?: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: ENTRY_PK, sk: cidr },
          ConditionExpression: createdAt === undefined ? 'attribute_exists(pk)' : 'createdAt = :c',
          ...(createdAt === undefined ? {} : { ExpressionAttributeValues: { ':c': createdAt } }),
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }
}

/** Audit records in the same table, one partition per month; kept `retentionDays` (TTL). */
export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = 1095,
  ) {}

  async record(r: AuditRecord): Promise<void> {
    const at = r.at.toISOString();
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `AUDIT#${at.slice(0, 7)}`,
          sk: `${at}#${randomUUID()}`,
          action: r.action,
          at,
          actor: r.actor,
          ...(r.actorSub ? { actorSub: r.actorSub } : {}),
          cidr: r.cidr,
          outcome: r.outcome,
          ...(r.detail ? { detail: r.detail } : {}),
          ttl: Math.floor(r.at.getTime() / 1000) + this.retentionDays * 86_400,
        },
      }),
    );
  }

  /** One month's records, oldest first (operators and tests). */
  async month(yyyyMm: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = queryPages(this.doc, { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `AUDIT#${yyyyMm}` }, ConsistentRead: true });
    for await (const page of pages) items.push(...page);
    return items;
  }
}
