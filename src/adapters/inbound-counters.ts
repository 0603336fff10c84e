/**
 * Engagement counters mirrored onto the contacts table's INBOUND item, so the Strategy gets each
 * account's channel response history in the same BatchGetItem that brings its opt-outs — no
 * extra read per account. Flat attributes `n_<channel>_<kind>` (ADD cannot create nested paths).
 */
import type { SummedCounters } from '../domain/preference';

/** The kinds the preference model counts as attempts or responses (config/preference-policy.json). */
export const MIRRORED_KINDS = ['send', 'delivered', 'open', 'click', 'reply'] as const;
export const MIRRORED_CHANNELS = ['email', 'sms'] as const;

export const counterAttribute = (channel: string, kind: string) => `n_${channel}_${kind}`;

export const isMirrored = (channel: string, kind: string): boolean =>
  (MIRRORED_CHANNELS as readonly string[]).includes(channel) && (MIRRORED_KINDS as readonly string[]).includes(kind);

export const MIRRORED_ATTRIBUTES: readonly string[] = MIRRORED_CHANNELS.flatMap((c) => MIRRORED_KINDS.map((k) => counterAttribute(c, k)));

/** Counters read back from an item's numeric attributes (wire-format `{ N: "…" }` or plain numbers). */
export function summedCounters(get: (attribute: string) => number | undefined): SummedCounters | undefined {
  let out: SummedCounters | undefined;
  for (const channel of MIRRORED_CHANNELS) {
    for (const kind of MIRRORED_KINDS) {
      const n = get(counterAttribute(channel, kind));
      if (n === undefined || !(n > 0)) continue;
      out ??= {};
      const counts = ((out[channel] ??= { counts: {} }).counts as Record<string, number>);
      counts[kind] = n;
    }
  }
  return out;
}
