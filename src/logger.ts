import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger per process (level from POWERTOOLS_LOG_LEVEL). Never log PII:
 * account ids and counts only, never names, addresses, phone numbers or emails.
 */
export const logger = new Logger({ serviceName: 'curepath' });
