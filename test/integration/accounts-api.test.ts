/**
 * POST /accounts, POST /payments, GET /me, POST /me/promises, PUT /me/preferences through the real
 * Middy handlers on the real serverless.yml and the embedded local stack (dynalite in memory),
 * with real local-issuer tokens. Every status each route answers is exercised.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { DynamoAccountStore } from '../../src/adapters/dynamo-accounts';
import { DynamoContactRepository } from '../../src/adapters/dynamo-repositories';
import { addDays, utcDate } from '../../src/domain/dates';
import { businessDate, type EngagementRow } from '../../src/usecases/analytics/lake';
import { httpEvent, parseResult, tokenFor, type HttpEventInput } from '../helpers/http';

const TODAY = utcDate(new Date());

const account = (over: Record<string, unknown> = {}) => ({
  account_id: 'ACC-A1',
  customer_id: 'CUS-A',
  first_name: 'Maria',
  last_name: 'Lopez',
  email: 'maria@example.com',
  phone: '+13055550142',
  language: 'es',
  state: 'FL',
  timezone: 'America/New_York',
  product: 'credit_card',
  balance_due: '1000.00',
  amount_past_due: 300,
  days_past_due: 65,
  email_consent: 'yes',
  sms_consent: true,
  call_consent: 'no',
  do_not_contact: false,
  in_dispute: 'no',
  bankruptcy: 0,
  ...over,
});

describe('accounts, payments and self-service handlers (real serverless.yml, local stack)', () => {
  let dir: string;
  let stack: LocalStack;
  let doc: DynamoDBDocumentClient;
  let ddb: DynamoDBClient;
  let store: DynamoAccountStore;
  const t: Record<string, string> = {};

  const call = async (fn: string, input: HttpEventInput) => parseResult(await stack.invoke(fn, httpEvent(input)));
  const item = async (table: string, key: Record<string, string>) =>
    (await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
  const accountsTable = () => stack.env.ACCOUNTS_TABLE!;
  const contactsTable = () => stack.env.CONTACTS_TABLE!;
  /** engagement_events rows the functions put to the lake's Firehose (delivered into s3rver), with their object key. */
  const lakeRows = async (type: string) => {
    const s3 = new S3Client(stack.clientConfig('s3'));
    const bucket = stack.resources.DataBucket!;
    const out: { key: string; row: EngagementRow & { dt: string } }[] = [];
    try {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'lake/engagement_events/' }));
      for (const c of r.Contents ?? []) {
        const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: c.Key! }))).Body!.transformToString();
        for (const l of body.split('\n').filter(Boolean)) out.push({ key: c.Key!, row: JSON.parse(l) });
      }
    } finally {
      s3.destroy();
    }
    return out.filter((o) => o.row.type === type);
  };
  const pay = (body: unknown, key?: string, token = t.agent) =>
    call('recordPayment', { method: 'POST', path: '/payments', body, token, ...(key ? { headers: { 'Idempotency-Key': key } } : {}) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-accounts-'));
    stack = await startLocalStack({ dataDir: dir, inMemory: true, noReuse: true });
    ddb = new DynamoDBClient(stack.clientConfig('dynamodb'));
    doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
    store = new DynamoAccountStore(doc, accountsTable());
    t.agent = await tokenFor({ group: 'agent', sub: 'agent-1' });
    t.admin = await tokenFor({ group: 'admin', sub: 'admin-1' });
    t.custA = await tokenFor({ group: 'customer', sub: 'sub-a', username: 'CUS-A' });
    t.custB = await tokenFor({ group: 'customer', sub: 'sub-b', username: 'CUS-B' });
    t.nobody = await tokenFor({ group: 'customer', sub: 'sub-x', username: 'CUS-NONE' });
    t.expired = await tokenFor({ group: 'customer', sub: 'sub-a', username: 'CUS-A', expiresIn: -60 });
  }, 180_000);
  afterAll(async () => {
    doc?.destroy();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('POST /accounts', () => {
    it('200: every item stored (created, then updated on a re-send), numbers/booleans accepted as the file text', async () => {
      const batch = [
        account(),
        account({ account_id: 'ACC-B1', customer_id: 'CUS-B', email: 'b@example.com', phone: '+16175550199' }),
        account({ account_id: 'ACC-B2', customer_id: 'CUS-B', email: 'b@example.com', product: 'bnpl', balance_due: 80, amount_past_due: 40, days_past_due: 20 }),
      ];
      const res = await call('upsertAccounts', { method: 'POST', path: '/accounts', body: { accounts: batch }, token: t.agent });
      expect(res.statusCode).toBe(200);
      expect(res.json).toMatchObject({ received: 3, created: 3, updated: 0, rejected: 0, failed: 0 });
      expect(res.json.results.map((r: any) => r.status)).toEqual(['created', 'created', 'created']);
      const again = await call('upsertAccounts', { method: 'POST', path: '/accounts', body: { accounts: [account({ Extra_Col: 'x' })] }, token: t.admin });
      expect(again.statusCode).toBe(200);
      expect(again.json.results[0]).toMatchObject({ status: 'updated', accountId: 'ACC-A1', unknownFields: ['Extra_Col'] });
      const profile = await item(accountsTable(), { accountId: 'ACC-A1', sk: 'PROFILE' });
      expect(profile).toMatchObject({ customerId: 'CUS-A', balanceDueCents: 100000, amountPastDueCents: 30000, daysPastDue: 65, status: 'delinquent', version: 2, language: 'es' });
    });

    it('207: per-item field errors and duplicates; the valid items are stored', async () => {
      const res = await call('upsertAccounts', {
        method: 'POST',
        path: '/accounts',
        body: {
          accounts: [
            account({ account_id: 'ACC-C1', customer_id: 'CUS-C' }),
            account({ account_id: 'ACC-C2', state: 'XX', balance_due: '12.345' }),
            account({ account_id: 'ACC-C1', customer_id: 'CUS-C' }),
            'not an object',
          ],
        },
        token: t.agent,
      });
      expect(res.statusCode).toBe(207);
      expect(res.json).toMatchObject({ received: 4, created: 1, rejected: 3 });
      const [ok, bad, dup, junk] = res.json.results;
      expect(ok).toMatchObject({ index: 0, status: 'created' });
      expect(bad.status).toBe('rejected');
      expect(bad.errors).toEqual(
        expect.arrayContaining([
          { field: 'state', message: "'XX' is not a USPS state code" },
          { field: 'balance_due', message: "'12.345' not a decimal with at most 2 places" },
        ]),
      );
      expect(dup).toMatchObject({ status: 'rejected', errors: [{ field: 'account_id', message: 'duplicate of item 0 (the first item is kept)' }] });
      expect(junk).toMatchObject({ status: 'rejected', accountId: null });
      expect(await item(accountsTable(), { accountId: 'ACC-C2', sk: 'PROFILE' })).toBeUndefined();
    });

    it('400 (more than 500, none, malformed JSON), 401, 403, 413', async () => {
      const many = await call('upsertAccounts', { method: 'POST', path: '/accounts', body: { accounts: Array.from({ length: 501 }, () => ({})) }, token: t.agent });
      expect(many.statusCode).toBe(400);
      expect(many.json.issues).toEqual([{ path: 'accounts', message: 'at most 500 accounts per request' }]);
      expect((await call('upsertAccounts', { method: 'POST', path: '/accounts', body: {}, token: t.agent })).statusCode).toBe(400);
      expect((await call('upsertAccounts', { method: 'POST', path: '/accounts', body: '{"accounts": [', token: t.agent })).statusCode).toBe(400);
      expect((await call('upsertAccounts', { method: 'POST', path: '/accounts', body: { accounts: [account()] } })).statusCode).toBe(401);
      expect((await call('upsertAccounts', { method: 'POST', path: '/accounts', body: { accounts: [account()] }, token: t.custA })).statusCode).toBe(403);
      const huge = { accounts: [account({ first_name: 'x'.repeat(1024 * 1024) })] };
      expect((await call('upsertAccounts', { method: 'POST', path: '/accounts', body: huge, token: t.agent })).statusCode).toBe(413);
    });
  });

  describe('POST /payments', () => {
    it('201 once; the same key and body replays the same answer without a second effect; another body → 409', async () => {
      const body = { accountId: 'ACC-A1', amount: '100.00', reference: 'r-1' };
      const first = await pay(body, 'pay-key-1');
      expect(first.statusCode).toBe(201);
      expect(first.json).toMatchObject({
        paymentId: 'pay-key-1',
        appliedCents: 10000,
        cured: false,
        before: { balanceDueCents: 100000, amountPastDueCents: 30000, daysPastDue: 65, status: 'delinquent' },
        // 3 missed cycles of 100.00: one paid → 30 days less past due
        after: { balanceDueCents: 90000, amountPastDueCents: 20000, daysPastDue: 35, status: 'delinquent' },
      });
      const replay = await pay(body, 'pay-key-1');
      expect(replay.statusCode).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json).toEqual(first.json);
      expect(await item(accountsTable(), { accountId: 'ACC-A1', sk: 'PROFILE' })).toMatchObject({ balanceDueCents: 90000, version: 3 });
      const other = await pay({ ...body, amount: '5.00' }, 'pay-key-1');
      expect(other.statusCode).toBe(409);
      expect((await item(accountsTable(), { accountId: 'ACC-A1', sk: 'PROFILE' }))?.balanceDueCents).toBe(90000);
      // One payment row in the lake (the replay and the 409 added none), in its business day's partition.
      const rows = (await lakeRows('payment')).filter((r) => r.row.eventId === 'payment|ACC-A1|pay-key-1');
      expect(rows).toHaveLength(1);
      const [{ key, row }] = rows as [(typeof rows)[number]];
      expect(row).toMatchObject({ accountId: 'ACC-A1', type: 'payment', amountCents: 10000, source: 'payments-api', suppressing: false });
      expect(row.processedAtMs).toBe(row.atMs);
      expect(key).toMatch(new RegExp(`^lake/engagement_events/dt=${businessDate(row.atMs)}/`));
      expect(row.dt).toBe(businessDate(row.atMs));
    });

    it('a crash after the balance update is completed by the retry, never applied twice', async () => {
      // First attempt: PAYMENT record written and PROFILE updated, then the function died before marking it applied.
      const before = (await store.get('ACC-B1'))!;
      const body = { accountId: 'ACC-B1', amount: 10 };
      const first = await pay(body, 'crash-key');
      expect(first.statusCode).toBe(201);
      await doc.send(new PutCommand({ TableName: accountsTable(), Item: { ...(await item(accountsTable(), { accountId: 'ACC-B1', sk: 'PAYMENT#crash-key' }))!, status: 'pending' } }));
      const retry = await pay(body, 'crash-key');
      expect(retry.statusCode).toBe(201);
      expect(retry.json).toEqual(first.json);
      const after = (await store.get('ACC-B1'))!;
      expect(after.balances.balanceDueCents).toBe(before.balances.balanceDueCents - 1000);
      expect((await item(accountsTable(), { accountId: 'ACC-B1', sk: 'PAYMENT#crash-key' }))?.status).toBe('applied');
      // The first attempt's row only: the retry completed an applied payment and emitted none.
      expect((await lakeRows('payment')).filter((r) => r.row.eventId === 'payment|ACC-B1|crash-key')).toHaveLength(1);
    });

    it('a pending record whose balance update never happened is applied by the retry', async () => {
      const before = (await store.get('ACC-B1'))!;
      const first = await pay({ accountId: 'ACC-B1', amount: 5 }, 'half-key');
      // Undo the balance update and the marker: as if the crash happened right after the PAYMENT put.
      await store.saveBalances('ACC-B1', before.version + 1, before.balances, new Date());
      const profile = (await item(accountsTable(), { accountId: 'ACC-B1', sk: 'PROFILE' }))!;
      profile.paymentKeys.delete('half-key');
      await doc.send(new PutCommand({ TableName: accountsTable(), Item: profile }));
      await doc.send(new PutCommand({ TableName: accountsTable(), Item: { ...(await item(accountsTable(), { accountId: 'ACC-B1', sk: 'PAYMENT#half-key' }))!, status: 'pending' } }));
      const retry = await pay({ accountId: 'ACC-B1', amount: 5 }, 'half-key');
      expect(retry.statusCode).toBe(201);
      expect(retry.json.after.balanceDueCents).toBe(first.json.after.balanceDueCents);
      expect((await store.get('ACC-B1'))!.balances.balanceDueCents).toBe(before.balances.balanceDueCents - 500);
    });

    it('paying the amount past due cures the account (dpd 0, status cured)', async () => {
      const res = await pay({ accountId: 'ACC-B2', amount: '40' }, 'cure-key');
      expect(res.statusCode).toBe(201);
      expect(res.json).toMatchObject({ cured: true, after: { amountPastDueCents: 0, daysPastDue: 0, status: 'cured', balanceDueCents: 4000 } });
      expect(await item(accountsTable(), { accountId: 'ACC-B2', sk: 'PROFILE' })).toMatchObject({ status: 'cured', curedAt: TODAY });
    });

    it('400 without Idempotency-Key or with field errors, 404 unknown account, 401, 403, 413', async () => {
      const missing = await pay({ accountId: 'ACC-A1', amount: 1 });
      expect(missing.statusCode).toBe(400);
      expect(missing.json.issues[0].path).toBe('Idempotency-Key');
      const bad = await pay({ accountId: 'ACC-A1', amount: '-1', paidOn: '2025-02-30', extra: 1 }, 'bad-key');
      expect(bad.statusCode).toBe(400);
      expect(bad.json.issues.map((i: any) => i.path).sort()).toEqual(['(root)', 'amount', 'paidOn']);
      const future = await pay({ accountId: 'ACC-A1', amount: 1, paidOn: addDays(TODAY, 2) }, 'future-key');
      expect(future.statusCode).toBe(400);
      expect((await pay({ accountId: 'ACC-NOPE', amount: 1 }, 'k-404')).statusCode).toBe(404);
      expect((await pay({ accountId: 'ACC-A1', amount: 1 }, 'k-401', '')).statusCode).toBe(401);
      expect((await pay({ accountId: 'ACC-A1', amount: 1 }, 'k-403', t.custA)).statusCode).toBe(403);
      expect((await pay({ accountId: 'ACC-A1', amount: 1, reference: 'x'.repeat(5000) }, 'k-413')).statusCode).toBe(413);
    });
  });

  describe('self-service', () => {
    it('GET /me: own accounts only, next contact from the LEDGER plan; another customer’s account is 404', async () => {
      const soon = new Date(Date.now() + 3_600_000).toISOString();
      await doc.send(
        new PutCommand({ TableName: contactsTable(), Item: { accountId: 'ACC-A1', kind: 'LEDGER', runDate: TODAY, plan: [`sms|${soon}|America/New_York|early|es`], attempts: [] } }),
      );
      const res = await call('getMe', { method: 'GET', path: '/me', token: t.custA });
      expect(res.statusCode).toBe(200);
      expect(res.json.customerId).toBe('CUS-A');
      expect(res.json.accounts).toHaveLength(1);
      expect(res.json.accounts[0]).toMatchObject({
        accountId: 'ACC-A1',
        balanceDueCents: 90000,
        amountDueCents: 20000,
        status: 'delinquent',
        nextContact: { channel: 'sms', at: soon, timezone: 'America/New_York' },
        outreachPausedUntil: null,
      });
      const b = await call('getMe', { method: 'GET', path: '/me', token: t.custB });
      expect(b.json.accounts.map((a: any) => a.accountId)).toEqual(['ACC-B1', 'ACC-B2']);
      const stolen = await call('getMe', { method: 'GET', path: '/me', token: t.custB, queryStringParameters: { accountId: 'ACC-A1' } });
      expect(stolen.statusCode).toBe(404);
      expect(stolen.body).not.toContain('90000');
      expect((await call('getMe', { method: 'GET', path: '/me', token: t.nobody })).statusCode).toBe(404);
      expect((await call('getMe', { method: 'GET', path: '/me', token: t.custA, queryStringParameters: { accountId: 'bad id!' } })).statusCode).toBe(400);
      expect((await call('getMe', { method: 'GET', path: '/me', token: t.expired })).statusCode).toBe(401);
      expect((await call('getMe', { method: 'GET', path: '/me', token: t.agent })).statusCode).toBe(403);
    });

    it('POST /me/promises: 201 pauses outreach (INBOUND promiseUntil) and audits; 409 for a second; 400 rules; 404/401/403/413', async () => {
      const date = addDays(TODAY, 10);
      const post = (body: unknown, token = t.custA) => call('createPromise', { method: 'POST', path: '/me/promises', body, token });
      const low = await post({ amount: '10', date: addDays(TODAY, 31) });
      expect(low.statusCode).toBe(400);
      expect(low.json.issues).toEqual([
        { path: 'date', message: `must be between ${addDays(TODAY, 1)} and ${addDays(TODAY, 30)}` },
        { path: 'amount', message: 'must be at least 25.00' },
      ]);
      const ok = await post({ amount: '150.00', date });
      expect(ok.statusCode).toBe(201);
      expect(ok.json).toMatchObject({ accountId: 'ACC-A1', outreachPausedUntil: date, promise: { amountCents: 15000, date, paidCents: 0 } });
      expect((await item(contactsTable(), { accountId: 'ACC-A1', kind: 'INBOUND' }))?.promiseUntil).toBe(date);
      expect(await item(accountsTable(), { accountId: 'ACC-A1', sk: `PROMISE#${ok.json.promise.id}` })).toMatchObject({ status: 'open', createdBy: 'sub-a' });
      const audit = await doc.send(
        new QueryCommand({ TableName: accountsTable(), KeyConditionExpression: 'accountId = :a AND begins_with(sk, :p)', ExpressionAttributeValues: { ':a': 'ACC-A1', ':p': 'AUDIT#' } }),
      );
      expect(audit.Items?.map((i) => i.action)).toContain('promise.create');
      expect((await post({ amount: '150.00', date })).statusCode).toBe(409);
      // One promise row for the created promise (the 409 added none).
      expect((await lakeRows('promise')).map((r) => [r.row.eventId, r.row.amountCents])).toEqual([[`promise|ACC-A1|${ok.json.promise.id}`, 15000]]);
      const me = await call('getMe', { method: 'GET', path: '/me', token: t.custA });
      expect(me.json.accounts[0]).toMatchObject({ outreachPausedUntil: date, nextContact: null, promise: { id: ok.json.promise.id } });

      const several = await post({ amount: '30', date }, t.custB);
      expect(several.statusCode).toBe(400);
      expect(several.json.issues[0].path).toBe('accountId');
      expect((await post({ accountId: 'ACC-A1', amount: '30', date }, t.custB)).statusCode).toBe(404);
      expect((await post({ amount: '30', date }, t.expired)).statusCode).toBe(401);
      expect((await post({ amount: '30', date }, t.admin)).statusCode).toBe(403);
      expect((await post({ amount: '30', date: 'x'.repeat(9000) })).statusCode).toBe(413);
    });

    it('a payment of the promised amount by the date keeps the promise', async () => {
      const promise = (await store.get('ACC-A1'))!.balances.promise!;
      const res = await pay({ accountId: 'ACC-A1', amount: '150.00' }, 'keep-key');
      expect(res.json.promises).toEqual([expect.objectContaining({ id: promise.id, status: 'kept', paidCents: 15000 })]);
      expect(await item(accountsTable(), { accountId: 'ACC-A1', sk: `PROMISE#${promise.id}` })).toMatchObject({ status: 'kept' });
      expect((await store.get('ACC-A1'))!.balances.promise).toBeNull();
    });

    it('an open promise whose date passed unpaid is found broken on the next read', async () => {
      const acc = (await store.get('ACC-B1'))!;
      const promise = { id: 'p-old', amountCents: 5000, date: addDays(TODAY, -2), createdAt: new Date().toISOString(), paidCents: 0 };
      expect(await store.saveBalances('ACC-B1', acc.version, { ...acc.balances, promise }, new Date())).toBe(true);
      await store.putPromise('ACC-B1', { ...promise, status: 'open', createdBy: 'sub-b' });
      const me = await call('getMe', { method: 'GET', path: '/me', token: t.custB, queryStringParameters: { accountId: 'ACC-B1' } });
      expect(me.statusCode).toBe(200);
      expect(me.json.accounts[0].promise).toBeNull();
      expect(await item(accountsTable(), { accountId: 'ACC-B1', sk: 'PROMISE#p-old' })).toMatchObject({ status: 'broken', resolvedOn: TODAY });
    });

    it('PUT /me/preferences: stored on INBOUND at once (opt-out added to the suppression set) and audited', async () => {
      const put = (body: unknown, token = t.custB) => call('updatePreferences', { method: 'PUT', path: '/me/preferences', body, token });
      const res = await put({ channel: 'sms', language: 'ES', contactHours: { start: '18:00', end: '20:30' }, optOut: [{ channel: 'email' }] });
      expect(res.statusCode).toBe(200);
      expect(res.json).toMatchObject({ accountIds: ['ACC-B1', 'ACC-B2'], preferences: { channel: 'sms', language: 'es', contactHours: { start: '18:00', end: '20:30' } } });
      for (const id of ['ACC-B1', 'ACC-B2']) {
        const inbound = await item(contactsTable(), { accountId: id, kind: 'INBOUND' });
        expect(inbound).toMatchObject({ prefChannel: 'sms', prefLanguage: 'es', prefHours: '18:00-20:30' });
        expect(inbound?.email).toEqual(new Set(['b@example.com']));
      }
      const me = await call('getMe', { method: 'GET', path: '/me', token: t.custB, queryStringParameters: { accountId: 'ACC-B2' } });
      expect(me.json.accounts[0].optedOut).toEqual({ email: true, sms: false, voice: false });
      // The daily Strategy's one BatchGetItem of the contact state carries them (no extra read).
      const states = await new DynamoContactRepository(ddb, contactsTable()).getStates(['ACC-B1']);
      expect(states.get('ACC-B1')).toMatchObject({
        suppressions: { email: ['b@example.com'] },
        preferences: { channel: 'sms', language: 'es', hours: '18:00-20:30', promiseUntil: null },
      });
      const cleared = await put({ accountId: 'ACC-B2', channel: null });
      expect(cleared.statusCode).toBe(200);
      expect((await item(contactsTable(), { accountId: 'ACC-B2', kind: 'INBOUND' }))?.prefChannel).toBeUndefined();
      const audit = await doc.send(
        new QueryCommand({ TableName: accountsTable(), KeyConditionExpression: 'accountId = :a AND begins_with(sk, :p)', ExpressionAttributeValues: { ':a': 'ACC-B2', ':p': 'AUDIT#' } }),
      );
      expect(audit.Items?.filter((i) => i.action === 'preferences.update')).toHaveLength(2);
    });

    it('PUT /me/preferences: 400 field-level (hours outside 08:00-21:00, bad address, nothing to change), 404, 401, 403, 413', async () => {
      const put = (body: unknown, token = t.custA) => call('updatePreferences', { method: 'PUT', path: '/me/preferences', body, token });
      const early = await put({ contactHours: { start: '07:00', end: '10:00' } });
      expect(early.statusCode).toBe(400);
      expect(early.json.issues).toEqual([{ path: 'contactHours', message: 'must be inside 08:00-21:00 (local time)' }]);
      const addr = await put({ optOut: [{ channel: 'sms', address: '555-0100' }] });
      expect(addr.statusCode).toBe(400);
      expect(addr.json.issues[0].path).toBe('optOut.0.address');
      expect((await put({})).statusCode).toBe(400);
      expect((await put({ accountId: 'ACC-B1', channel: 'email' })).statusCode).toBe(404);
      expect((await item(contactsTable(), { accountId: 'ACC-B1', kind: 'INBOUND' }))?.prefChannel).toBe('sms');
      expect((await put({ channel: 'email' }, t.expired)).statusCode).toBe(401);
      expect((await put({ channel: 'email' }, t.agent)).statusCode).toBe(403);
      expect((await put({ channel: 'email', language: 'x'.repeat(9000) })).statusCode).toBe(413);
    });
  });
});
