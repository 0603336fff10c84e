import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamoDocClient } from '../src/adapters/aws-clients';
import { sendsLakeEmitter } from '../src/adapters/lake-emitters';
import { sesClient } from '../src/adapters/outreach-clients';
import { loadConfig } from '../src/config';
import { logger } from '../src/logger';
import { sendEmailShape } from '../src/usecases/outreach/config';
import { processSendBatch } from '../src/usecases/outreach/process-batch';
import { sendMessage } from '../src/usecases/outreach/send-message';
import { emailSenderDeps } from '../src/usecases/outreach/wiring';

const config = loadConfig(sendEmailShape);
const lake = sendsLakeEmitter(config.LAKE_SENDS_STREAM_NAME);
const deps = emailSenderDeps(config, { doc: dynamoDocClient(), ses: sesClient() });

/** SQS (outbound email queue) → SES v2, one record at a time, ReportBatchItemFailures. */
export const lambdaHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { batchItemFailures, counts } = await processSendBatch(event.Records, 'email', (item) => sendMessage(deps, item), logger, undefined, lake);
  logger.info('email batch done', { records: event.Records.length, ...counts });
  return { batchItemFailures };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
