import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoDocClient } from '../src/adapters/aws-clients';
import { DynamoInboundWriter } from '../src/adapters/dynamo-inbound-writer';
import { DynamoSendTargetReader } from '../src/adapters/dynamo-send-target-reader';
import { engagementLakeEmitter } from '../src/adapters/lake-emitters';
import { loadConfig } from '../src/config';
import { logger } from '../src/logger';
import { httpErrors } from '../src/middleware/http-errors';
import { checkUnsubscribeToken, unsubscribe, unsubscribeShape, type UnsubscribeDeps } from '../src/usecases/outreach/unsubscribe';
import { verifyUnsubscribeToken } from '../src/usecases/outreach/unsubscribe-token';

const config = loadConfig(unsubscribeShape);
const doc = dynamoDocClient();
const deps: UnsubscribeDeps = {
  verify: (token) => verifyUnsubscribeToken(config.UNSUBSCRIBE_TOKEN_SECRET, token),
  sends: new DynamoSendTargetReader(doc, config.SENDS_TABLE),
  suppressions: new DynamoInboundWriter(doc, config.CONTACTS_TABLE),
  lake: engagementLakeEmitter(config.LAKE_ENGAGEMENT_STREAM_NAME),
};

// The token sits in the URL: no caching, no indexing, no Referer carrying it elsewhere.
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex',
} as const;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

/**
 * GET|POST /unsubscribe?token=… — the target of every email's List-Unsubscribe link.
 * POST (RFC 8058 one-click from the mailbox provider, body `List-Unsubscribe=One-Click`
 * form-encoded, or the button below) unsubscribes; the body is not needed and not parsed as JSON.
 * GET only shows a confirmation form: link scanners and previewers prefetch GETs, and a prefetch
 * must never unsubscribe anyone.
 */
export const lambdaHandler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const token = event.queryStringParameters?.token;
  if (event.requestContext.http.method === 'GET') {
    checkUnsubscribeToken(deps, token);
    const action = `?token=${encodeURIComponent(token!)}`;
    return {
      statusCode: 200,
      headers: HEADERS,
      body: page(
        'Unsubscribe from our emails',
        `<p>Press the button to stop receiving emails from us at this address.</p><form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
      ),
    };
  }
  const done = await unsubscribe(deps, token);
  // The action id names the account and the day, never the address.
  logger.info('unsubscribed', { actionId: done.actionId, suppressed: done.suppressed });
  return { statusCode: 200, headers: HEADERS, body: page('You are unsubscribed', '<p>You will not receive further emails from us at this address.</p>') };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(httpHeaderNormalizer()).use(httpErrors());
