import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { logger } from '../src/logger';
import { httpErrors, json } from '../src/middleware/http-errors';
import { parseBody } from '../src/middleware/parse-body';
import { getMe, meQuerySchema } from '../src/usecases/self-service/self-service';
import { callerOf, selfServiceDeps } from '../src/usecases/self-service/wiring';

const deps = selfServiceDeps();

/** GET /me[?accountId=] — the customer's own accounts: balance, amount due, status, promise, next contact. */
export const lambdaHandler = async (event: AuthedEvent<APIGatewayProxyEventV2>): Promise<APIGatewayProxyStructuredResultV2> => {
  const query = parseBody(meQuerySchema, event.queryStringParameters ?? {});
  return json(200, await getMe(deps, callerOf(event.principal), query));
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(authenticate({ allow: ['customer'] }))
  .use(httpErrors());
