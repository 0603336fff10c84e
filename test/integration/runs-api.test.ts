/**
 * POST /runs and GET /runs/{id} (and GET /openapi.json) through the real handlers, as configured in
 * serverless.yml, on the embedded local stack: every status each route can answer. Tokens come
 * from the local issuer and are really verified.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedBucket, startLocalStack, type LocalStack } from '../../local/stack';
import { httpEvent, parseResult, tokenFor } from '../helpers/http';

const RUN_DATE = '2026-01-05';
const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at |stackTrace|"stack"|\.ts:\d+/);

describe('runs API through the real handlers (local stack in memory)', () => {
  let dir: string;
  let stack: LocalStack;
  let agent: string;
  let admin: string;
  let customer: string;

  const invoke = async (fn: string, e: Parameters<typeof httpEvent>[0]) => {
    const r = parseResult(await stack.invoke(fn, httpEvent(e)));
    if (r.statusCode >= 400) {
      expect(r.headers['content-type']).toBe('application/json');
      noStackTrace(r.body);
    }
    return r;
  };
  const post = (body: unknown, token?: string, headers?: Record<string, string>) =>
    invoke('startRun', { method: 'POST', path: '/runs', body, ...(token ? { token } : {}), ...(headers ? { headers } : {}) });
  const get = (id: string, token?: string) =>
    invoke('getRun', { method: 'GET', path: `/runs/${id}`, routeKey: 'GET /runs/{id}', pathParameters: { id }, ...(token ? { token } : {}) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-runs-api-'));
    stack = await startLocalStack({ dataDir: dir, inMemory: true, retryIntervalOverrides: 0, noReuse: true });
    await seedBucket(stack);
    [agent, admin, customer] = await Promise.all([
      tokenFor({ group: 'agent', sub: 'agent-1' }),
      tokenFor({ group: 'admin', sub: 'admin-1' }),
      tokenFor({ group: 'customer', sub: 'cust-sub', username: 'CUST-0001' }),
    ]);
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('POST /runs: 202 for an agent and for an admin; GET /runs/{id}: 200 with the run', async () => {
    const started = await post({ runDate: RUN_DATE }, agent);
    expect(started.statusCode).toBe(202);
    expect(started.json).toMatchObject({ runId: expect.stringMatching(/^run-2026-01-05-/), runDate: RUN_DATE });
    const found = await get(started.json.runId, admin);
    expect(found.statusCode).toBe(200);
    expect(found.json).toMatchObject({ runId: started.json.runId, status: expect.stringMatching(/RUNNING|SUCCEEDED/) });
    expect((await post({ runDate: RUN_DATE }, admin)).statusCode).toBe(202);
  });

  it('401 without a token, with an expired one, with a forged one; never reaches the use case', async () => {
    for (const r of [await post({ runDate: RUN_DATE }), await get('run-x')]) {
      expect(r.statusCode).toBe(401);
      expect(r.json).toMatchObject({ error: 'UNAUTHORIZED' });
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
    const expired = await tokenFor({ group: 'admin', sub: 'a', expiresIn: -1 });
    expect((await post({ runDate: RUN_DATE }, expired)).json).toEqual({ error: 'UNAUTHORIZED', message: 'token expired' });
    const [h, p] = agent.split('.');
    expect((await get('run-x', `${h}.${p}.${'A'.repeat(342)}`)).statusCode).toBe(401);
  });

  it('403 for a customer on both routes', async () => {
    const a = await post({ runDate: RUN_DATE }, customer);
    const b = await get('run-x', customer);
    expect([a.statusCode, b.statusCode]).toEqual([403, 403]);
    expect(a.json).toEqual({ error: 'FORBIDDEN', message: 'not allowed for your role' });
  });

  it('400 with field-level issues: wrong type, impossible date, missing field, unknown source prefix, malformed JSON, bad id', async () => {
    const wrongType = await post({ runDate: 20260105 }, agent);
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json).toMatchObject({ error: 'VALIDATION_FAILED', issues: [{ path: 'runDate', message: expect.any(String) }] });
    expect((await post({ runDate: '2026-02-30' }, agent)).json.issues).toEqual([{ path: 'runDate', message: 'invalid date' }]);
    expect((await post({}, agent)).json.issues).toEqual([expect.objectContaining({ path: 'runDate' })]);
    expect((await post({ runDate: RUN_DATE, sourceKey: 'elsewhere/x.csv' }, agent)).json.issues).toEqual([
      { path: 'sourceKey', message: 'must be under inbox/' },
    ]);
    const malformed = await post('{"runDate":', agent);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json).toMatchObject({ error: 'MALFORMED_JSON' });
    const badId = await get('bad id!', agent);
    expect(badId.statusCode).toBe(400);
    expect(badId.json.issues).toEqual([{ path: 'id', message: expect.any(String) }]);
  });

  it('404 for an unknown run', async () => {
    const r = await get('run-2026-01-05-nosuchrun', agent);
    expect(r.statusCode).toBe(404);
    expect(r.json).toMatchObject({ error: 'NOT_FOUND' });
  });

  it('413 for a body over the route limit (checked before parsing and before auth)', async () => {
    const big = JSON.stringify({ runDate: RUN_DATE, sourceKey: `inbox/${'x'.repeat(5000)}` });
    const r = await post(big, agent);
    expect(r.statusCode).toBe(413);
    expect(r.json).toMatchObject({ error: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('at most 4096') });
  });

  it('415 for a body that is not JSON', async () => {
    const r = await post('runDate=2026-01-05', agent, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.statusCode).toBe(415);
  });

  it('GET /openapi.json: 200 with the OpenAPI 3.1 document, no token needed', async () => {
    const r = await invoke('openapi', { method: 'GET', path: '/openapi.json' });
    expect(r.statusCode).toBe(200);
    expect(r.json).toMatchObject({ openapi: '3.1.0', paths: { '/runs': { post: expect.any(Object) }, '/runs/{id}': { get: expect.any(Object) } } });
  });
});
