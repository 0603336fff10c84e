import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamoDocClient } from '../src/adapters/aws-clients';
import { loadConfig } from '../src/config';
import { logger } from '../src/logger';
import { sendEmailShape } from '../src/usecases/outreach/config';
import { processSendBatch } from '../src/usecases/outreach/process-batch';
import { sendMessage } from '../src/usecases/outreach/send-message';
import { emailSenderDeps } from '../src/usecases/outreach/wiring';

const config = loadConfig(sendEmailShape);
// Few SDK retries: a throttled message goes back to the queue rather than holding the batch.
const deps = emailSenderDeps(config, { doc: dynamoDocClient(), ses: new SESv2Client({ region: config.AWS_REGION, maxAttempts: 3 }) });

/** SQS (outbound email queue) → SES v2, one record at a time, ReportBatchItemFailures. */
export const lambdaHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { batchItemFailures, counts } = await processSendBatch(event.Records, 'email', (item) => sendMessage(deps, item), logger);
  logger.info('email batch done', { records: event.Records.length, ...counts });
  return { batchItemFailures };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
