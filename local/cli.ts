/**
 * `npm start` — the daily collections run on the embedded local stack, no AWS account needed.
 *
 *   npm start -- [--accounts N] [--portfolio FILE] [--date YYYY-MM-DD] [--days D] [--out DIR]
 *                [--model endpoint|embedded] [--chunk-size N] [--malformed-rate R] [--seed S]
 *                [--stage dev] [--in-memory] [--verbose] [--loop | --no-loop]
 *
 * Progress goes to stderr; the last line on stdout is the summary as one JSON object. By default the
 * local loop (dispatch → senders → stand-ins → engagement handlers, payments into the next day's
 * file) runs between and after the daily runs: local/simulation, docs/simulation.md.
 */
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { localClientOverrides } from '../src/adapters/local-overrides';
import { S3ObjectStore } from '../src/adapters/s3-object-store';
import { writePortfolioCsv } from '../src/synthetic/portfolio-generator';
import type { RunSummary } from '../src/usecases/notify-run';
import { keys } from '../src/usecases/keys';
import { runStateMachine, type AslEvent } from './asl-runner';
import { startLocalStack, type LocalStack } from './stack';
import { LOOP_ENV_OVERRIDES, Simulation } from './simulation/loop';
import type { EventLine } from './simulation/events';
import type { SendRecord } from './simulation/metrics';
import { writeSimulationLake } from './analytics/simulation-lake';
import { addDays } from '../src/domain/dates';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface CliOptions {
  accounts: number;
  portfolio?: string;
  date: string;
  days: number;
  out?: string;
  model: 'endpoint' | 'embedded';
  chunkSize?: number;
  malformedRate: number;
  seed: number;
  stage: string;
  inMemory: boolean;
  dataDir?: string;
  verbose: boolean;
  /**
   * The local loop between and after the daily runs: on by default when --days > 1 (the engagement
   * loop is what connects one day to the next); --loop / --no-loop force it either way.
   */
  loop: boolean;
}

