/**
 * npm run bench:engagement -- [--events 20000] [--accounts 5000] [--ceiling-updates 5000]
 *
 * Events/s through the real Kinesis handler (`engagementStream`, invoked in-process through the
 * local stack as Lambda would, one batch after another as one shard is processed) at batch sizes 100
 * and 1,000, and a duplicate-delivery pass (the batch-100 events again: must change no counter — the
 * bench exits non-zero if any did). Each batch size gets its own N fresh events (a second pass over
 * the same events would measure the duplicate path instead).
 *
 * Baseline measured in the same run, on the same dynalite: the raw UpdateItem ceiling for the same
 * conditional `ADD` the engagement store does per event, on a scratch table, with 1 update in flight
 * (what the handler has: it applies records one by one) and with 8 in flight. Figures are reported as
 * ratios against those ceilings, never asserted as wall-clock times. The last line printed is one
 * JSON object; progress goes to stderr.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createScratchTable } from './scratch-table';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toKinesisRecord } from '../local/event-sources';
import { startLocalStack, type LocalStack } from '../local/stack';
import { DynamoEngagementStore } from '../src/adapters/dynamo-engagement-store';
import { bounceRecord, clickRecord, deliveryRecord, openRecord } from '../test/fixtures/engagement/ses-events';
import { inboundExample, smsEvent } from '../test/fixtures/engagement/sms';

const log = (line: string) => process.stderr.write(`${line}\n`);
const perSec = (n: number, ms: number) => Math.round((n / ms) * 1000);
const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
const FN = 'engagementStream';

/** Deterministic PRNG (mulberry32): the same mix every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const accountId = (i: number) => `B${String(i).padStart(7, '0')}`;
const phoneOf = (i: number) => `+1555${String(i).padStart(7, '0')}`;

/** EventBridge envelope, as the rule puts it on the stream. */
const envelope = (id: string, detailType: string, source: string, time: string, detail: unknown) => ({
  version: '0',
  id,
  'detail-type': detailType,
  source,
  account: '123456789012',
  time: time.slice(0, 19) + 'Z',
  region: 'us-east-1',
  resources: [],
  detail,
});

interface Generated {
  /** Partition key (the account) and the EventBridge event. */
  records: { pk: string; data: unknown }[];
  /** Phones that must be in the directory for the STOP replies to be attributed. */
  phones: { phone: string; accountId: string }[];
  mix: Record<string, number>;
}

/**
 * A realistic day of engagement: mostly email deliveries and SMS deliveries, then opens and clicks,
 * a few bounces (mostly transient) and STOP replies. AWS's published shapes with ids, accounts and
 * times varied; every event id is unique (`tag` keeps two generated sets apart).
 */
