import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import modelJson from '../model/credit/credit-xgb.json';
import { configShapes, loadConfig } from '../src/config';
import { CreditScorer } from '../src/domain/credit/scorer';
import { CREDIT_MODEL_VERSION } from '../src/domain/credit/version';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { bodyLimit } from '../src/http/body-limit';
import { CREDIT_SCORE_MAX_BYTES } from '../src/http/routes/credit';
import { logger } from '../src/logger';
import { httpErrors, json } from '../src/middleware/http-errors';
import { scoreApplication, type ScoreApplicationDeps } from '../src/usecases/credit/score-application';

const config = loadConfig(configShapes.creditScore);
const bands = { approveBelow: config.CREDIT_APPROVE_BELOW, declineAt: config.CREDIT_DECLINE_AT };
// Model and TreeSHAP tables are built once per cold start (the JSON is bundled by esbuild).
const deps: ScoreApplicationDeps = { scorer: CreditScorer.fromJSON(modelJson, CREDIT_MODEL_VERSION, bands) };

/** POST /credit-scores — agents and admins. */
export const lambdaHandler = async (
  event: AuthedEvent<Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown }>,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const result = scoreApplication(deps, event.body);
  // Decision metadata only: applicant data is never logged.
  logger.info('credit scored', { by: event.principal.sub, decision: result.decision, modelVersion: result.model_version, reasons: result.reasons.map((r) => r.code) });
  return json(200, result);
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(bodyLimit(CREDIT_SCORE_MAX_BYTES))
  .use(httpJsonBodyParser({ disableContentTypeError: false }))
  .use(authenticate({ allow: ['agent', 'admin'] }))
  .use(httpErrors());
