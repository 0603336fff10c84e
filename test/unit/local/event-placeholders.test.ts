import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeJwt } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fillPlaceholders, parsePiiPlaceholder, parseTokenPlaceholder, placeholdersIn } from '../../../local/event-placeholders';
import { EncryptionContextMismatchError, EsdkFieldCipher, localAesKeyring } from '../../../src/adapters/cdp/field-cipher';
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

  it('<PII:field:record:value> encrypts like the extractor: the local key, field and record in the context; the alert sample decrypts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'curepath-pii-'));
    const before = process.env.CDP_LOCAL_KEY_DIR;
    process.env.CDP_LOCAL_KEY_DIR = dir;
    try {
      expect(parsePiiPlaceholder('PII:person:card:ct_X:Jane Doe')).toEqual({ field: 'person', recordId: 'card:ct_X', value: 'Jane Doe' });
      expect(() => parsePiiPlaceholder('PII:ssn:card:ct_X:1')).toThrow(/unknown field ssn/);
      expect(() => parsePiiPlaceholder('PII:email:jane@example.com')).toThrow(/record and the value/);
      const sample = JSON.parse(readFileSync(join(ROOT, 'events', 'fraudAlert.json'), 'utf8')) as { Records: { body: string }[] };
      expect(placeholdersIn(sample).filter((p) => p.startsWith('PII:'))).toHaveLength(2);
      const filled = await fillPlaceholders(sample);
      const body = JSON.parse(filled.Records[0]!.body) as { recordId: string; encrypted: { person: string; email: string } };
      expect(body.encrypted.person).not.toContain('Jane');
      const cipher = new EsdkFieldCipher(localAesKeyring(join(dir, 'cdp-pii.key')));
      await expect(cipher.decrypt('person', body.recordId, body.encrypted.person)).resolves.toBe('Jane Doe');
      await expect(cipher.decrypt('email', body.recordId, body.encrypted.email)).resolves.toBe('jane.doe@example.com');
      // The context binds field and record: swapped or moved ciphertexts are refused.
      await expect(cipher.decrypt('email', body.recordId, body.encrypted.person)).rejects.toBeInstanceOf(EncryptionContextMismatchError);
      await expect(cipher.decrypt('person', 'card:ct_other', body.encrypted.person)).rejects.toBeInstanceOf(EncryptionContextMismatchError);
    } finally {
      if (before === undefined) delete process.env.CDP_LOCAL_KEY_DIR;
      else process.env.CDP_LOCAL_KEY_DIR = before;
      rmSync(dir, { recursive: true, force: true });
    }
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