function generate(n: number, accounts: number, tag: string, seed: number): Generated {
  const rand = rng(seed);
  const records: Generated['records'] = [];
  const phones: Generated['phones'] = [];
  const mix: Record<string, number> = {};
  const base = Date.parse('2026-01-05T00:00:00.000Z');
  for (let i = 0; i < n; i++) {
    const acct = Math.floor(rand() * accounts);
    const account = accountId(acct);
    const at = new Date(base + Math.floor(rand() * 60 * 86_400_000)); // spread over two months: several counter items per account
    const iso = at.toISOString();
    const sent = new Date(at.getTime() - 30_000).toISOString();
    const messageId = `BENCH${tag}${String(i).padStart(8, '0')}-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000`;
    const email = `customer${acct}@example.com`;
    const tags = { account: [account], action: [`${iso.slice(0, 10)}#${account}#email`] };
    const mail = (m: { mail: Record<string, unknown> }) => ({ ...m.mail, messageId, destination: [email], timestamp: sent, tags: { ...(m.mail.tags as object), ...tags } });
    const r = rand();
    let kind: string;
    let data: unknown;
    if (r < 0.4) {
      kind = 'email-delivery';
      data = envelope(`${tag}-${i}`, 'Email Delivered', 'aws.ses', iso, { ...deliveryRecord, mail: mail(deliveryRecord), delivery: { ...(deliveryRecord as { delivery: object }).delivery, timestamp: iso, recipients: [email] } });
    } else if (r < 0.55) {
      kind = 'email-open';
      data = envelope(`${tag}-${i}`, 'Email Opened', 'aws.ses', iso, { ...openRecord, mail: mail(openRecord), open: { ...openRecord.open, timestamp: iso } });
    } else if (r < 0.6) {
      kind = 'email-click';
      data = envelope(`${tag}-${i}`, 'Email Clicked', 'aws.ses', iso, { ...clickRecord, mail: mail(clickRecord), click: { ...clickRecord.click, timestamp: iso } });
    } else if (r < 0.985) {
      kind = 'sms-delivered';
      data = envelope(
        `${tag}-${i}`,
        'Text Message Delivery Status Updated',
        'aws.sms-voice',
        iso,
        smsEvent('TEXT_DELIVERED', {
          messageId: `${tag}-sms-${i}`,
          destinationPhoneNumber: phoneOf(acct),
          eventTimestamp: at.getTime(),
          messageRequestTimestamp: at.getTime() - 300,
          context: { account, action: `${iso.slice(0, 10)}#${account}#sms` },
        }),
      );
    } else if (r < 0.995) {
      // Mostly transient (counted, N-in-M rule), a quarter permanent (suppressed at once).
      const permanent = rand() < 0.25;
      kind = permanent ? 'email-bounce-permanent' : 'email-bounce-transient';
      data = envelope(`${tag}-${i}`, 'Email Bounced', 'aws.ses', iso, {
        ...bounceRecord,
        mail: mail(bounceRecord),
        bounce: {
          ...bounceRecord.bounce,
          bounceType: permanent ? 'Permanent' : 'Transient',
          bounceSubType: permanent ? 'General' : 'MailboxFull',
          bouncedRecipients: [{ ...bounceRecord.bounce.bouncedRecipients[0]!, emailAddress: email }],
          timestamp: iso,
          feedbackId: `bench${tag}${i}-61b59c11-9236-11e6-8f96-7be8aexample-000000`,
        },
      });
    } else {
      // A STOP reply from a number the sender texted (a unique number each: one confirmation each).
      kind = 'sms-stop';
      const phone = `+1666${tag.charCodeAt(0) % 10}${String(i).padStart(6, '0')}`;
      phones.push({ phone, accountId: account });
      data = envelope(`${tag}-${i}`, 'SMS Received', 'aws.sms-voice', iso, { ...inboundExample, originationNumber: phone, messageBody: rand() < 0.5 ? 'STOP' : 'stop texting me', messageKeyword: 'STOP', inboundMessageId: `${tag}-in-${i}-66b9-564c-8309` });
    }
    mix[kind] = (mix[kind] ?? 0) + 1;
    records.push({ pk: account, data });
  }
  return { records, phones, mix };
}

let seq = 49590034058039582304014795803879358623918532112975894600n;
/** The Lambda KinesisStreamEvent for a batch (built outside the timing: Lambda hands it over ready). */
function kinesisEvents(records: Generated['records'], batchSize: number, streamArn: string): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < records.length; i += batchSize) {
    out.push({
      Records: records.slice(i, i + batchSize).map((r) => {
        seq += 1n;
        return toKinesisRecord(
          { SequenceNumber: seq.toString(), PartitionKey: r.pk, Data: Buffer.from(JSON.stringify(r.data)), ApproximateArrivalTimestamp: new Date() },
          'shardId-000000000000',
          streamArn,
          'us-east-1',
          'arn:aws:iam::000000000000:role/engagement-stream',
        );
      }),
    });
  }
  return out;
}

async function runPass(stack: LocalStack, batches: unknown[], events: number, label: string) {
  let failed = 0;
  const t = performance.now();
  for (let b = 0; b < batches.length; b++) {
    const res = (await stack.invoke(FN, batches[b])) as { batchItemFailures?: { itemIdentifier: string }[] };
    failed += res?.batchItemFailures?.length ?? 0;
    if (b % Math.max(1, Math.floor(batches.length / 5)) === 0) log(`  ${label}: batch ${b + 1}/${batches.length}`);
  }
  const ms = performance.now() - t;
  return { eventsPerSec: perSec(events, ms), ms: Math.round(ms), failed };
}

