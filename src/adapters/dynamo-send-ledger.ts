import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimRequest, ClaimResult, SendCompletion, SendLedger, SendRecord } from '../usecases/outreach/ports';
import { isConditionFailed } from './dynamo-batch';


/** Builds `SET #a = :a, …` with every name aliased (status, to, language… are reserved words). */
function setExpression(values: Record<string, unknown>) {
  const names: Record<string, string> = {};
  const vals: Record<string, unknown> = {};
  const parts: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null) continue;
    names[`#${k}`] = k;
    vals[`:${k}`] = v;
    parts.push(`#${k} = :${k}`);
  }
  return { expr: parts.join(', '), names, vals };
}

/**
 * The send ledger: one item per action in `curepath-<stage>-sends` (PK actionId), the senders'
 * idempotency record (docs/outreach.md). Its only writers are the senders, through conditional
 * writes; `expiresAt` (epoch seconds) is the table's TTL attribute.
 */
export class DynamoSendLedger implements SendLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = 1095,
  ) {}

  async claim(r: ClaimRequest): Promise<ClaimResult> {
    const nowMs = r.now.getTime();
    const leaseToken = randomUUID();
    const set = setExpression({
      status: 'sending',
      leaseUntil: nowMs + r.leaseMs,
      leaseToken,
      accountId: r.accountId,
      runDate: r.runDate,
      channel: r.channel,
      segment: r.segment,
      template: r.template,
      language: r.language,
      to: r.to,
      lastClaimAt: r.now.toISOString(),
      expiresAt: Math.floor(nowMs / 1000) + this.retentionDays * 86_400,
    });
    for (let round = 0; round < 2; round++) {
      try {
        const out = await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { actionId: r.actionId },
            UpdateExpression: `SET ${set.expr}, #claimedAt = if_not_exists(#claimedAt, :claimedAt) ADD #attempts :one`,
            // First claim, or take over a `sending` claim whose holder's lease has run out.
            ConditionExpression: 'attribute_not_exists(#actionId) OR (#status = :sending AND #leaseUntil < :nowMs)',
            ExpressionAttributeNames: { ...set.names, '#actionId': 'actionId', '#claimedAt': 'claimedAt', '#attempts': 'attempts' },
            ExpressionAttributeValues: { ...set.vals, ':sending': 'sending', ':nowMs': nowMs, ':one': 1, ':claimedAt': r.now.toISOString() },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { claimed: true, leaseToken, attempt: Number(out.Attributes?.attempts ?? 1) };
      } catch (e) {
        if (!isConditionFailed(e)) throw e;
        const record = await this.get(r.actionId);
        if (record) return { claimed: false, record };
        // The item vanished between the two calls (TTL): claim again.
      }
    }
    throw new Error(`could not claim ${r.actionId}`);
  }

  async complete(actionId: string, leaseToken: string, c: SendCompletion, now: Date): Promise<boolean> {
    const set = setExpression({
      status: c.status,
      completedAt: now.toISOString(),
      providerMessageId: c.status === 'sent' ? c.providerMessageId : undefined,
      reason: c.status === 'failed' ? c.reason : undefined,
    });
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { actionId },
          UpdateExpression: `SET ${set.expr} REMOVE #leaseUntil, #leaseToken`,
          ConditionExpression: '#leaseToken = :token AND #sending = :sending',
          ExpressionAttributeNames: { ...set.names, '#leaseUntil': 'leaseUntil', '#leaseToken': 'leaseToken', '#sending': 'status' },
          ExpressionAttributeValues: { ...set.vals, ':token': leaseToken, ':sending': 'sending' },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailed(e)) return false;
      throw e;
    }
  }

  async release(actionId: string, leaseToken: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { actionId },
          UpdateExpression: 'SET #leaseUntil = :zero',
          ConditionExpression: '#leaseToken = :token AND #status = :sending',
          ExpressionAttributeNames: { '#leaseUntil': 'leaseUntil', '#leaseToken': 'leaseToken', '#status': 'status' },
          ExpressionAttributeValues: { ':zero': 0, ':token': leaseToken, ':sending': 'sending' },
        }),
      );
    } catch (e) {
      if (!isConditionFailed(e)) throw e;
    }
  }

  async get(actionId: string): Promise<SendRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { actionId }, ConsistentRead: true }));
    const i = out.Item;
    if (!i) return undefined;
    return {
      actionId: String(i.actionId),
      status: i.status as SendRecord['status'],
      accountId: String(i.accountId),
      channel: i.channel as SendRecord['channel'],
      attempts: Number(i.attempts ?? 0),
      ...(i.leaseUntil !== undefined ? { leaseUntil: Number(i.leaseUntil) } : {}),
      ...(i.providerMessageId ? { providerMessageId: String(i.providerMessageId) } : {}),
      ...(i.reason ? { reason: i.reason as SendRecord['reason'] } : {}),
    };
  }
}
