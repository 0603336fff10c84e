import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { z } from 'zod';
import { s3Client } from '../src/adapters/aws-clients';
import { S3ObjectStore } from '../src/adapters/s3-object-store';
import { configShapes, loadConfig } from '../src/config';
import { fetchEventSchema } from '../src/events';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { fetchPortfolio, type FetchResult } from '../src/usecases/fetch-portfolio';

const config = loadConfig(configShapes.fetch);
const store = new S3ObjectStore(s3Client(), config.DATA_BUCKET);

/** Fetch: today's portfolio file → validated chunk files + rejects file (state gets keys and counts). */
export const lambdaHandler = async (event: z.infer<typeof fetchEventSchema>): Promise<FetchResult> =>
  fetchPortfolio(
    { store, chunkSize: config.CHUNK_SIZE, log: (message, fields) => logger.info(message, fields) },
    { ...event.input, executionStartTime: event.executionStartTime },
  );

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(fetchEventSchema));
