import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { KinesisStreamBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { dynamoClient } from '../src/adapters/aws-clients';
import { firehoseClient, sqsClient } from '../src/adapters/cdp/clients';
import { DynamoCardStateStore } from '../src/adapters/cdp/dynamo-card-state';
import { FirehoseLakeWriter } from '../src/adapters/cdp/lake-writer';
import { SqsAlertQueue } from '../src/adapters/cdp/sqs-alert-queue';
import { loadConfig } from '../src/config';
import { streamRecordSchema } from '../src/domain/cdp/records';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { cdpShapes } from '../src/usecases/cdp/config';
import { processTransactions, type InputRecord } from '../src/usecases/cdp/process-transactions';

const config = loadConfig(cdpShapes.process);
const deps = {
  states: new DynamoCardStateStore(dynamoClient(), config.STATE_TABLE),
  lake: new FirehoseLakeWriter(firehoseClient(), config.LAKE_STREAM_NAME, config.LAKE_MAX_ROUNDS),
  alerts: new SqsAlertQueue(sqsClient(), config.ALERTS_QUEUE_URL),
  now: () => new Date(),
};

export const kinesisEventSchema = z.object({
  Records: z.array(z.looseObject({ kinesis: z.looseObject({ sequenceNumber: z.string().min(1), data: z.string() }) })),
});

export function parseRecord(id: string, base64: string): InputRecord {
  try {
    const parsed = streamRecordSchema.safeParse(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')));
    // Issue paths only: a message could echo a value.
    return parsed.success ? { id, record: parsed.data } : { id, invalid: parsed.error.issues.map((i) => i.path.join('.')).join(',') };
  } catch {
    return { id, invalid: 'not JSON' };
  }
}

/**
 * `transactions` stream → processTransactions (the same transform as the backfill) → lake +
 * alerts queue. Reports the lowest failed sequence number (ReportBatchItemFailures): Lambda
 * retries from it and the idempotency window skips what was already applied. Infrastructure
 * failures (lake, queue) throw: the batch is retried, bisected, then sent to the on-failure queue.
 */
export const lambdaHandler = async (event: z.infer<typeof kinesisEventSchema>): Promise<KinesisStreamBatchResponse> => {
  const input = event.Records.map((r) => parseRecord(r.kinesis.sequenceNumber, r.kinesis.data));
  const invalid = input.filter((r) => r.invalid).length;
  const result = await processTransactions(deps, input, { source: 'stream', sendAlerts: true, ...(config.ALERT_THRESHOLD !== undefined ? { threshold: config.ALERT_THRESHOLD } : {}) });
  logger.info('cdp process batch', {
    records: input.length,
    invalid,
    cards: result.cards,
    transactions: result.transactions,
    duplicates: result.duplicates,
    flagged: result.flagged,
    alertsQueued: result.alertsQueued,
    failed: result.failed.length,
  });
  const first = result.failed[0];
  return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(kinesisEventSchema));
