import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { ScheduledEvent } from 'aws-lambda';
import { dynamoDocClient } from '../src/adapters/aws-clients';
import { loadConfig } from '../src/config';
import { logger } from '../src/logger';
import { allowlistShape } from '../src/usecases/allowlist/config';
import { assertExpiryComplete, expireAllowlist, type ExpiryReport } from '../src/usecases/allowlist/manage';
import { allowlistDeps } from '../src/usecases/allowlist/wiring';

const deps = allowlistDeps(loadConfig(allowlistShape), dynamoDocClient());

/**
 * EventBridge schedule (every 15 minutes): revokes every expired dynamic entry. A partial
 * failure fails the invocation (Errors metric, EventBridge's async retries) after every other
 * entry has been handled; the sweep is idempotent.
 */
export const lambdaHandler = async (_event: Partial<ScheduledEvent>): Promise<ExpiryReport> => {
  const report = await expireAllowlist(deps);
  logger.info('allowlist expiry sweep', { ...report });
  assertExpiryComplete(report);
  return report;
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
