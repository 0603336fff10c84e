/**
 * The simulation's share of the lake (docs/analytics.md): what its production producers do not write
 * yet — the send outcomes (the send ledger, DynamoDB) as `lake/sends/`, and the engagement rows of
 * what the simulation itself applies (the stand-ins' payments and promises, which play the lender's
 * feed, and the one-click unsubscribes) into `lake/engagement_events/`. The events the real
 * engagement handlers process are in the lake already: they emit them through the Firehose stream
 * (LakeEngagementEventsStream) as they run in the loop.
 */
import { assignArm } from '../../src/domain/preference';
import { DEFAULT_PREFERENCE_POLICY } from '../../src/domain/preference/policy';
import type { ObjectStore } from '../../src/ports';
import { businessDate, writeLakeDataset, type EngagementRow, type SendRow } from '../../src/usecases/analytics/lake';
import type { EventLine } from '../simulation/events';
import type { PlannedAction, SendRecord } from '../simulation/metrics';

export function sendRows(actions: readonly PlannedAction[], sends: Map<string, SendRecord>): SendRow[] {
  const exp = DEFAULT_PREFERENCE_POLICY.experiment;
  return actions
    .filter((a) => a.channel !== 'voice')
    .map((a) => {
      const s = sends.get(a.actionId);
      return {
        actionId: a.actionId,
        accountId: a.accountId,
        runDate: a.runDate,
        channel: a.channel,
        segment: a.segment,
        arm: assignArm(a.accountId, exp),
        status: s?.status ?? 'not_dispatched',
        reason: s?.reason ?? null,
        completedAtMs: s?.completedAt ? Date.parse(s.completedAt) : null,
      };
    });
}

export function engagementRows(events: readonly EventLine[]): EngagementRow[] {
  return events.map((e) => ({
    eventId: e.eventId,
    accountId: e.accountId,
    channel: e.channel,
    type: e.type,
    atMs: Date.parse(e.at),
    processedAtMs: Date.parse(e.processedAt),
    suppressing: e.suppressing ?? false,
    messageId: e.messageId ?? null,
    actionId: e.actionId ?? null,
    source: e.source,
    amountCents: e.amountCents ?? null,
  }));
}

/** Event lines only the simulation produces (the engagement handlers emit every other one themselves). */
export const SIMULATION_ONLY_SOURCES = new Set(['simulation', 'unsubscribe-endpoint']);

export async function writeSimulationLake(store: ObjectStore, actions: readonly PlannedAction[], sends: Map<string, SendRecord>, events: readonly EventLine[]): Promise<string[]> {
  const a = await writeLakeDataset(store, 'sends', sendRows(actions, sends), (r) => r.runDate);
  const own = events.filter((e) => SIMULATION_ONLY_SOURCES.has(e.source));
  const b = await writeLakeDataset(store, 'engagement_events', engagementRows(own), (r) => businessDate(r.atMs), 'simulation');
  return [...a, ...b];
}
