import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { dynamoClient } from '../src/adapters/aws-clients';
import { cardTokenizer, fieldCipher, firehoseClient, sqsClient } from '../src/adapters/cdp/clients';
import { DynamoCardStateStore } from '../src/adapters/cdp/dynamo-card-state';
import { DynamoCore } from '../src/adapters/cdp/dynamo-core';
import { FirehoseLakeWriter } from '../src/adapters/cdp/lake-writer';
import { SqsAlertQueue } from '../src/adapters/cdp/sqs-alert-queue';
import { loadConfig } from '../src/config';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { backfill, type BackfillResult } from '../src/usecases/cdp/backfill';
import { backfillShape } from '../src/usecases/cdp/config';

const config = loadConfig(backfillShape);
const base = {
  core: new DynamoCore(dynamoClient(), config.CORE_TABLE),
  cipher: fieldCipher(config),
  states: new DynamoCardStateStore(dynamoClient(), config.STATE_TABLE),
  lake: new FirehoseLakeWriter(firehoseClient(), config.LAKE_STREAM_NAME, config.LAKE_MAX_ROUNDS),
  alerts: new SqsAlertQueue(sqsClient(), config.ALERTS_QUEUE_URL),
  now: () => new Date(),
};
const tokenizer = cardTokenizer(config);

export const backfillEventSchema = z.object({
  userIds: z.array(z.number().int().min(0)).min(1).max(10_000),
  before: z.iso.datetime().optional(),
  chunkSize: z.number().int().min(1).max(5_000).optional(),
});

/** Invoked per slice of customers ({ userIds, before }): history through the stream processor's transform. */
export const lambdaHandler = async (event: z.infer<typeof backfillEventSchema>): Promise<BackfillResult> => {
  const result = await backfill({ ...base, tokenizer: await tokenizer }, event);
  logger.info('cdp backfill slice', { ...result });
  return result;
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(backfillEventSchema));