export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      accounts: { type: 'string', default: '10000' },
      portfolio: { type: 'string' },
      date: { type: 'string', default: new Date().toISOString().slice(0, 10) },
      days: { type: 'string', default: '1' },
      out: { type: 'string' },
      model: { type: 'string', default: 'endpoint' },
      'chunk-size': { type: 'string' },
      'malformed-rate': { type: 'string', default: '0.002' },
      seed: { type: 'string', default: '1' },
      stage: { type: 'string', default: 'dev' },
      'in-memory': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      loop: { type: 'boolean' },
      'no-loop': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min} (got ${v})`);
    return n;
  };
  if (!DATE.test(values.date!) || Number.isNaN(Date.parse(values.date!))) throw new Error(`--date must be YYYY-MM-DD (got ${values.date})`);
  if (values.model !== 'endpoint' && values.model !== 'embedded') throw new Error('--model must be endpoint or embedded');
  const malformedRate = Number(values['malformed-rate']);
  if (!(malformedRate >= 0 && malformedRate <= 1)) throw new Error('--malformed-rate must be between 0 and 1');
  return {
    accounts: int('accounts', values.accounts!, 0),
    ...(values.portfolio ? { portfolio: resolve(values.portfolio) } : {}),
    date: values.date!,
    days: int('days', values.days!, 1),
    ...(values.out ? { out: resolve(values.out) } : {}),
    model: values.model,
    ...(values['chunk-size'] ? { chunkSize: int('chunk-size', values['chunk-size'], 1) } : {}),
    malformedRate,
    seed: int('seed', values.seed!, 0),
    stage: values.stage!,
    inMemory: values['in-memory']!,
    verbose: values.verbose!,
    loop: values['no-loop'] ? false : (values.loop ?? int('days', values.days!, 1) > 1),
    ...(values['data-dir'] ? { dataDir: resolve(values['data-dir']) } : {}),
  };
}


const log = (line: string) => process.stderr.write(`${line}\n`);

/** A progress line per state, and a running count of chunks through the Map. */
function progress(runDate: string): (e: AslEvent) => void {
  let lastShown = 0;
  let total: number | undefined;
  return (e) => {
    if (e.type === 'StateExited' && e.state === 'Fetch') {
      const f = e.output as { fetch?: { accounts: number; rejected: number; chunks: unknown[] } } | undefined;
      if (f?.fetch) {
        total = f.fetch.chunks.length;
        log(`[${runDate}] fetch: ${f.fetch.accounts} accounts valid, ${f.fetch.rejected} rejected, ${total} chunks`);
      }
    } else if ((e.type === 'MapIterationSucceeded' || e.type === 'MapIterationFailed') && e.map) {
      const done = e.map.succeeded + e.map.failed;
      const of = e.map.total ?? total;
      const now = Date.now();
      if (now - lastShown > 500 || done === of) {
        lastShown = now;
        log(`[${runDate}] chunks ${done}/${of ?? '?'}${e.map.failed ? ` (${e.map.failed} failed)` : ''}`);
      }
    } else if (e.type === 'StateRetried') {
      log(`[${runDate}] ${e.state} retried (${e.error ?? 'error'})`);
    } else if (e.type === 'StateEntered' && (e.state === 'Notify' || e.state === 'NotifyRunFailed')) {
      log(`[${runDate}] ${e.state.toLowerCase()}…`);
    }
  };
}

export interface DailyRunResult {
  summary: Record<string, unknown>;
  days: RunSummary[];
}

/**
 * Runs D consecutive days on an already started stack; state (contact history) carries over.
 * With `sim` (Simulation.start on the same stack) the local loop runs after each day's run and its
 * figures join the summary.
 */
export async function runDays(stack: LocalStack, opts: CliOptions, sim?: Simulation): Promise<DailyRunResult> {
  const bucket = stack.functionEnv('fetch').DATA_BUCKET!;
  const s3 = new S3Client({ region: 'us-east-1', ...localClientOverrides('s3', stack.env) });
  const store = new S3ObjectStore(s3, bucket);
  const workDir = join(stack.dataDir, 'portfolios');
  mkdirSync(workDir, { recursive: true });

  const days: RunSummary[] = [];
  const started = Date.now();
  for (let d = 0; d < opts.days; d++) {
    const runDate = addDays(opts.date, d);
    let file = opts.portfolio;
    if (!file) {
      file = join(workDir, `${runDate}.csv`);
      const rows = sim
        ? await sim.writePortfolio(file, runDate, d)
        : (
            await writePortfolioCsv(file, {
              accounts: opts.accounts,
              runDate,
              dayIndex: d,
              seed: opts.seed,
              malformedRate: opts.malformedRate,
            })
          ).rows;
      log(`[${runDate}] generated a synthetic portfolio of ${rows} rows (seed ${opts.seed}, day ${d}${sim && d > 0 ? ', with the simulation\'s payments and promises' : ''})`);
    } else if (sim && d === 0) {
      log(`[${runDate}] --portfolio: the loop runs, but payments and promises are not written into a given file`);
    }
    await new Upload({
      client: s3,
      params: { Bucket: bucket, Key: keys.portfolio(runDate), Body: createReadStream(file), ContentType: 'text/csv' },
    }).done();

    const result = await runStateMachine({
      stack,
      stateMachine: 'dailyCollections',
      input: { runDate },
      executionName: `local-${runDate}-${Date.now().toString(36)}`,
      onEvent: progress(runDate),
    });
    if (result.status !== 'SUCCEEDED') {
      // The failure summary was still written and published by NotifyRunFailed.
      const failure = await store.getText(keys.summary(runDate)).then((t) => JSON.parse(t) as RunSummary).catch(() => null);
      throw Object.assign(new Error(`run ${runDate} failed: ${result.error ?? 'unknown'} ${failure?.error?.message ?? result.cause ?? ''}`.trim()), {
        summary: failure,
      });
    }
    const summary = result.output as RunSummary;
    log(`[${runDate}] ${summary.status}: ${summary.actions.total} actions (email ${summary.actions.email}, sms ${summary.actions.sms}, voice ${summary.actions.voice}), ${summary.rejected} rejected, ${summary.failedChunks.length} failed chunks`);
    days.push(summary);
    if (sim) await sim.afterRun(store, runDate, summary);
  }

  if (!sim) {
    if (opts.out) await writeOut(store, opts.out, days);
    return { summary: aggregate(days, Date.now() - started), days };
  }
  const { metrics, events, sends, loop } = await sim.finish();
  // The analytics lake's send outcomes and engagement events, in the local S3 (docs/analytics.md).
  await writeSimulationLake(store, events);
  const extra = { ...metrics, loop };
  if (opts.out) await writeOut(store, opts.out, days, { extra, events, sends, sim });
  return { summary: { ...aggregate(days, Date.now() - started), ...extra, durationMs: Date.now() - started }, days };
}

/** Totals over the days; with one day it is that day's summary. */
export function aggregate(days: RunSummary[], durationMs: number): Record<string, unknown> {
  const sum = (f: (s: RunSummary) => number) => days.reduce((n, s) => n + f(s), 0);
  const suppressed: Record<string, number> = {};
  for (const s of days) for (const [k, v] of Object.entries(s.suppressed)) suppressed[k] = (suppressed[k] ?? 0) + v;
  return {
    runDates: days.map((s) => s.runDate),
    status: days.every((s) => s.status === 'completed') ? 'completed' : 'partial',
    accounts: sum((s) => s.accounts),
    scored: sum((s) => s.scored),
    rejected: sum((s) => s.rejected),
    contacted: sum((s) => s.contacted),
    actions: {
      email: sum((s) => s.actions.email),
      sms: sum((s) => s.actions.sms),
      voice: sum((s) => s.actions.voice),
      total: sum((s) => s.actions.total),
    },
    suppressed,
    failedChunks: days.flatMap((s) => s.failedChunks.map((c) => ({ runDate: s.runDate, ...c }))),
    ...(days.length > 1 ? { days: days.map(({ runDate, accounts, rejected, actions, failedChunks }) => ({ runDate, accounts, rejected, actions, failedChunks: failedChunks.length })) } : {}),
    durationMs,
  };
}

/**
 * --out DIR: summary.json, rejects.csv and actions.jsonl (every action of every day); with the loop
 * also events.jsonl (every engagement event processed), and each action line gains `plannedAt` and
 * `outcome` (the send ledger's status: sent, suppressed, failed + reason; not_sent for voice).
 */
async function writeOut(
  store: S3ObjectStore,
  dir: string,
  days: RunSummary[],
  loop?: { extra: Record<string, unknown>; events: EventLine[]; sends: Map<string, SendRecord>; sim: Simulation },
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const actions = createWriteStream(join(dir, 'actions.jsonl'));
  const rejects = createWriteStream(join(dir, 'rejects.csv'));
  rejects.write('run_date,row,account_id,reason\n');
  for (const day of days) {
    const manifest = JSON.parse(await store.getText(day.manifestKey!)) as { actions: string[] };
    for (const key of manifest.actions) {
      let text = await store.getText(key);
      if (loop) {
        const plannedAt = loop.sim.plannedAtOf(day.runDate);
        text = text
          .split('\n')
          .filter((l) => l.trim().length > 0)
          .map((l) => {
            const a = JSON.parse(l) as { actionId: string };
            return `${JSON.stringify({ ...a, ...(plannedAt ? { plannedAt } : {}), outcome: loop.sim.outcomeOf(a.actionId, loop.sends) })}\n`;
          })
          .join('');
      }
      if (!actions.write(text)) await new Promise<void>((r) => actions.once('drain', () => r()));
    }
    const lines = (await store.getText(day.rejectsKey!)).split('\n').slice(1).filter((l) => l.length > 0);
    for (const line of lines) rejects.write(`${day.runDate},${line}\n`);
  }
  await Promise.all([new Promise<void>((r) => actions.end(() => r())), new Promise<void>((r) => rejects.end(() => r()))]);
  if (loop) {
    const events = createWriteStream(join(dir, 'events.jsonl'));
    const sorted = [...loop.events].sort((a, b) => (a.processedAt < b.processedAt ? -1 : a.processedAt > b.processedAt ? 1 : a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    for (const e of sorted) if (!events.write(`${JSON.stringify(e)}\n`)) await new Promise<void>((r) => events.once('drain', () => r()));
    await new Promise<void>((r) => events.end(() => r()));
  }
  await writeFile(join(dir, 'summary.json'), JSON.stringify({ ...aggregate(days, 0), ...(loop?.extra ?? {}), perDay: days }, null, 2));
}

async function main(): Promise<void> {
  const opts = parseCli(process.argv.slice(2));
  const t0 = Date.now();
  const stack = await startLocalStack({
    stage: opts.stage,
    inMemory: opts.inMemory,
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    log,
    ...(opts.loop ? { channels: { seed: opts.seed } } : {}),
    envOverrides: {
      ...(opts.loop ? LOOP_ENV_OVERRIDES : {}),
      MODEL_BACKEND: opts.model,
      ...(opts.chunkSize ? { CHUNK_SIZE: String(opts.chunkSize) } : {}),
      // The handlers' JSON logs go to stdout, whose last line is the summary: keep them to warnings unless asked.
      ...(opts.verbose ? {} : { POWERTOOLS_LOG_LEVEL: 'WARN' }),
    },
  });
  log(`local stack ready in ${Date.now() - t0} ms (data in ${stack.dataDir})`);
  try {
    const sim = opts.loop ? await Simulation.start(stack, { seed: opts.seed, accounts: opts.accounts, malformedRate: opts.malformedRate, log }) : undefined;
    const { summary } = await runDays(stack, opts, sim);
    if (opts.out) log(`wrote ${opts.out}/summary.json, rejects.csv, actions.jsonl${sim ? ', events.jsonl' : ''}`);
    process.stdout.write(`${JSON.stringify({ ...summary, durationMs: Date.now() - t0 })}\n`);
  } finally {
    await stack.stop();
  }
}

if (require.main === module || process.argv[1]?.endsWith('cli.ts')) {
  main().catch((err: unknown) => {
    log(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
