/** The allowlist use cases on in-memory ports: rollback on EC2 failure, partial expiry failures. */
import type { AllowlistEntry } from '../../../src/domain/allowlist/entry';
import { AllowlistExpiryIncompleteError, SecurityGroupFullError } from '../../../src/domain/allowlist/errors';
import { ConflictError } from '../../../src/domain/errors';
import { addToAllowlist, type AllowlistDeps } from '../../../src/usecases/allowlist/add';
import { assertExpiryComplete, expireAllowlist, listAllowlist } from '../../../src/usecases/allowlist/manage';
import type { AuditRecord, GroupRule, HostRule } from '../../../src/usecases/allowlist/ports';

function fakes(now = new Date('2026-01-05T10:00:00Z')) {
  const entries = new Map<string, AllowlistEntry>();
  const rules = new Map<string, string>();
  const audit: AuditRecord[] = [];
  const failRevoke = new Set<string>();
  let authorizeError: Error | undefined;
  let notifyOutcome: 'sent' | 'failed' = 'sent';
  const deps: AllowlistDeps = {
    now: () => now,
    store: {
      create: async (e) => (entries.has(e.cidr) ? false : (entries.set(e.cidr, e), true)),
      get: async (c) => entries.get(c),
      list: async () => [...entries.values()],
      remove: async (c, createdAt) => {
        const e = entries.get(c);
        if (!e || (createdAt !== undefined && e.createdAt !== createdAt)) return false;
        return entries.delete(c);
      },
    },
    gateway: {
      authorize: async (r: HostRule & { description: string }) => {
        if (authorizeError) throw authorizeError;
        const created = !rules.has(r.cidr);
        rules.set(r.cidr, r.description);
        return { created };
      },
      revoke: async (r: HostRule) => {
        if (failRevoke.has(r.cidr)) throw Object.assign(new Error('throttled'), { name: 'RequestLimitExceeded' });
        return { removed: rules.delete(r.cidr) };
      },
      list: async () => ({
        office: [{ cidr: '81.2.69.0/24', protocol: 'tcp', fromPort: 443, toPort: 443 }, { cidr: '81.2.71.0/24', protocol: 'tcp', fromPort: 22, toPort: 22 }] as GroupRule[],
        dynamic: [...rules.entries()].map(([cidr, description]) => ({ cidr, protocol: 'tcp', fromPort: 443, toPort: 443, description })),
      }),
    },
    audit: { record: async (r) => void audit.push(r) },
    notifier: { notify: async () => notifyOutcome },
  };
  return {
    deps,
    entries,
    rules,
    audit,
    failRevoke,
    setAuthorizeError: (e: Error | undefined) => (authorizeError = e),
    setNotify: (o: 'sent' | 'failed') => (notifyOutcome = o),
  };
}
const caller = { sub: 's-1', username: 'alice', sourceIp: '81.2.70.5' };

describe('addToAllowlist', () => {
  it('a full group (or any EC2 failure) undoes the claim, audits the failure and propagates', async () => {
    const f = fakes();
    f.setAuthorizeError(new SecurityGroupFullError());
    await expect(addToAllowlist(f.deps, caller, {})).rejects.toBeInstanceOf(ConflictError);
    expect(f.entries.size).toBe(0);
    expect(f.audit).toEqual([expect.objectContaining({ action: 'allowlist.add', outcome: 'failed', detail: { error: 'SecurityGroupFullError' } })]);
    f.setAuthorizeError(undefined);
    await expect(addToAllowlist(f.deps, caller, {})).resolves.toMatchObject({ cidr: '81.2.70.5/32' });
  });

  it('a failed text keeps the entry (notified: failed, audited)', async () => {
    const f = fakes();
    f.setNotify('failed');
    await expect(addToAllowlist(f.deps, caller, { hours: 3 })).resolves.toMatchObject({ notified: 'failed', expiresAt: '2026-01-05T13:00:00.000Z' });
    expect(f.rules.has('81.2.70.5/32')).toBe(true);
    expect(f.audit[0]).toMatchObject({ outcome: 'ok', detail: { notified: 'failed', hours: 3 } });
  });

  it('an office rule on another port does not count as covering the host', async () => {
    const f = fakes();
    await expect(addToAllowlist(f.deps, caller, { ip: '81.2.71.9' })).resolves.toMatchObject({ cidr: '81.2.71.9/32' });
    await expect(addToAllowlist(f.deps, caller, { ip: '81.2.69.9' })).rejects.toThrow(/office group/);
  });

  it('reports every invalid field at once', async () => {
    const f = fakes();
    const e = await addToAllowlist(f.deps, caller, { ip: '10.0.0.1', hours: 99, note: 'a\u0007b' }).catch((x) => x);
    expect(e.issues.map((i: { path: string }) => i.path)).toEqual(['ip', 'hours', 'note']);
  });
});

