import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoDocClient } from '../src/adapters/aws-clients';
import { loadConfig } from '../src/config';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { bodyLimit } from '../src/http/body-limit';
import { optionalJsonBody } from '../src/http/optional-json-body';
import { ALLOWLIST_ADD_MAX_BYTES } from '../src/http/routes/admin';
import { logger } from '../src/logger';
import { parseBody } from '../src/middleware/parse-body';
import { httpErrors, json } from '../src/middleware/http-errors';
import { addToAllowlist } from '../src/usecases/allowlist/add';
import { allowlistShape } from '../src/usecases/allowlist/config';
import { addRequestSchema } from '../src/usecases/allowlist/schemas';
import { allowlistDeps } from '../src/usecases/allowlist/wiring';

const deps = allowlistDeps(loadConfig(allowlistShape), dynamoDocClient());

/** POST /admin/allowlist — allow one host (default: the caller's address) on TCP 443 for a few hours. Admins only. */
export const lambdaHandler = async (
  event: AuthedEvent<Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown }>,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const body = parseBody(addRequestSchema, event.body);
  const { sub, username } = event.principal;
  const { addedBySub: _sub, ...entry } = await addToAllowlist(deps, { sub, username, sourceIp: event.requestContext.http.sourceIp }, body);
  // The address and the user name stay out of the logs (the audit record has them).
  logger.info('allowlist entry added', { by: sub, family: entry.family, expiresAt: entry.expiresAt, notified: entry.notified });
  return json(201, entry);
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(bodyLimit(ALLOWLIST_ADD_MAX_BYTES))
  .use(optionalJsonBody())
  .use(httpJsonBodyParser({ disableContentTypeError: false }))
  .use(authenticate({ allow: ['admin'] }))
  .use(httpErrors());
