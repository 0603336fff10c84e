/**
 * The hidden ground truth of the synthetic world: each account's true probability of making a
 * payment within the next 30 days. Labels for training and the day-to-day cures of the multi-day
 * portfolio are both drawn from it, so the model's holdout AUC can be compared with the oracle AUC
 * (ranking by this function itself). Documented in docs/synthetic-data.md.
 *
 * Uses only account behaviour and product terms — never names, language, state, postal code or
 * time zone, and nothing derived from them.
 */
import type { Account } from '../domain/portfolio/account';
import { epochDayOf } from '../domain/model/dates';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** Log-odds of paying within 30 days of `runDay` (epoch day). Exported for the docs/tests. */
export function trueLogit(a: Account, runDay: number): number {
  const dpd = a.daysPastDue;
  const current = dpd === 0 && a.amountPastDueCents === 0;
  let z = -0.8;

  // Roll-rate shape: steep over the first 120 days, flatter afterwards.
  z -= 0.02 * Math.min(dpd, 120) + 0.006 * clamp(dpd - 120, 0, 240);
  if (current) z += 1.6;

  const pay6 = a.paymentsLast6m ?? 1;
  z += 0.25 * Math.min(pay6, 6);

  const lastDay = a.lastPaymentDate === null ? NaN : epochDayOf(a.lastPaymentDate);
  if (Number.isNaN(lastDay)) z -= 0.5;
  else z += 1.1 * Math.exp(-Math.max(0, runDay - lastDay) / 21);

  if (a.ficoScore === null) z -= 0.15;
  else z += 0.008 * (clamp(a.ficoScore, 300, 850) - 640);

  if (a.creditLimitCents !== null && a.creditLimitCents > 0) {
    const util = a.balanceDueCents / a.creditLimitCents;
    z -= 1.0 * clamp(util - 0.5, 0, 1);
  }

  switch (a.product) {
    case 'credit_card': z -= 0.15; break;
    case 'auto_loan': z += 0.4; break;
    case 'bnpl': z += 0.2; break;
    case 'personal_loan': break;
  }

  if (a.monthlyIncomeCents !== null && a.monthlyIncomeCents > 0) {
    z -= 1.3 * Math.min(a.amountPastDueCents / a.monthlyIncomeCents, 1.5);
  } else {
    z -= 0.1;
  }

  const promiseDay = a.promiseToPayDate === null ? NaN : epochDayOf(a.promiseToPayDate);
  if (promiseDay >= runDay) z += 0.9;

  // Interactions the model has to discover.
  if (pay6 >= 3 && dpd > 0 && dpd <= 30) z += 0.5; // habitual payers self-cure early
  if (a.product === 'auto_loan' && dpd > 60) z += 0.35; // repossession risk focuses minds
  if (a.ficoScore !== null && a.ficoScore >= 720 && dpd >= 90) z -= 0.45; // strategic default
  if (a.product === 'bnpl' && a.balanceDueCents < 30000) z += 0.3; // small balances get cleared

  return z;
}

/**
 * True probability (0.005..0.98) of a payment within 30 days of `runDate` (YYYY-MM-DD).
 * Also accepts a generated row (`{account, runDate}`), whose own run date is then used.
 */
export function trueProbability(row: { account: Account; runDate: string }): number;
export function trueProbability(account: Account, runDate: string): number;
export function trueProbability(subject: Account | { account: Account; runDate: string }, runDate?: string): number {
  const account = 'account' in subject ? subject.account : subject;
  const date = 'account' in subject ? subject.runDate : runDate;
  const runDay = date === undefined ? NaN : epochDayOf(date);
  if (Number.isNaN(runDay)) throw new RangeError(`runDate must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return clamp(sigmoid(trueLogit(account, runDay)), 0.005, 0.98);
}

/** Same as trueProbability with the run date already as an epoch day (hot path of the generator). */
export function trueProbabilityOnDay(account: Account, runDay: number): number {
  return clamp(sigmoid(trueLogit(account, runDay)), 0.005, 0.98);
}
