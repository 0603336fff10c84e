/**
 * The allowlist functions through their real handlers on the real serverless.yml and the embedded
 * local stack (dynalite in memory): the table-backed stand-in group, logged EC2/SNS calls, real
 * local-issuer tokens. Every status of every route, the audit trail, and the expiry sweep.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { DynamoAllowlistStore } from '../../src/adapters/allowlist/dynamo-allowlist-store';
import { TableSecurityGroupGateway } from '../../src/adapters/allowlist/local-stand-ins';
import { SecurityGroupFullError } from '../../src/domain/allowlist/errors';
import { httpEvent, parseResult, tokenFor } from '../helpers/http';

const OFFICE = '81.2.69.0/24';
const ROOT = resolve(__dirname, '../..');
/** A sample event of events/ with a real token in place of its <TOKEN:…> placeholder. */
const sample = (name: string, token: string) => JSON.parse(readFileSync(join(ROOT, 'events', `${name}.json`), 'utf8').replace(/<TOKEN(?::[^<>"]*)?>/, token));

describe('admin allowlist handlers (real serverless.yml, local stack in memory)', () => {
  let dir: string;
  let stack: LocalStack;
  let doc: DynamoDBDocumentClient;
  let table: string;
  let admin: string;
  let admin2: string;
  let agent: string;
  let customer: string;

  const call = async (fn: string, input: Parameters<typeof httpEvent>[0]) => parseResult(await stack.invoke(fn, httpEvent(input)));
  const add = (body: unknown, opts: { token?: string; sourceIp?: string; headers?: Record<string, string> } = {}) =>
    call('allowlistAdd', { method: 'POST', path: '/admin/allowlist', ...(body === undefined ? {} : { body }), token: opts.token ?? admin, ...(opts.sourceIp ? { sourceIp: opts.sourceIp } : {}), ...(opts.headers ? { headers: opts.headers } : {}) });
  const list = (token = admin) => call('allowlistList', { method: 'GET', path: '/admin/allowlist', token });
  const revoke = (ip: string, token = admin) =>
    call('allowlistRevoke', { method: 'DELETE', path: `/admin/allowlist/${encodeURIComponent(ip)}`, routeKey: 'DELETE /admin/allowlist/{ip}', pathParameters: { ip }, token });
  const rule = async (cidr: string) => (await doc.send(new GetCommand({ TableName: table, Key: { pk: 'RULE#dynamic', sk: cidr }, ConsistentRead: true }))).Item;
  const audit = async () => {
    const month = new Date().toISOString().slice(0, 7);
    return (await doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `AUDIT#${month}` }, ConsistentRead: true }))).Items ?? [];
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-allowlist-'));
    stack = await startLocalStack({ dataDir: dir, inMemory: true, noReuse: true, envOverrides: { OFFICE_CIDRS: OFFICE } });
    doc = DynamoDBDocumentClient.from(new DynamoDBClient(stack.clientConfig('dynamodb')));
    table = stack.env.ALLOWLIST_TABLE!;
    expect(table).toBe('curepath-dev-admin-allowlist');
    [admin, admin2, agent, customer] = await Promise.all([
      tokenFor({ group: 'admin', sub: 'sub-alice', username: 'alice' }),
      tokenFor({ group: 'admin', sub: 'sub-bob', username: 'bob' }),
      tokenFor({ group: 'agent', sub: 'sub-agent', username: 'agent1' }),
      tokenFor({ group: 'customer', sub: 'sub-cust', username: 'CUST-1' }),
    ]);
  }, 120_000);
  afterAll(async () => {
    doc?.destroy();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('POST without a body allows the caller\'s source address for 12 h (201), keeps the rule, audits, "texts" (logged locally)', async () => {
    const before = Date.now();
    const res = await add(undefined, { sourceIp: '81.2.70.5' });
    expect(res.statusCode).toBe(201);
    expect(res.json).toMatchObject({ ip: '81.2.70.5', cidr: '81.2.70.5/32', family: 4, addedBy: 'alice', notified: 'logged' });
    expect(res.json.addedBySub).toBeUndefined();
    expect(res.json.description).toMatch(/^alice \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const hours = (Date.parse(res.json.expiresAt) - Date.parse(res.json.createdAt)) / 3_600_000;
    expect(hours).toBe(12);
    expect(Date.parse(res.json.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await rule('81.2.70.5/32')).toMatchObject({ family: 4, description: res.json.description });
    expect((await audit()).filter((a) => a.action === 'allowlist.add' && a.cidr === '81.2.70.5/32')).toEqual([
      expect.objectContaining({ actor: 'alice', actorSub: 'sub-alice', outcome: 'ok', detail: expect.objectContaining({ hours: 12, notified: 'logged' }) }),
    ]);
  });

  it('an explicit IPv6 address is stored canonical with its hours and note', async () => {
    const res = await add({ ip: '2A00:1450:4001:0829:0000:0000:0000:200E/128', hours: 2, note: 'hotel wifi' }, { token: admin2 });
    expect(res.statusCode).toBe(201);
    expect(res.json).toMatchObject({ ip: '2a00:1450:4001:829::200e', cidr: '2a00:1450:4001:829::200e/128', family: 6, addedBy: 'bob', note: 'hotel wifi' });
    expect((Date.parse(res.json.expiresAt) - Date.parse(res.json.createdAt)) / 3_600_000).toBe(2);
  });

  it('409: the same host again (any spelling), and a host the office group already covers', async () => {
    const again = await add({ ip: '81.2.70.5/32' }, { token: admin2 });
    expect(again.statusCode).toBe(409);
    expect(again.json).toMatchObject({ error: 'CONFLICT', message: expect.stringMatching(/already on the allowlist until/) });
    const v6 = await add({ ip: '2a00:1450:4001:829:0:0:0:200e' });
    expect(v6.statusCode).toBe(409);
    const office = await add({ ip: '81.2.69.77' });
    expect(office.statusCode).toBe(409);
    expect(office.json.message).toMatch(/office group \(81\.2\.69\.0\/24\)/);
  });

  it.each([
    [{ ip: '10.1.2.3' }, 'ip', /private/],
    [{ ip: '100.64.1.1' }, 'ip', /carrier-grade NAT/],
    [{ ip: '169.254.169.254' }, 'ip', /link-local/],
    [{ ip: '203.0.113.9' }, 'ip', /documentation/],
    [{ ip: '224.0.0.1' }, 'ip', /multicast/],
    [{ ip: '255.255.255.255' }, 'ip', /broadcast/],
    [{ ip: 'fd00::1' }, 'ip', /unique local/],
    [{ ip: '::ffff:8.8.8.8' }, 'ip', /IPv4-mapped/],
    [{ ip: '8.8.8.0/24' }, 'ip', /single host/],
    [{ ip: 'not-an-ip' }, 'ip', /not an IP/],
    [{ ip: '8.8.8.8', hours: 25 }, 'hours', /24/],
    [{ ip: '8.8.8.8', hours: 0 }, 'hours', /1/],
    [{ ip: '8.8.8.8', note: 'x'.repeat(201) }, 'note', /200/],
    [{ ip: '8.8.8.8', extra: true }, '(root)', /extra|Unrecognized/i],
  ])('400 for %j (%s)', async (body, path, message) => {
    const res = await add(body);
    expect(res.statusCode).toBe(400);
    expect(res.json.error).toBe('VALIDATION_FAILED');
    expect(res.json.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
  });

  it('400 when the default source address is private (with the reason), and for malformed JSON', async () => {
    const res = await add(undefined, { sourceIp: '192.168.1.20' });
    expect(res.statusCode).toBe(400);
    expect(res.json.issues).toEqual([{ path: 'ip', message: expect.stringMatching(/your source address is not allowed \(refused: a private address.*send "ip"/) }]);
    const bad = await call('allowlistAdd', { method: 'POST', path: '/admin/allowlist', body: '{"ip":', headers: { 'content-type': 'application/json' }, token: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.error).toBe('MALFORMED_JSON');
  });

  it('413 for a body over 2 KB (before parsing)', async () => {
    const res = await add({ ip: '8.8.4.4', note: 'n'.repeat(3000) });
    expect(res.statusCode).toBe(413);
    expect(res.body).not.toMatch(/at .*\.ts/);
  });

  it('401 without, with an expired or a foreign token; 403 for agents and customers — on every route, nothing written', async () => {
    const expired = await tokenFor({ group: 'admin', sub: 'sub-alice', username: 'alice', expiresIn: -60 });
    const foreign = await tokenFor({ group: 'admin', sub: 'sub-alice', username: 'alice', clientId: 'another-client' });
    for (const token of ['', expired, foreign]) {
      const noToken = token === '' ? { token: undefined } : { token };
      expect((await call('allowlistAdd', { method: 'POST', path: '/admin/allowlist', body: { ip: '8.8.8.8' }, ...noToken })).statusCode).toBe(401);
      expect((await call('allowlistList', { method: 'GET', path: '/admin/allowlist', ...noToken })).statusCode).toBe(401);
      expect((await call('allowlistRevoke', { method: 'DELETE', path: '/admin/allowlist/81.2.70.5', pathParameters: { ip: '81.2.70.5' }, ...noToken })).statusCode).toBe(401);
    }
    for (const token of [agent, customer]) {
      const res = await add({ ip: '8.8.8.8' }, { token });
      expect(res.statusCode).toBe(403);
      expect(res.json.error).toBe('FORBIDDEN');
      expect((await list(token)).statusCode).toBe(403);
      expect((await revoke('81.2.70.5', token)).statusCode).toBe(403);
    }
    expect(await rule('8.8.8.8/32')).toBeUndefined();
    expect(await rule('81.2.70.5/32')).toBeDefined();
  });

  it('GET lists the office group and the dynamic entries with who added them and when (200)', async () => {
    const res = await list();
    expect(res.statusCode).toBe(200);
    expect(res.json.office).toEqual([{ cidr: OFFICE, protocol: 'tcp', fromPort: 443, toPort: 443, description: 'office' }]);
    expect(res.json.dynamic).toEqual([
      expect.objectContaining({ cidr: '2a00:1450:4001:829::200e/128', addedBy: 'bob', note: 'hotel wifi', status: 'active' }),
      expect.objectContaining({ cidr: '81.2.70.5/32', addedBy: 'alice', status: 'active', createdAt: expect.any(String), expiresAt: expect.any(String) }),
    ]);
    expect(JSON.stringify(res.json)).not.toContain('sub-alice');
  });

  it('DELETE revokes (204), then 404; IPv6 by any spelling (URL-encoded); 400 for garbage', async () => {
    const res = await revoke('81.2.70.5');
    expect(res.statusCode).toBe(204);
    expect(await rule('81.2.70.5/32')).toBeUndefined();
    expect((await revoke('81.2.70.5')).statusCode).toBe(404);
    expect((await revoke('81.2.70.5')).json.error).toBe('NOT_FOUND');
    expect((await revoke('2A00:1450:4001:829:0:0:0:200E', admin)).statusCode).toBe(204);
    expect(await rule('2a00:1450:4001:829::200e/128')).toBeUndefined();
    const garbage = await revoke('not-an-ip');
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json.issues).toEqual([{ path: 'ip', message: expect.stringMatching(/not an IP/) }]);
    expect((await revoke('8.8.8.0/24')).statusCode).toBe(400);
    const revokes = (await audit()).filter((a) => a.action === 'allowlist.revoke');
    expect(revokes.map((a) => [a.cidr, a.actor, a.outcome])).toEqual(
      expect.arrayContaining([
        ['81.2.70.5/32', 'alice', 'ok'],
        ['2a00:1450:4001:829::200e/128', 'alice', 'ok'],
      ]),
    );
    expect((await list()).json.dynamic).toEqual([]);
  });

  it('the sample events (events/allowlist*.json, with a token) work: add 201, list 200, revoke 204, expire', async () => {
    const added = parseResult(await stack.invoke('allowlistAdd', sample('allowlistAdd', admin)));
    expect(added.statusCode).toBe(201);
    expect(added.json).toMatchObject({ ip: '81.2.70.5', note: 'hotel wifi' });
    expect(parseResult(await stack.invoke('allowlistList', sample('allowlistList', admin))).statusCode).toBe(200);
    expect(parseResult(await stack.invoke('allowlistRevoke', sample('allowlistRevoke', admin))).statusCode).toBe(204);
    expect(await stack.invoke('allowlistExpire', sample('allowlistExpire', ''))).toMatchObject({ failed: 0 });
  });

  it('the stand-in group enforces the per-family rule quota like EC2 (SecurityGroupFullError → 409), duplicates are idempotent', async () => {
    const g = new TableSecurityGroupGateway(doc, table, { officeCidrs: [] });
    // Its own partition is shared with the handlers' stand-in: start from what is there.
    const base = (await g.list()).dynamic.filter((r) => !r.cidr.includes(':')).length;
    const limited = new TableSecurityGroupGateway(doc, table, { officeCidrs: [], rulesPerGroup: base + 2 });
    await expect(limited.authorize({ cidr: '5.5.5.1/32', family: 4, description: 'q' })).resolves.toEqual({ created: true });
    await expect(limited.authorize({ cidr: '5.5.5.1/32', family: 4, description: 'q' })).resolves.toEqual({ created: false });
    await expect(limited.authorize({ cidr: '5.5.5.2/32', family: 4, description: 'q' })).resolves.toEqual({ created: true });
    await expect(limited.authorize({ cidr: '5.5.5.3/32', family: 4, description: 'q' })).rejects.toBeInstanceOf(SecurityGroupFullError);
    await expect(limited.authorize({ cidr: '2a00:1450::5/128', family: 6, description: 'q' })).resolves.toEqual({ created: true });
    for (const cidr of ['5.5.5.1/32', '5.5.5.2/32']) await expect(limited.revoke({ cidr, family: 4 })).resolves.toEqual({ removed: true });
    await expect(limited.revoke({ cidr: '5.5.5.1/32', family: 4 })).resolves.toEqual({ removed: false });
    await limited.revoke({ cidr: '2a00:1450::5/128', family: 6 });
  });

  it('the expiry function revokes expired entries only, audits them, and a second run changes nothing', async () => {
    const store = new DynamoAllowlistStore(doc, table);
    const gateway = new TableSecurityGroupGateway(doc, table, { officeCidrs: [] });
    const past = new Date(Date.now() - 60_000).toISOString();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const entry = (ip: string, expiresAt: string) => ({
      ip, cidr: `${ip}/32`, family: 4 as const, addedBy: 'alice', addedBySub: 'sub-alice', createdAt: new Date(Date.now() - 13 * 3_600_000).toISOString(), expiresAt, description: 'alice x',
    });
    for (const [ip, at] of [['8.8.8.8', past], ['1.1.1.1', past], ['9.9.9.9', future]] as const) {
      expect(await store.create(entry(ip, at))).toBe(true);
      await gateway.authorize({ cidr: `${ip}/32`, family: 4, description: 'alice x' });
    }
    // One expired entry whose rule is already gone (removed by hand): still expired, idempotently.
    await gateway.revoke({ cidr: '1.1.1.1/32', family: 4 });
    const first = await stack.invoke('allowlistExpire', { source: 'aws.events', 'detail-type': 'Scheduled Event' });
    expect(first).toEqual({ checked: 3, expired: 2, failed: 0 });
    expect(await rule('8.8.8.8/32')).toBeUndefined();
    expect(await rule('9.9.9.9/32')).toBeDefined();
    expect((await store.list()).map((e) => e.cidr)).toEqual(['9.9.9.9/32']);
    const expiries = (await audit()).filter((a) => a.action === 'allowlist.expire');
    expect(expiries.map((a) => [a.cidr, a.actor, a.outcome, (a.detail as any).ruleWasPresent]).sort()).toEqual([
      ['1.1.1.1/32', 'scheduler', 'ok', false],
      ['8.8.8.8/32', 'scheduler', 'ok', true],
    ]);
    expect(await stack.invoke('allowlistExpire', {})).toEqual({ checked: 1, expired: 0, failed: 0 });
  });
});
