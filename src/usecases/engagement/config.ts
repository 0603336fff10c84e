import { z } from 'zod';
import { baseShape, loadConfig } from '../../config';
import { suppressionRulesSchema, type SuppressionRules } from '../../domain/engagement';
import { ConfigurationError } from '../../domain/errors';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Environment of the engagement functions (validated once, at cold start). */
export const engagementShape = {
  ...baseShape,
  ENGAGEMENT_TABLE: z.string().min(3),
  CONTACTS_TABLE: z.string().min(3),
  ARCHIVE_STREAM_NAME: z.string().min(1),
  /** The analytics lake's engagement_events (Firehose → lake/engagement_events/dt=<business day>/). */
  LAKE_ENGAGEMENT_STREAM_NAME: z.string().min(1),
  CONFIRMATION_QUEUE_URL: z.string().min(1),
  TRANSIENT_FAILURE_LIMIT: positiveInt(3),
  TRANSIENT_FAILURE_WINDOW_DAYS: positiveInt(7),
  CONFIRMATION_COOLDOWN_DAYS: z.coerce.number().int().min(0).default(30),
  /** Archiver: rounds of resending FailedPutCount records before giving up. */
  ARCHIVE_MAX_ROUNDS: positiveInt(5),
};

export function loadEngagementConfig(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(engagementShape, env);
  const rules = suppressionRulesSchema.safeParse({
    transient: { limit: config.TRANSIENT_FAILURE_LIMIT, windowDays: config.TRANSIENT_FAILURE_WINDOW_DAYS },
    confirmationCooldownDays: config.CONFIRMATION_COOLDOWN_DAYS,
  });
  if (!rules.success) throw new ConfigurationError(`Invalid suppression rules: ${rules.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { ...config, rules: rules.data as SuppressionRules };
}
