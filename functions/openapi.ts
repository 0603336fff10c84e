import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../src/logger';
import { httpErrors } from '../src/middleware/http-errors';
import { buildOpenApi } from '../src/http/openapi';
import { allRoutes } from '../src/http/routes';
import { version } from '../package.json';

// Built once per cold start from the same declarations as docs/openapi.yaml (a test keeps them equal).
const body = JSON.stringify(buildOpenApi(allRoutes, { version }));

/** GET /openapi.json — the OpenAPI 3.1 document of this API. Public: it describes, it grants nothing. */
export const lambdaHandler = async (): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
  body,
});

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(httpErrors());