/** Every number on the engagement counter items and the INBOUND items, plus suppression set sizes. */
async function snapshot(doc: DynamoDBDocumentClient, engagementTable: string, contactsTable: string) {
  const counters: Record<string, number> = {};
  const add = (k: string, v: number) => (counters[k] = (counters[k] ?? 0) + v);
  for (const [table, filter] of [
    [engagementTable, 'begins_with(sk, :p)'],
    [contactsTable, 'kind = :p'],
  ] as const) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({ TableName: table, FilterExpression: filter, ExpressionAttributeValues: { ':p': table === engagementTable ? 'CH#' : 'INBOUND' }, ExclusiveStartKey }),
      );
      for (const item of page.Items ?? []) {
        for (const [k, v] of Object.entries(item)) {
          if (typeof v === 'number' && k !== 'expiresAt') add(table === engagementTable ? `${item.channel}.${k}` : `inbound.${k}`, v);
          else if (v instanceof Set && table === contactsTable) add(`suppressed.${k}`, v.size);
        }
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return counters;
}

/** Raw dynalite UpdateItem ceiling: the store's counting write (conditional ADD + id set), `inFlight` at a time. */
async function updateCeiling(ddb: DynamoDBClient, updates: number, inFlight: number): Promise<number> {
  const doc = DynamoDBDocumentClient.from(ddb);
  const table = await createScratchTable(ddb, `bench-update-${inFlight}`);
  const kinds = ['delivered', 'open', 'click'];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < updates; i = next++) {
      const id = `ceiling-${i}`;
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: `ACCT#${accountId(i % 5000)}`, sk: `CH#email#2026-0${1 + (i % 2)}` },
          UpdateExpression: 'ADD #k :one, ids :ids SET accountId = :a, channel = :c',
          ConditionExpression: 'attribute_not_exists(ids) OR NOT contains(ids, :id)',
          ExpressionAttributeNames: { '#k': kinds[i % 3]! },
          ExpressionAttributeValues: { ':one': 1, ':ids': new Set([id]), ':id': id, ':a': accountId(i % 5000), ':c': 'email' },
        }),
      );
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return perSec(updates, performance.now() - t);
}

