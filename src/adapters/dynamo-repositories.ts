import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ContactEventRecord, ContactRepository, ContactState, LedgerEntry, PlannedAction, Ranking, RankingRepository } from '../ports';
import { MIRRORED_ATTRIBUTES, summedCounters } from './inbound-counters';
import { batchGet, batchPut, type Item } from './dynamo-batch';

// Items are built and read in DynamoDB's wire format: these are the run's hot paths (a ranking for
// every account, two reads and a ledger per contacted account), and DocumentClient marshalling of
// every item cost more CPU than the requests' own serialization.
const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });
const strings = (list: readonly string[]): AttributeValue => ({ L: list.map(S) });

/** Rankings: PK accountId, SK runDate (docs/data-model.md). Same key on a re-run → overwritten, never duplicated. */
export class DynamoRankingRepository implements RankingRepository {
  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly table: string,
  ) {}

  putRankings(rankings: readonly Ranking[]): Promise<void> {
    return batchPut(
      this.ddb,
      this.table,
      rankings.map((r) => ({
        accountId: S(r.accountId),
        runDate: S(r.runDate),
        score: N(r.score),
        modelVersion: S(r.modelVersion),
        daysPastDue: N(r.daysPastDue),
        amountPastDueCents: N(r.amountPastDueCents),
        balanceDueCents: N(r.balanceDueCents),
        product: S(r.product),
        state: S(r.state),
      })),
    );
  }
}

type Channel = ContactEventRecord['channel'];

/**
 * The ledger is rewritten for every contacted account every day, and item size is what a write
 * costs (DynamoDB bills per KB; dynalite slows with it): its lists are compact strings, and the
 * standard action id `<runDate>#<accountId>#<channel>` is stored as its run date only (the account
 * and channel are already known). A non-standard id is stored whole (it contains '#').
 */
const actionIdOf = (runDate: string, accountId: string, channel: string) => `${runDate}#${accountId}#${channel}`;

const compactId = (actionId: string | undefined, accountId: string, channel: string): string => {
  if (!actionId) return '';
  const runDate = actionId.slice(0, actionId.indexOf('#'));
  return actionId === actionIdOf(runDate, accountId, channel) ? runDate : actionId;
};
const expandId = (stored: string, accountId: string, channel: string): string =>
  stored === '' || stored.includes('#') ? stored : actionIdOf(stored, accountId, channel);

/** An attempt as `<at ISO>|<channel>|<runDate or full actionId>`. */
export const encodeAttempt = (e: ContactEventRecord, accountId: string): string =>
  `${e.at}|${e.channel}|${compactId(e.actionId, accountId, e.channel)}`;

export function decodeAttempt(s: string, accountId: string): ContactEventRecord {
  const [at = '', channel = '', id = ''] = s.split('|');
  const actionId = expandId(id, accountId, channel);
  return { at, channel: channel as Channel, kind: 'attempt', ...(actionId ? { actionId } : {}) };
}

/** One of today's actions as `<channel>|<sendAt>|<timezone>|<template>|<language>` (reasons stay in S3). */
export const encodePlannedAction = (a: PlannedAction): string => `${a.channel}|${a.sendAt}|${a.timezone}|${a.template}|${a.language}`;

export function decodePlannedAction(s: string, accountId: string, runDate: string) {
  const [channel = '', sendAt = '', timezone = '', template = '', language = ''] = s.split('|');
  return { actionId: actionIdOf(runDate, accountId, channel), channel: channel as Channel, sendAt, timezone, template, language };
}

/** What the rules read of the two items: the LEDGER's attempts and the INBOUND sets (not the plan). */
const STATE_PROJECTION = {
  expression: ['#id, #kind, #attempts, #email, #sms, #voice, #conversations, #pu, #pc, #pl, #ph', ...MIRRORED_ATTRIBUTES.map((_, i) => `#n${i}`)].join(', '),
  names: {
    '#id': 'accountId',
    '#kind': 'kind',
    '#attempts': 'attempts',
    '#email': 'email',
    '#sms': 'sms',
    '#voice': 'voice',
    '#conversations': 'conversations',
    // self-service (docs/accounts-api.md): read here so honouring them costs the run no extra request
    '#pu': 'promiseUntil',
    '#pc': 'prefChannel',
    '#pl': 'prefLanguage',
    '#ph': 'prefHours',
    ...Object.fromEntries(MIRRORED_ATTRIBUTES.map((a, i) => [`#n${i}`, a])),
  },
};

const stringList = (v: AttributeValue | undefined): string[] => (v?.L ?? []).flatMap((x) => (x.S === undefined ? [] : [x.S]));

/**
 * Contacts table, one writer per item so no update is ever lost (docs/data-model.md):
 *  - LEDGER, written only by the Strategy: the day's plan and our attempts in the rules' window;
 *  - INBOUND, written only by the engagement loop and self-service with atomic ADDs to string sets:
 *    suppressed addresses/numbers per channel and phone conversations (ISO instants).
 */
export class DynamoContactRepository implements ContactRepository {
  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly table: string,
  ) {}

  async getStates(accountIds: readonly string[]): Promise<Map<string, ContactState>> {
    const states = new Map<string, ContactState>();
    for (const id of accountIds) states.set(id, { history: [], suppressions: { email: [], sms: [], voice: [] } });
    const keys: Item[] = [];
    for (const accountId of accountIds) keys.push({ accountId: S(accountId), kind: S('LEDGER') }, { accountId: S(accountId), kind: S('INBOUND') });
    for (const item of await batchGet(this.ddb, this.table, keys, { projection: STATE_PROJECTION })) {
      const state = states.get(item.accountId?.S ?? '');
      if (!state) continue;
      if (item.kind?.S === 'LEDGER') {
        for (const s of stringList(item.attempts)) state.history.push(decodeAttempt(s, item.accountId!.S!));
      } else {
        state.suppressions = { email: item.email?.SS ?? [], sms: item.sms?.SS ?? [], voice: item.voice?.SS ?? [] };
        for (const at of item.conversations?.SS ?? []) state.history.push({ at, channel: 'voice', kind: 'conversation' });
        const engagement = summedCounters((a) => (item[a]?.N === undefined ? undefined : Number(item[a]!.N)));
        if (engagement) state.engagement = engagement;
        if (item.promiseUntil?.S || item.prefChannel?.S || item.prefLanguage?.S || item.prefHours?.S) {
          const channel = item.prefChannel?.S;
          state.preferences = {
            promiseUntil: item.promiseUntil?.S ?? null,
            channel: channel === 'email' || channel === 'sms' || channel === 'voice' ? channel : null,
            language: item.prefLanguage?.S ?? null,
            hours: item.prefHours?.S ?? null,
          };
        }
      }
    }
    for (const state of states.values()) if (state.history.length > 1) state.history.sort((a, b) => a.at.localeCompare(b.at));
    return states;
  }

  putLedgers(entries: readonly LedgerEntry[]): Promise<void> {
    return batchPut(
      this.ddb,
      this.table,
      entries.map((e) => ({
        accountId: S(e.accountId),
        kind: S('LEDGER'),
        runDate: S(e.runDate),
        plan: strings(e.plan.map(encodePlannedAction)),
        attempts: strings(e.attempts.filter((x) => x.kind === 'attempt').map((x) => encodeAttempt(x, e.accountId))),
      })),
    );
  }
}
