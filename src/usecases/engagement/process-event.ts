import {
  decideSuppression,
  transientLimitReached,
  type EngagementEvent,
  type SuppressionReason,
  type SuppressionRules,
} from '../../domain/engagement';
import { engagementRowOf, type EngagementRow, type LakeEmitter } from '../analytics/lake';
import type { ConfirmationSender, EngagementStore, InboundStats, PhoneDirectory, SuppressionWriter } from './ports';

export interface EngagementDeps {
  store: EngagementStore;
  suppressions: SuppressionWriter;
  /** Optional mirror of the counters for the Strategy's channel preference. */
  stats?: InboundStats;
  directory: PhoneDirectory;
  confirmations: ConfirmationSender;
  rules: SuppressionRules;
  /** The analytics lake's `engagement_events` (docs/analytics.md); absent: not emitted. */
  lake?: LakeEmitter<EngagementRow>;
  now?: () => Date;
}

export interface EventOutcome {
  eventId: string;
  kind: EngagementEvent['kind'];
  channel: EngagementEvent['channel'];
  /** applied: counted now; duplicate: seen before (effects re-applied idempotently); unattributed: no account known. */
  status: 'applied' | 'duplicate' | 'unattributed';
  accounts: number;
  suppressed?: SuppressionReason;
  confirmationRequested: boolean;
}

/**
 * Applies one engagement event: suppressions first (idempotent set ADDs: an opt-out is never lost
 * to a crash between steps), then the counters (idempotent per event id), then at most one opt-out
 * confirmation. Safe to run any number of times for the same event.
 */
export async function processEngagementEvent(deps: EngagementDeps, event: EngagementEvent): Promise<EventOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  const base = { eventId: event.eventId, kind: event.kind, channel: event.channel };
  const accounts = event.accountId
    ? [event.accountId]
    : event.source === 'sms-inbound' && event.address
      ? await deps.directory.accountsFor(event.address)
      : [];
  if (accounts.length === 0) return { ...base, status: 'unattributed', accounts: 0, confirmationRequested: false };

  const decision = decideSuppression(event);
  let suppressed: SuppressionReason | undefined;
  let counted = false;
  const rows: EngagementRow[] = [];
  for (const accountId of accounts) {
    if (decision.action === 'suppress' && event.address) {
      await deps.suppressions.suppress(accountId, event.channel, event.address);
      suppressed = decision.reason;
    } else if (decision.action === 'count-transient' && event.address) {
      const history = await deps.store.addTransientFailure(accountId, event.channel, event.address, event.occurredAt, event.eventId);
      if (transientLimitReached(history, deps.rules.transient)) {
        await deps.suppressions.suppress(accountId, event.channel, event.address);
        suppressed = 'transient_limit';
      }
    }
    if (await deps.store.recordEvent(accountId, event)) {
      counted = true;
      rows.push(engagementRowOf(event, accountId, now.getTime(), accounts.length > 1));
      // After the idempotent count only: a redelivery never adds twice (a crash in between
      // under-counts one event, which a preference estimate tolerates; an opt-out is never lost).
      await deps.stats?.count(accountId, event.channel, event.kind);
    }
  }

  // Once per newly counted (event, account): a redelivery adds no second row. A failed emit fails
  // the record, whose retry finds it counted — that row is lost (docs/analytics.md, at-most-once).
  if (rows.length > 0) await deps.lake?.emit(rows);

  let confirmationRequested = false;
  if (decision.action === 'suppress' && decision.confirm && event.address) {
    if (await deps.store.claimConfirmation(event.address, event.eventId, now.toISOString(), deps.rules.confirmationCooldownDays)) {
      await deps.confirmations.requestOptOutConfirmation({
        phone: event.address,
        accountIds: accounts,
        revocationId: event.eventId,
        requestedAt: now.toISOString(),
      });
      confirmationRequested = true;
    }
  }
  return { ...base, status: counted ? 'applied' : 'duplicate', accounts: accounts.length, ...(suppressed ? { suppressed } : {}), confirmationRequested };
}
