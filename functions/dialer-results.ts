import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { dynamoDocClient, s3Client } from '../src/adapters/aws-clients';
import { DynamoInboundWriter } from '../src/adapters/dynamo-inbound-writer';
import { engagementLakeEmitter } from '../src/adapters/lake-emitters';
import { S3ObjectStore } from '../src/adapters/s3-object-store';
import { baseShape, dataBucketShape, loadConfig } from '../src/config';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { ingestDialerResults, type DialerIngestResult } from '../src/usecases/dialer/ingest-results';

const config = loadConfig({ ...baseShape, ...dataBucketShape, CONTACTS_TABLE: z.string().min(3), LAKE_ENGAGEMENT_STREAM_NAME: z.string().min(1).optional() });
const lake = engagementLakeEmitter(config.LAKE_ENGAGEMENT_STREAM_NAME);
const deps = {
  store: new S3ObjectStore(s3Client(), config.DATA_BUCKET),
  inbound: new DynamoInboundWriter(dynamoDocClient(), config.CONTACTS_TABLE),
  ...(lake ? { lake } : {}),
};

/** S3 "Object Created" through EventBridge (the data bucket sends its events there): bucket and key only. */
export const dialerResultsEventSchema = z.looseObject({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  /** When the file arrived: no call can have been placed after it (rows later than this are rejected). */
  time: z.iso.datetime({ offset: true }),
  detail: z.looseObject({
    bucket: z.looseObject({ name: z.string().min(3) }),
    object: z.looseObject({ key: z.string().min(1).max(1024) }),
  }),
});

export const lambdaHandler = async (event: z.infer<typeof dialerResultsEventSchema>): Promise<DialerIngestResult> => {
  if (event.detail.bucket.name !== config.DATA_BUCKET) throw new Error(`dialer results from an unexpected bucket: ${event.detail.bucket.name}`);
  const arrivedAt = Date.parse(event.time);
  const result = await ingestDialerResults({ ...deps, now: () => arrivedAt }, { key: event.detail.object.key });
  // Counts and keys only: rows carry phone numbers.
  logger.info('dialer results applied', { ...result });
  return result;
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(dialerResultsEventSchema));
