import { isExpired, type AllowlistEntry } from '../../domain/allowlist/entry';
import { AllowlistExpiryIncompleteError } from '../../domain/allowlist/errors';
import { formatIp, hostPrefixLength, parseIp } from '../../domain/allowlist/ip';
import { NotFoundError, ValidationError } from '../../domain/errors';
import type { AllowlistDeps, Caller } from './add';
import type { GroupRule } from './ports';

const publicEntry = ({ addedBySub: _sub, ...rest }: AllowlistEntry) => rest;

/** GET /admin/allowlist: the office group's rules, and the dynamic entries joined with the group's rules. */
export async function listAllowlist(deps: Pick<AllowlistDeps, 'gateway' | 'store'>) {
  const [rules, entries] = await Promise.all([deps.gateway.list(), deps.store.list()]);
  const ruleByCidr = new Map(rules.dynamic.map((r) => [r.cidr, r] as const));
  const dynamic = [
    ...entries.map((e) => ({ ...publicEntry(e), status: ruleByCidr.has(e.cidr) ? ('active' as const) : ('rule-missing' as const) })),
    ...rules.dynamic
      .filter((r) => !entries.some((e) => e.cidr === r.cidr))
      .map((r: GroupRule) => ({ cidr: r.cidr, ...(r.description ? { description: r.description } : {}), status: 'unmanaged' as const })),
  ].sort((a, b) => a.cidr.localeCompare(b.cidr));
  const office = [...rules.office].sort((a, b) => a.cidr.localeCompare(b.cidr));
  return { office, dynamic };
}

/** The canonical host CIDR of a path parameter ("198.51.100.7", "2001:db8::7", optionally /32 or /128). */
function hostCidrOf(text: string): string {
  const [addr, len, extra] = text.trim().split('/');
  const parsed = parseIp(addr ?? '');
  const max = parsed.ok ? hostPrefixLength(parsed.address.family) : 0;
  if (!parsed.ok || extra !== undefined || (len !== undefined && len !== String(max))) {
    throw new ValidationError('invalid ip', [{ path: 'ip', message: parsed.ok ? `only a single host: /${max}` : parsed.reason }]);
  }
  return `${formatIp(parsed.address)}/${max}`;
}

/** DELETE /admin/allowlist/{ip}: revokes a dynamic entry (404 when there is none; office rules are CloudFormation's). */
export async function revokeFromAllowlist(deps: AllowlistDeps, caller: Omit<Caller, 'sourceIp'>, ip: string): Promise<void> {
  const cidr = hostCidrOf(ip);
  const entry = await deps.store.get(cidr);
  if (!entry) throw new NotFoundError(`${cidr.replace(/\/\d+$/, '')} is not a dynamic allowlist entry`);
  const audit = { action: 'allowlist.revoke' as const, actor: caller.username, actorSub: caller.sub, cidr };
  try {
    const { removed } = await deps.gateway.revoke({ cidr, family: entry.family });
    await deps.store.remove(cidr, entry.createdAt);
    await deps.audit.record({ ...audit, at: deps.now(), outcome: 'ok', detail: { ruleWasPresent: removed, addedBy: entry.addedBy } });
  } catch (e) {
    await deps.audit.record({ ...audit, at: deps.now(), outcome: 'failed', detail: { error: (e as Error).name } });
    throw e;
  }
}

export interface ExpiryReport {
  checked: number;
  expired: number;
  failed: number;
}

/**
 * The scheduled sweep: revokes every expired dynamic entry, one at a time, and audits each.
 * Idempotent (an absent rule or entry is fine); one failure does not stop the others, and the
 * sweep reports them (the handler fails the invocation so the error shows in metrics and the
 * next run retries).
 */
export async function expireAllowlist(deps: AllowlistDeps): Promise<ExpiryReport> {
  const now = deps.now();
  const entries = await deps.store.list();
  const due = entries.filter((e) => isExpired(e, now));
  let expired = 0;
  let failed = 0;
  for (const e of due) {
    const audit = { action: 'allowlist.expire' as const, actor: 'scheduler', cidr: e.cidr };
    try {
      // Re-read: an admin may have revoked and re-added the host since the list (a new entry, a new rule).
      const current = await deps.store.get(e.cidr);
      if (!current || current.createdAt !== e.createdAt) continue;
      const { removed } = await deps.gateway.revoke({ cidr: e.cidr, family: e.family });
      await deps.store.remove(e.cidr, e.createdAt);
      await deps.audit.record({ ...audit, at: deps.now(), outcome: 'ok', detail: { ruleWasPresent: removed, addedBy: e.addedBy, expiresAt: e.expiresAt } });
      expired++;
    } catch (err) {
      failed++;
      await deps.audit.record({ ...audit, at: deps.now(), outcome: 'failed', detail: { error: (err as Error).name } }).catch(() => undefined);
    }
  }
  return { checked: entries.length, expired, failed };
}

export function assertExpiryComplete(r: ExpiryReport): void {
  if (r.failed > 0) throw new AllowlistExpiryIncompleteError(r.failed, r.expired);
}
