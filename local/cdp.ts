/**
 * `npm run cdp -- --users N --out DIR [--seed S] [--days D] [--live-share 0.05] [--alert-threshold P] [--verbose]`
 *
 * The customer data stream end to end on the embedded local stack (docs/cdp.md):
 * generate (TabFormer-shaped) → write the core table → backfill the oldest 85 % through the
 * cdpBackfill function (extract + encrypt + processTransactions) → the newest 15 % as DynamoDB-
 * stream-shaped INSERT events (dynalite has no streams) into cdpExtract → Kinesis (kinesalite) →
 * cdpProcess via the local event source mapping → Firehose → s3rver lake + alerts queue →
 * fraudAlert → the SES stand-in. DIR gets summary.json, source/ (the plaintext input CSVs) and
 * lake/ (every lake object, as written). The last stdout line is the JSON summary.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoCore, coreItems } from '../src/adapters/cdp/dynamo-core';
import type { LakeTransaction } from '../src/domain/cdp/records';
import { FRAUD_ALERT_THRESHOLD, FRAUD_MODEL_VERSION } from '../src/domain/fraud/model';
import { writeTabFormerCsv } from '../src/synthetic/tabformer/csv';
import { generateTabFormer } from '../src/synthetic/tabformer/generator';
import type { TabFormerData, TabTransaction } from '../src/synthetic/tabformer/types';
import { startLocalStack, type LocalStack } from './stack';

const log = (line: string) => process.stderr.write(`[cdp] ${line}\n`);

export interface CdpOptions {
  users: number;
  out: string;
  seed: number;
  days?: number;
  liveShare: number;
  /** Overrides the model card's threshold for live alerts (ALERT_THRESHOLD), e.g. to see the alert path on a small run. */
  alertThreshold?: number;
  verbose: boolean;
}

/**
 * The newest 15 % (≈ 13.5 of 90 days) stream live. At ≈ 0.1 % fraud a 200-customer set holds ~10
 * episodes, one per ~9 days (the generator spreads them evenly up to the period's end), so the
 * newest 5 % would hold 0.5 on average — no share of time that small can be relied on to hold one.
 */
export const DEFAULT_LIVE_SHARE = 0.05;

export function parseArgs(argv: string[]): CdpOptions {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const users = Number(get('users') ?? 50);
  if (!Number.isInteger(users) || users < 1) throw new Error('--users must be a positive integer');
  const liveShare = Number(get('live-share') ?? DEFAULT_LIVE_SHARE);
  if (!(liveShare > 0 && liveShare < 1)) throw new Error('--live-share must be in (0, 1)');
  return {
    users,
    out: resolve(get('out') ?? 'out/cdp'),
    seed: Number(get('seed') ?? 7),
    ...(get('days') ? { days: Number(get('days')) } : {}),
    liveShare,
    ...(get('alert-threshold') !== undefined ? { alertThreshold: Number(get('alert-threshold')) } : {}),
    verbose: argv.includes('--verbose'),
  };
}

/** The instant splitting history (backfill) from live traffic: the newest `liveShare` of transactions stream. */
export function liveCutoff(transactions: readonly TabTransaction[], liveShare: number): string {
  const ats = transactions.map((t) => t.at).sort();
  return ats[Math.min(ats.length - 1, Math.floor(ats.length * (1 - liveShare)))] ?? '9999';
}

/** DynamoDB stream records (INSERT, NEW_IMAGE) for core rows, as Lambda receives them from the core table's stream. */
export function coreStreamEvent(items: Record<string, unknown>[], streamArn: string, firstSeq: number) {
  return {
    Records: items.map((item, i) => {
      const seq = String(firstSeq + i).padStart(21, '0');
      const image = marshall(item, { removeUndefinedValues: true });
      return {
        eventID: `${seq}-local`,
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
          Keys: { pk: image.pk, sk: image.sk },
          NewImage: image,
          SequenceNumber: seq,
          SizeBytes: JSON.stringify(image).length,
          StreamViewType: 'NEW_IMAGE',
        },
        eventSourceARN: streamArn,
      };
    }),
  };
}

