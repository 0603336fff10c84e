import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { authenticate, parseGroups, principalFromClaims, verifiesLocally, type AuthedEvent } from '../../../src/http/auth';
import { localSigningKey } from '../../../src/http/local-issuer';
import { httpErrors, json } from '../../../src/middleware/http-errors';
import { httpEvent, lambdaContext, parseResult, tokenFor } from '../../helpers/http';

/** A handler like the real ones: echoes the principal. */
const handlerFor = (allow: Parameters<typeof authenticate>[0]['allow']) =>
  middy(async (event: AuthedEvent): Promise<APIGatewayProxyStructuredResultV2> => json(200, event.principal))
    .use(httpHeaderNormalizer())
    .use(authenticate({ allow }))
    .use(httpErrors());

const call = async (allow: Parameters<typeof authenticate>[0]['allow'], headers: Record<string, string> = {}, token?: string) =>
  parseResult(await handlerFor(allow)(httpEvent({ method: 'GET', path: '/x', headers, ...(token ? { token } : {}) }) as never, lambdaContext()));

/** The same header and claims, signed by another key: the signature cannot verify. */
async function forged(): Promise<string> {
  const { generateKeyPairSync } = await import('node:crypto');
  const { SignJWT, importJWK } = await import('jose');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const real = await tokenFor({ group: 'admin', sub: 'mallory' });
  const [header, payload] = real.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  const key = await importJWK(privateKey.export({ format: 'jwk' }) as never, 'RS256');
  const other = await new SignJWT(claims).setProtectedHeader(JSON.parse(Buffer.from(header!, 'base64url').toString())).sign(key);
  return other;
}

describe('authenticate (local issuer, signatures really verified)', () => {
  it('runs in local-verification mode under jest', () => {
    expect(verifiesLocally()).toBe(true);
    expect(verifiesLocally({ AWS_LAMBDA_FUNCTION_NAME: 'f' })).toBe(false);
    expect(verifiesLocally({ AWS_LAMBDA_FUNCTION_NAME: 'f', CUREPATH_LOCAL: '1' })).toBe(true);
  });

  it('a valid token of an allowed group → 200 with the principal', async () => {
    const r = await call(['admin', 'agent'], {}, await tokenFor({ group: 'agent', sub: 'u-1', username: 'alice' }));
    expect(r.statusCode).toBe(200);
    expect(r.json).toEqual({ sub: 'u-1', username: 'alice', groups: ['agent'] });
  });

  it('a customer gets customerId = their username', async () => {
    const r = await call(['customer'], {}, await tokenFor({ group: 'customer', sub: 'c-sub', username: 'CUST-0042' }));
    expect(r.statusCode).toBe(200);
    expect(r.json).toEqual({ sub: 'c-sub', username: 'CUST-0042', groups: ['customer'], customerId: 'CUST-0042' });
  });

  it('missing or malformed Authorization header → 401 with WWW-Authenticate', async () => {
    const missing = await call(['admin']);
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.json).toMatchObject({ error: 'UNAUTHORIZED' });
    expect((await call(['admin'], { Authorization: 'Basic YWRtaW46YWRtaW4=' })).statusCode).toBe(401);
    expect((await call(['admin'], { Authorization: 'Bearer not-a-jwt' })).statusCode).toBe(401);
  });

  it('expired token → 401 "token expired"', async () => {
    const r = await call(['admin'], {}, await tokenFor({ group: 'admin', sub: 'a', expiresIn: -5 }));
    expect(r.statusCode).toBe(401);
    expect(r.json).toEqual({ error: 'UNAUTHORIZED', message: 'token expired' });
  });

  it('wrong signature → 401', async () => {
    const r = await call(['admin'], {}, await forged());
    expect(r.statusCode).toBe(401);
    expect(r.json.message).toBe('invalid token');
  });

  it('a tampered payload (groups edited) → 401', async () => {
    const t = await tokenFor({ group: 'customer', sub: 'c', username: 'CUST-1' });
    const [h, p, s] = t.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    claims['cognito:groups'] = ['admin'];
    const r = await call(['admin'], {}, `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`);
    expect(r.statusCode).toBe(401);
  });

  it('alg none → 401', async () => {
    const t = await tokenFor({ group: 'admin', sub: 'a' });
    const [, p] = t.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    expect((await call(['admin'], {}, none)).statusCode).toBe(401);
  });

  it('wrong issuer → 401; wrong audience (client_id) → 401', async () => {
    const iss = await call(['admin'], {}, await tokenFor({ group: 'admin', sub: 'a', issuer: 'https://evil.example.com' }));
    expect(iss.statusCode).toBe(401);
    expect(iss.json.message).toBe('token iss not accepted');
    const aud = await call(['admin'], {}, await tokenFor({ group: 'admin', sub: 'a', clientId: 'another-app' }));
    expect(aud.statusCode).toBe(401);
    expect(aud.json.message).toBe('token audience not accepted');
  });

  it('wrong group → 403; no group at all → 403', async () => {
    const r = await call(['admin'], {}, await tokenFor({ group: 'customer', sub: 'c', username: 'CUST-1' }));
    expect(r.statusCode).toBe(403);
    expect(r.json).toEqual({ error: 'FORBIDDEN', message: 'not allowed for your role' });
    expect((await call(['admin'], {}, await tokenFor({ group: [], sub: 'x' }))).statusCode).toBe(403);
  });

  it('claims an attacker puts in requestContext are ignored locally: the token decides', async () => {
    const event = httpEvent({ method: 'GET', path: '/x' });
    (event.requestContext as any).authorizer = { jwt: { claims: { sub: 'a', username: 'a', 'cognito:groups': '[admin]' } } };
    const r = parseResult(await handlerFor(['admin'])(event as never, lambdaContext()));
    expect(r.statusCode).toBe(401);
  });

  it('the key pair is generated once and reused', () => {
    expect(localSigningKey().kid).toBe(localSigningKey().kid);
  });
});

describe('claims from API Gateway (AWS mode)', () => {
  it('parses cognito:groups as array or "[a b]" string, ignoring unknown groups', () => {
    expect(parseGroups(['admin', 'x'])).toEqual(['admin']);
    expect(parseGroups('[admin agent]')).toEqual(['admin', 'agent']);
    expect(parseGroups('customer')).toEqual(['customer']);
    expect(parseGroups(undefined)).toEqual([]);
  });

  it('maps ID-token usernames and requires a subject', () => {
    expect(principalFromClaims({ sub: 's', 'cognito:username': 'CUST-9', 'cognito:groups': '[customer]' })).toEqual({
      sub: 's',
      username: 'CUST-9',
      groups: ['customer'],
      customerId: 'CUST-9',
    });
    expect(() => principalFromClaims({ username: 'x' })).toThrow('token has no subject');
  });

  it('in Lambda, reads the verified claims; without them (no authorizer) → 401', async () => {
    const saved = { ...process.env };
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'fn';
    delete process.env.CUREPATH_LOCAL;
    try {
      const event = httpEvent({ method: 'GET', path: '/x' });
      (event.requestContext as any).authorizer = { jwt: { claims: { sub: 's', username: 'bob', 'cognito:groups': '[admin]' } } };
      const ok = parseResult(await handlerFor(['admin'])(event as never, lambdaContext()));
      expect(ok.statusCode).toBe(200);
      expect(ok.json).toEqual({ sub: 's', username: 'bob', groups: ['admin'] });
      const none = parseResult(await handlerFor(['admin'])(httpEvent({ method: 'GET', path: '/x' }) as never, lambdaContext()));
      expect(none.statusCode).toBe(401);
    } finally {
      process.env = saved;
    }
  });
});
