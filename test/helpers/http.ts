/**
 * HTTP handler test helpers: real tokens from the local development issuer (verified by
 * `authenticate` like any other) and API Gateway v2 events to call `handler(event, context)` with.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Group } from '../../src/http/auth';
import { signLocalToken } from '../../src/http/local-issuer';

export async function tokenFor(opts: {
  group: Group | Group[];
  sub: string;
  username?: string;
  /** Seconds; negative for an already expired token. */
  expiresIn?: number;
  /** Negative tests: another issuer / app client. */
  issuer?: string;
  clientId?: string;
}): Promise<string> {
  return signLocalToken({
    groups: Array.isArray(opts.group) ? opts.group : [opts.group],
    sub: opts.sub,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.expiresIn !== undefined ? { expiresIn: opts.expiresIn } : {}),
    ...(opts.issuer !== undefined ? { issuer: opts.issuer } : {}),
    ...(opts.clientId !== undefined ? { clientId: opts.clientId } : {}),
  });
}

export interface HttpEventInput {
  method: string;
  /** The request path, e.g. /runs/run-1 (the route key is derived from it unless `routeKey` is given). */
  path: string;
  /** Object → JSON (content-type application/json unless given); string → sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Adds `authorization: Bearer <token>`. */
  token?: string;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  sourceIp?: string;
  routeKey?: string;
  isBase64Encoded?: boolean;
}

export function httpEvent(input: HttpEventInput): APIGatewayProxyEventV2 {
  const method = input.method.toUpperCase();
  const headers: Record<string, string> = { 'user-agent': 'jest', ...lower(input.headers ?? {}) };
  if (input.token) headers.authorization = `Bearer ${input.token}`;
  let body: string | undefined;
  if (input.body !== undefined) {
    body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
    if (typeof input.body !== 'string' || !headers['content-type']) headers['content-type'] ??= 'application/json';
  }
  const query = input.queryStringParameters;
  const rawQueryString = query ? new URLSearchParams(query).toString() : '';
  const now = new Date();
  const routeKey = input.routeKey ?? `${method} ${input.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: input.path,
    rawQueryString,
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: input.path, protocol: 'HTTP/1.1', sourceIp: input.sourceIp ?? '203.0.113.10', userAgent: 'jest' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: input.isBase64Encoded ?? false,
  };
}

export function lambdaContext(functionName = 'test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The handler's structured result with the JSON body parsed (undefined when it is not JSON). */
export function parseResult(result: unknown): { statusCode: number; headers: Record<string, string>; body: string; json: any } {
  const r = result as { statusCode: number; headers?: Record<string, string>; body?: string };
  let json: unknown;
  try {
    json = r.body ? JSON.parse(r.body) : undefined;
  } catch {
    json = undefined;
  }
  return { statusCode: r.statusCode, headers: r.headers ?? {}, body: r.body ?? '', json };
}

const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