export interface CdpSummary {
  users: number;
  cards: number;
  transactions: number;
  backfilled: number;
  streamed: number;
  cutoff: string;
  encryptedFields: number;
  frauds: number;
  flagged: number;
  alerts: number;
  precision: number | null;
  recall: number | null;
  lakeObjects: number;
  lakeRecords: number;
  lakeDuplicates: number;
  partitions: number;
  modelVersion: string;
  threshold: number;
  alertThreshold: number;
  seconds: number;
}

async function readLake(stack: LocalStack, outDir: string | undefined): Promise<{ objects: number; records: LakeTransaction[] }> {
  const s3 = new S3Client(stack.clientConfig('s3'));
  const bucket = stack.resources.DataBucket!;
  const records: LakeTransaction[] = [];
  let objects = 0;
  try {
    // s3rver fails (InternalError) on any listing that would be truncated (> 1,000 keys, or past
    // MaxKeys): list the dt= partitions with a delimiter, then each partition (well under 1,000).
    const list = (Prefix: string, Delimiter?: string) =>
      s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix, ...(Delimiter ? { Delimiter } : {}) })).catch((e: Error) => {
        throw new Error(`ListObjectsV2 ${Prefix}: ${e.name} ${e.message}`);
      });
    const partitions = ((await list('lake/transactions/', '/')).CommonPrefixes ?? []).map((p) => p.Prefix!);
    for (const prefix of partitions) {
      const page = await list(prefix);
      if (page.IsTruncated) throw new Error(`${prefix}: more than 1,000 objects`);
      for (const o of page.Contents ?? []) {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! })).catch((e: Error) => {
          throw new Error(`GetObject ${o.Key}: ${e.name} ${e.message}`);
        });
        const body = Buffer.from(await got.Body!.transformToByteArray());
        objects++;
        if (outDir) {
          const file = join(outDir, o.Key!);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, body);
        }
        const text = (o.Key!.endsWith('.gz') ? gunzipSync(body) : body).toString('utf8');
        for (const line of text.split('\n')) if (line.trim()) records.push(JSON.parse(line) as LakeTransaction);
      }
    }
  } finally {
    s3.destroy();
  }
  return { objects, records };
}

