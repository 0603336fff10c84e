import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { KinesisStreamBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { buildEngagementDeps } from '../src/adapters/engagement-clients';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { loadEngagementConfig, processRecords } from '../src/usecases/engagement';
import { logBatch } from './engagement-log';

const config = loadEngagementConfig();
const deps = buildEngagementDeps(config);

export const kinesisEventSchema = z.object({
  Records: z.array(
    z.looseObject({
      kinesis: z.looseObject({
        sequenceNumber: z.string().min(1),
        data: z.string(),
        approximateArrivalTimestamp: z.number().optional(),
      }),
    }),
  ),
});

/**
 * SES event publishing and End User Messaging SMS status events: EventBridge rule → Kinesis
 * (partition key = account) → here. Records of a shard are applied in order; at the first failure
 * the handler stops and reports that record's sequence number (ReportBatchItemFailures): Lambda
 * checkpoints before it and retries from it, so later records are never applied ahead of it. A poison
 * record is isolated by BisectBatchOnFunctionError and, after MaximumRetryAttempts, sent to the
 * on-failure destination.
 */
export const lambdaHandler = async (event: z.infer<typeof kinesisEventSchema>): Promise<KinesisStreamBatchResponse> => {
  const records = event.Records.map((r) => ({
    id: r.kinesis.sequenceNumber,
    // Kinesis data is base64; bad bytes become a JSON error below (poison), not a crash of the batch.
    body: Buffer.from(r.kinesis.data, 'base64').toString('utf8'),
    arrivedAt: new Date(r.kinesis.approximateArrivalTimestamp ? r.kinesis.approximateArrivalTimestamp * 1000 : Date.now()).toISOString(),
  }));
  const result = await processRecords(deps, records, { transport: 'kinesis', stopOnFirstFailure: true });
  logBatch('kinesis', records.length, result);
  const first = result.failures[0];
  return { batchItemFailures: first ? [{ itemIdentifier: first.id }] : [] };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(kinesisEventSchema));
