/**
 * SDK v3 clients, built once per process (outside the handler, reused across invocations).
 * In AWS they use the defaults; on the local stack (CUREPATH_LOCAL=1) each gets the
 * endpoint and settings its emulator needs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SNSClient } from '@aws-sdk/client-sns';
import { SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { loadConfig } from '../config';
import { localClientOverrides, type LocalService } from './local-overrides';

const clientEnv = () =>
  loadConfig({
    CUREPATH_LOCAL: z.enum(['0', '1']).default('0'),
    AWS_REGION: z.string().default('us-east-1'),
  });

function settings(service: LocalService): Record<string, unknown> {
  const env = clientEnv();
  const base = { region: env.AWS_REGION, maxAttempts: 5 };
  return env.CUREPATH_LOCAL === '1' ? { ...base, ...localClientOverrides(service, process.env) } : base;
}

/**
 * Drops the SDK's logger middleware. We never log SDK calls (no PII in logs), yet with its default
 * no-op logger the middleware still builds a sensitivity-filtered copy of every request and response
 * (a schema walk over every DynamoDB item): the largest single CPU cost of the daily run's hot paths.
 */
function withoutCallLogging<C extends { middlewareStack: { remove(name: string): boolean } }>(client: C): C {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** The hot paths (rankings, contact ledgers) use this low-level client with wire-format items. */
export const dynamoClient = once(() => withoutCallLogging(new DynamoDBClient(settings('dynamodb'))));
export const dynamoDocClient = once(() =>
  DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  }),
);
export const s3Client = once(() => withoutCallLogging(new S3Client(settings('s3'))));
export const sageMakerRuntimeClient = once(() => withoutCallLogging(new SageMakerRuntimeClient(settings('sagemaker-runtime'))));
export const snsClient = once(() => withoutCallLogging(new SNSClient(settings('sns'))));
export const sfnClient = once(() => withoutCallLogging(new SFNClient(settings('sfn'))));
