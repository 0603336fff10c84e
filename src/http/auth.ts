/**
 * Who is calling, and may they? One middleware for every authenticated route.
 *
 * In AWS, API Gateway's JWT authorizer (cognitoJwt) has already verified the Cognito token
 * (signature, issuer, audience, expiry) before the function runs: we read its claims.
 * Everywhere else (sls offline, the local stack, tests) there is no API Gateway in front, so we
 * verify the bearer token ourselves against the local development issuer's JWKS — always.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { ForbiddenError, UnauthorizedError } from '../domain/errors';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER, localKeySet } from './local-issuer';

export type Group = 'admin' | 'agent' | 'customer';
export const GROUPS: readonly Group[] = ['admin', 'agent', 'customer'];

export interface Principal {
  sub: string;
  username: string;
  groups: Group[];
  /** Customers only: their Cognito username, which is the portfolio's customer_id. */
  customerId?: string;
}

export type AuthedEvent<E = APIGatewayProxyEventV2> = E & { principal: Principal };

/**
 * Local verification unless we really run in Lambda behind API Gateway: the local stack and
 * sls offline set CUREPATH_LOCAL=1; jest, scripts and benches have no AWS_LAMBDA_FUNCTION_NAME.
 */
export const verifiesLocally = (env: Record<string, string | undefined> = process.env) =>
  env.CUREPATH_LOCAL === '1' || !env.AWS_LAMBDA_FUNCTION_NAME;

/** `cognito:groups` arrives as an array, or flattened by API Gateway into "[admin agent]". */
export function parseGroups(claim: unknown): Group[] {
  const raw = Array.isArray(claim)
    ? claim.map(String)
    : typeof claim === 'string'
      ? claim.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return GROUPS.filter((g) => raw.includes(g));
}

export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  // Access tokens carry `username`, ID tokens `cognito:username`.
  const username = String(claims.username ?? claims['cognito:username'] ?? '');
  if (!sub || !username) throw new UnauthorizedError('token has no subject');
  const groups = parseGroups(claims['cognito:groups']);
  return { sub, username, groups, ...(groups.includes('customer') ? { customerId: username } : {}) };
}

function bearer(headers: Record<string, string | undefined> | undefined): string {
  const value = headers?.authorization ?? headers?.Authorization;
  const match = value ? /^Bearer\s+([A-Za-z0-9_.~+/=-]+)\s*$/i.exec(value) : null;
  if (!match) throw new UnauthorizedError('missing bearer token (Authorization: Bearer <token>)');
  return match[1]!;
}

/** Signature (RS256 against the local JWKS), issuer, expiry and audience (client_id) of a local token. */
export async function verifyLocalToken(token: string): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, localKeySet(), { issuer: LOCAL_ISSUER, algorithms: ['RS256'] }));
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw new UnauthorizedError('token expired');
    if (e instanceof joseErrors.JWTClaimValidationFailed) throw new UnauthorizedError(`token ${e.claim} not accepted`);
    throw new UnauthorizedError('invalid token');
  }
  // Cognito access tokens name the app client in client_id (ID tokens in aud), as API Gateway checks.
  const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (payload.client_id !== LOCAL_CLIENT_ID && !aud.includes(LOCAL_CLIENT_ID)) throw new UnauthorizedError('token audience not accepted');
  return payload;
}

async function principalOf(event: APIGatewayProxyEventV2): Promise<Principal> {
  if (verifiesLocally()) return principalFromClaims(await verifyLocalToken(bearer(event.headers)));
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  // A route deployed without the authorizer must not fall open.
  if (!claims) throw new UnauthorizedError('request was not authorized by the API');
  return principalFromClaims(claims);
}

/** Sets `event.principal`; 401 without a valid token, 403 when none of the caller's groups is allowed. */
export function authenticate(opts: { allow: Group[] }): MiddlewareObj<unknown> {
  return {
    before: async (request) => {
      const principal = await principalOf(request.event as APIGatewayProxyEventV2);
      if (!principal.groups.some((g) => opts.allow.includes(g))) throw new ForbiddenError('not allowed for your role');
      (request.event as AuthedEvent).principal = principal;
    },
  };
}

/** For routes that name an account or customer: a customer only ever reaches their own. */
export function assertOwnCustomer(principal: Principal, customerId: string): void {
  if (principal.groups.includes('admin') || principal.groups.includes('agent')) return;
  if (!principal.customerId || principal.customerId !== customerId) throw new ForbiddenError('not your account');
}
