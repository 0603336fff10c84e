/**
 * Every function's real handler on the committed sample events (events/<name>.json, the same
 * files `sls invoke local -p` uses), against the real serverless.yml on the embedded local stack
 * (emulators in memory, the seed objects of events/seed/ uploaded first). No mocks.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { seedBucket, startLocalStack, type LocalStack } from '../../local/stack';
import { tokenFor } from '../helpers/http';

const ROOT = resolve(__dirname, '../..');
const RUN_DATE = '2026-01-05';
// The seed portfolio (events/make-seed.ts): 24 rows, 2 of them malformed on purpose.
const SEED_VALID = 22;
const SEED_REJECTED = 2;

const event = (name: string): Record<string, any> => JSON.parse(readFileSync(join(ROOT, 'events', `${name}.json`), 'utf8'));
const jsonl = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, any>);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('handlers on the sample events (real serverless.yml, local stack in memory)', () => {
  let dir: string;
  let stack: LocalStack;
  let s3: S3Client;
  let ddb: DynamoDBClient;
  let sfn: SFNClient;
  let bucket: string;

  const getText = async (Key: string) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToString();
  const exists = (Key: string) =>
    s3.send(new HeadObjectCommand({ Bucket: bucket, Key })).then(
      () => true,
      () => false,
    );
  const chunkAccountIds = async () => jsonl(await getText(event('infer').chunk.key)).map((r) => r.account.accountId as string);
  const rankingsOfDay = async () => {
    const items: Record<string, any>[] = [];
    let ExclusiveStartKey: Record<string, any> | undefined;
    do {
      const page = await ddb.send(
        new ScanCommand({
          TableName: stack.resources.RankingsTable!,
          FilterExpression: 'runDate = :d',
          ExpressionAttributeValues: { ':d': { S: RUN_DATE } },
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-handlers-'));
    stack = await startLocalStack({ dataDir: dir, inMemory: true, retryIntervalOverrides: 0, noReuse: true });
    const seeded = await seedBucket(stack);
    expect(seeded).toEqual(expect.arrayContaining([`inbox/portfolio/${RUN_DATE}.csv`]));
    bucket = stack.env.DATA_BUCKET!;
    s3 = new S3Client(stack.clientConfig('s3'));
    ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
    sfn = new SFNClient(stack.clientConfig('sfn'));
  });
  afterAll(async () => {
    for (const c of [s3, ddb, sfn]) c?.destroy();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetch: writes the chunk and the rejects file; counts match the seed file', async () => {
    const out = (await stack.invoke('fetch', event('fetch'))) as Record<string, any>;
    expect(out).toMatchObject({ runDate: RUN_DATE, sourceKey: `inbox/portfolio/${RUN_DATE}.csv`, accounts: SEED_VALID, rejected: SEED_REJECTED });
    expect(out.chunks).toEqual([{ index: 0, key: `runs/${RUN_DATE}/chunks/00000.jsonl`, count: SEED_VALID }]);
    expect(await chunkAccountIds()).toHaveLength(SEED_VALID);
    const rejects = (await getText(out.rejectsKey)).trim().split('\n');
    expect(rejects[0]).toMatch(/^row,account_id,reason/);
    expect(rejects.slice(1)).toHaveLength(SEED_REJECTED);
  });

  it('infer: one score in [0, 1] per account of the chunk', async () => {
    const e = event('infer');
    const out = (await stack.invoke('infer', e)) as Record<string, any>;
    expect(out).toMatchObject({ scoresKey: `runs/${RUN_DATE}/scores/00000.jsonl`, scored: SEED_VALID });
    const scores = jsonl(await getText(out.scoresKey));
    expect(scores.map((s) => s.accountId).sort()).toEqual((await chunkAccountIds()).sort());
    for (const s of scores) {
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
  });

  it('persist: a ranking per account, and a duplicate delivery leaves the same rankings', async () => {
    const out = (await stack.invoke('persist', event('persist'))) as Record<string, any>;
    expect(out).toMatchObject({ persisted: SEED_VALID });
    const first = await rankingsOfDay();
    expect(first.map((i) => i.accountId!.S).sort()).toEqual((await chunkAccountIds()).sort());
    const scores = new Map(jsonl(await getText(event('persist').infer.scoresKey)).map((s) => [s.accountId as string, s.score as number]));
    for (const item of first) expect(Number(item.score!.N)).toBeCloseTo(scores.get(item.accountId!.S!)!, 12);

    await stack.invoke('persist', event('persist'));
    const again = await rankingsOfDay();
    expect(again).toHaveLength(first.length);
    expect(again.map((i) => i.accountId!.S).sort()).toEqual(first.map((i) => i.accountId!.S).sort());
  });

  it('strategy: result counts, the S3 actions/decisions/exports, contact items for contacted accounts', async () => {
    const out = (await stack.invoke('strategy', event('strategy'))) as Record<string, any>;
    const { email, sms, voice } = out.actions as { email: number; sms: number; voice: number };
    const suppressed = Object.values(out.suppressed as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(out.contacted).toBeGreaterThan(0);
    expect(out.contacted).toBeLessThanOrEqual(SEED_VALID);
    expect(out.contacted + suppressed).toBeLessThanOrEqual(SEED_VALID);
    expect(email + sms + voice).toBeGreaterThanOrEqual(out.contacted);

    const actions = jsonl(await getText(out.actionsKey));
    expect(actions).toHaveLength(email + sms + voice);
    const contactedIds = new Set(actions.map((a) => a.accountId as string));
    expect(contactedIds.size).toBe(out.contacted);
    const decisions = jsonl(await getText(out.decisionsKey));
    expect(decisions.length).toBeGreaterThanOrEqual(out.contacted);
    for (const [channel, n] of Object.entries({ email, sms, voice })) {
      const key = `exports/${RUN_DATE}/${channel}/00000.${channel === 'voice' ? 'csv' : 'jsonl'}`;
      if (n > 0) expect(await exists(key)).toBe(true);
    }

    // The contacts table layout is being reworked: only "every contacted account has items".
    const scan = await ddb.send(new ScanCommand({ TableName: stack.resources.ContactsTable! }));
    const withItems = new Set((scan.Items ?? []).map((i) => i.accountId!.S!));
    for (const id of contactedIds) expect(withItems.has(id)).toBe(true);
  });

  it('notify: summary.json written and the summary published to SNS', async () => {
    const out = (await stack.invoke('notify', event('notify'))) as Record<string, any>;
    expect(out).toMatchObject({ runDate: RUN_DATE, status: 'completed', accounts: SEED_VALID, rejected: SEED_REJECTED, failedChunks: [] });
    const summary = JSON.parse(await getText(`runs/${RUN_DATE}/summary.json`));
    expect(summary).toMatchObject({ runDate: RUN_DATE, status: 'completed', accounts: SEED_VALID });
    const topicName = stack.resources.SummaryTopic!.split(':').pop()!;
    const published = jsonl(readFileSync(join(dir, 'sns', `${topicName}.jsonl`), 'utf8'));
    expect(published.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(published.at(-1))).toContain('completed');
  });

  it('notify (failed run): a failure summary naming the error', async () => {
    const out = (await stack.invoke('notify', event('notifyFailed'))) as Record<string, any>;
    expect(out).toMatchObject({ runDate: RUN_DATE, status: 'failed', error: { name: 'PortfolioFileError' } });
    const summary = JSON.parse(await getText(`runs/${RUN_DATE}/summary.json`));
    expect(summary).toMatchObject({ status: 'failed', error: { name: 'PortfolioFileError' } });
  });

  it('a malformed event (infer without a chunk) fails with ValidationError', async () => {
    const { chunk: _omit, ...bad } = event('infer');
    await expect(stack.invoke('infer', bad)).rejects.toMatchObject({ name: 'ValidationError', errorType: 'ValidationError' });
  });

  it('startRun → 202 and an execution that ends SUCCEEDED; getRun → 200 with its status, 404 for an unknown id', async () => {
    // The sample events carry no token: a real one from the local issuer is added here.
    const authorization = `Bearer ${await tokenFor({ group: 'agent', sub: 'agent-1' })}`;
    const withToken = (e: Record<string, any>) => ({ ...e, headers: { ...e.headers, authorization } });
    const res = (await stack.invoke('startRun', withToken(event('startRun')))) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(202);
    const started = JSON.parse(res.body) as { runId: string; executionArn: string; runDate: string };
    expect(started.runDate).toBe(RUN_DATE);
    expect(started.executionArn).toContain(`:execution:curepath-dev-daily-collections:${started.runId}`);

    let status = 'RUNNING';
    let output: string | undefined;
    for (let i = 0; i < 300 && status === 'RUNNING'; i++) {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      status = d.status!;
      output = d.output;
      if (status === 'RUNNING') await sleep(100);
    }
    expect(status).toBe('SUCCEEDED');
    expect(JSON.parse(output!)).toMatchObject({ status: 'completed', accounts: SEED_VALID, rejected: SEED_REJECTED, failedChunks: [] });

    const getRun = event('getRun');
    const found = (await stack.invoke('getRun', withToken({ ...getRun, pathParameters: { id: started.runId } }))) as { statusCode: number; body: string };
    expect(found.statusCode).toBe(200);
    expect(JSON.parse(found.body)).toMatchObject({ runId: started.runId, status: 'SUCCEEDED', summary: { status: 'completed', accounts: SEED_VALID } });

    const missing = (await stack.invoke('getRun', withToken(getRun))) as { statusCode: number; body: string };
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: 'NOT_FOUND', message: expect.stringContaining(getRun.pathParameters.id) });
  });
});
