import type { Account } from '../portfolio/account';
import type { ContactPolicy, SegmentPolicy } from './policy';

/** First segment whose conditions all hold (bounds inclusive). The policy guarantees a catch-all last. */
export function segmentFor(account: Account, score: number, policy: ContactPolicy): SegmentPolicy {
  for (const s of policy.segments) {
    const w = s.when;
    if (w.dpdMin !== undefined && account.daysPastDue < w.dpdMin) continue;
    if (w.dpdMax !== undefined && account.daysPastDue > w.dpdMax) continue;
    if (w.scoreMin !== undefined && score < w.scoreMin) continue;
    if (w.scoreMax !== undefined && score > w.scoreMax) continue;
    if (w.balanceMinCents !== undefined && account.balanceDueCents < w.balanceMinCents) continue;
    if (w.balanceMaxCents !== undefined && account.balanceDueCents > w.balanceMaxCents) continue;
    return s;
  }
  // Unreachable with a validated policy; kept so a hand-built policy cannot yield undefined.
  const last = policy.segments[policy.segments.length - 1];
  if (!last) throw new Error('contact policy has no segments');
  return last;
}

/** `segment:early_self_cure(score=0.82,dpd=12)` — the inputs that placed the account. */
export function segmentReason(seg: SegmentPolicy, account: Account, score: number): string {
  const parts = [`score=${round3(score)}`, `dpd=${account.daysPastDue}`];
  if (seg.when.balanceMinCents !== undefined || seg.when.balanceMaxCents !== undefined) {
    parts.push(`balance_cents=${account.balanceDueCents}`);
  }
  return `segment:${seg.id}(${parts.join(',')})`;
}

function round3(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
