import { z } from 'zod';
import { baseShape } from '../../config';
import { DEFAULT_CONTACT_POLICY } from '../../domain/strategy/policy';
import type { CapLimits, UnitCostsUsd } from './metrics';

const usd = z.coerce.number().min(0).max(100);

/** GET /analytics/*: Athena database and workgroup, unit costs per channel (stage params, USD per message / call). */
export const analyticsShape = {
  ...baseShape,
  ANALYTICS_DATABASE: z.string().min(1),
  ANALYTICS_WORKGROUP: z.string().min(1),
  UNIT_COST_EMAIL_USD: usd,
  UNIT_COST_SMS_USD: usd,
  UNIT_COST_VOICE_USD: usd,
  ANALYTICS_QUERY_TIMEOUT_MS: z.coerce.number().int().positive().max(28_000).default(25_000),
  // The local stack has no Athena: DuckDB over the lake in its data bucket (src/adapters/analytics-engine.ts).
  CUREPATH_LOCAL: z.enum(['0', '1']).default('0'),
  DATA_BUCKET: z.string().min(3).optional(),
};
export type AnalyticsConfig = z.infer<z.ZodObject<typeof analyticsShape>>;

export const unitCostsOf = (c: { UNIT_COST_EMAIL_USD: number; UNIT_COST_SMS_USD: number; UNIT_COST_VOICE_USD: number }): UnitCostsUsd => ({
  email: c.UNIT_COST_EMAIL_USD,
  sms: c.UNIT_COST_SMS_USD,
  voice: c.UNIT_COST_VOICE_USD,
});

/** The caps the headroom is measured against: the contact policy's (Reg F 7 calls in 7 days, MA 2 calls + texts). */
export const CAP_LIMITS: CapLimits = {
  regFCallsPer7Days: DEFAULT_CONTACT_POLICY.regF.callsPer7Days,
  maCallsAndTextsPer7Days: DEFAULT_CONTACT_POLICY.statePolicies.MA?.callsAndTextsPer7Days ?? 2,
};
