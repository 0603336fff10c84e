/**
 * A delinquent account as it enters CurePath from the lender's portfolio file
 * (docs/portfolio-file.md). Money is held in integer cents: no float drift in
 * balances or the amount_past_due <= balance_due rule.
 */
export const PRODUCTS = ['credit_card', 'personal_loan', 'auto_loan', 'bnpl'] as const;
export type Product = (typeof PRODUCTS)[number];

export const CHANNELS = ['email', 'sms', 'voice'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Account {
  accountId: string;
  customerId: string;
  firstName: string;
  lastName: string;
  /** Lower-cased; null when blank. */
  email: string | null;
  /** E.164; null when blank. */
  phone: string | null;
  /** ISO 639-1, lower-case; 'en' when blank. */
  language: string;
  /** USPS code, upper-case (50 states, DC, PR). */
  state: string;
  postalCode: string | null;
  /** IANA zone; null when blank (derive from state). */
  timezone: string | null;
  product: Product;
  balanceDueCents: number;
  amountPastDueCents: number;
  daysPastDue: number;
  creditLimitCents: number | null;
  /** YYYY-MM-DD */
  lastPaymentDate: string | null;
  lastPaymentAmountCents: number | null;
  paymentsLast6m: number | null;
  ficoScore: number | null;
  monthlyIncomeCents: number | null;
  emailConsent: boolean;
  smsConsent: boolean;
  callConsent: boolean;
  doNotContact: boolean;
  inDispute: boolean;
  bankruptcy: boolean;
  /** YYYY-MM-DD */
  promiseToPayDate: string | null;
}

/** One line of a chunk file: the account and its row number in the file (the header is row 1, as in the rejects file). */
export interface ChunkRecord {
  row: number;
  account: Account;
}

/** The score Infer attaches to an account: probability of a payment within 30 days. */
export interface Score {
  accountId: string;
  score: number;
}
