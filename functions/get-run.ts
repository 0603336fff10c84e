import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { sfnClient } from '../src/adapters/aws-clients';
import { SfnExecutionGateway } from '../src/adapters/sfn-gateway';
import { configShapes, loadConfig } from '../src/config';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { logger } from '../src/logger';
import { httpErrors, json } from '../src/middleware/http-errors';
import { getRun } from '../src/usecases/runs';

const config = loadConfig(configShapes.runs);
const executions = new SfnExecutionGateway(sfnClient(), config.STATE_MACHINE_ARN);

/** GET /runs/{id} — status and, once finished, the run summary. Admins and agents. */
export const lambdaHandler = async (event: AuthedEvent<APIGatewayProxyEventV2>): Promise<APIGatewayProxyStructuredResultV2> =>
  json(200, await getRun({ executions }, event.pathParameters?.id ?? ''));

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(authenticate({ allow: ['admin', 'agent'] }))
  .use(httpErrors());
