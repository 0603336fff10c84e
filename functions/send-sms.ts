import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamoDocClient } from '../src/adapters/aws-clients';
import { sendsLakeEmitter } from '../src/adapters/lake-emitters';
import { smsClient } from '../src/adapters/outreach-clients';
import { loadConfig } from '../src/config';
import { logger } from '../src/logger';
import { sendSmsShape } from '../src/usecases/outreach/config';
import { processSendBatch } from '../src/usecases/outreach/process-batch';
import { sendOptOutConfirmation } from '../src/usecases/outreach/send-confirmation';
import { sendMessage } from '../src/usecases/outreach/send-message';
import { smsSenderDeps } from '../src/usecases/outreach/wiring';

const config = loadConfig(sendSmsShape);
const lake = sendsLakeEmitter(config.LAKE_SENDS_STREAM_NAME);
const deps = smsSenderDeps(config, { doc: dynamoDocClient(), sms: smsClient() });

/**
 * SQS (outbound SMS queue) → End User Messaging SMS, one record at a time, ReportBatchItemFailures.
 * The queue also carries the engagement loop's opt-out confirmation requests.
 */
export const lambdaHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { batchItemFailures, counts } = await processSendBatch(
    event.Records,
    'sms',
    (item) => sendMessage(deps, item),
    logger,
    (request) => sendOptOutConfirmation(deps, request),
    lake,
  );
  logger.info('sms batch done', { records: event.Records.length, ...counts });
  return { batchItemFailures };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger));
