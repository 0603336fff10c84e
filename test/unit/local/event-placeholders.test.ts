import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeJwt } from 'jose';
import { fillPlaceholders, parseTokenPlaceholder, placeholdersIn } from '../../../local/event-placeholders';
import { principalFromClaims, verifyLocalToken } from '../../../src/http/auth';

const ROOT = resolve(__dirname, '../../..');
const NOW = new Date('2026-03-30T12:00:00Z');

describe('sample-event placeholders', () => {
  it('fills tokens, dates, NOW and UUID inside any string, JSON-encoded bodies included; the same placeholder gets the same value', async () => {
    const signed: unknown[] = [];
    const event = {
      headers: { authorization: 'Bearer <TOKEN:customer:CUS-5521>', 'idempotency-key': '<UUID>' },
      body: JSON.stringify({ date: '<DATE+7>', past: '<DATE-3>', today: '<DATE>', at: '<NOW>', again: '<UUID>' }),
      list: ['<TOKEN:customer:CUS-5521>', 42, null],
    };
    const out = await fillPlaceholders(event, { now: NOW, sign: async (r) => (signed.push(r), `tok-${r.groups.join('+')}-${r.username}`) });
    expect(out.headers.authorization).toBe('Bearer tok-customer-CUS-5521');
    expect(JSON.parse(out.body)).toMatchObject({ date: '2026-04-06', past: '2026-03-27', today: '2026-03-30', at: '2026-03-30T12:00:00.000Z' });
    expect(JSON.parse(out.body).again).toBe(out.headers['idempotency-key']);
    expect(out.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.list).toEqual(['tok-customer-CUS-5521', 42, null]);
    expect(signed).toEqual([{ groups: ['customer'], sub: 'CUS-5521', username: 'CUS-5521' }]);
    expect(event.headers.authorization).toBe('Bearer <TOKEN:customer:CUS-5521>'); // input untouched
  });

  it('token placeholders: groups, several groups, username; errors for a bare <TOKEN>, unknown groups, customers without id', () => {
    expect(parseTokenPlaceholder('TOKEN:admin')).toEqual({ groups: ['admin'], sub: 'local-admin' });
    expect(parseTokenPlaceholder('TOKEN:agent+admin')).toEqual({ groups: ['agent', 'admin'], sub: 'local-agent-admin' });
    expect(() => parseTokenPlaceholder('TOKEN')).toThrow(/<TOKEN:admin>/);
    expect(() => parseTokenPlaceholder('TOKEN:root')).toThrow(/unknown group root/);
    expect(() => parseTokenPlaceholder('TOKEN:customer')).toThrow(/customer id/);
  });

  it('a filled token is a real local-issuer token that authenticate accepts, with the groups and username asked for', async () => {
    const out = await fillPlaceholders({ a: 'Bearer <TOKEN:customer:CUS-9>' });
    const token = out.a.slice('Bearer '.length);
    expect(decodeJwt(token)).toMatchObject({ username: 'CUS-9', 'cognito:groups': ['customer'] });
    expect(principalFromClaims(await verifyLocalToken(token))).toMatchObject({ username: 'CUS-9', groups: ['customer'], customerId: 'CUS-9' });
  });

  it('every committed HTTP sample event of an authenticated route carries one valid <TOKEN:…> placeholder', () => {
    const PUBLIC = new Set(['unsubscribe.json']); // no authorizer on purpose (docs/outreach.md)
    const http = readdirSync(join(ROOT, 'events'))
      .filter((f) => f.endsWith('.json') && !PUBLIC.has(f))
      .map((f) => ({ f, event: JSON.parse(readFileSync(join(ROOT, 'events', f), 'utf8')) as { routeKey?: string; headers?: Record<string, string> } }))
      .filter(({ event }) => event.routeKey !== undefined);
    expect(http.map(({ f }) => f)).toEqual(expect.arrayContaining(['getMe.json', 'recordPayment.json', 'startRun.json', 'getRun.json', 'createPromise.json']));
    for (const { f, event } of http) {
      const tokens = placeholdersIn(event.headers?.authorization ?? '');
      expect({ f, tokens: tokens.length }).toEqual({ f, tokens: 1 });
      expect(() => parseTokenPlaceholder(tokens[0]!)).not.toThrow();
    }
  });
});
