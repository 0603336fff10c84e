import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { z } from 'zod';
import contactPolicyJson from '../config/contact-policy.json';
import preferencePolicyJson from '../config/preference-policy.json';
import { dynamoClient, s3Client } from '../src/adapters/aws-clients';
import { DynamoContactRepository } from '../src/adapters/dynamo-repositories';
import { S3ObjectStore } from '../src/adapters/s3-object-store';
import { configShapes, loadConfig } from '../src/config';
import { loadPreferencePolicy } from '../src/domain/preference';
import { loadContactPolicy } from '../src/domain/strategy/policy';
import { strategyEventSchema } from '../src/events';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { planChunk, type StrategyResult } from '../src/usecases/plan-chunk';

const config = loadConfig(configShapes.strategy);
const deps = {
  store: new S3ObjectStore(s3Client(), config.DATA_BUCKET),
  contacts: new DynamoContactRepository(dynamoClient(), config.CONTACTS_TABLE),
  // Validated at cold start: a bad policy file must never reach a decision.
  policy: loadContactPolicy(contactPolicyJson),
  // The learned channel preference with its holdout (config/preference-policy.json; `enabled: false` → baseline).
  preference: loadPreferencePolicy(preferencePolicyJson),
};

/** Strategy: segment, channel, send time and compliance for every account of the chunk. */
export const lambdaHandler = async (event: z.infer<typeof strategyEventSchema>): Promise<StrategyResult> => {
  const result = await planChunk(deps, event);
  logger.info('chunk planned', { runDate: event.runDate, chunk: event.chunk.index, contacted: result.contacted, actions: result.actions });
  return result;
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(strategyEventSchema));
