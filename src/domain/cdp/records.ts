/**
 * What moves between the core, the `transactions` stream, the lake and the alerts queue
 * (docs/cdp.md). Pure: no SDK, no I/O. Every personal field that leaves the core is an
 * AWS Encryption SDK message (base64), bound by its encryption context to its field name and
 * record id; card numbers are also replaced by a keyed HMAC token. CVV never leaves the core.
 */
import { z } from 'zod';
import type { FraudInput } from '../fraud/features';

/** Customer and card fields encrypted field by field before they leave the core. */
export const CUSTOMER_PII_FIELDS = ['person', 'address', 'apartment', 'city', 'zipcode', 'birth', 'gender', 'email', 'phone'] as const;
export const CARD_PII_FIELDS = ['cardNumber', 'expires'] as const;
export const PII_FIELDS = [...CUSTOMER_PII_FIELDS, ...CARD_PII_FIELDS] as const;
export type PiiField = (typeof PII_FIELDS)[number];
/** The only fields the alert function may decrypt (its KMS grant is limited to them too). */
export const ALERT_PII_FIELDS = ['person', 'email'] as const satisfies readonly PiiField[];

/** Base64 AWS Encryption SDK message. */
const ciphertext = z.string().min(16);

/**
 * A card with its holder, partition key = the card token (so it precedes the card's transactions
 * on the same shard). Emitted when a card (or its holder) is written in the core.
 */
export const cardRecordSchema = z.object({
  kind: z.literal('card'),
  /** `card:<token>`: the record id bound into each field's encryption context. */
  recordId: z.string().min(1),
  cardToken: z.string().min(8),
  userId: z.string().min(1),
  cardIndex: z.number().int().min(0),
  cardBrand: z.string(),
  cardType: z.string(),
  hasChip: z.boolean(),
  cardOnDarkWeb: z.boolean(),
  creditLimitCents: z.number().int(),
  acctOpenDate: z.string(),
  yearPinLastChanged: z.number().int(),
  /** Home location at TabFormer's city-centroid precision (the distance feature; not an address). */
  homeLat: z.number(),
  homeLon: z.number(),
  state: z.string(),
  currentAge: z.number().int(),
  ficoScore: z.number().int(),
  yearlyIncomeCents: z.number().int(),
  totalDebtCents: z.number().int(),
  /** field → ciphertext (never plaintext). */
  encrypted: z.record(z.string(), ciphertext),
  changedAt: z.string(),
});
export type CardRecord = z.infer<typeof cardRecordSchema>;

/** A transaction: no personal data at all (the card is its token). */
export const transactionRecordSchema = z.object({
  kind: z.literal('transaction'),
  txnId: z.string().min(1),
  cardToken: z.string().min(8),
  userId: z.string().min(1),
  /** ISO instant (TabFormer's wall clock read as UTC). */
  at: z.string(),
  amountCents: z.number().int(),
  useChip: z.enum(['Chip Transaction', 'Swipe Transaction', 'Online Transaction']),
  merchantId: z.string(),
  merchantCity: z.string(),
  merchantState: z.string(),
  merchantZip: z.string(),
  mcc: z.number().int(),
  errors: z.array(z.string()),
  /** The core's fraud label (chargebacks): carried for the lake's fraud rates and the model card, never a feature. */
  isFraud: z.boolean(),
});
export type TransactionRecord = z.infer<typeof transactionRecordSchema>;

export const streamRecordSchema = z.discriminatedUnion('kind', [cardRecordSchema, transactionRecordSchema]);
export type StreamRecord = z.infer<typeof streamRecordSchema>;

export const partitionKeyOf = (r: StreamRecord): string => r.cardToken;

/** What the fraud model reads of a card (CardRecord's fields; the training export builds it from TabFormer rows). */
export type FraudCardFields = Pick<CardRecord, 'hasChip' | 'cardOnDarkWeb' | 'homeLat' | 'homeLon' | 'creditLimitCents' | 'yearlyIncomeCents'>;

/** The model's input: the one mapping, used by the stream processor and the training export (src/synthetic/tabformer/fraud-input.ts). */
export function fraudInputOf(t: TransactionRecord, card: FraudCardFields): FraudInput {
  return {
    cardToken: t.cardToken,
    userId: t.userId,
    at: t.at,
    amountCents: t.amountCents,
    useChip: t.useChip,
    merchantId: t.merchantId,
    merchantCity: t.merchantCity,
    merchantState: t.merchantState,
    merchantZip: t.merchantZip === '' ? null : t.merchantZip,
    mcc: t.mcc,
    errors: t.errors,
    cardHasChip: card.hasChip,
    cardOnDarkWeb: card.cardOnDarkWeb,
    homeLat: card.homeLat,
    homeLon: card.homeLon,
    creditLimitCents: card.creditLimitCents,
    yearlyIncomeCents: card.yearlyIncomeCents,
  };
}

/** One line of lake/transactions/dt=YYYY-MM-DD/: scored, no personal data, no ciphertext. */
export interface LakeTransaction {
  dt: string;
  txnId: string;
  at: string;
  hour: number;
  cardToken: string;
  userId: string;
  amountCents: number;
  useChip: string;
  merchantId: string;
  merchantCity: string;
  merchantState: string;
  merchantZip: string;
  mcc: number;
  errors: string[];
  isFraud: boolean;
  score: number;
  flagged: boolean;
  modelVersion: string;
  features: number[];
  source: 'backfill' | 'stream';
  processedAt: string;
}

/** The alerts queue message: what the alert function needs, the two personal fields still encrypted. */
export const fraudAlertMessageSchema = z.object({
  txnId: z.string().min(1),
  cardToken: z.string().min(8),
  userId: z.string().min(1),
  at: z.string(),
  amountCents: z.number().int(),
  merchantId: z.string(),
  merchantCity: z.string(),
  merchantState: z.string(),
  mcc: z.number().int(),
  score: z.number(),
  modelVersion: z.string(),
  /** The card record's id: the encryption context the ciphertexts are bound to. */
  recordId: z.string().min(1),
  encrypted: z.object({ person: ciphertext, email: ciphertext }),
});
export type FraudAlertMessage = z.infer<typeof fraudAlertMessageSchema>;

export const dtOf = (iso: string): string => iso.slice(0, 10);
export const toCents = (dollars: number): number => Math.round(dollars * 100);
