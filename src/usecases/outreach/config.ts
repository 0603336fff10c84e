import { z } from 'zod';
import { baseShape } from '../../config';
import { isGsm7 } from '../../domain/outreach/gsm';

/**
 * Environment of the sender functions (validated once at cold start with src/config.ts
 * loadConfig). Lengths of what goes into every text are capped so each SMS template provably
 * fits two GSM-7 segments (test/unit/outreach/render.test.ts renders at these limits).
 */
const gsmText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine(isGsm7, 'must use GSM-7 characters only (it goes into every SMS)');

export const LIMITS = { senderName: 24, paymentUrl: 40, supportPhone: 16 } as const;

const commonShape = {
  ...baseShape,
  SENDS_TABLE: z.string().min(3),
  CONTACTS_TABLE: z.string().min(3),
  SENDER_NAME: gsmText(LIMITS.senderName),
  PAYMENT_URL: z.url({ protocol: /^https$/ }).max(LIMITS.paymentUrl).refine(isGsm7, 'must be GSM-7'),
  SUPPORT_PHONE: gsmText(LIMITS.supportPhone),
  SENDER_POSTAL_ADDRESS: z.string().min(5).max(200),
  /** Reg F §1006.18(e) disclosure; `false` only for a first-party creditor (docs/outreach.md). */
  DEBT_COLLECTOR_DISCLOSURE: z.enum(['true', 'false']).default('true'),
  /** Claim lease: longer than the function timeout, shorter than the queue's visibility timeout. */
  SEND_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  /** Send records are kept this long (TTL): Reg F §1006.100 keeps records 3 years. */
  SEND_RETENTION_DAYS: z.coerce.number().int().min(1).default(1095),
  /** Firehose of the analytics lake's `sends` (resources/analytics-lake.yml); unset: no rows emitted. */
  LAKE_SENDS_STREAM_NAME: z.string().min(1).optional(),
};

export const sendEmailShape = {
  ...commonShape,
  SES_CONFIGURATION_SET: z.string().min(1),
  EMAIL_FROM: z.string().min(3),
  EMAIL_REPLY_TO: z.string().min(3).optional(),
  /** One-click unsubscribe endpoint (RFC 8058 POST; GET shows a confirmation page). */
  UNSUBSCRIBE_BASE_URL: z.url({ protocol: /^https$/ }),
  UNSUBSCRIBE_MAILTO: z.email(),
  /** HMAC key of the unsubscribe tokens (from Secrets Manager via a dynamic reference). */
  UNSUBSCRIBE_TOKEN_SECRET: z.string().min(32),
};

export const sendSmsShape = {
  ...commonShape,
  SMS_CONFIGURATION_SET: z.string().min(1),
  SMS_ORIGINATION_IDENTITY: z.string().min(1),
  /** The engagement table: the sender registers each number it texts (phone directory for STOP replies). */
  ENGAGEMENT_TABLE: z.string().min(3),
};

export type CommonSenderConfig = z.infer<z.ZodObject<typeof commonShape>>;

export const brandOf = (c: CommonSenderConfig) => ({
  senderName: c.SENDER_NAME,
  postalAddress: c.SENDER_POSTAL_ADDRESS,
  paymentUrl: c.PAYMENT_URL,
  supportPhone: c.SUPPORT_PHONE,
  debtCollectorDisclosure: c.DEBT_COLLECTOR_DISCLOSURE === 'true',
});
