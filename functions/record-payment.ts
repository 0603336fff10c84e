import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoDocClient } from '../src/adapters/aws-clients';
import { DynamoAccountStore } from '../src/adapters/dynamo-accounts';
import { engagementLakeEmitter } from '../src/adapters/lake-emitters';
import { configShapes, loadConfig } from '../src/config';
import { ValidationError } from '../src/domain/errors';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { bodyLimit } from '../src/http/body-limit';
import { PAYMENT_MAX_BYTES } from '../src/http/routes/accounts';
import { logger } from '../src/logger';
import { httpErrors } from '../src/middleware/http-errors';
import { parseBody } from '../src/middleware/parse-body';
import { idempotencyKeySchema, paymentBodySchema, recordPayment } from '../src/usecases/payments/record-payment';

const config = loadConfig(configShapes.payments);
const store = new DynamoAccountStore(dynamoDocClient(), config.ACCOUNTS_TABLE);
const lake = engagementLakeEmitter(config.LAKE_ENGAGEMENT_STREAM_NAME);

/** POST /payments — applies a payment once per Idempotency-Key; a replay answers the same. Agents and admins. */
export const lambdaHandler = async (
  event: AuthedEvent<Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown }>,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const key = idempotencyKeySchema.safeParse(event.headers?.['idempotency-key']);
  if (!key.success) throw new ValidationError('Idempotency-Key header required', [{ path: 'Idempotency-Key', message: key.error.issues[0]?.message ?? 'required' }]);
  const body = parseBody(paymentBodySchema, event.body);
  const result = await recordPayment({ store, now: () => new Date(), lake }, key.data, body);
  logger.info('payment recorded', { by: event.principal.sub, accountId: body.accountId, replayed: result.replayed, cured: result.body.cured });
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json', ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}) },
    body: JSON.stringify(result.body),
  };
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(bodyLimit(PAYMENT_MAX_BYTES))
  .use(httpJsonBodyParser({ disableContentTypeError: false }))
  .use(authenticate({ allow: ['agent', 'admin'] }))
  .use(httpErrors());
