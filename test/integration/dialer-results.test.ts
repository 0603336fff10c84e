/**
 * The dialer's results close the voice loop (docs/dialer.md): the real handler
 * (functions/dialer-results.ts) on the local stack in memory reads a results file from s3rver and
 * writes conversations and voice suppressions to the contacts table in dynalite; the next day's
 * Strategy, reading that state through the same repository as the daily run, then holds calls back
 * (Regulation F's 7 days after a conversation; the numbers that must not be called).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { DynamoContactRepository } from '../../src/adapters/dynamo-repositories';
import { decide } from '../../src/domain/strategy/engine';
import { allChannelsPolicy, makeAccount } from '../unit/strategy/fixtures';

const KEY = 'inbox/dialer-results/2026-01-05/vendor-a.csv';
const FILE = [
  'action_id,account_id,phone,attempted_at,outcome',
  '2026-01-05#D-1#voice,D-1,+15550000001,2026-01-05T10:02:11-05:00,connected',
  '2026-01-05#D-2#voice,D-2,+15550000002,2026-01-05T11:15:03-05:00,cease',
  '2026-01-05#D-3#voice,D-3,+15550000003,2026-01-05T09:45:00-08:00,wrong_number',
  '2026-01-05#D-4#voice,D-4,+15550000004,2026-01-05T12:00:00-05:00,voicemail',
  '2026-01-05#D-5#voice,D-5,not-a-number,2026-01-05T12:00:00-05:00,no_answer',
].join('\n');

const objectCreated = (bucket: string, key: string) => ({
  version: '0',
  id: 'e1',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '000000000000',
  time: '2026-01-05T23:10:00Z',
  region: 'us-east-1',
  resources: [`arn:aws:s3:::${bucket}`],
  detail: { version: '0', bucket: { name: bucket }, object: { key, size: 1 }, reason: 'PutObject' },
});

describe('dialer results on the local stack', () => {
  let dir: string;
  let stack: LocalStack;
  let s3: S3Client;
  let ddb: DynamoDBClient;
  let bucket: string;
  const contacts = () => new DynamoContactRepository(ddb, stack.functionEnv('strategy').CONTACTS_TABLE!);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-dialer-'));
    stack = await startLocalStack({ dataDir: dir, inMemory: true, noReuse: true });
    s3 = new S3Client(stack.clientConfig('s3'));
    ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
    bucket = stack.env.DATA_BUCKET!;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: FILE }));
  }, 120_000);

  afterAll(async () => {
    s3?.destroy();
    ddb?.destroy();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records conversations and do-not-call numbers, quarantines the bad row, and changes nothing when delivered again', async () => {
    const first = await stack.invoke('dialerResults', objectCreated(bucket, KEY));
    expect(first).toMatchObject({
      results: 4,
      rejected: 1,
      rejectsKey: 'quarantine/dialer-results/2026-01-05/vendor-a.csv.rejects.csv',
      conversations: 2,
      suppressed: { cease_request: 1, wrong_number: 1 },
      outcomes: { connected: 1, cease: 1, wrong_number: 1, voicemail: 1, no_answer: 0 },
    });
    const rejects = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'quarantine/dialer-results/2026-01-05/vendor-a.csv.rejects.csv' }))).Body!.transformToString();
    expect(rejects).toBe('row,account_id,reason\n6,D-5,phone: not an E.164 number\n');

    const states = await contacts().getStates(['D-1', 'D-2', 'D-3', 'D-4']);
    expect(states.get('D-1')!.history).toEqual([{ at: '2026-01-05T15:02:11.000Z', channel: 'voice', kind: 'conversation' }]);
    expect(states.get('D-2')!.history).toEqual([{ at: '2026-01-05T16:15:03.000Z', channel: 'voice', kind: 'conversation' }]);
    expect(states.get('D-2')!.suppressions.voice).toEqual(['+15550000002']);
    expect(states.get('D-3')!.suppressions.voice).toEqual(['+15550000003']);
    expect(states.get('D-4')!.history).toEqual([]);

    // The same notification again (at-least-once delivery): same state, nothing newly suppressed.
    const again = await stack.invoke('dialerResults', objectCreated(bucket, KEY));
    expect(again).toMatchObject({ results: 4, conversations: 2, suppressed: { cease_request: 0, wrong_number: 0 } });
    const after = await contacts().getStates(['D-1', 'D-2', 'D-3']);
    expect(after.get('D-1')!.history).toHaveLength(1);
    expect(after.get('D-2')!.suppressions.voice).toEqual(['+15550000002']);
  });

  it('the next days’ Strategy holds the calls back: 7 days after a conversation, never to a do-not-call number', async () => {
    const policy = allChannelsPolicy();
    const states = await contacts().getStates(['D-1', 'D-2', 'D-3', 'D-4']);
    const voiceOn = (id: string, runDate: string) => {
      const account = makeAccount({ accountId: id, phone: `+1555000000${id.slice(2)}`, state: 'NY', timezone: 'America/New_York' });
      const s = states.get(id)!;
      const d = decide({ account, score: 0.3, runDate, history: s.history, suppressions: s.suppressions }, policy);
      return { voice: d.actions.some((a) => a.channel === 'voice'), reasons: d.reasons.join(' ') };
    };
    expect(voiceOn('D-1', '2026-01-06')).toMatchObject({ voice: false, reasons: expect.stringContaining('cap:reg_f_conversation_7d(voice)') });
    expect(voiceOn('D-1', '2026-01-13').voice).toBe(true); // 8 days later
    expect(voiceOn('D-2', '2026-01-20').voice).toBe(false); // the number stays suppressed
    expect(voiceOn('D-3', '2026-01-06').voice).toBe(false);
    expect(voiceOn('D-4', '2026-01-06').voice).toBe(true); // a voicemail is no conversation
  });

  it('fails a file whose header lacks a column (to the on-failure queue in AWS), and refuses keys outside the inbox', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'inbox/dialer-results/2026-01-05/bad.csv', Body: 'account_id,phone,outcome\nD-1,+15550000001,connected\n' }));
    await expect(stack.invoke('dialerResults', objectCreated(bucket, 'inbox/dialer-results/2026-01-05/bad.csv'))).rejects.toThrow(/lacks required column\(s\): attempted_at/);
    await expect(stack.invoke('dialerResults', objectCreated(bucket, 'runs/2026-01-05/chunks/00000.jsonl'))).rejects.toThrow(/not a dialer results key/);
    await expect(stack.invoke('dialerResults', objectCreated('someone-elses-bucket', KEY))).rejects.toThrow(/unexpected bucket/);
  });
});
