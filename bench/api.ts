/**
 * `npm run bench:api [-- --duration 30 --connections 10 --read GET:/openapi.json --write POST:/runs]`
 *
 * Starts `sls offline` on its own (the local plugin brings up the local stack in memory), then
 * drives each route with autocannon for `--duration` seconds, one after the other, with a real
 * token from the local issuer (verified by the functions on every request). Reports per route
 * p50/p99 latency, requests/s, status classes and the number of 5xx (must be 0: exit 1 otherwise).
 *
 * Routes: `--read` / `--write` (repeatable) as METHOD:/path[@body-json]; `--route` adds any.
 * Defaults: GET /runs/{id} of a run started first (authenticated read) and POST /runs (write).
 * `--group` / `--sub` / `--username` choose the token (default admin).
 */
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startOffline } from '../local/offline';
import { GROUPS, type Group } from '../src/http/auth';
import { signLocalToken } from '../src/http/local-issuer';

interface RouteArg {
  kind: string;
  method: string;
  path: string;
  body?: string;
}

interface RouteResult {
  route: string;
  kind: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  '2xx': number;
  '4xx': number;
  '5xx': number;
  errors: number;
  timeouts: number;
}

const RUN_DATE = '2026-01-05'; // seeded by the plugin from events/seed

export function parseRoute(kind: string, spec: string): RouteArg {
  const m = /^(GET|POST|PUT|PATCH|DELETE):(\/[^@]*)(?:@(.*))?$/i.exec(spec);
  if (!m) throw new Error(`route "${spec}": expected METHOD:/path[@json-body]`);
  return { kind, method: m[1]!.toUpperCase(), path: m[2]!, ...(m[3] !== undefined ? { body: m[3] } : {}) };
}

function drive(url: string, route: RouteArg, token: string, duration: number, connections: number): Promise<RouteResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (route.body !== undefined) headers['content-type'] = 'application/json';
    autocannon(
      {
        url: url + route.path,
        method: route.method as autocannon.Request['method'] & string,
        headers,
        ...(route.body !== undefined ? { body: route.body } : {}),
        duration,
        connections,
        timeout: 30,
      },
      (err, r) => {
        if (err) return reject(err);
        resolve({
          route: `${route.method} ${route.path}`,
          kind: route.kind,
          requests: r.requests.total,
          rps: Math.round(r.requests.average * 10) / 10,
          p50: r.latency.p50,
          p99: r.latency.p99,
          '2xx': r['2xx'],
          '4xx': r['4xx'],
          '5xx': r['5xx'],
          errors: r.errors,
          timeouts: r.timeouts,
        });
      },
    );
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30' },
      connections: { type: 'string', default: '10' },
      read: { type: 'string', multiple: true },
      write: { type: 'string', multiple: true },
      route: { type: 'string', multiple: true },
      group: { type: 'string', default: 'admin' },
      sub: { type: 'string', default: 'bench' },
      username: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  if (!(duration > 0) || !(connections > 0)) throw new Error('--duration and --connections must be positive numbers');
  if (!GROUPS.includes(values.group as Group)) throw new Error(`--group must be one of ${GROUPS.join(', ')}`);

  const dir = mkdtempSync(join(tmpdir(), 'curepath-bench-api-'));
  console.error('starting sls offline (local stack in memory)…');
  // Its own build folder: a concurrent `sls package` in this checkout must not delete our handlers.
  const workFolder = `.esbuild-bench-${process.pid}`;
  const offline = await startOffline({ dataDir: dir, inMemory: true, readyTimeoutMs: 180_000, env: { CUREPATH_ESBUILD_WORK_FOLDER: workFolder } });
  try {
    const token = await signLocalToken({
      groups: [values.group!],
      sub: values.sub!,
      ...(values.username ? { username: values.username } : {}),
      expiresIn: duration * 4 + 600,
    });
    const routes: RouteArg[] = [
      ...(values.read ?? []).map((r) => parseRoute('read', r)),
      ...(values.write ?? []).map((r) => parseRoute('write', r)),
      ...(values.route ?? []).map((r) => parseRoute('route', r)),
    ];
    if (!values.read?.length) {
      // The default read: a run that exists (started here), so every request is a real 200.
      const res = await fetch(`${offline.url}/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ runDate: RUN_DATE }),
      });
      if (res.status !== 202) throw new Error(`POST /runs answered ${res.status}: ${await res.text()}`);
      const { runId } = (await res.json()) as { runId: string };
      routes.unshift({ kind: 'read', method: 'GET', path: `/runs/${runId}` });
    }
    if (!values.write?.length) routes.push({ kind: 'write', method: 'POST', path: '/runs', body: JSON.stringify({ runDate: RUN_DATE }) });

    // Warm-up: first calls build and load each handler.
    for (const r of routes) {
      await fetch(offline.url + r.path, {
        method: r.method,
        headers: { authorization: `Bearer ${token}`, ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(r.body !== undefined ? { body: r.body } : {}),
      }).then((x) => x.arrayBuffer());
    }

    const results: RouteResult[] = [];
    for (const r of routes) {
      console.error(`${r.method} ${r.path}: ${duration}s, ${connections} connections…`);
      results.push(await drive(offline.url, r, token, duration, connections));
    }
    if (values.json) console.log(JSON.stringify({ duration, connections, results }, null, 2));
    else {
      console.log(`\nsls offline, local stack in memory, ${connections} connections, ${duration}s per route, token group ${values.group}`);
      console.table(results.map(({ route, kind, requests, rps, p50, p99, ...rest }) => ({ route, kind, 'req/s': rps, 'p50 ms': p50, 'p99 ms': p99, requests, ...rest })));
    }
    const bad = results.filter((r) => r['5xx'] > 0 || r.errors > 0);
    if (bad.length) {
      console.error(`5xx or connection errors on: ${bad.map((r) => r.route).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await offline.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(__dirname, '..', workFolder), { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
