/**
 * `npm run bench:api [-- --duration 30 --connections 10 --read GET:/openapi.json --write POST:/runs]`
 *
 * Starts `sls offline` on its own (the local plugin brings up the local stack in memory), then
 * drives each route with autocannon for `--duration` seconds, one after the other, with a real
 * token from the local issuer (verified by the functions on every request). Reports per route
 * p50/p99 latency, requests/s, status classes and the number of 5xx (must be 0: exit 1 otherwise).
 *
 * Defaults (real platform routes, every answer expected 2xx): `--accounts` (default 200) accounts
 * are seeded first through `POST /accounts` (one customer each), then
 *   read  = `GET /me` with a customer token of a seeded account's customer (rotated per request),
 *   write = `POST /payments` of $0.01 with a fresh Idempotency-Key per request, spread round-robin
 *           over the seeded accounts (agent token); balances of $50,000 never reach zero.
 * After the write route, the seeded balances are read back: their total must have dropped by
 * exactly one cent per 2xx payment (in-flight requests at the end may add up to `--connections`).
 * Exit 1 on any 5xx, connection error, non-2xx on a default route, or a ledger mismatch.
 *
 * Other routes: `--read` / `--write` (repeatable) as METHOD:/path[@body-json]; `--route` adds any.
 * They replace the default of their kind; `--group` / `--sub` / `--username` choose their token
 * (default admin).
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
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
  /** Per-request changes (token, Idempotency-Key, body); the default routes use it. */
  setup?: (req: autocannon.Request) => autocannon.Request;
  /** Every answer must be 2xx (the default routes): any other status fails the bench. */
  all2xx?: boolean;
  /** Shown instead of METHOD path. */
  label?: string;
}

interface RouteResult {
  route: string;
  kind: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  '2xx': number;
  non2xx: number;
  '4xx': number;
  '5xx': number;
  errors: number;
  timeouts: number;
}

/** Seeded balance: far above what 30 s of one-cent payments can take. */
const SEED_BALANCE_CENTS = 5_000_000;
const PAYMENT_AMOUNT = '0.01';

export const benchAccount = (i: number) => {
  const n = String(i).padStart(5, '0');
  return {
    account_id: `BENCH-ACC-${n}`,
    customer_id: `BENCH-CUS-${n}`,
    first_name: 'Bench',
    last_name: `Customer${n}`,
    email: `bench.${n}@example.com`,
    phone: `+1305555${String(i % 10_000).padStart(4, '0')}`,
    language: 'en',
    state: 'FL',
    timezone: 'America/New_York',
    product: 'credit_card',
    balance_due: (SEED_BALANCE_CENTS / 100).toFixed(2),
    amount_past_due: '500.00',
    days_past_due: 45,
    email_consent: 'yes',
    sms_consent: 'yes',
    call_consent: 'no',
    do_not_contact: 'no',
    in_dispute: 'no',
    bankruptcy: 'no',
  };
};

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
        ...(route.setup ? { requests: [{ setupRequest: route.setup }] } : {}),
        duration,
        connections,
        timeout: 30,
      },
      (err, r) => {
        if (err) return reject(err);
        resolve({
          route: route.label ?? `${route.method} ${route.path}`,
          kind: route.kind,
          requests: r.requests.total,
          rps: Math.round(r.requests.average * 10) / 10,
          p50: r.latency.p50,
          p99: r.latency.p99,
          '2xx': r['2xx'],
          non2xx: r.non2xx,
          '4xx': r['4xx'],
          '5xx': r['5xx'],
          errors: r.errors,
          timeouts: r.timeouts,
        });
      },
    );
  });
}

const json = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra });

