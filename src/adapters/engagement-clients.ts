/**
 * SDK clients the engagement functions need beyond src/adapters/aws-clients.ts (Firehose, SQS),
 * built the same way: once per process, emulator settings when CUREPATH_LOCAL=1.
 */
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { SQSClient } from '@aws-sdk/client-sqs';
import { localClientOverrides, type LocalService } from './local-overrides';

function settings(service: LocalService): Record<string, unknown> {
  const base = { region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 5 };
  return process.env.CUREPATH_LOCAL === '1' ? { ...base, ...localClientOverrides(service, process.env) } : base;
}

let firehose: FirehoseClient | undefined;
let sqs: SQSClient | undefined;
export const firehoseClient = () => (firehose ??= new FirehoseClient(settings('firehose')));
export const sqsClient = () => (sqs ??= new SQSClient(settings('sqs')));

import { DynamoEngagementStore } from './dynamo-engagement-store';
import { DynamoInboundWriter } from './dynamo-inbound-writer';
import { FirehoseArchiver } from './firehose-archiver';
import { FirehoseLakeEmitter } from './firehose-lake-emitter';
import { engagementLakeRecord, type EngagementRow } from '../usecases/analytics/lake';
import { SqsConfirmationSender } from './sqs-confirmation-sender';
import { dynamoDocClient } from './aws-clients';
import type { loadEngagementConfig } from '../usecases/engagement/config';

/** The engagement functions' dependencies, from their validated configuration. */
export function buildEngagementDeps(config: ReturnType<typeof loadEngagementConfig>) {
  const store = new DynamoEngagementStore(dynamoDocClient(), config.ENGAGEMENT_TABLE);
  const inbound = new DynamoInboundWriter(dynamoDocClient(), config.CONTACTS_TABLE);
  return {
    store,
    directory: store,
    suppressions: inbound,
    stats: inbound,
    confirmations: new SqsConfirmationSender(sqsClient(), config.CONFIRMATION_QUEUE_URL),
    archiver: new FirehoseArchiver(firehoseClient(), config.ARCHIVE_STREAM_NAME, { maxRounds: config.ARCHIVE_MAX_ROUNDS }),
    rules: config.rules,
    lake: new FirehoseLakeEmitter<EngagementRow>(firehoseClient(), config.LAKE_ENGAGEMENT_STREAM_NAME, engagementLakeRecord, { maxRounds: config.ARCHIVE_MAX_ROUNDS }),
  };
}
