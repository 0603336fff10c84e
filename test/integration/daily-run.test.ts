/**
 * The whole daily run on the emulators: the real ASL, the real handlers, the local SageMaker
 * endpoint, dynalite, s3rver and the local SNS — then what landed in DynamoDB and S3.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePlannedAction } from '../../src/adapters/dynamo-repositories';
import { S3ObjectStore } from '../../src/adapters/s3-object-store';
import { portfolioCsvLines } from '../../src/synthetic/portfolio-generator';
import { keys, parseJsonl } from '../../src/usecases/keys';
import type { RunSummary } from '../../src/usecases/notify-run';
import { parseCli, runDays } from '../../local/cli';
import { startLocalStack, type LocalStack } from '../../local/stack';

const RUN_DATE = '2026-03-06';
const ACCOUNTS = 450;

let dir: string;
let stack: LocalStack;
let store: S3ObjectStore;
let doc: DynamoDBDocumentClient;

const csv = (runDate: string, dayIndex = 0) =>
  [...portfolioCsvLines({ accounts: ACCOUNTS, runDate, dayIndex, seed: 5, malformedRate: 0.03 })].join('');

async function run(runDate: string) {
  return stack.runStateMachine('dailyCollections', { runDate }, { retryIntervalOverrides: 0 });
}

/** Every ranking of a day (test-only Scan: production reads the day's order from the S3 scores files). */
async function rankingsOf(runDate: string) {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(
      new ScanCommand({
        TableName: stack.functionEnv('persist').RANKINGS_TABLE!,
        FilterExpression: 'runDate = :d',
        ExpressionAttributeValues: { ':d': runDate },
        ExclusiveStartKey,
      }),
    );
    items.push(...((res.Items ?? []) as Record<string, unknown>[]));
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

async function ledgers() {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await doc.send(new ScanCommand({ TableName: stack.functionEnv('strategy').CONTACTS_TABLE!, ExclusiveStartKey }));
    items.push(...((res.Items ?? []) as Record<string, unknown>[]));
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items
    .filter((i) => i.kind === 'LEDGER')
    .map((i) => ({ accountId: i.accountId as string, runDate: i.runDate as string, plan: (i.plan as string[]).map((p) => decodePlannedAction(p, i.accountId as string, i.runDate as string)) }));
}

const snsMessages = (): { subject?: string; message: string }[] => {
  const snsDir = join(stack.dataDir, 'sns');
  if (!existsSync(snsDir)) return [];
  return readdirSync(snsDir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(snsDir, f), 'utf8').trim().split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as { subject?: string; message: string });
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'curepath-daily-'));
  stack = await startLocalStack({
    inMemory: true,
    dataDir: join(dir, 'stack'),
    log: () => undefined,
    // Small chunks: several Map iterations; the endpoint backend exercises the local SageMaker endpoint.
    envOverrides: { CHUNK_SIZE: '100', MODEL_BACKEND: 'endpoint', POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  store = new S3ObjectStore(new S3Client({ region: 'us-east-1', ...stack.clientConfig('s3') }), stack.functionEnv('fetch').DATA_BUCKET!);
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', ...stack.clientConfig('dynamodb') }));
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('daily collections run on the local stack', () => {
  let summary: RunSummary;

  it('runs the state machine end to end and reports a complete summary', async () => {
    await store.putText(keys.portfolio(RUN_DATE), csv(RUN_DATE));
    const result = await run(RUN_DATE);
    expect(result.status).toBe('SUCCEEDED');
    summary = result.output as RunSummary;
    expect(summary.status).toBe('completed');
    expect(summary.accounts + summary.rejected).toBe(ACCOUNTS);
    expect(summary.rejected).toBeGreaterThan(0);
    expect(summary.scored).toBe(summary.accounts);
    expect(summary.chunks).toBe(Math.ceil(summary.accounts / 100));
    expect(summary.failedChunks).toEqual([]);
    expect(summary.actions.total).toBeGreaterThan(0);
    const suppressed = Object.values(summary.suppressed).reduce((a, b) => a + b, 0);
    expect(summary.contacted + suppressed).toBe(summary.accounts);
  });

  it('persisted one ranking per valid account, with the score Infer wrote to S3', async () => {
    const rankings = await rankingsOf(RUN_DATE);
    expect(rankings).toHaveLength(summary.accounts);
    expect(new Set(rankings.map((r) => r.accountId)).size).toBe(summary.accounts);
    const scoreFiles = await store.list(`runs/${RUN_DATE}/scores/`);
    const fromS3 = new Map(
      (await Promise.all(scoreFiles.map((k) => store.getText(k)))).flatMap((t) => parseJsonl<{ accountId: string; score: number }>(t)).map((s) => [s.accountId, s.score]),
    );
    for (const r of rankings) expect(r.score).toBe(fromS3.get(r.accountId as string));
    const scores = rankings.map((r) => r.score as number);
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(0);
    for (const s of scores) expect(s).toBeLessThanOrEqual(1);
  });

  it('wrote a ledger per contacted account whose plans add up to the summary', async () => {
    const today = (await ledgers()).filter((l) => l.runDate === RUN_DATE);
    expect(today).toHaveLength(summary.contacted);
    const plan = today.flatMap((l) => l.plan);
    expect(plan).toHaveLength(summary.actions.total);
    expect(plan.filter((a) => a.channel === 'voice')).toHaveLength(summary.actions.voice);
  });

  it('left the rejects, the dialer call list, the audit trail, the manifest and the SNS summary', async () => {
    const rejects = (await store.getText(keys.rejects(RUN_DATE))).trim().split('\n');
    expect(rejects[0]).toBe('row,account_id,reason');
    expect(rejects).toHaveLength(summary.rejected + 1);
    const manifest = JSON.parse(await store.getText(keys.manifest(RUN_DATE))) as { complete: boolean; parts: Record<string, string[]>; decisions: string[] };
    expect(manifest.complete).toBe(true);
    const voiceRows = (await Promise.all(manifest.parts.voice!.map((k) => store.getText(k)))).flatMap((t) => t.trim().split('\n').slice(1)).filter(Boolean);
    expect(voiceRows).toHaveLength(summary.actions.voice);
    const decisions = (await Promise.all(manifest.decisions.map((k) => store.getText(k)))).flatMap((t) => parseJsonl<{ reasons: string[] }>(t));
    expect(decisions).toHaveLength(summary.accounts);
    for (const d of decisions) expect(d.reasons.length).toBeGreaterThan(0);
    const stored = JSON.parse(await store.getText(keys.summary(RUN_DATE))) as RunSummary;
    expect(stored.actions).toEqual(summary.actions);
    const published = snsMessages().filter((m) => m.subject?.includes(RUN_DATE));
    expect(published.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(published[published.length - 1]!.message)).toMatchObject({ runDate: RUN_DATE, actions: summary.actions });
  });

  it('is idempotent: re-running the day duplicates no ranking, ledger or action', async () => {
    const before = await ledgers();
    const again = await run(RUN_DATE);
    expect(again.status).toBe('SUCCEEDED');
    expect((again.output as RunSummary).actions).toEqual(summary.actions);
    expect(await rankingsOf(RUN_DATE)).toHaveLength(summary.accounts);
    const after = await ledgers();
    const norm = (ls: typeof before) => JSON.stringify(ls.map((l) => [l.accountId, [...l.plan].sort((a, b) => a.actionId.localeCompare(b.actionId))]).sort());
    expect(norm(after)).toBe(norm(before));
  });

  it('fails a file without a required column before writing anything, and says so', async () => {
    const badDate = '2026-03-20';
    await store.putText(keys.portfolio(badDate), csv(badDate).replace('amount_past_due', 'past_due_amount'));
    const result = await run(badDate);
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('CollectionsRunFailed');
    expect(await store.list(`runs/${badDate}/chunks/`)).toEqual([]);
    const failure = JSON.parse(await store.getText(keys.summary(badDate))) as RunSummary;
    expect(failure.status).toBe('failed');
    expect(failure.error?.name).toBe('PortfolioFileError');
    expect(failure.error?.message).toMatch(/amount_past_due/);
    expect(snsMessages().some((m) => m.subject?.includes(`${badDate} FAILED`))).toBe(true);
  });

  it('npm start --days 2 --out: every action of both days, each inside 08:00–21:00 local time', async () => {
    const out = join(dir, 'out');
    const opts = parseCli(['--accounts', '300', '--date', '2026-03-07', '--days', '2', '--out', out, '--malformed-rate', '0.01']);
    const { summary: total, days } = await runDays(stack, opts);
    expect(days).toHaveLength(2);
    const lines = readFileSync(join(out, 'actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines).toHaveLength((total.actions as { total: number }).total);
    for (const a of lines) {
      expect(a).toEqual(expect.objectContaining({ accountId: expect.any(String), channel: expect.stringMatching(/^(email|sms|voice)$/), timezone: expect.any(String), segment: expect.any(String) }));
      expect(a.sendAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
      const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: a.timezone, hour: 'numeric', hourCycle: 'h23' }).format(new Date(String(a.sendAt))));
      expect(hour).toBeGreaterThanOrEqual(8);
      expect(hour).toBeLessThan(21);
    }
    expect(new Set(lines.map((a) => a.runDate))).toEqual(new Set(['2026-03-07', '2026-03-08']));
    const rejects = readFileSync(join(out, 'rejects.csv'), 'utf8').trim().split('\n');
    expect(rejects[0]).toBe('run_date,row,account_id,reason');
    expect(rejects.length - 1).toBe(total.rejected);
    const saved = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { actions: unknown };
    expect(saved.actions).toEqual(total.actions);
  });
});
