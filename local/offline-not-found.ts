/**
 * `sls offline` only (added by local/serverless-plugin.cjs, never deployed): the catch-all route,
 * so an unknown path or method gets the API's JSON 404 (as API Gateway's own "Not Found") instead
 * of serverless-offline's page listing every route.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 404,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: 'NOT_FOUND', message: `no route ${event.requestContext.http.method} ${event.requestContext.http.path}` }),
});
