import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { dynamoDocClient, s3Client } from '../src/adapters/aws-clients';
import { DynamoDispatchMarkers } from '../src/adapters/dynamo-dispatch-markers';
import { outboundSqsClient } from '../src/adapters/outreach-clients';
import { S3ObjectStore } from '../src/adapters/s3-object-store';
import { SqsOutboundQueues } from '../src/adapters/sqs-outbound-queues';
import { baseShape, dataBucketShape, loadConfig } from '../src/config';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { dispatchDay, type DispatchResult } from '../src/usecases/outreach/dispatch';

const config = loadConfig({
  ...baseShape,
  ...dataBucketShape,
  SENDS_TABLE: z.string().min(3),
  OUTBOUND_EMAIL_QUEUE_URL: z.string().min(1),
  OUTBOUND_SMS_QUEUE_URL: z.string().min(1),
  DISPATCH_HORIZON_MINUTES: z.coerce.number().int().min(1).max(60).default(15),
});
const deps = {
  store: new S3ObjectStore(s3Client(), config.DATA_BUCKET),
  queues: new SqsOutboundQueues(outboundSqsClient(), { email: config.OUTBOUND_EMAIL_QUEUE_URL, sms: config.OUTBOUND_SMS_QUEUE_URL }),
  markers: new DynamoDispatchMarkers(dynamoDocClient(), config.SENDS_TABLE),
  horizonMs: config.DISPATCH_HORIZON_MINUTES * 60_000,
  log: logger,
};

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** On demand `{ runDate, now? }`, or the EventBridge schedule's event (its `time`). */
export const dispatchEventSchema = z.union([
  z.object({ runDate: day, now: z.iso.datetime({ offset: true }).optional() }),
  z.looseObject({ 'detail-type': z.literal('Scheduled Event'), time: z.iso.datetime({ offset: true }) }),
]);

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Enqueues the work due before now + horizon. Scheduled: the runs of the UTC day and the day before
 * (a run's contact window ends in the consumer's evening, which is the next UTC day in the Americas).
 */
export const lambdaHandler = async (event: z.infer<typeof dispatchEventSchema>): Promise<{ results: DispatchResult[] }> => {
  const scheduled = 'time' in event;
  const now = new Date(scheduled ? event.time : (event.now ?? Date.now()));
  const runDates = scheduled ? [utcDay(now.getTime() - 86_400_000), utcDay(now.getTime())] : [event.runDate];
  const results: DispatchResult[] = [];
  for (const runDate of runDates) {
    const r = await dispatchDay(deps, { runDate, now });
    // No manifest is a normal state (the day's run has not exported yet), not an error: say so plainly.
    if (r.manifest) logger.info('dispatched', { ...r });
    else logger.info(`nothing to dispatch: no export manifest for run ${runDate} yet (the daily run exports it)`, { ...r });
    results.push(r);
  }
  return { results };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(dispatchEventSchema));