/** POST /accounts in batches of 500 (the route's limit); every item must be stored. */
async function seedAccounts(url: string, agentToken: string, count: number) {
  const accounts = Array.from({ length: count }, (_, i) => benchAccount(i));
  for (let i = 0; i < accounts.length; i += 500) {
    const res = await fetch(`${url}/accounts`, { method: 'POST', headers: json(agentToken), body: JSON.stringify({ accounts: accounts.slice(i, i + 500) }) });
    if (res.status !== 200) throw new Error(`POST /accounts answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  }
  return accounts;
}

/** Sum of the seeded accounts' balances, read through GET /me (one request per customer). */
async function totalBalanceCents(url: string, customerTokens: string[]) {
  let total = 0;
  for (const token of customerTokens) {
    const res = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`GET /me answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const body = (await res.json()) as { accounts: { balanceDueCents: number }[] };
    for (const a of body.accounts) total += a.balanceDueCents;
  }
  return total;
}

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30' },
      connections: { type: 'string', default: '10' },
      accounts: { type: 'string', default: '200' },
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
  const accountCount = Number(values.accounts);
  if (!(duration > 0) || !(connections > 0)) throw new Error('--duration and --connections must be positive numbers');
  if (!Number.isInteger(accountCount) || accountCount < 1 || accountCount > 100_000) throw new Error('--accounts must be a whole number in 1..100000');
  if (!GROUPS.includes(values.group as Group)) throw new Error(`--group must be one of ${GROUPS.join(', ')}`);

  const dir = mkdtempSync(join(tmpdir(), 'curepath-bench-api-'));
  console.error('starting sls offline (local stack in memory)…');
  // Its own build folder: a concurrent `sls package` in this checkout must not delete our handlers.
  const workFolder = `.esbuild-bench-${process.pid}`;
  const offline = await startOffline({ dataDir: dir, inMemory: true, readyTimeoutMs: 180_000, env: { CUREPATH_ESBUILD_WORK_FOLDER: workFolder } });
  try {
    const expiresIn = duration * 4 + 900;
    const token = await signLocalToken({
      groups: [values.group!],
      sub: values.sub!,
      ...(values.username ? { username: values.username } : {}),
      expiresIn,
    });
    const routes: RouteArg[] = [
      ...(values.read ?? []).map((r) => parseRoute('read', r)),
      ...(values.write ?? []).map((r) => parseRoute('write', r)),
      ...(values.route ?? []).map((r) => parseRoute('route', r)),
    ];
    const defaults = !values.read?.length || !values.write?.length;
    let customerTokens: string[] = [];
    let accountIds: string[] = [];
    if (defaults) {
      const agentToken = await signLocalToken({ groups: ['agent'], sub: 'bench-agent', expiresIn });
      console.error(`seeding ${accountCount} accounts through POST /accounts…`);
      const seeded = await seedAccounts(offline.url, agentToken, accountCount);
      accountIds = seeded.map((a) => a.account_id);
      customerTokens = await Promise.all(
        seeded.map((a) => signLocalToken({ groups: ['customer'], sub: `sub-${a.customer_id}`, username: a.customer_id, expiresIn })),
      );
      let nextCustomer = 0;
      let nextAccount = 0;
      if (!values.read?.length)
        routes.unshift({
          kind: 'read',
          method: 'GET',
          path: '/me',
          label: `GET /me (${accountCount} customers)`,
          all2xx: true,
          setup: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${customerTokens[nextCustomer++ % customerTokens.length]}` } }),
        });
      if (!values.write?.length)
        routes.push({
          kind: 'write',
          method: 'POST',
          path: '/payments',
          label: `POST /payments (${accountCount} accounts)`,
          all2xx: true,
          body: JSON.stringify({ accountId: accountIds[0], amount: PAYMENT_AMOUNT }),
          setup: (req) => ({
            ...req,
            headers: { ...json(agentToken), 'idempotency-key': randomUUID() },
            body: JSON.stringify({ accountId: accountIds[nextAccount++ % accountIds.length], amount: PAYMENT_AMOUNT }),
          }),
        });
    }

    // Warm-up: serverless-offline loads one handler instance per concurrent request, so warm as
    // many as there will be connections (the first call also builds the handler).
    for (const r of routes) {
      const warm = async () => {
        const req = r.setup ? r.setup({ method: r.method, path: r.path, headers: json(token), ...(r.body !== undefined ? { body: r.body } : {}) } as autocannon.Request) : undefined;
        const res = await fetch(offline.url + r.path, {
          method: r.method,
          headers: (req?.headers as Record<string, string>) ?? { authorization: `Bearer ${token}`, ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(r.body !== undefined ? { body: (req?.body as string) ?? r.body } : {}),
        });
        await res.arrayBuffer();
        if (r.all2xx && (res.status < 200 || res.status > 299)) throw new Error(`warm-up ${r.method} ${r.path} answered ${res.status}`);
      };
      await warm();
      await Promise.all(Array.from({ length: connections }, warm));
    }

    const before = defaults && !values.write?.length ? await totalBalanceCents(offline.url, customerTokens) : undefined;
    const results: RouteResult[] = [];
    for (const r of routes) {
      console.error(`${r.label ?? `${r.method} ${r.path}`}: ${duration}s, ${connections} connections…`);
      results.push(await drive(offline.url, r, token, duration, connections));
    }
    let ledger: { paid2xx: number; balanceDropCents: number; ok: boolean } | undefined;
    if (before !== undefined) {
      // Let requests still in flight when autocannon stopped finish before reading balances back.
      await new Promise((r) => setTimeout(r, 2000));
      const after = await totalBalanceCents(offline.url, customerTokens);
      const paid2xx = results.find((r) => r.kind === 'write')!['2xx'];
      const balanceDropCents = before - after;
      ledger = { paid2xx, balanceDropCents, ok: balanceDropCents >= paid2xx && balanceDropCents <= paid2xx + connections };
    }
    const loadavg = (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100);
    if (values.json) console.log(JSON.stringify({ duration, connections, accounts: defaults ? accountCount : undefined, loadavg, results, ledger }, null, 2));
    else {
      console.log(`\nsls offline, local stack in memory, ${connections} connections, ${duration}s per route, load average ${loadavg.join(' ')}`);
      console.table(results.map(({ route, kind, requests, rps, p50, p99, ...rest }) => ({ route, kind, 'req/s': rps, 'p50 ms': p50, 'p99 ms': p99, requests, ...rest })));
      if (ledger) console.log(`ledger: ${ledger.paid2xx} payments answered 2xx, seeded balances dropped by ${ledger.balanceDropCents} cents → ${ledger.ok ? 'consistent' : 'MISMATCH'}`);
    }
    const bad = results.filter((r, i) => r['5xx'] > 0 || r.errors > 0 || (routes[i]!.all2xx && r.non2xx > 0));
    if (bad.length) {
      console.error(`5xx, connection errors or unexpected non-2xx on: ${bad.map((r) => r.route).join(', ')}`);
      process.exitCode = 1;
    }
    if (ledger && !ledger.ok) {
      console.error('ledger mismatch: payments answered 2xx do not match the balance drop');
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