async function main() {
  const started = performance.now();
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '20000' },
      accounts: { type: 'string', default: '5000' },
      'ceiling-updates': { type: 'string', default: '5000' },
    },
  });
  const n = Number(values.events);
  const accounts = Number(values.accounts);
  const ceilingUpdates = Number(values['ceiling-updates']);
  const dataDir = mkdtempSync(join(tmpdir(), 'curepath-bench-engagement-'));
  const stack = await startLocalStack({ inMemory: true, dataDir: join(dataDir, 'stack'), log: () => undefined, envOverrides: { POWERTOOLS_LOG_LEVEL: 'WARN' } });
  const ddb = new DynamoDBClient({ region: 'us-east-1', ...stack.clientConfig('dynamodb') });
  const doc = DynamoDBDocumentClient.from(ddb);
  try {
    const env = stack.functionEnv(FN);
    const engagementTable = env.ENGAGEMENT_TABLE!;
    const contactsTable = env.CONTACTS_TABLE!;
    const streamArn = `arn:aws:kinesis:us-east-1:000000000000:stream/${stack.resources.EngagementStream ?? 'engagement'}`;

    log(`generating 2 × ${n} events over ${accounts} accounts…`);
    const set100 = generate(n, accounts, 'a', 42);
    const set1000 = generate(n, accounts, 'b', 43);
    log(`  mix: ${JSON.stringify(set100.mix)}`);
    // The SMS sender registers every number it texts; replies are attributed through it.
    const store = new DynamoEngagementStore(doc, engagementTable);
    for (const p of [...set100.phones, ...set1000.phones]) await store.register(p.phone, p.accountId, '2026-01-01T00:00:00.000Z');
    const batches100 = kinesisEvents(set100.records, 100, streamArn);
    const batches1000 = kinesisEvents(set1000.records, 1000, streamArn);
    const duplicates = kinesisEvents(set100.records, 100, streamArn);

    // Warm the handler (cold start: module load, config, clients) outside the timing.
    await stack.invoke(FN, { Records: [] });

    // And the SDK / dynalite paths the ceiling uses (the first hundreds of requests run cold).
    await updateCeiling(ddb, 500, 8);

    log('raw UpdateItem ceiling (1/2)…');
    const c1a = await updateCeiling(ddb, ceilingUpdates, 1);
    const c8a = await updateCeiling(ddb, ceilingUpdates, 8);
    log(`  1 in flight ${c1a}/s, 8 in flight ${c8a}/s`);

    log(`batch size 100: ${n} events…`);
    const p100 = await runPass(stack, batches100, n, 'batch 100');
    log(`  ${p100.eventsPerSec} events/s (${p100.ms} ms), ${p100.failed} failed`);
    log(`batch size 1000: ${n} events…`);
    const p1000 = await runPass(stack, batches1000, n, 'batch 1000');
    log(`  ${p1000.eventsPerSec} events/s (${p1000.ms} ms), ${p1000.failed} failed`);

    const before = await snapshot(doc, engagementTable, contactsTable);
    const countedBefore = Object.entries(before).filter(([k]) => k.startsWith('email.') || k.startsWith('sms.')).reduce((s, [, v]) => s + v, 0);
    log(`duplicate delivery: the ${n} batch-100 events again…`);
    const dup = await runPass(stack, duplicates, n, 'duplicates');
    log(`  ${dup.eventsPerSec} events/s (${dup.ms} ms), ${dup.failed} failed`);
    const after = await snapshot(doc, engagementTable, contactsTable);
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]).map((k) => `${k}: ${before[k] ?? 0} → ${after[k] ?? 0}`);

    log('raw UpdateItem ceiling (2/2)…');
    const c1b = await updateCeiling(ddb, ceilingUpdates, 1);
    const c8b = await updateCeiling(ddb, ceilingUpdates, 8);
    log(`  1 in flight ${c1b}/s, 8 in flight ${c8b}/s`);
    // Averaged before/after: on a shared 2-core machine one sample can be well off.
    const ceiling1 = Math.round((c1a + c1b) / 2);
    const ceiling8 = Math.round((c8a + c8b) / 2);

    const failedRecords = p100.failed + p1000.failed + dup.failed;
    const result = {
      events: n,
      accounts,
      mix: set100.mix,
      batch100EventsPerSec: p100.eventsPerSec,
      batch1000EventsPerSec: p1000.eventsPerSec,
      duplicatePassEventsPerSec: dup.eventsPerSec,
      updateCeilingPerSec: ceiling8,
      updateCeiling1InFlightPerSec: ceiling1,
      updateCeilingSamples: { inFlight1: [c1a, c1b], inFlight8: [c8a, c8b] },
      batch100VsCeiling: ratio(p100.eventsPerSec, ceiling8),
      batch1000VsCeiling: ratio(p1000.eventsPerSec, ceiling8),
      duplicatePassVsCeiling: ratio(dup.eventsPerSec, ceiling8),
      batch100VsCeiling1InFlight: ratio(p100.eventsPerSec, ceiling1),
      batch1000VsCeiling1InFlight: ratio(p1000.eventsPerSec, ceiling1),
      duplicatePassVsCeiling1InFlight: ratio(dup.eventsPerSec, ceiling1),
      countedEvents: countedBefore,
      duplicateCountersChanged: changed.length,
      failedRecords,
      totalMs: Math.round(performance.now() - started),
    };
    if (changed.length > 0) {
      log(`duplicate delivery changed counters: ${changed.slice(0, 20).join('; ')}`);
      process.exitCode = 1;
    }
    if (countedBefore !== 2 * n) {
      log(`expected ${2 * n} counted events after the fresh passes, found ${countedBefore}`);
      process.exitCode = 1;
    }
    if (failedRecords > 0) process.exitCode = 1;
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    ddb.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  log(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
});
