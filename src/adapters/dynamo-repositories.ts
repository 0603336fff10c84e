import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ContactEventRecord, ContactRepository, ContactState, LedgerEntry, PlannedAction, Ranking, RankingRepository } from '../ports';
import { batchGet, batchPut } from './dynamo-batch';

/** Rankings: PK accountId, SK runDate (docs/data-model.md). Same key on a re-run → overwritten, never duplicated. */
export class DynamoRankingRepository implements RankingRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  putRankings(rankings: readonly Ranking[]): Promise<void> {
    return batchPut(this.doc, this.table, rankings as unknown as Record<string, unknown>[]);
  }
}

type Channel = ContactEventRecord['channel'];
type InboundItem = { email?: Set<string>; sms?: Set<string>; voice?: Set<string>; conversations?: Set<string> };

/**
 * Attempts are stored as compact strings `<at>|<channel>|<actionId>`: the ledger is rewritten for
 * every contacted account every day, and item size is what a DynamoDB write costs.
 */
export const encodeAttempt = (e: ContactEventRecord): string => `${e.at}|${e.channel}|${e.actionId ?? ''}`;

/**
 * Today's plan as compact strings `<actionId>|<sendAt>|<timezone>|<template>|<language>` (the channel
 * is in the action id); the audit reasons stay in the S3 decisions file.
 */
export const encodePlannedAction = (a: PlannedAction): string => `${a.actionId}|${a.sendAt}|${a.timezone}|${a.template}|${a.language}`;

export function decodePlannedAction(s: string) {
  const [actionId = '', sendAt = '', timezone = '', template = '', language = ''] = s.split('|');
  const channel = actionId.slice(actionId.lastIndexOf('#') + 1) as Channel;
  return { actionId, channel, sendAt, timezone, template, language };
}

export function decodeAttempt(s: string): ContactEventRecord {
  const [at = '', channel = '', actionId = ''] = s.split('|');
  return { at, channel: channel as Channel, kind: 'attempt', ...(actionId ? { actionId } : {}) };
}

/**
 * Contacts table, one writer per item so no update is ever lost (docs/data-model.md):
 *  - LEDGER, written only by the Strategy: the day's plan and our attempts in the rules' window;
 *  - INBOUND, written only by the engagement loop and self-service with atomic ADDs to string sets:
 *    suppressed addresses/numbers per channel and phone conversations (ISO instants).
 */
export class DynamoContactRepository implements ContactRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getStates(accountIds: readonly string[]): Promise<Map<string, ContactState>> {
    const states = new Map<string, ContactState>();
    for (const id of accountIds) states.set(id, { history: [], suppressions: { email: [], sms: [], voice: [] } });
    const keys = accountIds.flatMap((accountId) => [
      { accountId, kind: 'LEDGER' },
      { accountId, kind: 'INBOUND' },
    ]);
    for (const item of await batchGet(this.doc, this.table, keys)) {
      const state = states.get(item.accountId as string);
      if (!state) continue;
      if (item.kind === 'LEDGER') {
        state.history.push(...((item.attempts as string[] | undefined) ?? []).map(decodeAttempt));
      } else {
        const s = item as InboundItem;
        state.suppressions = { email: [...(s.email ?? [])], sms: [...(s.sms ?? [])], voice: [...(s.voice ?? [])] };
        for (const at of s.conversations ?? []) state.history.push({ at, channel: 'voice', kind: 'conversation' });
      }
    }
    for (const state of states.values()) if (state.history.length > 1) state.history.sort((a, b) => a.at.localeCompare(b.at));
    return states;
  }

  putLedgers(entries: readonly LedgerEntry[]): Promise<void> {
    return batchPut(
      this.doc,
      this.table,
      entries.map((e) => ({
        accountId: e.accountId,
        kind: 'LEDGER',
        runDate: e.runDate,
        segment: e.segment,
        score: e.score,
        plan: e.plan.map(encodePlannedAction),
        attempts: e.attempts.filter((x) => x.kind === 'attempt').map(encodeAttempt),
      })),
    );
  }
}