describe('expireAllowlist', () => {
  it('revokes the expired ones; one failure does not stop the rest; the report fails the invocation', async () => {
    const f = fakes();
    for (const [ip, h] of [['8.8.8.8', 1], ['1.1.1.1', 1], ['9.9.9.9', 24]] as const) {
      await addToAllowlist({ ...f.deps, now: () => new Date('2026-01-05T00:00:00Z') }, caller, { ip, hours: h });
    }
    f.failRevoke.add('8.8.8.8/32');
    const report = await expireAllowlist(f.deps);
    expect(report).toEqual({ checked: 3, expired: 1, failed: 1 });
    expect([...f.entries.keys()].sort()).toEqual(['8.8.8.8/32', '9.9.9.9/32']);
    expect(() => assertExpiryComplete(report)).toThrow(AllowlistExpiryIncompleteError);
    expect(f.audit.filter((a) => a.action === 'allowlist.expire').map((a) => [a.cidr, a.outcome])).toEqual([
      ['8.8.8.8/32', 'failed'],
      ['1.1.1.1/32', 'ok'],
    ]);
    f.failRevoke.clear();
    const retry = await expireAllowlist(f.deps);
    expect(retry).toEqual({ checked: 2, expired: 1, failed: 0 });
    expect(() => assertExpiryComplete(retry)).not.toThrow();
    expect([...f.rules.keys()]).toEqual(['9.9.9.9/32']);
  });

  it('an entry re-added since the listing is left alone', async () => {
    const f = fakes();
    await addToAllowlist({ ...f.deps, now: () => new Date('2026-01-05T00:00:00Z') }, caller, { ip: '8.8.8.8', hours: 1 });
    const realGet = f.deps.store.get;
    f.deps.store.get = async (c) => ({ ...(await realGet(c))!, createdAt: '2026-01-05T09:59:00.000Z', expiresAt: '2026-01-05T21:59:00.000Z' });
    await expect(expireAllowlist(f.deps)).resolves.toEqual({ checked: 1, expired: 0, failed: 0 });
    expect(f.rules.has('8.8.8.8/32')).toBe(true);
  });
});

describe('listAllowlist', () => {
  it('joins entries and rules: active, rule-missing, unmanaged', async () => {
    const f = fakes();
    await addToAllowlist(f.deps, caller, { ip: '8.8.8.8' });
    await addToAllowlist(f.deps, caller, { ip: '1.1.1.1' });
    f.rules.delete('1.1.1.1/32');
    f.rules.set('4.4.4.4/32', 'by hand');
    const out = await listAllowlist(f.deps);
    expect(out.dynamic.map((d) => [d.cidr, d.status])).toEqual([
      ['1.1.1.1/32', 'rule-missing'],
      ['4.4.4.4/32', 'unmanaged'],
      ['8.8.8.8/32', 'active'],
    ]);
    expect(out.office.map((o) => o.cidr)).toEqual(['81.2.69.0/24', '81.2.71.0/24']);
  });
});
