/**
 * The SES v2 / End User Messaging SMS stand-ins (local/channels): the real SDK clients (and the
 * project's sender adapters) against them through the local stack's endpoints, the records they
 * deliver read back from the real local Kinesis stream and SQS queues and parsed with the
 * project's own normalizers; determinism and the configured rates on the simulator alone.
 */
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { ChannelSimulator, profileFromAccount, STOP_REPLIES, OTHER_REPLIES, type AccountProfile } from '../../local/channels';
import { SesEmailSender } from '../../src/adapters/ses-email-sender';
import { EndUserMessagingSmsSender } from '../../src/adapters/sms-sender';
import { PermanentSendError } from '../../src/domain/outreach/errors';
import { normalizeRecord, type EngagementEvent } from '../../src/domain/engagement';
import { generateAccounts } from '../../src/synthetic/portfolio-generator';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-23T15:00:00Z');

describe('channel stand-ins on the local stack', () => {
  let dir: string;
  let stack: LocalStack;
  let clock = T0;
  let ses: SESv2Client;
  let sms: PinpointSMSVoiceV2Client;
  let kinesis: KinesisClient;
  let sqs: SQSClient;
  let stream: string;
  let sesQueue: string;
  let smsQueue: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-channels-'));
    stack = await startLocalStack({
      dataDir: dir,
      inMemory: true,
      noReuse: true,
      channels: { seed: 11, now: () => clock, behaviour: { email: { permanentBounceShare: 0.2 }, sms: { stopRate: 0.3, replyRate: 0.2 } } },
    });
    ses = new SESv2Client(stack.clientConfig('sesv2'));
    sms = new PinpointSMSVoiceV2Client(stack.clientConfig('pinpoint-sms-voice-v2'));
    kinesis = new KinesisClient(stack.clientConfig('kinesis'));
    sqs = new SQSClient(stack.clientConfig('sqs'));
    // Resources from the service when it declares them; test-only ones otherwise.
    const t = stack.channels.getTargets();
    stream = t.engagementStream ?? 'curepath-test-engagement';
    if (!t.engagementStream) await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    sesQueue = t.sesNotificationsQueueUrl ?? (await sqs.send(new CreateQueueCommand({ QueueName: 'curepath-test-ses-notifications' }))).QueueUrl!;
    smsQueue = t.smsInboundQueueUrl ?? (await sqs.send(new CreateQueueCommand({ QueueName: 'curepath-test-sms-inbound' }))).QueueUrl!;
    stack.channels.setTargets({ engagementStream: stream, sesNotificationsQueueUrl: sesQueue, smsInboundQueueUrl: smsQueue });
    await new Promise((r) => setTimeout(r, 100)); // kinesalite: stream ACTIVE
  }, 60_000);

  afterAll(async () => {
    for (const c of [ses, sms, kinesis, sqs]) c?.destroy();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const readStream = async (): Promise<{ partitionKey: string; data: any }[]> => {
    const shards = await kinesis.send(new ListShardsCommand({ StreamName: stream }));
    const out: { partitionKey: string; data: any }[] = [];
    for (const s of shards.Shards ?? []) {
      let it = (await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: s.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      for (let i = 0; it && i < 50; i++) {
        const r = await kinesis.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }));
        out.push(...(r.Records ?? []).map((x) => ({ partitionKey: x.PartitionKey!, data: JSON.parse(Buffer.from(x.Data!).toString('utf8')) })));
        if (!r.Records?.length) break;
        it = r.NextShardIterator;
      }
    }
    return out;
  };
  const drainQueue = async (url: string): Promise<any[]> => {
    const out: any[] = [];
    for (;;) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
      if (!r.Messages?.length) return out;
      out.push(...r.Messages.map((m) => JSON.parse(m.Body!)));
    }
  };

  const accounts = Array.from({ length: 40 }, (_, i) => `ACC${String(i + 1).padStart(9, '0')}`);

  it('accepts SendEmail / SendTextMessage from the real SDK clients and delivers AWS-format records the normalizers read', async () => {
    const sender = new SesEmailSender(ses, { from: 'CurePath <collections@example.com>', configurationSet: 'curepath-test' });
    const emailIds = new Map<string, string>();
    for (const a of accounts) {
      const { providerMessageId } = await sender.send({
        to: `${a.toLowerCase()}@example.com`,
        subject: 'Your account',
        text: 'Pay here: https://pay.example.com/p?a=1',
        html: '<a href="https://pay.example.com/p?a=1">Pay</a>',
        unsubscribeUrl: 'https://unsubscribe.example.com/u/token',
        unsubscribeMailto: 'mailto:unsubscribe@example.com',
        tags: { account: a, action: `2026-11-23#${a}#email`, segment: 'early', template: 'early-reminder' },
      });
      emailIds.set(providerMessageId, a);
    }
    const smsIds = new Map<string, string>();
    for (const [i, a] of accounts.entries()) {
      const out = await sms.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: `+1206555${String(1000 + i)}`,
          OriginationIdentity: '+18005550100',
          MessageBody: 'CurePath: a payment is past due. Reply STOP to opt out',
          MessageType: 'TRANSACTIONAL',
          ConfigurationSetName: 'curepath-test',
          Context: { account: a, action: `2026-11-23#${a}#sms` },
        }),
      );
      expect(out.MessageId).toEqual(expect.any(String));
      smsIds.set(out.MessageId!, a);
    }
    expect(emailIds.size).toBe(accounts.length);

    // Nothing is released before the clock is flushed past it.
    expect((await stack.channels.flush(T0 - 1)).kinesis).toBe(0);
    const report = await stack.channels.flush(T0 + 3 * DAY);
    expect(report.undeliverable).toBe(0);

    const records = await readStream();
    expect(records.length).toBe(report.kinesis);
    const events: EngagementEvent[] = [];
    for (const r of records) {
      expect(['aws.ses', 'aws.sms-voice']).toContain(r.data.source);
      const n = normalizeRecord(r.data, new Date().toISOString());
      for (const e of n.events) {
        // Partition key = account, as the EventBridge → Kinesis target is configured.
        expect(r.partitionKey).toBe(e.accountId);
        events.push(e);
      }
    }
    const email = events.filter((e) => e.channel === 'email');
    const text = events.filter((e) => e.channel === 'sms');
    for (const e of email) expect(emailIds.get(e.messageId!)).toBe(e.accountId);
    for (const e of text) expect(smsIds.get(e.messageId!)).toBe(e.accountId);
    const byKind = (list: EngagementEvent[], k: string) => list.filter((e) => e.kind === k);
    expect(byKind(email, 'send')).toHaveLength(accounts.length);
    // Every email is delivered or bounces, never both.
    expect(byKind(email, 'delivered').length + byKind(email, 'bounce').length).toBe(accounts.length);
    expect(byKind(email, 'bounce').length).toBeGreaterThan(0); // 20 % of addresses hard-bounce here
    expect(byKind(email, 'open').length).toBeLessThanOrEqual(byKind(email, 'delivered').length);
    expect(byKind(email, 'click').length).toBeLessThanOrEqual(byKind(email, 'open').length);
    for (const e of email) expect(e.actionId).toBe(`2026-11-23_${e.accountId}_email`); // SES tag values: # → _
    expect(byKind(text, 'delivered').length + byKind(text, 'failed').length).toBe(accounts.length);

    // Bounce notifications: SNS envelope in the SQS body, same event id as the event-publishing bounce.
    // The service may subscribe one queue to both topics: read each queue once, split by topic.
    const bodies = (await Promise.all([...new Set([sesQueue, smsQueue])].map(drainQueue))).flat();
    expect(bodies.length).toBe(report.sesNotifications + report.smsInbound);
    const targets = stack.channels.getTargets();
    const notes = bodies.filter((b) => b.TopicArn === targets.sesNotificationsTopicArn || (!targets.sesNotificationsTopicArn && !JSON.parse(b.Message).inboundMessageId));
    expect(notes.length).toBe(report.sesNotifications);
    const noteEvents = notes.flatMap((b) => {
      expect(b.Type).toBe('Notification');
      expect(typeof b.Message).toBe('string');
      return normalizeRecord(b, b.Timestamp).events;
    });
    const bounceIds = new Set(byKind(email, 'bounce').concat(byKind(email, 'complaint')).map((e) => e.eventId));
    expect(noteEvents.length).toBe(bounceIds.size);
    for (const e of noteEvents) expect(bounceIds.has(e.eventId)).toBe(true);

    // Inbound replies (30 % revocations, 20 % other replies configured).
    const inbound = bodies.filter((b) => !notes.includes(b));
    expect(inbound.length).toBe(report.smsInbound);
    const replies = inbound.flatMap((b) => normalizeRecord(b, b.Timestamp).events);
    expect(replies.length).toBeGreaterThan(0);
    for (const r of replies) {
      expect(r.source).toBe('sms-inbound');
      expect(r.address).toMatch(/^\+1206555\d{4}$/);
    }
    const optOuts = replies.filter((r) => r.kind === 'opt_out');
    expect(optOuts.length).toBeGreaterThan(0);

    // The service's own opt-out list: a number that replied STOP is refused (ConflictException).
    const stopped = inbound.map((b) => JSON.parse(b.Message)).find((p) => p.messageKeyword === 'STOP');
    expect(stopped).toBeDefined(); // seed 11: several plain STOPs among the 40
    {
      clock = T0 + 3 * DAY;
      const smsSender = new EndUserMessagingSmsSender(sms, { configurationSet: 'curepath-test', originationIdentity: '+18005550100' });
      const err = await smsSender.send({ to: stopped.originationNumber, body: 'hello', context: { accountId: 'A', actionId: 'x', segment: 's', template: 't' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentSendError);
      expect((err as PermanentSendError).reason).toBe('opted_out_at_provider');
    }

    // Recorded in the data dir, nothing of it in the log.
    expect(readFileSync(join(dir, 'channels', 'email.jsonl'), 'utf8').trim().split('\n')).toHaveLength(accounts.length);
  }, 60_000);

  it('refuses malformed requests with the services\' error shapes (the senders map them)', async () => {
    const sender = new SesEmailSender(ses, { from: 'collections@example.com', configurationSet: 'curepath-test' });
    const bad = await sender
      .send({ to: 'not-an-address', subject: 's', text: 't', html: 'h', unsubscribeUrl: 'https://u.example.com/x', unsubscribeMailto: 'mailto:u@example.com', tags: { account: 'A1', action: 'a', segment: 's', template: 't' } })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(PermanentSendError);
    expect((bad as PermanentSendError).reason).toBe('invalid_address');

    const raw = await ses.send(new SendEmailCommand({ FromEmailAddress: 'a@example.com', Destination: { ToAddresses: ['b@example.com'] }, Content: {} })).catch((e: unknown) => e);
    expect((raw as Error).name).toBe('BadRequestException');
    expect((raw as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);

    const smsSender = new EndUserMessagingSmsSender(sms, { configurationSet: 'curepath-test', originationIdentity: '+18005550100' });
    const badNumber = await smsSender.send({ to: '555-1234', body: 'hi', context: { accountId: 'A', actionId: 'x', segment: 's', template: 't' } }).catch((e: unknown) => e);
    expect(badNumber).toBeInstanceOf(PermanentSendError);
    expect((badNumber as PermanentSendError).reason).toBe('invalid_address');

    const noBody = await sms.send(new SendTextMessageCommand({ DestinationPhoneNumber: '+12065550100', OriginationIdentity: 'x', MessageBody: '' })).catch((e: unknown) => e);
    expect((noBody as Error).name).toBe('ValidationException');
    expect((noBody as { Reason?: string }).Reason).toBe('MISSING_PARAMETER');
  });
});

