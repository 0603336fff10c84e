import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoDocClient } from '../src/adapters/aws-clients';
import { loadConfig } from '../src/config';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { logger } from '../src/logger';
import { httpErrors, json } from '../src/middleware/http-errors';
import { allowlistShape } from '../src/usecases/allowlist/config';
import { listAllowlist } from '../src/usecases/allowlist/manage';
import { allowlistDeps } from '../src/usecases/allowlist/wiring';

const deps = allowlistDeps(loadConfig(allowlistShape), dynamoDocClient());

/** GET /admin/allowlist — office (static) and dynamic entries, with who added them and when. Admins only. */
export const lambdaHandler = async (_event: AuthedEvent<APIGatewayProxyEventV2>): Promise<APIGatewayProxyStructuredResultV2> =>
  json(200, await listAllowlist(deps));

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(authenticate({ allow: ['admin'] }))
  .use(httpErrors());
