/**
 * The customer data stream on the local stack's emulators (dynalite, kinesalite, our SQS, the local
 * Firehose → s3rver, the SES stand-in): backfill + extractor + processor + alert handlers, the
 * encryption boundary (no plaintext PII from the source in any stream record, log line or lake
 * object), decryption round trips, processor idempotency and batch item failures.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { coreStreamEvent, liveCutoff } from '../../local/cdp';
import { coreItems, DynamoCore } from '../../src/adapters/cdp/dynamo-core';
import { EsdkFieldCipher, localAesKeyring } from '../../src/adapters/cdp/field-cipher';
import { HmacCardTokenizer } from '../../src/adapters/cdp/card-tokenizer';
import { localKeyFile } from '../../src/adapters/cdp/field-cipher';
import type { CardRecord, LakeTransaction, StreamRecord } from '../../src/domain/cdp/records';
import { generateTabFormer } from '../../src/synthetic/tabformer/generator';
import type { TabFormerData } from '../../src/synthetic/tabformer/types';

describe('customer data stream on the local stack', () => {
  let dir: string;
  let keyDir: string;
  let stack: LocalStack;
  let data: TabFormerData;
  let cutoff: string;
  const logs: string[] = [];
  const restore: (() => void)[] = [];
  const streamRecords: StreamRecord[] = [];
  let lake: LakeTransaction[] = [];
  let lakeRaw: string[] = [];
  let backfill: { transactions: number; encryptedFields: number; failed: number };
  let live: number;

  const kinesis = () => new KinesisClient(stack.clientConfig('kinesis'));
  const readStream = async (): Promise<{ data: string; sequenceNumber: string }[]> => {
    const k = kinesis();
    const out: { data: string; sequenceNumber: string }[] = [];
    const StreamName = stack.resources.TransactionsStream!;
    for (const shard of (await k.send(new ListShardsCommand({ StreamName }))).Shards ?? []) {
      let it = (await k.send(new GetShardIteratorCommand({ StreamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      for (;;) {
        const r = await k.send(new GetRecordsCommand({ ShardIterator: it!, Limit: 10_000 }));
        for (const rec of r.Records ?? []) out.push({ data: Buffer.from(rec.Data!).toString('utf8'), sequenceNumber: rec.SequenceNumber! });
        if (!r.Records?.length) break;
        it = r.NextShardIterator;
      }
    }
    k.destroy();
    return out;
  };
  const readLake = async () => {
    const s3 = new S3Client(stack.clientConfig('s3'));
    const Bucket = stack.resources.DataBucket!;
    const texts: string[] = [];
    // Partition by partition: s3rver fails on listings that would be truncated (see local/cdp.ts).
    for (const top of ['lake/transactions/', 'lake/errors/']) {
      for (const part of ((await s3.send(new ListObjectsV2Command({ Bucket, Prefix: top, Delimiter: '/' }))).CommonPrefixes ?? []).map((p) => p.Prefix!)) {
        for (const o of (await s3.send(new ListObjectsV2Command({ Bucket, Prefix: part }))).Contents ?? []) {
          const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket, Key: o.Key! }))).Body!.transformToByteArray());
          texts.push(`${o.Key}\n${(o.Key!.endsWith('.gz') ? gunzipSync(body) : body).toString('utf8')}`);
        }
      }
    }
    s3.destroy();
    return texts;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-cdp-'));
    keyDir = join(dir, 'keys');
    // Capture every line the handlers log (Powertools writes to process.stdout).
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        logs.push(String(chunk));
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => (stream.write = original));
    }
    stack = await startLocalStack({
      dataDir: dir,
      inMemory: true,
      noReuse: true,
      log: () => {},
      eventSources: { functions: ['cdpProcess', 'fraudAlert'], timeScale: 0.01, pollIntervalMs: 50 },
      // Every live transaction is "flagged" here, so the alert path (and its dedup) surely runs.
      envOverrides: { CDP_LOCAL_KEY_DIR: keyDir, ALERT_THRESHOLD: '0', POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    });
    data = generateTabFormer({ users: 6, seed: 11, days: 30 });
    const ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
    await new DynamoCore(ddb, stack.resources.CoreTable!).write(data);
    ddb.destroy();
    cutoff = liveCutoff(data.transactions, 0.05);
    backfill = (await stack.invoke('cdpBackfill', { userIds: data.users.map((u) => u.user), before: cutoff })) as typeof backfill;
    const liveTxns = data.transactions.filter((t) => t.at >= cutoff).sort((a, b) => a.at.localeCompare(b.at));
    live = liveTxns.length;
    const items = coreItems({ users: [], cards: [], transactions: liveTxns });
    // A card change too: the extractor re-emits that card's snapshot (encrypted) onto the stream.
    const cardItem = coreItems({ users: [], cards: [data.cards[0]!], transactions: [] });
    const res = (await stack.invoke('cdpExtract', coreStreamEvent([...cardItem, ...items], 'arn:aws:dynamodb:us-east-1:000000000000:table/curepath-dev-core/stream/x', 1))) as { batchItemFailures: unknown[] };
    expect(res.batchItemFailures).toEqual([]);
    await stack.eventSources!.drain({ timeoutMs: 60_000 });
    for (const r of await readStream()) streamRecords.push(JSON.parse(r.data) as StreamRecord);
    lakeRaw = await readLake();
    lake = lakeRaw.flatMap((t) => t.split('\n').slice(1).filter(Boolean).map((l) => JSON.parse(l) as LakeTransaction));
  });

  afterAll(async () => {
    for (const r of restore) r();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backfills history and streams the rest through the same transform into the dt-partitioned lake', () => {
    expect(backfill.failed).toBe(0);
    expect(backfill.transactions + live).toBe(data.transactions.length);
    expect(backfill.encryptedFields).toBeGreaterThanOrEqual(data.cards.length * 9);
    const ids = new Set(lake.map((r) => r.txnId));
    expect(ids.size).toBe(data.transactions.length);
    expect(lake.filter((r) => r.source === 'stream').length).toBe(live);
    for (const r of lake) expect(r.features.length).toBeGreaterThan(0);
    // Partitioned by the transaction's own date, not the run's.
    for (const text of lakeRaw) {
      const [key, ...lines] = text.split('\n');
      const dt = /^lake\/transactions\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key!)?.[1];
      expect(dt).toBeDefined();
      for (const l of lines.filter(Boolean)) expect((JSON.parse(l) as LakeTransaction).at.slice(0, 10)).toBe(dt);
    }
  });

  it('no plaintext PII from the source appears in any stream record, log line or lake object', () => {
    const pii = new Set<string>();
    for (const u of data.users) for (const v of [u.person, u.address, u.email, u.phone]) pii.add(v);
    for (const c of data.cards) for (const v of [c.cardNumber, c.cvv.length >= 3 ? `"${c.cvv}"` : '', c.expires]) if (v) pii.add(v);
    const haystacks = {
      stream: streamRecords.map((r) => JSON.stringify(r)).join('\n'),
      logs: logs.join(''),
      lake: lakeRaw.join('\n'),
    };
    expect(haystacks.stream.length).toBeGreaterThan(1000);
    expect(haystacks.lake.length).toBeGreaterThan(1000);
    expect(logs.some((l) => l.includes('cdp process batch'))).toBe(true);
    for (const [where, text] of Object.entries(haystacks)) {
      const leaked = [...pii].filter((v) => text.includes(v));
      expect([where, leaked]).toEqual([where, []]);
    }
    // Card records carry ciphertext only; transactions carry no personal field at all.
    const card = streamRecords.find((r): r is CardRecord => r.kind === 'card')!;
    expect(Object.keys(card.encrypted).sort()).toEqual(expect.arrayContaining(['address', 'cardNumber', 'email', 'expires', 'gender', 'person', 'phone']));
    // No CVV field at any depth (matching the serialized text would also hit base64 ciphertext by chance).
    const keysOf = (v: unknown): string[] =>
      v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...keysOf(x)]) : [];
    for (const r of streamRecords) expect(keysOf(r).filter((k) => /cvv/i.test(k))).toEqual([]);
  });

  it('decrypts what the extractor encrypted (field and record bound), and tokens are the keyed HMAC of the card number', async () => {
    const cipher = new EsdkFieldCipher(localAesKeyring(join(keyDir, 'cdp-pii.key')));
    const tokenizer = new HmacCardTokenizer(localKeyFile(join(keyDir, 'cdp-card-token.key')));
    const card = streamRecords.find((r): r is CardRecord => r.kind === 'card')!;
    const source = data.cards.find((c) => tokenizer.token(c.cardNumber) === card.cardToken)!;
    expect(source).toBeDefined();
    const user = data.users.find((u) => u.user === source.user)!;
    expect(await cipher.decrypt('cardNumber', card.recordId, card.encrypted.cardNumber!)).toBe(source.cardNumber);
    expect(await cipher.decrypt('email', card.recordId, card.encrypted.email!)).toBe(user.email);
    await expect(cipher.decrypt('person', card.recordId, card.encrypted.email!)).rejects.toThrow(/not person/);
    await expect(cipher.decrypt('email', 'card:ct_other', card.encrypted.email!)).rejects.toThrow();
    // The processor keeps the holder's name and email for alerts, still encrypted.
    const ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
    const item = unmarshall((await ddb.send(new GetItemCommand({ TableName: stack.resources.CdpStateTable!, Key: { pk: { S: `CARD#${card.cardToken}` } } }))).Item!);
    ddb.destroy();
    expect(await cipher.decrypt('person', card.recordId, item.card.contact.person)).toBe(user.person);
  });

  it('sends one alert email per card and window, from the decrypted name and address, without the card number', () => {
    const file = join(dir, 'channels', 'email.jsonl');
    expect(existsSync(file)).toBe(true);
    const emails = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
    const liveTxns = data.transactions.filter((t) => t.at >= cutoff);
    const windows = new Set(liveTxns.map((t) => `${t.user}-${t.card}#${t.at.slice(0, 13)}`));
    expect(emails.length).toBe(windows.size);
    const text = JSON.stringify(emails);
    for (const c of data.cards) expect(text).not.toContain(c.cardNumber);
    const owners = new Set(liveTxns.map((t) => data.users.find((u) => u.user === t.user)!.email));
    expect(new Set(emails.flatMap((e) => e.to as string[]))).toEqual(owners);
    for (const e of emails) expect(e.tags).toMatchObject({ kind: 'fraud-alert' });
  });

  it('cdpProcess: a redelivered batch changes nothing (idempotent on the transaction id); a poison record is reported', async () => {
    const shardRecords = await readStream();
    const txns = shardRecords.filter((r) => (JSON.parse(r.data) as StreamRecord).kind === 'transaction').slice(0, 5);
    const token = (JSON.parse(txns[0]!.data) as StreamRecord).cardToken;
    const ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
    const version = async () => Number((await ddb.send(new GetItemCommand({ TableName: stack.resources.CdpStateTable!, Key: { pk: { S: `CARD#${token}` } } }))).Item!.version!.N);
    const before = await version();
    const kinesisEvent = (recs: { data: string; sequenceNumber: string }[]) => ({
      Records: recs.map((r) => ({ kinesis: { sequenceNumber: r.sequenceNumber, data: Buffer.from(r.data).toString('base64'), partitionKey: 'x', approximateArrivalTimestamp: Date.now() / 1000 } })),
    });
    const again = (await stack.invoke('cdpProcess', kinesisEvent(txns))) as { batchItemFailures: unknown[] };
    expect(again.batchItemFailures).toEqual([]);
    expect(await version()).toBe(before);
    const poison = { data: '{not json', sequenceNumber: '99999999999999999999999999' };
    const unknownCard = { data: JSON.stringify({ ...(JSON.parse(txns[0]!.data) as object), txnId: 'new-1', cardToken: 'ct_nocardsnapshot0000' }), sequenceNumber: '99999999999999999999999990' };
    const res = (await stack.invoke('cdpProcess', kinesisEvent([...txns, unknownCard, poison]))) as { batchItemFailures: { itemIdentifier: string }[] };
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: unknownCard.sequenceNumber }]);
    ddb.destroy();
  });
  it('the committed sample events are accepted (events/cdpProcess.json: a card snapshot and two transactions)', async () => {
    const sample = JSON.parse(readFileSync(join(__dirname, '../../events/cdpProcess.json'), 'utf8'));
    expect(await stack.invoke('cdpProcess', sample)).toEqual({ batchItemFailures: [] });
    // Its transactions' card may not be in this core: a reported failure, not a validation error.
    const extract = (await stack.invoke('cdpExtract', JSON.parse(readFileSync(join(__dirname, '../../events/cdpExtract.json'), 'utf8')))) as { batchItemFailures: unknown[] };
    expect(Array.isArray(extract.batchItemFailures)).toBe(true);
  });
  it('local Firehose dynamic partitioning: one object per dt per call; a record without dt goes to the error prefix', async () => {
    const fh = new FirehoseClient(stack.clientConfig('firehose'));
    const rec = (o: object) => ({ Data: Buffer.from(`${JSON.stringify(o)}\n`) });
    await fh.send(new PutRecordBatchCommand({ DeliveryStreamName: stack.resources.LakeTransactionsStream!, Records: [rec({ dt: '1999-01-02', txnId: 'a' }), rec({ dt: '1999-01-03', txnId: 'b' }), rec({ dt: '1999-01-02', txnId: 'c' }), rec({ txnId: 'no-dt' })] }));
    fh.destroy();
    const s3 = new S3Client(stack.clientConfig('s3'));
    const list = async (Prefix: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: stack.resources.DataBucket!, Prefix }))).Contents ?? []).map((o) => o.Key!);
    expect(await list('lake/transactions/dt=1999-01-02/')).toHaveLength(1);
    expect(await list('lake/transactions/dt=1999-01-03/')).toHaveLength(1);
    expect(await list('lake/errors/transactions/processing-failed/')).toHaveLength(1);
    s3.destroy();
  });
});
