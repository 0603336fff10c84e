import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { z } from 'zod';
import { s3Client, snsClient } from '../src/adapters/aws-clients';
import { S3ObjectStore } from '../src/adapters/s3-object-store';
import { SnsPublisher } from '../src/adapters/sns-publisher';
import { configShapes, loadConfig } from '../src/config';
import { notifyEventSchema } from '../src/events';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { notifyRun, type RunSummary } from '../src/usecases/notify-run';

const config = loadConfig(configShapes.notify);
const deps = {
  store: new S3ObjectStore(s3Client(), config.DATA_BUCKET),
  publisher: new SnsPublisher(snsClient(), config.SUMMARY_TOPIC_ARN),
};

/** Notify: run summary → S3 + SNS; its return value is the execution's output. */
export const lambdaHandler = async (event: z.infer<typeof notifyEventSchema>): Promise<RunSummary> => {
  const summary = await notifyRun(deps, event);
  const { runDate, status, accounts, scored, rejected, actions, failedChunks, durationMs } = summary;
  logger.info('run summarized', { runDate, status, accounts, scored, rejected, actions, failedChunks: failedChunks.length, durationMs });
  return summary;
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(notifyEventSchema));
