import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger per process. Never log PII: account ids and counts only,
 * never names, addresses, phone numbers or emails.
 */
export const logger = new Logger({ serviceName: 'curepath', logLevel: (process.env.LOG_LEVEL as 'INFO') ?? 'INFO' });
