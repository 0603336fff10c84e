import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { sfnClient } from '../src/adapters/aws-clients';
import { SfnExecutionGateway } from '../src/adapters/sfn-gateway';
import { configShapes, loadConfig } from '../src/config';
import { startRunBodySchema } from '../src/events';
import { logger } from '../src/logger';
import { parseBody } from '../src/middleware/parse-body';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { bodyLimit } from '../src/http/body-limit';
import { START_RUN_MAX_BYTES } from '../src/http/routes/runs';
import { httpErrors, json } from '../src/middleware/http-errors';
import { startRun } from '../src/usecases/runs';

const config = loadConfig(configShapes.runs);
const executions = new SfnExecutionGateway(sfnClient(), config.STATE_MACHINE_ARN);

/** POST /runs — start the daily run for a date; 202 with the run id to poll. Admins and agents. */
export const lambdaHandler = async (
  event: AuthedEvent<Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown }>,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const body = parseBody(startRunBodySchema, event.body);
  const run = await startRun({ executions }, body);
  logger.info('run started', { runId: run.runId, runDate: run.runDate, by: event.principal.sub });
  return json(202, run);
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(bodyLimit(START_RUN_MAX_BYTES))
  .use(httpJsonBodyParser({ disableContentTypeError: false }))
  .use(authenticate({ allow: ['admin', 'agent'] }))
  .use(httpErrors());
