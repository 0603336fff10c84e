import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** A secret's bytes from Secrets Manager (SecretString, UTF-8), read once at cold start by the caller. */
export async function secretBytes(client: SecretsManagerClient, secretId: string): Promise<Buffer> {
  const res = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (res.SecretBinary) return Buffer.from(res.SecretBinary);
  if (!res.SecretString) throw new Error(`secret ${secretId} is empty`);
  return Buffer.from(res.SecretString, 'utf8');
}
