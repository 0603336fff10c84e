import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamoDocClient } from '../src/adapters/aws-clients';
import { loadConfig } from '../src/config';
import { logger } from '../src/logger';
import { sendSmsShape } from '../src/usecases/outreach/config';
import { processSendBatch } from '../src/usecases/outreach/process-batch';
import { sendMessage } from '../src/usecases/outreach/send-message';
import { smsSenderDeps } from '../src/usecases/outreach/wiring';

const config = loadConfig(sendSmsShape);
// Few SDK retries: a throttled message goes back to the queue rather than holding the batch.
const deps = smsSenderDeps(config, { doc: dynamoDocClient(), sms: new PinpointSMSVoiceV2Client({ region: config.AWS_REGION, maxAttempts: 3 }) });

/** SQS (outbound SMS queue) → End User Messaging SMS, one record at a time, ReportBatchItemFailures. */
export const lambdaHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { batchItemFailures, counts } = await processSendBatch(event.Records, 'sms', (item) => sendMessage(deps, item), logger);
  logger.info('sms batch done', { records: event.Records.length, ...counts });
  return { batchItemFailures };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
