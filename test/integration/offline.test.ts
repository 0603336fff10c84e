/**
 * `sls offline` on its own (nothing started first): the local plugin brings up the stack in the
 * offline process, POST /runs starts the real state machine through the local Step Functions
 * endpoint, GET /runs/{id} follows it to SUCCEEDED. Errors are 4xx JSON without stack traces.
 * Stopping leaves no process behind.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, pidAlive, startOffline, type OfflineProcess } from '../../local/offline';
import { tokenFor } from '../helpers/http';

const RUN_DATE = '2026-01-05'; // events/seed/inbox/portfolio/2026-01-05.csv, seeded by the plugin
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sls offline (HTTP API on the local stack)', () => {
  let dir: string;
  let offline: OfflineProcess | undefined;
  let token: string;

  // A real token from the local issuer: offline, the functions verify it themselves.
  const call = async (method: string, path: string, body?: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => {
    const res = await fetch(`${offline!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    return { status: res.status, text, json: (() => { try { return JSON.parse(text) as Record<string, any>; } catch { return undefined; } })() };
  };
  const noStackTrace = (text: string) => {
    expect(text).not.toMatch(/\n\s+at |stackTrace|"stack"/);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-offline-'));
    offline = await startOffline({ dataDir: dir, inMemory: true });
    token = await tokenFor({ group: 'agent', sub: 'agent-offline' });
  }, 120_000);

  afterAll(async () => {
    // Normally already stopped by the last test; here if an earlier one failed.
    await offline?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('POST /runs → 202 with a run id; GET /runs/{id} → RUNNING, then SUCCEEDED with the summary', async () => {
    const started = await call('POST', '/runs', JSON.stringify({ runDate: RUN_DATE }));
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ runId: expect.stringMatching(new RegExp(`^run-${RUN_DATE}-`)), runDate: RUN_DATE });
    const runId = started.json!.runId as string;

    const seen: string[] = [];
    let last: Record<string, any> | undefined;
    for (let i = 0; i < 120; i++) {
      const r = await call('GET', `/runs/${runId}`);
      expect(r.status).toBe(200);
      last = r.json!;
      seen.push(last.status);
      if (last.status !== 'RUNNING') break;
      await sleep(250);
    }
    expect(new Set(seen.slice(0, -1))).toEqual(new Set(seen.length > 1 ? ['RUNNING'] : []));
    expect(last).toMatchObject({
      runId,
      status: 'SUCCEEDED',
      summary: { runDate: RUN_DATE, status: 'completed', accounts: 22, scored: 22, rejected: 2, failedChunks: [] },
    });
  });

  it('a bad body → 400 with field-level issues', async () => {
    const wrongType = await call('POST', '/runs', JSON.stringify({ runDate: 20260105 }));
    expect(wrongType.status).toBe(400);
    expect(wrongType.json).toMatchObject({ error: 'VALIDATION_FAILED', issues: [expect.objectContaining({ path: 'runDate' })] });
    noStackTrace(wrongType.text);

    const notADate = await call('POST', '/runs', JSON.stringify({ runDate: '2026-02-30' }));
    expect(notADate.status).toBe(400);
    expect(notADate.json!.issues).toEqual([expect.objectContaining({ path: 'runDate' })]);

    const missing = await call('POST', '/runs', JSON.stringify({}));
    expect(missing.status).toBe(400);
    expect(missing.json!.issues).toEqual([expect.objectContaining({ path: 'runDate' })]);
  });

  it('invalid JSON → 400 JSON error, never a stack trace', async () => {
    const r = await call('POST', '/runs', '{"runDate":');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: 'MALFORMED_JSON', message: expect.any(String) });
    noStackTrace(r.text);
  });

  it('GET an unknown run → 404; a malformed id → 400', async () => {
    const unknown = await call('GET', '/runs/run-2026-01-05-nosuchrun');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: 'NOT_FOUND' });
    noStackTrace(unknown.text);

    const malformed = await call('GET', `/runs/${encodeURIComponent('bad id!')}`);
    expect(malformed.status).toBe(400);
  });

  it('authentication: no token or a forged one → 401, a customer → 403, the OpenAPI document is public', async () => {
    const anonymous = await fetch(`${offline!.url}/runs/run-x`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: 'UNAUTHORIZED' });
    const [h, p] = token.split('.');
    const forged = await call('GET', '/runs/run-x', undefined, { authorization: `Bearer ${h}.${p}.${'A'.repeat(342)}` });
    expect(forged.status).toBe(401);
    const customer = await tokenFor({ group: 'customer', sub: 'c', username: 'CUST-0001' });
    expect((await call('GET', '/runs/run-x', undefined, { authorization: `Bearer ${customer}` })).status).toBe(403);
    const doc = await fetch(`${offline!.url}/openapi.json`);
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('an unknown route or method → JSON 404 (not the framework page listing every route)', async () => {
    for (const [method, path] of [['GET', '/nope'], ['DELETE', '/runs']] as const) {
      const r = await call(method, path);
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ error: 'NOT_FOUND', message: `no route ${method} ${path}` });
      expect(r.text).not.toContain('existingRoutes');
    }
  });

  it('stopping ends the framework process, its emulators and their scratch data', async () => {
    const off = offline!;
    const tree = [off.pid, ...descendants(off.pid)];
    expect(tree.length).toBeGreaterThanOrEqual(8); // the framework + 7 emulators (+ esbuild)
    offline = undefined;
    expect(await off.stop()).toEqual([]);
    expect(tree.filter(pidAlive)).toEqual([]);
    // The in-memory stack's lock file and S3 scratch folder go with it.
    expect(existsSync(join(dir, 'stack.json'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('s3-mem-'))).toEqual([]);
  });
});
