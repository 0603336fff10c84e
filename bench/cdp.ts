/**
 * npm run bench:cdp -- [--users 200] [--days 60] [--batch 500]
 *
 * Transactions/s through the customer data stream's live path, encryption included, on the local
 * stack's emulators: the core's changes (every card — 11 fields encrypted each with the Encryption
 * SDK — then every transaction) through the real `cdpExtract` handler onto kinesalite (PutRecords),
 * read back shard by shard and through the real `cdpProcess` handler (card state in dynalite, fraud
 * features + XGBoost score, Firehose → s3rver lake) in batches of --batch, one after another as one
 * shard is processed. Handlers are invoked in-process through the local stack, as Lambda would.
 *
 * Baseline measured in the same run on the same kinesalite: raw PutRecords of the same serialized
 * records (500 per call, one call in flight, as the extractor does). Figures are reported as ratios
 * against it, never asserted as wall-clock times. The last line printed is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordsCommand, type _Record } from '@aws-sdk/client-kinesis';
import { coreStreamEvent } from '../local/cdp';
import { toKinesisRecord } from '../local/event-sources';
import { startLocalStack, type LocalStack } from '../local/stack';
import { coreItems, DynamoCore } from '../src/adapters/cdp/dynamo-core';
import { generateTabFormer } from '../src/synthetic/tabformer/generator';

const log = (line: string) => process.stderr.write(`${line}\n`);
const perSec = (n: number, ms: number) => Math.round((n / ms) * 1000);
const ratio = (a: number, b: number) => Number((a / b).toFixed(3));

async function readAll(k: KinesisClient, StreamName: string): Promise<{ shardId: string; records: _Record[] }[]> {
  const out: { shardId: string; records: _Record[] }[] = [];
  for (const shard of (await k.send(new ListShardsCommand({ StreamName }))).Shards ?? []) {
    const records: _Record[] = [];
    let it = (await k.send(new GetShardIteratorCommand({ StreamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    for (;;) {
      const r = await k.send(new GetRecordsCommand({ ShardIterator: it!, Limit: 10_000 }));
      records.push(...(r.Records ?? []));
      if (!r.Records?.length) break;
      it = r.NextShardIterator;
    }
    out.push({ shardId: shard.ShardId!, records });
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { users: { type: 'string', default: '200' }, days: { type: 'string', default: '60' }, batch: { type: 'string', default: '500' } } });
  const users = Number(values.users);
  const batch = Number(values.batch);
  const dir = mkdtempSync(join(tmpdir(), 'curepath-bench-cdp-'));
  const stack: LocalStack = await startLocalStack({
    dataDir: dir,
    inMemory: true,
    noReuse: true,
    log: () => {},
    envOverrides: { CDP_LOCAL_KEY_DIR: join(dir, 'keys'), POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  const k = new KinesisClient(stack.clientConfig('kinesis'));
  try {
    const data = generateTabFormer({ users, seed: 42, days: Number(values.days) });
    const ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
    await new DynamoCore(ddb, stack.resources.CoreTable!).write(data);
    ddb.destroy();
    const txns = [...data.transactions].sort((a, b) => a.at.localeCompare(b.at));
    log(`${data.users.length} users, ${data.cards.length} cards, ${txns.length} transactions in the core`);
    // Warm both handlers (cold start, key files) outside the measurement.
    await stack.invoke('cdpProcess', { Records: [] });
    await stack.invoke('cdpExtract', { Records: [] });

    // 1. Extract: card snapshots (encrypted) then transactions, 100 changes per invocation.
    const items = [...coreItems({ users: [], cards: data.cards, transactions: [] }), ...coreItems({ users: [], cards: [], transactions: txns })];
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/curepath-dev-core/stream/bench';
    const t0 = performance.now();
    for (let i = 0; i < items.length; i += 100) {
      const res = (await stack.invoke('cdpExtract', coreStreamEvent(items.slice(i, i + 100), arn, i + 1))) as { batchItemFailures: unknown[] };
      if (res.batchItemFailures.length) throw new Error('extract reported failures');
    }
    const extractMs = performance.now() - t0;
    log(`extract: ${items.length} changes (${data.cards.length * 11} fields encrypted) in ${Math.round(extractMs)} ms`);

    // 2. Process: the stream as written, shard by shard, batches of `batch`.
    const StreamName = stack.resources.TransactionsStream!;
    const streamArn = `arn:aws:kinesis:us-east-1:000000000000:stream/${StreamName}`;
    const shards = await readAll(k, StreamName);
    const written = shards.reduce((n, s) => n + s.records.length, 0);
    const t1 = performance.now();
    let failures = 0;
    for (const s of shards) {
      for (let i = 0; i < s.records.length; i += batch) {
        const event = { Records: s.records.slice(i, i + batch).map((r) => toKinesisRecord(r as Parameters<typeof toKinesisRecord>[0], s.shardId, streamArn, 'us-east-1', 'arn:aws:iam::000000000000:role/bench')) };
        const res = (await stack.invoke('cdpProcess', event)) as { batchItemFailures: unknown[] };
        failures += res.batchItemFailures.length;
      }
    }
    const processMs = performance.now() - t1;
    if (failures) throw new Error(`process reported ${failures} failures`);
    log(`process: ${written} records in ${Math.round(processMs)} ms`);

    // 3. Baseline: raw PutRecords of the same payloads on a scratch stream of the same kinesalite.
    const scratch = `bench-raw-${Date.now()}`;
    await k.send(new CreateStreamCommand({ StreamName: scratch, ShardCount: 1 }));
    for (let i = 0; i < 50; i++) {
      const d = await k.send(new DescribeStreamSummaryCommand({ StreamName: scratch }));
      if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const payloads = shards.flatMap((s) => s.records).map((r) => ({ Data: r.Data!, PartitionKey: r.PartitionKey! }));
    const t2 = performance.now();
    for (let i = 0; i < payloads.length; i += 500) {
      const res = await k.send(new PutRecordsCommand({ StreamName: scratch, Records: payloads.slice(i, i + 500) }));
      if (res.FailedRecordCount) throw new Error('raw PutRecords: failed records');
    }
    const rawMs = performance.now() - t2;
    log(`raw PutRecords: ${payloads.length} records in ${Math.round(rawMs)} ms`);

    const endToEndPerSec = perSec(txns.length, extractMs + processMs);
    const rawPerSec = perSec(payloads.length, rawMs);
    process.stdout.write(
      `${JSON.stringify({
        users: data.users.length,
        cards: data.cards.length,
        transactions: txns.length,
        encryptedFields: data.cards.length * 11,
        batch,
        extractPerSec: perSec(items.length, extractMs),
        processPerSec: perSec(written, processMs),
        endToEndPerSec,
        rawPutRecordsPerSec: rawPerSec,
        ratioEndToEndVsRawPut: ratio(endToEndPerSec, rawPerSec),
        ratioProcessVsRawPut: ratio(perSec(written, processMs), rawPerSec),
        extractMs: Math.round(extractMs),
        processMs: Math.round(processMs),
        rawPutMs: Math.round(rawMs),
      })}\n`,
    );
  } finally {
    k.destroy();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  log(`bench:cdp failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
