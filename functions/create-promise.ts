import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { bodyLimit } from '../src/http/body-limit';
import { SELF_SERVICE_MAX_BYTES } from '../src/http/routes/accounts';
import { logger } from '../src/logger';
import { httpErrors, json } from '../src/middleware/http-errors';
import { parseBody } from '../src/middleware/parse-body';
import { makePromise, promiseBodySchema } from '../src/usecases/self-service/self-service';
import { callerOf, selfServiceDeps } from '../src/usecases/self-service/wiring';

const deps = selfServiceDeps();

/** POST /me/promises — a promise to pay on one of the customer's accounts; pauses outreach until its date. */
export const lambdaHandler = async (
  event: AuthedEvent<Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown }>,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const body = parseBody(promiseBodySchema, event.body);
  const result = await makePromise(deps, callerOf(event.principal), body);
  logger.info('promise to pay recorded', { accountId: result.accountId, promiseId: result.promise.id });
  return json(201, result);
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(bodyLimit(SELF_SERVICE_MAX_BYTES))
  .use(httpJsonBodyParser({ disableContentTypeError: false }))
  .use(authenticate({ allow: ['customer'] }))
  .use(httpErrors());
