import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  ActionRepository,
  ContactEventRecord,
  ContactRepository,
  ContactState,
  PlannedAction,
  Ranking,
  RankingRepository,
} from '../ports';
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

/** Actions: PK accountId, SK `<runDate>#<channel>`. */
export class DynamoActionRepository implements ActionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  putActions(actions: readonly PlannedAction[]): Promise<void> {
    return batchPut(
      this.doc,
      this.table,
      actions.map((a) => ({ ...a, actionKey: `${a.runDate}#${a.channel}`, status: 'planned' })),
    );
  }
}

type SuppressionSets = { email?: Set<string>; sms?: Set<string>; voice?: Set<string> };

/**
 * Contacts: LOG item (written only here, by the Strategy) and SUPPRESS item (written only by
 * the engagement loop / self-service with atomic ADDs) — two writers, two items, no lost updates.
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
      { accountId, kind: 'LOG' },
      { accountId, kind: 'SUPPRESS' },
    ]);
    for (const item of await batchGet(this.doc, this.table, keys)) {
      const state = states.get(item.accountId as string);
      if (!state) continue;
      if (item.kind === 'LOG') state.history = (item.events as ContactEventRecord[] | undefined) ?? [];
      else {
        const s = item as SuppressionSets;
        state.suppressions = { email: [...(s.email ?? [])], sms: [...(s.sms ?? [])], voice: [...(s.voice ?? [])] };
      }
    }
    return states;
  }

  putLogs(logs: readonly { accountId: string; events: ContactEventRecord[] }[]): Promise<void> {
    return batchPut(
      this.doc,
      this.table,
      logs.map((l) => ({ accountId: l.accountId, kind: 'LOG', events: l.events })),
    );
  }
}
