/**
 * What an engagement event does to the consumer's reachability (docs/engagement.md):
 *  - email: permanent bounce → suppress at once; complaint → suppress at once (except an explicit
 *    "not-spam" feedback); transient / undetermined bounce → counted, suppress after `limit` within
 *    `windowDays`; Subscription opt-out (unsubscribe-all, a topic opt-out, one-click) → suppress;
 *  - SMS: a revocation reply → suppress at once + one confirmation text; TEXT_INVALID / TEXT_BLOCKED →
 *    suppress at once; unreachable / expired / unknown → counted like transient bounces; content-level
 *    failures (spam filter, carrier block, invalid message, protect) → counted only.
 */
import { z } from 'zod';
import type { EngagementEvent } from './types';
import { DAY_MS } from '../dates';

export const suppressionRulesSchema = z.object({
  transient: z
    .object({
      /** Suppress after this many transient failures… */
      limit: z.number().int().min(1).max(100).default(3),
      /** …within a rolling window of this many days. */
      windowDays: z.number().int().min(1).max(365).default(7),
    })
    .default({ limit: 3, windowDays: 7 }),
  /** At most one opt-out confirmation text per number in this many days (0: one per revocation reply). */
  confirmationCooldownDays: z.number().int().min(0).max(3650).default(30),
});

export type SuppressionRules = z.infer<typeof suppressionRulesSchema>;
export const DEFAULT_SUPPRESSION_RULES: SuppressionRules = suppressionRulesSchema.parse({});

export type SuppressionReason =
  | 'permanent_bounce'
  | 'complaint'
  | 'unsubscribed'
  | 'sms_revocation'
  | 'sms_permanent_failure'
  | 'transient_limit';

export type SuppressionDecision =
  | { action: 'none' }
  | { action: 'suppress'; reason: SuppressionReason; confirm: boolean }
  | { action: 'count-transient' };

export function decideSuppression(e: EngagementEvent): SuppressionDecision {
  if (!e.address) return { action: 'none' };
  if (e.channel === 'email') {
    switch (e.kind) {
      case 'bounce':
        return e.detail.bounceType === 'Permanent' ? { action: 'suppress', reason: 'permanent_bounce', confirm: false } : { action: 'count-transient' };
      case 'complaint':
        // A feedback loop can report "not-spam" (the consumer un-marked it): not a complaint to act on.
        return e.detail.complaintFeedbackType === 'not-spam' ? { action: 'none' } : { action: 'suppress', reason: 'complaint', confirm: false };
      case 'unsubscribe':
        return e.detail.unsubscribed ? { action: 'suppress', reason: 'unsubscribed', confirm: false } : { action: 'none' };
      default:
        return { action: 'none' };
    }
  }
  if (e.kind === 'opt_out') return { action: 'suppress', reason: 'sms_revocation', confirm: true };
  if (e.kind === 'failed') {
    if (e.detail.failureClass === 'permanent') return { action: 'suppress', reason: 'sms_permanent_failure', confirm: false };
    if (e.detail.failureClass === 'transient') return { action: 'count-transient' };
  }
  return { action: 'none' };
}


/**
 * True when some rolling window of `windowDays` (t_last − t_first < windowDays × 24 h) holds at
 * least `limit` of the instants. Order-independent: notifications arrive unordered.
 */
export function transientLimitReached(instants: readonly string[], rule: SuppressionRules['transient']): boolean {
  const t = instants.map((s) => Date.parse(s)).filter((n) => !Number.isNaN(n)).sort((a, b) => a - b);
  for (let i = 0; i + rule.limit - 1 < t.length; i++) {
    if (t[i + rule.limit - 1]! - t[i]! < rule.windowDays * DAY_MS) return true;
  }
  return false;
}
