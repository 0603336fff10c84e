/**
 * The dashboard on the local stack (docs/analytics.md):
 *
 *   npm run dashboard -- [--data-dir DIR] [--stage dev] [--lake DIR] [--port 8080] [--from D --to D]
 *   npm run dashboard:screenshot -- --out FILE.png [same flags]
 *   npm run dashboard:build -- --out DIR --api-base URL      (the static site for S3 + CloudFront)
 *
 * Starts the local stack on the data dir `npm start` left behind (default .local/<stage>), copies the
 * lake (runs/…/scores|decisions|actions, lake/…) out of its S3 into --lake (default
 * .local/<stage>-lake), stops it, and serves dashboard/ with GET /analytics/operational|strategic
 * answered by the same use cases and SQL as in AWS, on DuckDB. Bound to 127.0.0.1, no sign-in (a
 * developer's machine; in AWS the API's Cognito authorizer guards the figures).
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb-query-engine';
import { localClientOverrides } from '../../src/adapters/local-overrides';
import { mirrorLake } from '../../src/adapters/local-lake-query-engine';
import { CAP_LIMITS } from '../../src/usecases/analytics/config';
import { operationalMetrics, strategicMetrics, type UnitCostsUsd } from '../../src/usecases/analytics/metrics';
import { analyticsQuerySchema } from '../../src/usecases/analytics/schemas';
import type { AnalyticsQueryEngine } from '../../src/usecases/analytics/ports';
import { startLocalStack, type LocalStack } from '../stack';

const ROOT = resolve(__dirname, '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Bundles dashboard/src/app.ts (esbuild) with index.html, style.css and config.json into `outDir`. */
export async function buildDashboard(outDir: string, config: { apiBase: string } = { apiBase: '' }): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await build({ entryPoints: [join(ROOT, 'dashboard', 'src', 'app.ts')], bundle: true, format: 'iife', target: 'es2020', minify: true, outfile: join(outDir, 'app.js'), logLevel: 'warning' });
  await copyFile(join(ROOT, 'dashboard', 'index.html'), join(outDir, 'index.html'));
  await copyFile(join(ROOT, 'dashboard', 'style.css'), join(outDir, 'style.css'));
  await writeFile(join(outDir, 'config.json'), JSON.stringify(config));
}

/** Unit costs as the stage configures them for the analytics functions (serverless.yml params). */
export function unitCostsOf(stack: LocalStack): UnitCostsUsd {
  const env = stack.functionEnv('analyticsOperational');
  return { email: Number(env.UNIT_COST_EMAIL_USD), sms: Number(env.UNIT_COST_SMS_USD), voice: Number(env.UNIT_COST_VOICE_USD) };
}

