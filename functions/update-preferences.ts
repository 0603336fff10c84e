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
import { preferencesBodySchema, updatePreferences } from '../src/usecases/self-service/self-service';
import { callerOf, selfServiceDeps } from '../src/usecases/self-service/wiring';

const deps = selfServiceDeps();

/** PUT /me/preferences — channel, language, contact hours and opt-outs; effective at once, audited. */
export const lambdaHandler = async (
  event: AuthedEvent<Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown }>,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const body = parseBody(preferencesBodySchema, event.body);
  const result = await updatePreferences(deps, callerOf(event.principal), body);
  // Channels only: addresses are personal data.
  logger.info('preferences updated', { accounts: result.accountIds.length, optOuts: result.optedOut.map((o) => o.channel) });
  return json(200, result);
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(bodyLimit(SELF_SERVICE_MAX_BYTES))
  .use(httpJsonBodyParser({ disableContentTypeError: false }))
  .use(authenticate({ allow: ['customer'] }))
  .use(httpErrors());
