import { ALLOWLIST_PORT, coveredBy, checkHours, checkNote, expiryOf, parseHost, ruleDescription, utcStamp, type AllowlistEntry } from '../../domain/allowlist/entry';
import { ConflictError, ValidationError } from '../../domain/errors';
import type { AdminNotifier, AllowlistStore, AuditLog, GroupRule, NotifyOutcome, SecurityGroupGateway } from './ports';
import type { AddRequest } from './schemas';

/** An office rule that already lets the host reach TCP 443 (all traffic, or a TCP range with 443). */
const reachesHttps = (r: GroupRule) => r.protocol === '-1' || (r.protocol === 'tcp' && (r.fromPort ?? 0) <= ALLOWLIST_PORT && (r.toPort ?? 65535) >= ALLOWLIST_PORT);

export interface AllowlistDeps {
  gateway: SecurityGroupGateway;
  store: AllowlistStore;
  audit: AuditLog;
  notifier: AdminNotifier;
  now: () => Date;
}

export interface Caller {
  sub: string;
  username: string;
  /** The address the request came from (API Gateway's requestContext.http.sourceIp). */
  sourceIp: string;
}

export type AddResult = AllowlistEntry & { notified: NotifyOutcome };

/**
 * POST /admin/allowlist: one public host, TCP 443, for `hours` (default 12). The entry is
 * claimed in the table first (the conditional write is what makes a duplicate a 409, even for
 * two requests at once), then the rule is added; if EC2 refuses, the claim is undone. The
 * admin gets a text; a failed text does not undo the entry (the audit record says so).
 */
export async function addToAllowlist(deps: AllowlistDeps, caller: Caller, req: AddRequest): Promise<AddResult> {
  const issues: { path: string; message: string }[] = [];
  const host = parseHost(req.ip ?? caller.sourceIp);
  if (!host.ok) issues.push({ path: 'ip', message: req.ip === undefined ? `your source address is not allowed (${host.reason}); send "ip"` : host.reason });
  const hours = checkHours(req.hours);
  if (!hours.ok) issues.push({ path: 'hours', message: hours.reason });
  const note = checkNote(req.note);
  if (!note.ok) issues.push({ path: 'note', message: note.reason });
  if (!host.ok || !hours.ok || !note.ok) throw new ValidationError('invalid allowlist request', issues);

  const { office } = await deps.gateway.list();
  const inOffice = coveredBy(host.host, office.filter(reachesHttps).map((r) => r.cidr));
  if (inOffice) throw new ConflictError(`${host.host.ip} is already allowed by the office group (${inOffice})`);

  const now = deps.now();
  const entry: AllowlistEntry = {
    ip: host.host.ip,
    cidr: host.host.cidr,
    family: host.host.family,
    addedBy: caller.username,
    addedBySub: caller.sub,
    ...(note.note ? { note: note.note } : {}),
    createdAt: now.toISOString(),
    expiresAt: expiryOf(now, hours.hours).toISOString(),
    description: ruleDescription(caller.username, now),
  };
  if (!(await deps.store.create(entry))) {
    const existing = await deps.store.get(entry.cidr);
    throw new ConflictError(`${entry.ip} is already on the allowlist${existing ? ` until ${existing.expiresAt}` : ''}`);
  }
  const audit = { action: 'allowlist.add' as const, actor: caller.username, actorSub: caller.sub, cidr: entry.cidr };
  try {
    await deps.gateway.authorize({ cidr: entry.cidr, family: entry.family, description: entry.description });
  } catch (e) {
    await deps.store.remove(entry.cidr, entry.createdAt);
    await deps.audit.record({ ...audit, at: deps.now(), outcome: 'failed', detail: { error: (e as Error).name } });
    throw e;
  }
  const notified = await deps.notifier.notify(
    caller.username,
    `CurePath: ${entry.ip} may reach the admin endpoints until ${utcStamp(new Date(entry.expiresAt))} (added with your account). Not you? Revoke it and call security.`,
  );
  await deps.audit.record({ ...audit, at: now, outcome: 'ok', detail: { hours: hours.hours, expiresAt: entry.expiresAt, notified, ...(entry.note ? { note: entry.note } : {}) } });
  return { ...entry, notified };
}
