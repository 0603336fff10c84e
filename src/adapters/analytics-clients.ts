/** The Athena client of the analytics functions, built once per process (no Athena emulator: AWS only). */
import { AthenaClient } from '@aws-sdk/client-athena';

let client: AthenaClient | undefined;
export const athenaClient = (): AthenaClient => (client ??= new AthenaClient({ region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 5 }));
