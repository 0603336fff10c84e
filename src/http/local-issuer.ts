/**
 * The local development issuer: stands in for Cognito when nothing runs in AWS (sls offline, the
 * local stack, tests, benches). An RSA key pair is generated on first use under `.local/auth/`
 * (gitignored) and every local token is RS256-signed with it; `authenticate` verifies tokens
 * against the JWKS derived from it. Tokens have the shape of Cognito access tokens.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, importJWK, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';

export const LOCAL_ISSUER = 'https://auth.curepath.local/local_dev';
export const LOCAL_CLIENT_ID = 'curepath-local-client';
/** Cognito's access tokens live 30 minutes here too (resources/cognito.yml). */
export const DEFAULT_TOKEN_SECONDS = 30 * 60;

interface KeyFile {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** `.local/auth` of the working directory (the repository root for sls offline, jest, scripts). */
export const authDir = (env: Record<string, string | undefined> = process.env) =>
  env.CUREPATH_AUTH_DIR ?? join(process.cwd(), '.local', 'auth');

const cache = new Map<string, KeyFile>();

/**
 * The key pair, generated on first use. Parallel test workers may all try at once: each writes
 * its own temporary file and hard-links it into place; link() fails when the file exists, so
 * exactly one key wins and everyone reads that one.
 */
export function localSigningKey(dir = authDir()): KeyFile {
  const cached = cache.get(dir);
  if (cached) return cached;
  const file = join(dir, 'signing-key.json');
  let key: KeyFile;
  try {
    key = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomUUID();
    const candidate: KeyFile = {
      kid,
      privateJwk: { ...(privateKey.export({ format: 'jwk' }) as JWK), kid, alg: 'RS256', use: 'sig' },
      publicJwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'RS256', use: 'sig' },
    };
    const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    writeFileSync(tmp, JSON.stringify(candidate), { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
    key = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
    // The public half for tools that want a JWKS file; rename() replaces it atomically.
    const jwksTmp = join(dir, `jwks.json.${process.pid}.tmp`);
    writeFileSync(jwksTmp, JSON.stringify({ keys: [key.publicJwk] }, null, 2));
    renameSync(jwksTmp, join(dir, 'jwks.json'));
  }
  cache.set(dir, key);
  return key;
}

/** The JWKS that local tokens are verified against. */
export function localJwks(dir = authDir()): { keys: JWK[] } {
  return { keys: [localSigningKey(dir).publicJwk] };
}

const keySets = new Map<string, JWTVerifyGetKey>();
export function localKeySet(dir = authDir()): JWTVerifyGetKey {
  let set = keySets.get(dir);
  if (!set) {
    set = createLocalJWKSet(localJwks(dir));
    keySets.set(dir, set);
  }
  return set;
}

export interface LocalTokenRequest {
  groups: string[];
  sub: string;
  /** Cognito username; for customers, their customer_id. Default: `sub`. */
  username?: string;
  /** Seconds until expiry (negative: already expired). Default 30 minutes. */
  expiresIn?: number;
  /** Overrides for negative tests (another issuer/client). */
  issuer?: string;
  clientId?: string;
  dir?: string;
}

/** A signed access token shaped like Cognito's (sub, username, cognito:groups, client_id, token_use). */
export async function signLocalToken(req: LocalTokenRequest): Promise<string> {
  const { kid, privateJwk } = localSigningKey(req.dir);
  const key = await importJWK(privateJwk, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    'cognito:groups': req.groups,
    username: req.username ?? req.sub,
    client_id: req.clientId ?? LOCAL_CLIENT_ID,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: now,
  })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setSubject(req.sub)
    .setIssuer(req.issuer ?? LOCAL_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + (req.expiresIn ?? DEFAULT_TOKEN_SECONDS))
    .setJti(randomUUID())
    .sign(key);
}
