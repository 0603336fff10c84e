import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoDocClient } from '../src/adapters/aws-clients';
import { DynamoAccountStore } from '../src/adapters/dynamo-accounts';
import { configShapes, loadConfig } from '../src/config';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { bodyLimit } from '../src/http/body-limit';
import { ACCOUNTS_MAX_BYTES } from '../src/http/routes/accounts';
import { logger } from '../src/logger';
import { httpErrors, json } from '../src/middleware/http-errors';
import { parseBody } from '../src/middleware/parse-body';
import { upsertAccounts, upsertAccountsBodySchema } from '../src/usecases/accounts/upsert-accounts';

const config = loadConfig(configShapes.accounts);
const store = new DynamoAccountStore(dynamoDocClient(), config.ACCOUNTS_TABLE);

/** POST /accounts — batch upsert; 200 when every item was stored, 207 with per-item results otherwise. Agents and admins. */
export const lambdaHandler = async (
  event: AuthedEvent<Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown }>,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const body = parseBody(upsertAccountsBodySchema, event.body);
  const result = await upsertAccounts({ store, now: () => new Date() }, body.accounts);
  logger.info('accounts upserted', { by: event.principal.sub, received: result.received, created: result.created, updated: result.updated, rejected: result.rejected, failed: result.failed });
  return json(result.rejected + result.failed === 0 ? 200 : 207, result);
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(bodyLimit(ACCOUNTS_MAX_BYTES))
  .use(httpJsonBodyParser({ disableContentTypeError: false }))
  .use(authenticate({ allow: ['agent', 'admin'] }))
  .use(httpErrors());
