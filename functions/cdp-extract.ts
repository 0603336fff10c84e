import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { dynamoClient } from '../src/adapters/aws-clients';
import { cardTokenizer, fieldCipher, kinesisClient } from '../src/adapters/cdp/clients';
import { coreChangeOf, DynamoCore } from '../src/adapters/cdp/dynamo-core';
import { KinesisPublisher } from '../src/adapters/cdp/kinesis-publisher';
import { loadConfig } from '../src/config';
import { logger } from '../src/logger';
import { parseEvent } from '../src/middleware/parse-event';
import { cdpShapes } from '../src/usecases/cdp/config';
import { CardTokenCache, extractChanges } from '../src/usecases/cdp/extract';

const config = loadConfig(cdpShapes.extract);
const core = new DynamoCore(dynamoClient(), config.CORE_TABLE);
const stream = new KinesisPublisher(kinesisClient(), config.TRANSACTIONS_STREAM_NAME, { maxRounds: config.PUT_MAX_ROUNDS });
const cipher = fieldCipher(config);
const tokens = new CardTokenCache();
// Key material once per cold start (Secrets Manager in AWS); CommonJS bundles have no top-level await.
const tokenizer = cardTokenizer(config);

export const dynamoStreamEventSchema = z.object({
  Records: z.array(
    z.looseObject({
      eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
      dynamodb: z.looseObject({
        SequenceNumber: z.string().min(1),
        NewImage: z.record(z.string(), z.unknown()).optional(),
      }),
    }),
  ),
});

/**
 * The core table's DynamoDB stream (NEW_IMAGE) → encrypted, tokenized records on the
 * `transactions` stream. Changes a batch could not publish are reported from the earliest
 * (ReportBatchItemFailures: Lambda retries from it; later changes are published again, which the
 * processor's idempotency absorbs). Logs carry counts only.
 */
export const lambdaHandler = async (event: z.infer<typeof dynamoStreamEventSchema>): Promise<DynamoDBBatchResponse> => {
  const changes = event.Records.map((r) =>
    coreChangeOf(r.dynamodb.SequenceNumber, r.eventName === 'REMOVE' || !r.dynamodb.NewImage ? undefined : unmarshall(r.dynamodb.NewImage as Record<string, AttributeValue>)),
  );
  const result = await extractChanges({ cipher, tokenizer: await tokenizer, core, stream, tokens, now: () => new Date() }, changes);
  logger.info('cdp extract batch', { changes: changes.length, published: result.published, encryptedFields: result.encryptedFields, failed: result.failed.length });
  const first = changes.find((c) => result.failed.includes(c.id));
  return { batchItemFailures: first ? [{ itemIdentifier: first.id }] : [] };
};

export const handler = middy(lambdaHandler).use(injectLambdaContext(logger)).use(parseEvent(dynamoStreamEventSchema));