export async function runCdp(opts: CdpOptions, data: TabFormerData = generateTabFormer({ users: opts.users, seed: opts.seed, ...(opts.days ? { days: opts.days } : {}) })): Promise<CdpSummary> {
  const t0 = Date.now();
  mkdirSync(opts.out, { recursive: true });
  for (const sub of ['source', 'lake']) rmSync(join(opts.out, sub), { recursive: true, force: true });
  writeTabFormerCsv(join(opts.out, 'source'), data);
  log(`generated ${data.users.length} users, ${data.cards.length} cards, ${data.transactions.length} transactions → ${join(opts.out, 'source')}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'curepath-cdp-'));
  const keyDir = resolve(__dirname, '..', '.local', 'keys');
  const stack = await startLocalStack({
    dataDir,
    inMemory: true,
    noReuse: true,
    log: opts.verbose ? log : () => {},
    eventSources: { functions: ['cdpProcess', 'fraudAlert'], timeScale: 0.01, pollIntervalMs: 50 },
    envOverrides: {
      CDP_LOCAL_KEY_DIR: keyDir,
      ...(opts.alertThreshold !== undefined ? { ALERT_THRESHOLD: String(opts.alertThreshold) } : {}),
      // The handlers' JSON logs go to stdout, whose last line is the summary: warnings only unless asked.
      ...(opts.verbose ? {} : { POWERTOOLS_LOG_LEVEL: 'WARN' }),
    },
  });
  try {
    const ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
    await new DynamoCore(ddb, stack.resources.CoreTable!).write(data);
    ddb.destroy();
    log(`core table written (${data.users.length + data.cards.length + data.transactions.length} items)`);

    const cutoff = liveCutoff(data.transactions, opts.liveShare);
    const userIds = data.users.map((u) => u.user);
    let encryptedFields = 0;
    let backfilled = 0;
    for (let i = 0; i < userIds.length; i += 25) {
      const r = (await stack.invoke('cdpBackfill', { userIds: userIds.slice(i, i + 25), before: cutoff })) as { transactions: number; encryptedFields: number; failed: number };
      if (r.failed > 0) throw new Error(`backfill: ${r.failed} record(s) failed`);
      encryptedFields += r.encryptedFields;
      backfilled += r.transactions;
    }
    log(`backfilled ${backfilled} transactions before ${cutoff} (${encryptedFields} fields encrypted)`);

    // Live: the core's stream (INSERTs of the newest transactions) → extractor → Kinesis → processor.
    const live = data.transactions.filter((t) => t.at >= cutoff).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const items = coreItems({ users: [], cards: [], transactions: live });
    const streamArn = `${stack.cfn.physical.CoreTable?.attrs.StreamArn ?? 'arn:aws:dynamodb:us-east-1:000000000000:table/core/stream/local'}`;
    let streamed = 0;
    for (let i = 0; i < items.length; i += 100) {
      const batch = items.slice(i, i + 100);
      const res = (await stack.invoke('cdpExtract', coreStreamEvent(batch, streamArn, i + 1))) as { batchItemFailures: unknown[] };
      if (res.batchItemFailures.length > 0) throw new Error('extract: a batch reported failures');
      streamed += batch.length;
    }
    await stack.eventSources!.drain({ timeoutMs: 120_000 });
    log(`streamed ${streamed} transactions through cdpExtract → Kinesis → cdpProcess`);

    const lake = await readLake(stack, opts.out);
    const byId = new Map(lake.records.map((r) => [r.txnId, r]));
    const scored = [...byId.values()];
    // Precision/recall of the model at its card's threshold, over every scored transaction (an
    // --alert-threshold changes which live transactions alert, not this).
    const hit = (r: LakeTransaction) => r.score >= FRAUD_ALERT_THRESHOLD;
    const tp = scored.filter((r) => hit(r) && r.isFraud).length;
    const flagged = scored.filter(hit).length;
    const frauds = scored.filter((r) => r.isFraud).length;
    const emailFile = join(dataDir, 'channels', 'email.jsonl');
    const alerts = existsSync(emailFile)
      ? readFileSync(emailFile, 'utf8').split('\n').filter((l) => l.includes('"fraud-alert"')).length
      : 0;
    return {
      users: data.users.length,
      cards: data.cards.length,
      transactions: data.transactions.length,
      backfilled,
      streamed,
      cutoff,
      encryptedFields,
      frauds,
      flagged,
      alerts,
      precision: flagged > 0 ? tp / flagged : null,
      recall: frauds > 0 ? tp / frauds : null,
      lakeObjects: lake.objects,
      lakeRecords: lake.records.length,
      lakeDuplicates: lake.records.length - byId.size,
      partitions: new Set(scored.map((r) => r.dt)).size,
      modelVersion: FRAUD_MODEL_VERSION,
      threshold: FRAUD_ALERT_THRESHOLD,
      alertThreshold: opts.alertThreshold ?? FRAUD_ALERT_THRESHOLD,
      seconds: Math.round((Date.now() - t0) / 100) / 10,
    };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const summary = await runCdp(opts);
  writeFileSync(join(opts.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  log(`wrote ${opts.out}/summary.json, source/, lake/`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (require.main === module || /local[\/]cdp.ts$/.test(process.argv[1] ?? '')) {
  main().catch((err: unknown) => {
    log(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
}
