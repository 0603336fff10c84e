/**
 * The unsubscribe handler on the real serverless.yml and the embedded local stack (dynalite in
 * memory): a send record written with the real send ledger adapter, then GET / POST through
 * `stack.invoke('unsubscribe', <httpApi v2 event>)`, INBOUND read back from dynalite. No mocks.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { DynamoSendLedger } from '../../src/adapters/dynamo-send-ledger';
import { unsubscribeToken } from '../../src/usecases/outreach/unsubscribe-token';

const ROOT = resolve(__dirname, '../..');
const ACTION = '2026-01-05#ACC-UNSUB-1#email';
const ADDRESS = 'jane.unsub@example.com';
type HttpResult = { statusCode: number; headers?: Record<string, string>; body: string };

const sample = (): Record<string, any> => JSON.parse(readFileSync(join(ROOT, 'events', 'unsubscribe.json'), 'utf8'));
const withToken = (e: Record<string, any>, token: string, method: 'GET' | 'POST') => ({
  ...e,
  routeKey: `${method} /unsubscribe`,
  rawQueryString: `token=${encodeURIComponent(token)}`,
  queryStringParameters: { token },
  requestContext: { ...e.requestContext, routeKey: `${method} /unsubscribe`, http: { ...e.requestContext.http, method } },
  ...(method === 'GET' ? { body: undefined, headers: { 'user-agent': 'link-scanner' } } : {}),
});

describe('unsubscribe handler (real serverless.yml, local stack in memory)', () => {
  let dir: string;
  let stack: LocalStack;
  let doc: DynamoDBDocumentClient;
  let secret: string;

  const inbound = async (accountId: string) =>
    (await doc.send(new GetCommand({ TableName: stack.env.CONTACTS_TABLE!, Key: { accountId, kind: 'INBOUND' }, ConsistentRead: true }))).Item;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-unsub-'));
    stack = await startLocalStack({ dataDir: dir, inMemory: true, noReuse: true });
    doc = DynamoDBDocumentClient.from(new DynamoDBClient(stack.clientConfig('dynamodb')));
    secret = stack.env.UNSUBSCRIBE_TOKEN_SECRET!;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const ledger = new DynamoSendLedger(doc, stack.env.SENDS_TABLE!);
    const claim = await ledger.claim({
      actionId: ACTION,
      accountId: 'ACC-UNSUB-1',
      runDate: '2026-01-05',
      channel: 'email',
      segment: 'early',
      template: 'early-reminder',
      language: 'en',
      to: ADDRESS,
      now: new Date('2026-01-05T15:00:00Z'),
      leaseMs: 120_000,
    });
    expect(claim.claimed).toBe(true);
    if (claim.claimed) await ledger.complete(ACTION, claim.leaseToken, { status: 'sent', providerMessageId: 'ses-1' }, new Date('2026-01-05T15:00:01Z'));
  }, 120_000);
  afterAll(async () => {
    doc?.destroy();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GET shows a confirmation form that POSTs and suppresses nothing', async () => {
    const token = unsubscribeToken(secret, ACTION);
    const res = (await stack.invoke('unsubscribe', withToken(sample(), token, 'GET'))) as HttpResult;
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<form method="post"');
    expect(res.body).toContain(`?token=${encodeURIComponent(token)}`);
    expect(res.body).not.toContain(ADDRESS);
    expect(await inbound('ACC-UNSUB-1')).toBeUndefined();
  });

  it('the one-click POST (form-encoded body) suppresses the address for the account; a repeat is 200 and changes nothing', async () => {
    const token = unsubscribeToken(secret, ACTION);
    const first = (await stack.invoke('unsubscribe', withToken(sample(), token, 'POST'))) as HttpResult;
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('unsubscribed');
    expect(first.body).not.toContain(ADDRESS);
    const after = await inbound('ACC-UNSUB-1');
    expect(after?.email).toEqual(new Set([ADDRESS]));
    const again = (await stack.invoke('unsubscribe', withToken(sample(), token, 'POST'))) as HttpResult;
    expect(again.statusCode).toBe(200);
    expect(await inbound('ACC-UNSUB-1')).toEqual(after);
  });

  it('a forged token is a 400, a genuine token of an unknown action a 404; neither names the action', async () => {
    const forged = (await stack.invoke('unsubscribe', withToken(sample(), unsubscribeToken('z'.repeat(40), ACTION), 'POST'))) as HttpResult;
    expect(forged.statusCode).toBe(400);
    expect(forged.body).not.toContain('ACC-UNSUB-1');
    const unknown = (await stack.invoke('unsubscribe', withToken(sample(), unsubscribeToken(secret, '2026-01-05#ACC-NOPE#email'), 'POST'))) as HttpResult;
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).not.toContain('ACC-NOPE');
    expect(await inbound('ACC-NOPE')).toBeUndefined();
  });

  // The sample's token is genuine for the local stack's secret (the unresolved dynamic reference).
  it('events/unsubscribe.json (token of an action that was never sent) → 404', async () => {
    const res = (await stack.invoke('unsubscribe', sample())) as HttpResult;
    expect(res.statusCode).toBe(404);
  });
});
