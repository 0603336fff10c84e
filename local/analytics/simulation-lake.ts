/**
 * The simulation's share of the lake (docs/analytics.md): only what no production producer writes
 * for it — the stand-ins' payments and promises, which play the lender's payment feed and the
 * self-service portal without going through POST /payments or POST /me/promises. Everything else is
 * in the lake already, written by the real functions the loop runs: the senders emit `sends`
 * (LakeSendsStream), the engagement handlers and the unsubscribe endpoint emit `engagement_events`
 * (LakeEngagementEventsStream).
 */
import type { ObjectStore } from '../../src/ports';
import { businessDate, writeLakeDataset, type EngagementRow } from '../../src/usecases/analytics/lake';
import type { EventLine } from '../simulation/events';

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

/** Event lines only the simulation produces (the real functions emit every other one themselves). */
export const SIMULATION_ONLY_SOURCES = new Set(['simulation']);

export async function writeSimulationLake(store: ObjectStore, events: readonly EventLine[]): Promise<string[]> {
  const own = events.filter((e) => SIMULATION_ONLY_SOURCES.has(e.source));
  return writeLakeDataset(store, 'engagement_events', engagementRows(own), (r) => businessDate(r.atMs), 'simulation');
}
