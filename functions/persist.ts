import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { z } from 'zod';
import { dynamoClient, s3Client } from '../src/adapters/aws-clients';
import { DynamoRankingRepository } from '../src/adapters/dynamo-repositories';
import { S3ObjectStore } from '../src/adapters/s3-object-store';
import { configShapes, loadConfig } from '../src/config';
import { persistEventSchema } from '../src/events';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { persistRankings } from '../src/usecases/persist-rankings';

const config = loadConfig(configShapes.persist);
const deps = {
  store: new S3ObjectStore(s3Client(), config.DATA_BUCKET),
  rankings: new DynamoRankingRepository(dynamoClient(), config.RANKINGS_TABLE),
};

/** Persist: the chunk's scores → rankings table. */
export const lambdaHandler = async (event: z.infer<typeof persistEventSchema>) => {
  const result = await persistRankings(deps, event);
  logger.info('rankings persisted', { runDate: event.runDate, chunk: event.chunk.index, ...result });
  return result;
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(persistEventSchema));
