import { z } from 'zod';
import { baseShape } from '../../config';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = (fallback: 'true' | 'false') => z.enum(['true', 'false']).default(fallback).transform((v) => v === 'true');

/** Where the PII key and the card-token key come from: KMS / Secrets Manager in AWS, key files locally. */
export const cdpKeyShape = {
  CUREPATH_LOCAL: z.enum(['0', '1']).default('0'),
  PII_KEY_ARN: z.string().min(1),
  /** Local stack: folder of the generated key files (gitignored .local/keys). */
  CDP_LOCAL_KEY_DIR: z.string().min(1).default('.local/keys'),
};

export const cdpShapes = {
  extract: {
    ...baseShape,
    ...cdpKeyShape,
    CORE_TABLE: z.string().min(3),
    TRANSACTIONS_STREAM_NAME: z.string().min(1),
    CARD_TOKEN_SECRET_ARN: z.string().min(1),
    PUT_MAX_ROUNDS: positiveInt(5),
  },
  process: {
    ...baseShape,
    STATE_TABLE: z.string().min(3),
    LAKE_STREAM_NAME: z.string().min(1),
    ALERTS_QUEUE_URL: z.string().min(1),
    LAKE_MAX_ROUNDS: positiveInt(5),
    /** Overrides the model card's alert threshold (FRAUD_ALERT_THRESHOLD) — tests and incident tuning. */
    ALERT_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  },
  alert: {
    ...baseShape,
    ...cdpKeyShape,
    STATE_TABLE: z.string().min(3),
    BEDROCK_ENABLED: flag('false'),
    BEDROCK_MODEL_ID: z.string().min(1),
    BEDROCK_TIMEOUT_MS: positiveInt(4000),
    ALERT_EMAIL_FROM: z.string().min(3),
    ALERT_WINDOW_MINUTES: positiveInt(60),
    SES_CONFIGURATION_SET: z.string().optional(),
  },
} as const;

export const backfillShape = { ...cdpShapes.extract, ...cdpShapes.process };
