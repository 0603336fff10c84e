import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoDocClient } from '../src/adapters/aws-clients';
import { loadConfig } from '../src/config';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { logger } from '../src/logger';
import { ValidationError } from '../src/domain/errors';
import { zodIssues } from '../src/middleware/parse-event';
import { httpErrors } from '../src/middleware/http-errors';
import { allowlistShape } from '../src/usecases/allowlist/config';
import { revokeFromAllowlist } from '../src/usecases/allowlist/manage';
import { ipParamsSchema } from '../src/usecases/allowlist/schemas';
import { allowlistDeps } from '../src/usecases/allowlist/wiring';

const deps = allowlistDeps(loadConfig(allowlistShape), dynamoDocClient());

const decoded = (s: unknown) => (typeof s === 'string' && s.includes('%') ? safeDecode(s) : s);
const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** DELETE /admin/allowlist/{ip} — revoke a dynamic entry now. Admins only. */
export const lambdaHandler = async (event: AuthedEvent<APIGatewayProxyEventV2>): Promise<APIGatewayProxyStructuredResultV2> => {
  const params = ipParamsSchema.safeParse({ ip: decoded(event.pathParameters?.ip) });
  if (!params.success) throw new ValidationError('invalid path parameter', zodIssues(params.error));
  await revokeFromAllowlist(deps, event.principal, params.data.ip);
  logger.info('allowlist entry revoked', { by: event.principal.sub });
  return { statusCode: 204 };
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(authenticate({ allow: ['admin'] }))
  .use(httpErrors());
