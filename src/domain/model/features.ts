/**
 * The one definition of the propensity model's inputs. Training data is produced by running this
 * same function over generated accounts (local/generate.ts --history), so Python only trains and
 * can never drift from what Infer computes.
 *
 * Deliberately excluded (fair lending, ECOA / Reg B): names, language, state, postal code,
 * time zone, e-mail/phone text — protected characteristics or proxies for them (national origin,
 * race via geography, sex via first names). Consent and compliance flags are excluded too: they
 * govern whether we may contact, not how likely a payment is.
 */
import type { Account } from '../portfolio/account';
import { epochDayOf } from './dates';

export const FEATURE_NAMES = [
  'days_past_due',
  'amount_past_due',
  'balance_due',
  'past_due_ratio',
  'utilization',
  'days_since_last_payment',
  'last_payment_amount',
  'payments_last_6m',
  'fico_score',
  'monthly_income',
  'past_due_to_income',
  'has_promise_to_pay',
  'product_credit_card',
  'product_personal_loan',
  'product_auto_loan',
  'product_bnpl',
  'has_email',
  'has_phone',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];
export const NUM_FEATURES = FEATURE_NAMES.length;

// Parsing the run date once per chunk instead of once per account.
let cachedRunDate = '';
let cachedRunDay = NaN;
function runDayOf(runDate: string): number {
  if (runDate !== cachedRunDate) {
    const day = epochDayOf(runDate);
    if (Number.isNaN(day)) throw new RangeError(`runDate must be YYYY-MM-DD, got ${JSON.stringify(runDate)}`);
    cachedRunDate = runDate;
    cachedRunDay = day;
  }
  return cachedRunDay;
}

const dollars = (cents: number | null): number => (cents === null ? NaN : cents / 100);

/**
 * Feature vector of one account as of `runDate` (YYYY-MM-DD). Missing values are NaN, which the
 * XGBoost evaluator routes down each split's default branch exactly like the library does.
 * Pass `out` (length ≥ NUM_FEATURES, at any offset via subarray) to avoid allocating per account.
 */
export function featureVector(account: Account, runDate: string): Float64Array;
export function featureVector<T extends Float32Array | Float64Array>(account: Account, runDate: string, out: T): T;
export function featureVector(account: Account, runDate: string, out?: Float32Array | Float64Array): Float32Array | Float64Array {
  const runDay = runDayOf(runDate);
  const v = out ?? new Float64Array(NUM_FEATURES);
  const balance = account.balanceDueCents / 100;
  const pastDue = account.amountPastDueCents / 100;
  const limit = dollars(account.creditLimitCents);
  const income = dollars(account.monthlyIncomeCents);
  const lastPaidDay = account.lastPaymentDate === null ? NaN : epochDayOf(account.lastPaymentDate);
  const promiseDay = account.promiseToPayDate === null ? NaN : epochDayOf(account.promiseToPayDate);

  v[0] = account.daysPastDue;
  v[1] = pastDue;
  v[2] = balance;
  v[3] = balance > 0 ? pastDue / balance : 0;
  v[4] = limit > 0 ? balance / limit : NaN;
  // A payment dated after the run date is a data error; clamp rather than feed a negative age.
  v[5] = Number.isNaN(lastPaidDay) ? NaN : Math.max(0, runDay - lastPaidDay);
  v[6] = dollars(account.lastPaymentAmountCents);
  v[7] = account.paymentsLast6m ?? NaN;
  v[8] = account.ficoScore ?? NaN;
  v[9] = income;
  v[10] = income > 0 ? pastDue / income : NaN;
  v[11] = promiseDay >= runDay ? 1 : 0;
  v[12] = account.product === 'credit_card' ? 1 : 0;
  v[13] = account.product === 'personal_loan' ? 1 : 0;
  v[14] = account.product === 'auto_loan' ? 1 : 0;
  v[15] = account.product === 'bnpl' ? 1 : 0;
  v[16] = account.email ? 1 : 0;
  v[17] = account.phone ? 1 : 0;
  return v;
}

/** Row-major feature matrix for a batch (Infer builds one per chunk). */
export function featureMatrix(accounts: readonly Account[], runDate: string): Float64Array {
  const m = new Float64Array(accounts.length * NUM_FEATURES);
  for (let i = 0; i < accounts.length; i++) {
    featureVector(accounts[i]!, runDate, m.subarray(i * NUM_FEATURES, (i + 1) * NUM_FEATURES));
  }
  return m;
}
