/**
 * `sls invoke local -f <fn> -p <event>` on its own: the local plugin brings up the stack (in memory,
 * in a temp dir), seeds events/seed/, runs the handler, and the process ends with the handler's
 * outcome as exit code — also when the handler throws (it used to hang there). HTTP sample events
 * carry `<TOKEN:group[:username]>` / `<DATE+n>` placeholders the plugin fills before the handler runs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const SLS = require.resolve('serverless/bin/serverless.js', { paths: [ROOT] });
const TIMEOUT_MS = 60_000;

interface Invoked {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** The framework's node process itself (no npx wrapper), killed with its group on timeout. */
function invokeLocal(fn: string, eventPath: string, dataDir: string): Promise<Invoked> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [SLS, 'invoke', 'local', '-f', fn, '-p', eventPath], {
      cwd: ROOT,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', CUREPATH_LOCAL_IN_MEMORY: '1', CUREPATH_LOCAL_DATA_DIR: dataDir, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, TIMEOUT_MS);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      ok({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** invoke local prints the result (or error) as indented JSON after the handler's log lines. */
function lastJsonBlock(stdout: string): Record<string, any> {
  const lines = stdout.split('\n');
  const start = lines.lastIndexOf('{');
  if (start < 0) throw new Error(`no JSON result in:\n${stdout}`);
  const end = lines.indexOf('}', start);
  return JSON.parse(lines.slice(start, end + 1).join('\n')) as Record<string, any>;
}

describe('sls invoke local', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-invoke-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const expectCleanStop = (dataDir: string) => {
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('s3-mem-'))).toEqual([]);
  };

  it('fetch on events/fetch.json: exit 0 and the fetch result of the seed file', async () => {
    const dataDir = join(dir, 'ok');
    const r = await invokeLocal('fetch', 'events/fetch.json', dataDir);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(lastJsonBlock(r.stdout)).toMatchObject({
      runDate: '2026-01-05',
      accounts: 22,
      rejected: 2,
      chunks: [{ index: 0, key: 'runs/2026-01-05/chunks/00000.jsonl', count: 22 }],
    });
    expectCleanStop(dataDir);
  });

  it('a malformed event (infer without a chunk): exit 1 with the validation error, no hang', async () => {
    const dataDir = join(dir, 'bad');
    const event = join(dir, 'infer-no-chunk.json');
    writeFileSync(event, JSON.stringify({ runDate: '2026-01-05' }));
    const r = await invokeLocal('infer', event, dataDir);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    const error = lastJsonBlock(r.stdout);
    expect(error.errorMessage).toMatch(/^invalid event: chunk: /);
    // The bundle keeps class names (esbuild keepNames): Step Functions matches errors by this name.
    expect(error.errorType).toBe('ValidationError');
    expectCleanStop(dataDir);
  });

  it('an authenticated HTTP function on its sample event: <TOKEN:agent> becomes a fresh local token the handler verifies', async () => {
    const dataDir = join(dir, 'http');
    const r = await invokeLocal('upsertAccounts', 'events/upsertAccounts.json', dataDir);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain('filled <TOKEN:agent>');
    const res = lastJsonBlock(r.stdout);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body as string)).toMatchObject({ received: 1, created: 1, results: [{ accountId: 'CC-100234', status: 'created' }] });
    expectCleanStop(dataDir);
  });

  it('dialerResults on its sample event: the seeded results file is applied, its bad row quarantined', async () => {
    const dataDir = join(dir, 'dialer');
    const r = await invokeLocal('dialerResults', 'events/dialerResults.json', dataDir);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(lastJsonBlock(r.stdout)).toMatchObject({
      key: 'inbox/dialer-results/2026-01-05/dialer-a.csv',
      results: 4,
      rejected: 1,
      conversations: 2,
      suppressed: { cease_request: 1, wrong_number: 1 },
    });
    expectCleanStop(dataDir);
  });

  it('cdpBackfill on its sample event: the core rows of events/seed/dynamodb are written first, the history is processed', async () => {
    const dataDir = join(dir, 'cdp-backfill');
    const r = await invokeLocal('cdpBackfill', 'events/cdpBackfill.json', dataDir);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/seeded tables from events\/seed\/dynamodb: CoreTable: \d+ item\(s\)/);
    const res = lastJsonBlock(r.stdout);
    expect(res).toMatchObject({ customers: 3, failed: 0 });
    expect(res.cards).toBeGreaterThan(0);
    expect(res.transactions).toBeGreaterThan(0);
    expectCleanStop(dataDir);
  });

  it('a bare <TOKEN> placeholder: exit 1 naming the form to use, the handler never runs', async () => {
    const dataDir = join(dir, 'bare-token');
    const event = join(dir, 'get-me-bare-token.json');
    writeFileSync(event, readFileSync(join(ROOT, 'events', 'getMe.json'), 'utf8').replace(/<TOKEN:[^>]*>/, '<TOKEN>'));
    const r = await invokeLocal('getMe', event, dataDir);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('<TOKEN>: say which group the token is for');
    expect(r.stdout).not.toContain('"statusCode"');
    expectCleanStop(dataDir);
  });
});