/** Copies the lake out of a started stack's data bucket. */
export async function pullFromStack(stack: LocalStack, lakeDir: string): Promise<{ files: number; bytes: number }> {
  const s3 = new S3Client({ region: 'us-east-1', ...localClientOverrides('s3', stack.env) });
  try {
    await rm(lakeDir, { recursive: true, force: true });
    const { files, bytes } = await mirrorLake(s3, stack.functionEnv('fetch').DATA_BUCKET!, lakeDir);
    return { files, bytes };
  } finally {
    s3.destroy();
  }
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** The dashboard's files and its two API routes on one local HTTP server. */
export async function startDashboardServer(opts: { engine: AnalyticsQueryEngine; distDir: string; unitCosts: UnitCostsUsd; port?: number }): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const send = (status: number, body: string, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(body);
      };
      try {
        if (url.pathname === '/analytics/operational' || url.pathname === '/analytics/strategic') {
          const q = analyticsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
          if (!q.success) return send(400, JSON.stringify({ message: 'invalid query', issues: q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }));
          const body =
            url.pathname === '/analytics/operational'
              ? await operationalMetrics({ engine: opts.engine, unitCosts: opts.unitCosts }, q.data)
              : await strategicMetrics({ engine: opts.engine, limits: CAP_LIMITS }, q.data);
          return send(200, JSON.stringify(body));
        }
        const file = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
        if (!/^[\w.-]+$/.test(file)) return send(404, 'not found', 'text/plain');
        const path = join(opts.distDir, file);
        if (!existsSync(path)) return send(404, 'not found', 'text/plain');
        return send(200, await readFile(path, 'utf8'), TYPES[extname(file)] ?? 'application/octet-stream');
      } catch (err) {
        log(`dashboard: ${err instanceof Error ? err.message : String(err)}`);
        return send(500, JSON.stringify({ message: 'internal error' }));
      }
    })();
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { url: `http://127.0.0.1:${port}/`, server, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * Opens the dashboard in headless Chromium (Debian's, no download), waits until the charts are
 * drawn, saves a full-page screenshot and returns every figure drawn (data-metric → data-value).
 */
export async function screenshotDashboard(url: string, out: string, opts: { userDataDir: string; width?: number }): Promise<Record<string, string>> {
  const { chromium } = await import('playwright-core');
  // A fresh profile per run (Playwright takes it as launchPersistentContext's userDataDir).
  const context = await chromium.launchPersistentContext(opts.userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: opts.width ?? 1400, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.waitForSelector('#app[data-ready="true"], #app[data-ready="error"]', { timeout: 60_000 });
    const state = await page.getAttribute('#app', 'data-ready');
    if (state !== 'true') throw new Error(`dashboard failed: ${await page.textContent('#app')}`);
    await page.screenshot({ path: out, fullPage: true });
    return await page.$$eval('[data-metric]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-metric')!, e.getAttribute('data-value') ?? ''])));
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'build') {
    // npm run dashboard:build -- --out DIR --api-base https://<api id>.execute-api.<region>.amazonaws.com
    const { values: b } = parseArgs({ args: process.argv.slice(3), options: { out: { type: 'string' }, 'api-base': { type: 'string', default: '' } }, strict: true });
    if (!b.out) throw new Error('--out DIR is required');
    await buildDashboard(resolve(b.out), { apiBase: b['api-base']! });
    log(`built ${resolve(b.out)}: upload with aws s3 sync ${b.out} s3://<DashboardBucketName>/`);
    return;
  }
  const screenshot = process.argv[2] === 'screenshot';
  const { values } = parseArgs({
    args: process.argv.slice(screenshot ? 3 : 2),
    options: {
      'data-dir': { type: 'string' },
      stage: { type: 'string', default: 'dev' },
      lake: { type: 'string' },
      'no-pull': { type: 'boolean', default: false },
      port: { type: 'string', default: screenshot ? '0' : '8080' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
    strict: true,
  });
  if (screenshot && !values.out) throw new Error('--out FILE.png is required');
  const stage = values.stage!;
  const lakeDir = resolve(values.lake ?? join(ROOT, '.local', `${stage}-lake`));
  let unitCosts: UnitCostsUsd = { email: 0.001, sms: 0.0079, voice: 0.35 };
  if (!values['no-pull']) {
    const stack = await startLocalStack({ stage, ...(values['data-dir'] ? { dataDir: resolve(values['data-dir']) } : {}), log: () => undefined });
    try {
      const r = await pullFromStack(stack, lakeDir);
      unitCosts = unitCostsOf(stack);
      log(`lake: ${r.files} files (${(r.bytes / 1e6).toFixed(1)} MB) from ${stack.dataDir} → ${lakeDir}`);
      if (r.files === 0) log('the local S3 holds no runs: run `npm start -- --days 7` first');
    } finally {
      await stack.stop();
    }
  }
  const engine = await DuckDbQueryEngine.open(lakeDir);
  const distDir = join(ROOT, '.local', 'dashboard-dist');
  await buildDashboard(distDir);
  const srv = await startDashboardServer({ engine, distDir, unitCosts, port: Number(values.port) });
  const qs = new URLSearchParams();
  if (values.from) qs.set('from', values.from);
  if (values.to) qs.set('to', values.to);
  const url = `${srv.url}${qs.size ? `?${qs}` : ''}`;
  if (!screenshot) {
    log(`dashboard: ${url}  (Ctrl-C to stop)`);
    return;
  }
  try {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium`);
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const figures = await screenshotDashboard(url, resolve(values.out!), { userDataDir: mkdtempSync(join(tmpdir(), 'curepath-chromium-')) });
    log(`screenshot: ${resolve(values.out!)} (${Object.keys(figures).length} figures drawn)`);
  } finally {
    await srv.close();
    engine.close();
  }
}

if (require.main === module || process.argv[1]?.endsWith('dashboard.ts')) {
  main().catch((err: unknown) => {
    log(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
