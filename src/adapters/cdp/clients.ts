/**
 * The customer data stream's SDK clients (once per process) and its key material (once per cold
 * start): KMS keyring + Secrets Manager card-token key in AWS, key files on the local stack.
 */
import { join, resolve } from 'node:path';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { localClientOverrides, type LocalService } from '../local-overrides';
import { EsdkFieldCipher, kmsKeyring, localAesKeyring, localKeyFile } from './field-cipher';
import { HmacCardTokenizer } from './card-tokenizer';
import { secretBytes } from './secrets';

const isLocal = () => process.env.CUREPATH_LOCAL === '1';
function settings(service: LocalService | undefined): Record<string, unknown> {
  const base = { region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 5 };
  return isLocal() && service ? { ...base, ...localClientOverrides(service, process.env) } : base;
}

function once<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}

export const kinesisClient = once(() => new KinesisClient(settings('kinesis')));
export const firehoseClient = once(() => new FirehoseClient(settings('firehose')));
export const sqsClient = once(() => new SQSClient(settings('sqs')));
export const sesClient = once(() => new SESv2Client(settings('sesv2')));
// No local stand-ins: locally Bedrock is disabled (template) and keys come from files.
export const bedrockClient = once(() => new BedrockRuntimeClient(settings(undefined)));
const secretsClient = once(() => new SecretsManagerClient(settings(undefined)));

const localKeyPath = (dir: string, name: string) => join(resolve(dir), name);

export function fieldCipher(c: { CUREPATH_LOCAL: '0' | '1'; PII_KEY_ARN: string; CDP_LOCAL_KEY_DIR: string }): EsdkFieldCipher {
  return new EsdkFieldCipher(c.CUREPATH_LOCAL === '1' ? localAesKeyring(localKeyPath(c.CDP_LOCAL_KEY_DIR, 'cdp-pii.key')) : kmsKeyring(c.PII_KEY_ARN));
}

export async function cardTokenizer(c: { CUREPATH_LOCAL: '0' | '1'; CARD_TOKEN_SECRET_ARN: string; CDP_LOCAL_KEY_DIR: string }): Promise<HmacCardTokenizer> {
  const key = c.CUREPATH_LOCAL === '1' ? localKeyFile(localKeyPath(c.CDP_LOCAL_KEY_DIR, 'cdp-card-token.key')) : await secretBytes(secretsClient(), c.CARD_TOKEN_SECRET_ARN);
  return new HmacCardTokenizer(key);
}
