import { z } from 'zod';
import { ConfigurationError } from './domain/errors';

/**
 * Configuration is read once per function, at cold start, and validated: a missing or
 * malformed variable fails the init loudly instead of surfacing mid-run.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<S>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigurationError(`Invalid configuration: ${detail}`);
  }
  return parsed.data;
}

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Variables shared by every function; function-specific shapes extend this. */
export const baseShape = {
  STAGE: z.string().min(1),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  POWERTOOLS_LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
};

export const dataBucketShape = { DATA_BUCKET: z.string().min(3) };

export const configShapes = {
  fetch: { ...baseShape, ...dataBucketShape, CHUNK_SIZE: positiveInt(1000) },
  infer: {
    ...baseShape,
    ...dataBucketShape,
    MODEL_BACKEND: z.enum(['endpoint', 'embedded']),
    MODEL_ENDPOINT_NAME: z.string().min(1).optional(),
    MODEL_MAX_PAYLOAD_BYTES: positiveInt(4_500_000),
  },
  persist: { ...baseShape, ...dataBucketShape, RANKINGS_TABLE: z.string().min(3) },
  strategy: {
    ...baseShape,
    ...dataBucketShape,
    CONTACTS_TABLE: z.string().min(3),
  },
  notify: { ...baseShape, ...dataBucketShape, SUMMARY_TOPIC_ARN: z.string().min(1) },
  runs: { ...baseShape, STATE_MACHINE_ARN: z.string().min(1) },
  // POST /accounts, POST /payments (docs/accounts-api.md).
  accounts: { ...baseShape, ACCOUNTS_TABLE: z.string().min(3) },
  // POST /payments: the accounts table + the lake's engagement Firehose (unset: no `payment` rows).
  payments: { ...baseShape, ACCOUNTS_TABLE: z.string().min(3), LAKE_ENGAGEMENT_STREAM_NAME: z.string().min(1).optional() },
  // GET /me, POST /me/promises, PUT /me/preferences: accounts + the contacts table's LEDGER/INBOUND;
  // createPromise also the lake's engagement Firehose (unset: no `promise` rows).
  selfService: {
    ...baseShape,
    ACCOUNTS_TABLE: z.string().min(3),
    CONTACTS_TABLE: z.string().min(3),
    LAKE_ENGAGEMENT_STREAM_NAME: z.string().min(1).optional(),
  },
  // Decision bands on the probability of default (docs/credit-scoring.md); approveBelow ≤ declineAt is checked at cold start.
  creditScore: {
    ...baseShape,
    CREDIT_APPROVE_BELOW: z.coerce.number().gt(0).lt(1).default(0.1),
    CREDIT_DECLINE_AT: z.coerce.number().gt(0).lte(1).default(0.25),
  },
} as const;
