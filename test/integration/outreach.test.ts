/**
 * The outreach senders on dynalite (real conditional writes) with the SES and SMS APIs mocked
 * (no emulator exists for them): the send ledger under concurrent claims, and both SQS handlers
 * on the committed sample events (events/sendEmail.json, events/sendSms.json; official SQS shape)
 * with a poison record, a duplicate, a suppressed address and a missing one.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DynamoSendLedger } from '../../src/adapters/dynamo-send-ledger';
import { DynamoInboundReader } from '../../src/adapters/dynamo-inbound-reader';
import { DynamoEngagementStore } from '../../src/adapters/dynamo-engagement-store';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;

const ROOT = resolve(__dirname, '../..');
const SENDS = 'curepath-test-sends';
const CONTACTS = 'curepath-test-contacts';
const ENGAGEMENT = 'curepath-test-engagement';
const event = (name: string): SQSEvent => JSON.parse(readFileSync(join(ROOT, 'events', `${name}.json`), 'utf8'));
const context = { functionName: 'curepath-test-send', awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:x', memoryLimitInMB: '512', functionVersion: '$LATEST', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const ids = (r: SQSBatchResponse) => r.batchItemFailures.map((f) => f.itemIdentifier).sort();

const ses = mockClient(SESv2Client);
const sms = mockClient(PinpointSMSVoiceV2Client);

describe('outreach senders on dynalite', () => {
  let server: Server;
  let ddb: DynamoDBClient;
  let doc: DynamoDBDocumentClient;

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, {
      CUREPATH_LOCAL: '1',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      STAGE: 'test',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      SENDS_TABLE: SENDS,
      CONTACTS_TABLE: CONTACTS,
      SENDER_NAME: 'Acme Lending',
      PAYMENT_URL: 'https://pay.acme.example/p',
      SUPPORT_PHONE: '1-800-555-0100',
      SENDER_POSTAL_ADDRESS: '100 Main St, Springfield, IL 62701',
      SES_CONFIGURATION_SET: 'curepath-test-outreach',
      EMAIL_FROM: 'Acme Lending <billing@acme.example>',
      UNSUBSCRIBE_BASE_URL: 'https://acme.example/unsubscribe',
      UNSUBSCRIBE_MAILTO: 'unsubscribe@acme.example',
      UNSUBSCRIBE_TOKEN_SECRET: 'test-secret-test-secret-test-secret!',
      SMS_CONFIGURATION_SET: 'curepath-test-sms',
      SMS_ORIGINATION_IDENTITY: 'pool-test',
      ENGAGEMENT_TABLE: ENGAGEMENT,
    });
    ddb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    doc = DynamoDBDocumentClient.from(ddb);
    // The sends table as the report asks for it in resources/ (PK actionId); contacts as resources/dynamodb.yml.
    await ddb.send(new CreateTableCommand({ TableName: SENDS, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'actionId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'actionId', KeyType: 'HASH' }] }));
    await ddb.send(
      new CreateTableCommand({
        TableName: CONTACTS,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'accountId', AttributeType: 'S' },
          { AttributeName: 'kind', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'accountId', KeyType: 'HASH' },
          { AttributeName: 'kind', KeyType: 'RANGE' },
        ],
      }),
    );
    // As resources/engagement.yml declares it (the SMS sender registers numbers there).
    await ddb.send(
      new CreateTableCommand({
        TableName: ENGAGEMENT,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    // Suppressions as the engagement loop writes them: atomic ADD to string sets.
    const suppress = (accountId: string, attr: 'email' | 'sms', value: string) =>
      doc.send(new UpdateCommand({ TableName: CONTACTS, Key: { accountId, kind: 'INBOUND' }, UpdateExpression: 'ADD #a :v', ExpressionAttributeNames: { '#a': attr }, ExpressionAttributeValues: { ':v': new Set([value]) } }));
    await suppress('A-1003', 'email', 'a-1003@example.com');
    await suppress('A-2004', 'sms', '+15555550999'); // another number: A-2004's own is not suppressed
    // 10:00 in New York on the sample events' run date; only Date is faked.
    jest.useFakeTimers({ now: new Date('2026-01-05T15:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
  });

  afterAll(async () => {
    jest.useRealTimers();
    doc?.destroy();
    ddb?.destroy();
    await new Promise((r) => server?.close(r));
  });

  it('send ledger: concurrent claims of one action → exactly one wins; a final record is never claimed again', async () => {
    const ledger = new DynamoSendLedger(doc, SENDS);
    const claim = (now: Date) => ledger.claim({ actionId: '2026-01-05#L-1#email', accountId: 'L-1', runDate: '2026-01-05', channel: 'email', segment: 's', template: 'early-reminder', language: 'en', to: 'l@example.com', now, leaseMs: 60_000 });
    const t0 = new Date('2026-01-05T15:00:00Z');
    const results = await Promise.all(Array.from({ length: 8 }, () => claim(t0)));
    const winners = results.filter((r) => r.claimed);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => !x.claimed)) expect(r).toMatchObject({ claimed: false, record: { status: 'sending', attempts: 1 } });

    // Inside the lease nobody else gets it; after it, one taker again (the holder "crashed").
    expect((await claim(new Date(t0.getTime() + 59_000))).claimed).toBe(false);
    const later = new Date(t0.getTime() + 61_000);
    const retakes = await Promise.all(Array.from({ length: 4 }, () => claim(later)));
    const retaken = retakes.filter((r) => r.claimed);
    expect(retaken).toHaveLength(1);
    expect(retaken[0]).toMatchObject({ attempt: 2 });

    // The old holder lost its lease: it cannot record; the new one can.
    const old = winners[0]!;
    expect(old.claimed && (await ledger.complete('2026-01-05#L-1#email', old.leaseToken, { status: 'sent', providerMessageId: 'x' }, later))).toBe(false);
    const cur = retaken[0]!;
    expect(cur.claimed && (await ledger.complete('2026-01-05#L-1#email', cur.leaseToken, { status: 'sent', providerMessageId: 'ses-1' }, later))).toBe(true);
    expect(await ledger.get('2026-01-05#L-1#email')).toMatchObject({ status: 'sent', providerMessageId: 'ses-1', attempts: 2 });
    expect((await claim(new Date(t0.getTime() + 10 * 86_400_000))).claimed).toBe(false);
  });

  it('send ledger: release lets the next delivery claim at once', async () => {
    const ledger = new DynamoSendLedger(doc, SENDS);
    const req = { actionId: '2026-01-05#L-2#sms', accountId: 'L-2', runDate: '2026-01-05', channel: 'sms' as const, segment: 's', template: 't', language: 'en', to: null, leaseMs: 60_000 };
    const t0 = new Date('2026-01-05T15:00:00Z');
    const first = await ledger.claim({ ...req, now: t0 });
    expect(first.claimed).toBe(true);
    if (first.claimed) await ledger.release(req.actionId, first.leaseToken);
    expect((await ledger.claim({ ...req, now: new Date(t0.getTime() + 1000) })).claimed).toBe(true);
  });

  it('INBOUND reader: consistent read of the suppressed sets; an account without the item has none', async () => {
    const reader = new DynamoInboundReader(doc, CONTACTS);
    expect([...(await reader.suppressed('A-1003')).email]).toEqual(['a-1003@example.com']);
    expect((await reader.suppressed('nobody')).sms.size).toBe(0);
  });

  it('sendEmail handler on events/sendEmail.json: poison fails alone, duplicate sent once, suppressed/missing recorded', async () => {
    ses.reset();
    let n = 0;
    ses.on(SendEmailCommand).callsFake(async () => ({ MessageId: `ses-${++n}` }));
    const { handler } = await import('../../functions/send-email');
    const e = event('sendEmail');
    const res = (await handler(e, context)) as SQSBatchResponse;
    // Only the poison record (not JSON) goes back to the queue (→ DLQ after maxReceiveCount).
    expect(ids(res)).toEqual([e.Records[2]!.messageId]);
    const calls = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Destination?.ToAddresses?.[0]).sort()).toEqual(['a-1001@example.com', 'a-1005@example.com']);
    for (const c of calls) {
      expect(c.ConfigurationSetName).toBe('curepath-test-outreach');
      expect(c.Content?.Simple?.Headers).toEqual(
        expect.arrayContaining([{ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' }, { Name: 'List-Unsubscribe', Value: expect.stringMatching(/^<https:\/\/acme\.example\/unsubscribe\?token=[\w-]+\.[\w-]+>, <mailto:unsubscribe@acme\.example\?subject=/) }]),
      );
      for (const t of c.EmailTags ?? []) expect(t.Value).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    const ledger = new DynamoSendLedger(doc, SENDS);
    expect(await ledger.get('2026-01-05#A-1001#email')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await ledger.get('2026-01-05#A-1003#email')).toMatchObject({ status: 'suppressed' });
    expect(await ledger.get('2026-01-05#A-1004#email')).toMatchObject({ status: 'failed', reason: 'missing_address' });
    expect(await ledger.get('2026-01-05#A-1002#email')).toBeUndefined();

    // The whole batch delivered again (SQS at-least-once): nothing is sent twice.
    const again = (await handler(e, context)) as SQSBatchResponse;
    expect(ids(again)).toEqual([e.Records[2]!.messageId]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });

  it('sendSms handler on events/sendSms.json: throttled record retried alone; poison and wrong-channel records fail alone', async () => {
    sms.reset();
    let n = 0;
    let throttledOnce = false;
    sms.on(SendTextMessageCommand).callsFake(async (input: { DestinationPhoneNumber: string }) => {
      if (input.DestinationPhoneNumber === '+15555550104' && !throttledOnce) {
        throttledOnce = true;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
      }
      return { MessageId: `sms-${++n}` };
    });
    const { handler } = await import('../../functions/send-sms');
    const e = event('sendSms');
    const res = (await handler(e, context)) as SQSBatchResponse;
    const [ok, dup, poison, wrongChannel, throttled] = e.Records.map((r) => r.messageId);
    expect(ids(res)).toEqual([poison!, wrongChannel!, throttled!].sort());
    expect(ok && dup).toBeTruthy();
    const sent = () => sms.commandCalls(SendTextMessageCommand).map((c) => c.args[0].input);
    expect(sent().filter((c) => c.DestinationPhoneNumber === '+15555550100')).toHaveLength(1); // duplicate not sent twice
    expect(sent()[0]).toMatchObject({ MessageType: 'TRANSACTIONAL', ConfigurationSetName: 'curepath-test-sms', OriginationIdentity: 'pool-test', Context: { account: 'A-2001', action: '2026-01-05#A-2001#sms' } });
    expect(sent()[0]!.MessageBody!.endsWith('Reply STOP to opt out')).toBe(true);

    // SQS redelivers only the failed ones: the throttled one goes through now.
    const retry = (await handler({ Records: e.Records.filter((r) => [poison, wrongChannel, throttled].includes(r.messageId)) }, context)) as SQSBatchResponse;
    expect(ids(retry)).toEqual([poison!, wrongChannel!].sort());
    const es = sent().filter((c) => c.DestinationPhoneNumber === '+15555550104');
    expect(es).toHaveLength(2); // the throttled attempt and the successful retry
    expect(es[1]!.MessageBody!.endsWith('Responda STOP para cancelar')).toBe(true);
    expect(await new DynamoSendLedger(doc, SENDS).get('2026-01-05#A-2004#sms')).toMatchObject({ status: 'sent', attempts: 2 });
    // Every number texted is in the phone directory (inbound STOP replies resolve through it).
    expect(await new DynamoEngagementStore(doc, ENGAGEMENT).accountsFor('+15555550104')).toEqual(['A-2004']);
  });

  it('sendSms: an opt-out confirmation request is texted exactly once per revocation, without consent checks', async () => {
    sms.reset();
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'sms-confirm-1' });
    const { handler } = await import('../../functions/send-sms');
    // The number is suppressed for A-2004 (beforeAll): a confirmation is still sent.
    const body = JSON.stringify({ type: 'sms-opt-out-confirmation', to: '+15555550999', accountIds: ['A-2004'], revocationId: 'rev-1', requestedAt: '2026-01-05T15:00:00Z' });
    const rec = (messageId: string, b = body) => ({ ...event('sendSms').Records[0]!, messageId, body: b });
    const res = (await handler({ Records: [rec('m1'), rec('m2'), rec('m3', '{"type":"sms-opt-out-confirmation","to":"+1"}')] }, context)) as SQSBatchResponse;
    expect(ids(res)).toEqual(['m3']); // malformed request: poison alone
    const calls = sms.commandCalls(SendTextMessageCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ DestinationPhoneNumber: '+15555550999', Context: { action: 'optout#rev-1', template: 'sms-opt-out-confirmation' } });
    expect(calls[0]!.MessageBody).toContain('unsubscribed');
    // Redelivered later: the ledger says sent, nothing more goes out.
    await handler({ Records: [rec('m4')] }, context);
    expect(sms.commandCalls(SendTextMessageCommand)).toHaveLength(1);
  });
});
