import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { analyticsQueryEngine } from '../src/adapters/analytics-engine';
import { loadConfig } from '../src/config';
import { authenticate, type AuthedEvent } from '../src/http/auth';
import { logger } from '../src/logger';
import { httpErrors, json } from '../src/middleware/http-errors';
import { analyticsShape, CAP_LIMITS, unitCostsOf } from '../src/usecases/analytics/config';
import { operationalMetrics } from '../src/usecases/analytics/metrics';
import { parseAnalyticsQuery } from '../src/usecases/analytics/schemas';

const config = loadConfig(analyticsShape);
// Athena in AWS; DuckDB over the local S3's lake on the local stack (chosen once, at cold start).
const engine = analyticsQueryEngine(config);

/** GET /analytics/operational?from&to — the lake through Athena, or DuckDB locally (docs/analytics.md). Agents and admins. */
export const lambdaHandler = async (event: AuthedEvent<APIGatewayProxyEventV2>): Promise<APIGatewayProxyStructuredResultV2> =>
  json(200, await operationalMetrics({ engine, unitCosts: unitCostsOf(config) }, parseAnalyticsQuery(event.queryStringParameters)));

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(authenticate({ allow: ['agent', 'admin'] }))
  .use(httpErrors());