describe('behaviour synthesis (simulator alone)', () => {
  const send = (sim: ChannelSimulator, n: number) => {
    for (let i = 0; i < n; i++) {
      const a = `ACC${String(i + 1).padStart(9, '0')}`;
      sim.acceptEmail({ from: 'c@example.com', to: [`${a.toLowerCase()}@example.org`], subject: 's', tags: { account: a, action: `2026-11-23_${a}_email` }, link: 'https://pay.example.com/' , unsubscribeUrl: 'https://u.example.com/t' });
      sim.acceptSms({ to: `+1312555${String(i).padStart(4, '0')}`, originationIdentity: '+18005550100', body: 'hi', messageType: 'TRANSACTIONAL', context: { account: a, action: `2026-11-23#${a}#sms` } });
    }
  };
  const run = async (seed: number, n: number, extra: Partial<ConstructorParameters<typeof ChannelSimulator>[0]> = {}) => {
    const sim = new ChannelSimulator({ seed, now: () => T0, keepReleased: true, behaviour: { email: { permanentBounceShare: 0.05 }, sms: { stopRate: 0.05 } }, ...extra });
    send(sim, n);
    await sim.flush(T0 + 7 * DAY);
    return sim;
  };

  it('is deterministic: same seed → same records, payments and promises; another seed differs', async () => {
    const [a, b, c] = await Promise.all([run(5, 300), run(5, 300), run(6, 300)]);
    expect(b.released()).toEqual(a.released());
    expect(b.payments()).toEqual(a.payments());
    expect(b.promises()).toEqual(a.promises());
    expect(a.payments().length).toBeGreaterThan(0);
    expect(c.released()).not.toEqual(a.released());
  });

  it('releases by the simulated clock: flush(until) releases only what happened by then', async () => {
    const sim = new ChannelSimulator({ seed: 3, now: () => T0, keepReleased: true });
    send(sim, 50);
    const first = await sim.flush(T0 + 60_000);
    const early = sim.released();
    expect(early.every((r) => r.at <= T0 + 60_000)).toBe(true);
    const second = await sim.flush(T0 + 7 * DAY);
    expect(second.kinesis + second.undeliverable).toBeGreaterThan(0);
    expect(first.undeliverable + second.undeliverable).toBe(sim.released().length);
    expect(sim.pending()).toBe(0);
  });

  it('STOP replies at the configured rate, bounces for the configured share of addresses; every reply normalizes as intended', async () => {
    const n = 4000;
    const sim = await run(9, n);
    const recs = sim.released();
    const delivered = recs.filter((r) => r.kind === 'TEXT_DELIVERED').length;
    const stops = recs.filter((r) => r.kind === 'inbound revocation');
    const others = recs.filter((r) => r.kind === 'inbound reply');
    // Binomial: ±4 standard deviations.
    const sd = Math.sqrt(delivered * 0.05 * 0.95);
    expect(Math.abs(stops.length - 0.05 * delivered)).toBeLessThan(4 * sd);
    for (const r of stops) expect(normalizeRecord(JSON.parse(r.body), new Date(r.at).toISOString()).events[0]!.kind).toBe('opt_out');
    for (const r of others) expect(normalizeRecord(JSON.parse(r.body), new Date(r.at).toISOString()).events[0]!.kind).toBe('reply');
    // Every variant appears with a sample this size.
    const bodies = new Set(stops.map((r) => JSON.parse(JSON.parse(r.body).Message).messageBody));
    expect(bodies.size).toBe(STOP_REPLIES.length);
    expect(new Set(others.map((r) => JSON.parse(JSON.parse(r.body).Message).messageBody)).size).toBe(OTHER_REPLIES.length);

    const permanent = recs.filter((r) => r.kind === 'Email Bounced' && JSON.parse(r.body).detail.bounce.bounceType === 'Permanent').length;
    const sdB = Math.sqrt(n * 0.05 * 0.95);
    expect(Math.abs(permanent - 0.05 * n)).toBeLessThan(4 * sdB);
  });

  it('payments follow the ground truth: accounts with a higher true propensity pay more often', async () => {
    const runDate = '2026-11-23';
    const profiles = new Map<string, AccountProfile>();
    for (const row of generateAccounts({ accounts: 3000, seed: 1, runDate })) profiles.set(row.account.accountId, profileFromAccount(row.account, runDate));
    const sim = await run(4, 3000, { profiles: (id) => profiles.get(id) });
    const paid = new Set(sim.payments().map((p) => p.accountId));
    const sorted = [...profiles.entries()].sort((x, y) => x[1].p30 - y[1].p30);
    const rate = (list: typeof sorted) => list.filter(([id]) => paid.has(id)).length / list.length;
    const low = rate(sorted.slice(0, 750));
    const high = rate(sorted.slice(-750));
    expect(high).toBeGreaterThan(2 * low);
    for (const p of sim.payments()) {
      expect(p.amountCents).toBeGreaterThan(0);
      expect(p.amountCents).toBeLessThanOrEqual(Math.max(60000, profiles.get(p.accountId)!.amountPastDueCents ?? 0));
    }
    // One payment per account and day at most.
    const keys = sim.payments().map((p) => `${p.accountId}|${p.at.slice(0, 10)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
