import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { athenaClient } from '../src/adapters/analytics-clients';
import { AthenaQueryEngine } from '../src/adapters/athena-query-engine';
import { loadConfig } from '../src/config';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { logger } from '../src/logger';
import { httpErrors, json } from '../src/middleware/http-errors';
import { analyticsShape, CAP_LIMITS, unitCostsOf } from '../src/usecases/analytics/config';
import { strategicMetrics } from '../src/usecases/analytics/metrics';
import { parseAnalyticsQuery } from '../src/usecases/analytics/schemas';

const config = loadConfig(analyticsShape);
const engine = new AthenaQueryEngine(athenaClient(), { database: config.ANALYTICS_DATABASE, workGroup: config.ANALYTICS_WORKGROUP, timeoutMs: config.ANALYTICS_QUERY_TIMEOUT_MS });

/** GET /analytics/strategic?from&to — the lake through Athena (docs/analytics.md). Agents and admins. */
export const lambdaHandler = async (event: AuthedEvent<APIGatewayProxyEventV2>): Promise<APIGatewayProxyStructuredResultV2> =>
  json(200, await strategicMetrics({ engine, limits: CAP_LIMITS }, parseAnalyticsQuery(event.queryStringParameters)));

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(authenticate({ allow: ['agent', 'admin'] }))
  .use(httpErrors());
