import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { buildEngagementDeps } from '../src/adapters/engagement-clients';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { loadEngagementConfig, processRecords } from '../src/usecases/engagement';
import { logBatch } from './engagement-log';

const config = loadEngagementConfig();
const deps = buildEngagementDeps(config);

/** Only what the handler reads; the rest of Lambda's SQS record is ignored. */
export const sqsEventSchema = z.object({
  Records: z.array(
    z.looseObject({
      messageId: z.string().min(1),
      body: z.string(),
      attributes: z.looseObject({ SentTimestamp: z.string().optional() }).optional(),
    }),
  ),
});

/**
 * SES feedback (bounce / complaint / delivery) and two-way SMS replies: SNS topic → SQS → here. The
 * SQS body is the SNS envelope; the payload is the JSON string in its `Message`. Each record fails
 * alone (ReportBatchItemFailures): a malformed one is retried until the queue's redrive policy moves
 * it to the DLQ, and nothing else in the batch is lost.
 */
export const lambdaHandler = async (event: z.infer<typeof sqsEventSchema>): Promise<SQSBatchResponse> => {
  const records = event.Records.map((r) => {
    const sent = Number(r.attributes?.SentTimestamp);
    return { id: r.messageId, body: r.body, arrivedAt: new Date(Number.isFinite(sent) && sent > 0 ? sent : Date.now()).toISOString() };
  });
  const result = await processRecords(deps, records, { transport: 'sqs', stopOnFirstFailure: false });
  logBatch('sqs', records.length, result);
  return { batchItemFailures: result.failures.map((f) => ({ itemIdentifier: f.id })) };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(sqsEventSchema));
