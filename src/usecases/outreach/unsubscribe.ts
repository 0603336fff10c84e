import { z } from 'zod';
import { baseShape } from '../../config';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { normalizeEmail } from '../../domain/outreach/work-item';
import { appliedRow, type EngagementRow, type LakeEmitter } from '../analytics/lake';

/**
 * The one-click unsubscribe endpoint (RFC 8058) behind every email's `List-Unsubscribe` link.
 * The signed token carries the action id only; the address and account come from the send record.
 * Errors never say why a token failed or which action/address it named (no oracle, no PII).
 */

/** What the endpoint needs from the send record of an action. */
export interface UnsubscribeTarget {
  accountId: string;
  channel: string;
  /** The address the message went to (absent if the send never got that far). */
  to?: string;
}

export interface SendTargetLookup {
  target(actionId: string): Promise<UnsubscribeTarget | undefined>;
}

export interface UnsubscribeDeps {
  /** The action id of a genuine token, null otherwise (`verifyUnsubscribeToken` bound to the secret). */
  verify(token: string): string | null;
  sends: SendTargetLookup;
  /** Adds the address to the account's suppressions; false when it was there already (void: unknown, taken as new). */
  suppressions: { suppress(accountId: string, channel: 'email', address: string): Promise<boolean | void> };
  /** The analytics lake's engagement events: one `opt_out` row when this request suppressed first. */
  lake?: LakeEmitter<EngagementRow>;
  now?: () => Date;
}

export const unsubscribeShape = {
  ...baseShape,
  SENDS_TABLE: z.string().min(3),
  CONTACTS_TABLE: z.string().min(3),
  UNSUBSCRIBE_TOKEN_SECRET: z.string().min(32),
  /** Firehose of the lake's engagement events (resources/analytics-lake.yml); unset: no rows emitted. */
  LAKE_ENGAGEMENT_STREAM_NAME: z.string().min(1).optional(),
};

const INVALID_LINK = 'invalid or expired unsubscribe link';
const MAX_TOKEN = 512; // an action id is < 100 characters; anything longer is not ours

function actionIdOf(deps: UnsubscribeDeps, token: string | undefined): string {
  if (!token || token.length > MAX_TOKEN) throw new ValidationError(INVALID_LINK);
  const actionId = deps.verify(token);
  if (!actionId) throw new ValidationError(INVALID_LINK);
  return actionId;
}

/**
 * GET: checks the token and nothing else. It must NOT unsubscribe: mail security scanners and
 * link previewers prefetch every GET in a message, so only the POST (the mailbox provider's
 * one-click request, or the person pressing the button of the confirmation page) acts.
 */
export function checkUnsubscribeToken(deps: Pick<UnsubscribeDeps, 'verify'>, token: string | undefined): void {
  actionIdOf(deps as UnsubscribeDeps, token);
}

export interface UnsubscribeResult {
  actionId: string;
  accountId: string;
  /** false: the address was suppressed already (nothing changed). */
  suppressed: boolean;
}

/**
 * POST: suppresses the email address of the token's send for that account at once (INBOUND
 * `ADD email`). Idempotent: adding an address already in the set changes nothing.
 */
export async function unsubscribe(deps: UnsubscribeDeps, token: string | undefined): Promise<UnsubscribeResult> {
  const actionId = actionIdOf(deps, token);
  const target = await deps.sends.target(actionId);
  // Tokens are only minted for emails; a record without an address cannot be acted on.
  if (!target || target.channel !== 'email' || !target.to) throw new NotFoundError(INVALID_LINK);
  // Suppression sets hold normalized addresses (email lower-case), as the sender compares them.
  const first = (await deps.suppressions.suppress(target.accountId, 'email', normalizeEmail(target.to))) !== false;
  // Only the request that suppressed first is an opt-out in the lake (a repeated POST of the same or
  // another link to a suppressed address adds none). A failed emit fails the request: its retry finds
  // the address suppressed and emits nothing — at most once, the suppression itself always lands.
  if (first && deps.lake) {
    const at = (deps.now ?? (() => new Date()))().getTime();
    await deps.lake.emit([appliedRow({ eventId: `unsubscribe|${actionId}`, accountId: target.accountId, type: 'opt_out', channel: 'email', atMs: at, source: 'unsubscribe-endpoint', actionId })]);
  }
  return { actionId, accountId: target.accountId, suppressed: first };
}
