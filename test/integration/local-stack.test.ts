/**
 * The embedded local stack against a small fixture service (test/fixtures/local/service) and,
 * when present, the real serverless.yml: resources come from the resolved service, clients use
 * the local overrides, and stop() leaves no emulator behind.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startLocalStack, seedBucket, type LocalStack } from '../../local/stack';
import { XgbModel } from '../../src/domain/model/xgboost';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/local/service');
const MODEL = join(ROOT, 'model/propensity-xgb.json');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const resourcesOfType = (stack: LocalStack, type: string) =>
  Object.entries(stack.service.resources?.Resources ?? {})
    .filter(([, r]) => r.Type === type)
    .map(([id]) => stack.resources[id]!);

describe('local stack (fixture service, in memory)', () => {
  let dir: string;
  let stack: LocalStack;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-local-'));
    stack = await startLocalStack({
      serviceDir: FIXTURE,
      dataDir: dir,
      inMemory: true,
      modelPath: MODEL,
      sageMakerMaxPayloadBytes: 100_000,
      retryIntervalOverrides: 0,
      log: (l) => lines.push(l),
    });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates every table, bucket, queue, stream and topic the resources declare', async () => {
    const ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
    const s3 = new S3Client(stack.clientConfig('s3'));
    const sns = new SNSClient(stack.clientConfig('sns'));
    const sqs = new SQSClient(stack.clientConfig('sqs'));
    const tables = resourcesOfType(stack, 'AWS::DynamoDB::Table');
    expect(tables.length).toBeGreaterThan(0);
    for (const TableName of tables) {
      const d = await ddb.send(new DescribeTableCommand({ TableName }));
      const declared = Object.values(stack.service.resources!.Resources!).find((r) => r.Properties?.TableName === TableName);
      const gsis = (declared?.Properties?.GlobalSecondaryIndexes as { IndexName: string }[] | undefined) ?? [];
      expect((d.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).sort()).toEqual(gsis.map((g) => g.IndexName).sort());
    }
    for (const Bucket of resourcesOfType(stack, 'AWS::S3::Bucket')) await s3.send(new HeadBucketCommand({ Bucket }));
    const topics = (await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn);
    expect(topics).toEqual(expect.arrayContaining(resourcesOfType(stack, 'AWS::SNS::Topic')));
    // RedrivePolicy kept: the source queue points at its dead-letter queue.
    const inbox = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: stack.resources.InboxQueue!, AttributeNames: ['All'] }));
    expect(JSON.parse(inbox.Attributes!.RedrivePolicy!).deadLetterTargetArn).toMatch(/curepath-dev-inbox-dlq$/);
    expect(stack.report.find((r) => r.logicalId === 'DataKey')?.outcome).toBe('skipped');
  });

  it('resolves function environments to plain strings plus local endpoints', () => {
    const env = stack.functionEnv('double');
    expect(env.BUCKET_ARN).toBe(`arn:aws:s3:::${stack.resources.DataBucket}`);
    expect(env.GREETING).toBe(`hello-curepath-dev-${stack.resources.DataBucket}`);
    expect(env.CUREPATH_LOCAL).toBe('1');
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBe(stack.endpoints.dynamodb);
    expect(stack.env.INBOX_QUEUE_URL).toBe(stack.resources.InboxQueue);
    expect(stack.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME).toBe(stack.endpoints.sagemakerRuntime);
  });

  it('serves S3, DynamoDB, SQS and Kinesis through the client overrides', async () => {
    const Bucket = stack.resources.DataBucket!;
    const s3 = new S3Client(stack.clientConfig('s3'));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a/b.txt', Body: 'hello' }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'a/b.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello');

    const ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
    const TableName = stack.resources.RankingsTable!;
    await ddb.send(new PutItemCommand({ TableName, Item: { accountId: { S: 'A1' }, runDate: { S: '2026-01-05' }, score: { N: '0.5' } } }));
    const item = await ddb.send(new GetItemCommand({ TableName, Key: { accountId: { S: 'A1' }, runDate: { S: '2026-01-05' } } }));
    expect(item.Item?.score?.N).toBe('0.5');

    const sqs = new SQSClient(stack.clientConfig('sqs'));
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.resources.InboxQueue!, MessageBody: '{"k":1}' }));
    const msgs = await sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.resources.InboxQueue!, MaxNumberOfMessages: 1 }));
    expect(msgs.Messages?.[0]?.Body).toBe('{"k":1}');

    const kinesis = new KinesisClient(stack.clientConfig('kinesis'));
    const StreamName = stack.resources.EventStream!;
    await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.from('evt-1') }));
    const shards = await kinesis.send(new ListShardsCommand({ StreamName }));
    expect(shards.Shards).toHaveLength(1); // ON_DEMAND → one shard locally
    const it = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: shards.Shards![0]!.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    const recs = await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }));
    expect(Buffer.from(recs.Records![0]!.Data!).toString()).toBe('evt-1');
    for (const c of [s3, ddb, sqs, kinesis]) c.destroy();
  });

  it('pages S3 listings: a truncated ListObjectsV2 returns a continuation token that lists the rest (s3rver on OpenSSL 3)', async () => {
    const Bucket = stack.resources.DataBucket!;
    const s3 = new S3Client(stack.clientConfig('s3'));
    const keys = ['paged/k1', 'paged/k2', 'paged/k3', 'paged/k4', 'paged/k5'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    const listed: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'paged/', MaxKeys: 2, ContinuationToken: token }));
      listed.push(...(r.Contents ?? []).map((o) => o.Key!));
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
      pages++;
    } while (token);
    expect(listed).toEqual(keys);
    expect(pages).toBe(3);
    s3.destroy();
  });

  it('seeds events/seed into the data bucket idempotently', async () => {
    expect(await seedBucket(stack)).toEqual(['inbox/portfolio/2026-01-05.csv']);
    expect(await seedBucket(stack)).toEqual([]);
    const s3 = new S3Client(stack.clientConfig('s3'));
    const got = await s3.send(new GetObjectCommand({ Bucket: stack.resources.DataBucket!, Key: 'inbox/portfolio/2026-01-05.csv' }));
    expect(await got.Body!.transformToString()).toBe(readFileSync(join(FIXTURE, 'events/seed/inbox/portfolio/2026-01-05.csv'), 'utf8'));
  });

  it('records SNS publishes to <dataDir>/sns/<topic>.jsonl', async () => {
    const sns = new SNSClient(stack.clientConfig('sns'));
    const out = await sns.send(new PublishCommand({ TopicArn: stack.resources.SummaryTopic!, Subject: 'run', Message: '{"ok":true}' }));
    expect(out.MessageId).toBeTruthy();
    const recorded = readFileSync(join(dir, 'sns', 'curepath-dev-run-summary.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(recorded.at(-1)).toMatchObject({ messageId: out.MessageId, subject: 'run', message: '{"ok":true}' });
    await expect(sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope', Message: 'x' }))).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('answers SageMaker invocations like the XGBoost container, with the committed model', async () => {
    const json = JSON.parse(readFileSync(MODEL, 'utf8'));
    const model = XgbModel.fromJSON(json);
    const nCols = model.numFeatures;
    const nRows = 50;
    const rows = new Float64Array(nRows * nCols);
    for (let i = 0; i < rows.length; i++) rows[i] = i % 7 === 3 ? NaN : ((i * 7919) % 1000) / 10;
    const csv = Array.from({ length: nRows }, (_, r) =>
      Array.from(rows.subarray(r * nCols, (r + 1) * nCols), (v) => (Number.isNaN(v) ? '' : String(v))).join(','),
    ).join('\n');
    const expected = Array.from(model.predictBatch(rows, nCols));
    const client = new SageMakerRuntimeClient(stack.clientConfig('sagemaker-runtime'));
    const asCsv = await client.send(new InvokeEndpointCommand({ EndpointName: 'curepath-dev-propensity', ContentType: 'text/csv', Accept: 'text/csv', Body: csv }));
    const got = Buffer.from(asCsv.Body!).toString().trim().split('\n').map(Number);
    expect(got).toHaveLength(nRows);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    const asJson = await client.send(new InvokeEndpointCommand({ EndpointName: 'x', ContentType: 'text/csv', Accept: 'application/json', Body: csv }));
    const preds = JSON.parse(Buffer.from(asJson.Body!).toString()).predictions as { score: number }[];
    preds.forEach((p, i) => expect(p.score).toBeCloseTo(expected[i]!, 12));
    const tooBig = `${csv}\n`.repeat(Math.ceil(100_001 / csv.length) + 1);
    await expect(client.send(new InvokeEndpointCommand({ EndpointName: 'x', ContentType: 'text/csv', Body: tooBig }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 413 },
    });
  });

  it('runs the real ASL with the real handlers (Map, Retry, Catch) and reports progress', async () => {
    const events: string[] = [];
    const ok = await stack.runStateMachine('dailyCollections', { items: [10, 20, 30] }, { onEvent: (e) => events.push(`${e.type}:${e.state ?? ''}`) });
    expect(ok.status).toBe('SUCCEEDED');
    expect((ok.output as { doubled: { doubled: number }[] }).doubled.map((d) => d.doubled)).toEqual([20, 40, 60]);
    expect(events.filter((e) => e === 'StateRetried:Double')).toHaveLength(3); // TransientError retried once per item
    expect(events.filter((e) => e === 'MapIterationSucceeded:Each')).toHaveLength(3);
    const failed = await stack.runStateMachine('dailyCollections', { fail: true });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'FixtureFailed' });
  });

  it('reports handler errors with errorType = error.name', async () => {
    await expect(stack.invoke('fail', {})).rejects.toMatchObject({ name: 'TypeError', errorType: 'TypeError', errorMessage: 'always fails' });
  });

  it('runs executions through the local Step Functions endpoint (JSON 1.0)', async () => {
    const sfn = new SFNClient(stack.clientConfig('sfn'));
    const stateMachineArn = stack.stateMachineArn('dailyCollections');
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'run-1', input: JSON.stringify({ items: [1] }) }));
    expect(started.executionArn).toBe(stateMachineArn.replace(':stateMachine:', ':execution:') + ':run-1');
    await stack.sfn.executions.get(started.executionArn!)!.done;
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn! }));
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!).doubled).toEqual([{ doubled: 2, fn: 'curepath-dev-double' }]);
    expect(d.startDate).toBeInstanceOf(Date);
    const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(list.executions?.map((e) => e.name)).toContain('run-1');
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: `${started.executionArn}-nope` }))).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });
});

describe('local stack on disk: restart, reuse, clean stop', () => {
  it('keeps tables across restarts, reuses a live stack, and leaves no child process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'curepath-local-disk-'));
    try {
      const first = await startLocalStack({ serviceDir: FIXTURE, dataDir: dir, modelPath: MODEL });
      expect(first.owner).toBe(true);
      expect(first.report.filter((r) => r.outcome === 'created').length).toBeGreaterThan(0);
      const ddb = new DynamoDBClient(first.clientConfig('dynamodb'));
      const TableName = first.resources.RankingsTable!;
      await ddb.send(new PutItemCommand({ TableName, Item: { accountId: { S: 'KEEP' }, runDate: { S: '2026-01-05' } } }));
      ddb.destroy();

      // A second stack on the same data dir while the first runs: reuses its emulators.
      const second = await startLocalStack({ serviceDir: FIXTURE, dataDir: dir, modelPath: MODEL });
      expect(second.owner).toBe(false);
      expect(second.endpoints.dynamodb).toBe(first.endpoints.dynamodb);
      await second.stop();
      expect(first.pids.every(alive)).toBe(true);

      const pids = first.pids;
      expect(pids.length).toBe(7);
      await first.stop();
      expect(pids.filter(alive)).toEqual([]);
      expect(existsSync(join(dir, 'stack.json'))).toBe(false);

      const third = await startLocalStack({ serviceDir: FIXTURE, dataDir: dir, modelPath: MODEL });
      try {
        expect(third.owner).toBe(true);
        const tables = third.report.filter((r) => r.type === 'AWS::DynamoDB::Table');
        expect(tables.every((t) => t.outcome === 'existing')).toBe(true);
        const ddb3 = new DynamoDBClient(third.clientConfig('dynamodb'));
        const item = await ddb3.send(new GetItemCommand({ TableName, Key: { accountId: { S: 'KEEP' }, runDate: { S: '2026-01-05' } } }));
        expect(item.Item?.accountId?.S).toBe('KEEP');
        ddb3.destroy();
      } finally {
        await third.stop();
      }
      expect(third.pids.filter(alive)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const realService = existsSync(join(ROOT, 'serverless.yml')) ? describe : describe.skip;
realService('local stack (the real serverless.yml)', () => {
  it('creates every table, bucket and topic of resources/ and resolves every function environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'curepath-local-real-'));
    const stack = await startLocalStack({ dataDir: dir, inMemory: true });
    try {
      const ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
      const s3 = new S3Client(stack.clientConfig('s3'));
      const sns = new SNSClient(stack.clientConfig('sns'));
      const tables = resourcesOfType(stack, 'AWS::DynamoDB::Table');
      expect(tables.length).toBeGreaterThan(0);
      for (const TableName of tables) expect((await ddb.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus).toBe('ACTIVE');
      for (const Bucket of resourcesOfType(stack, 'AWS::S3::Bucket')) await s3.send(new HeadBucketCommand({ Bucket }));
      const topics = (await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn);
      expect(topics).toEqual(expect.arrayContaining(resourcesOfType(stack, 'AWS::SNS::Topic')));
      for (const fn of Object.keys(stack.service.functions ?? {})) {
        for (const [k, v] of Object.entries(stack.functionEnv(fn))) expect(typeof v).toBe('string'), expect(v).not.toContain('[object');
        expect(stack.functionEnv(fn).STAGE).toBe('dev');
      }
      expect(stack.stateMachineDefinition('dailyCollections')).toMatchObject({ StartAt: expect.any(String) });
      for (const c of [ddb, s3, sns]) c.destroy();
    } finally {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
