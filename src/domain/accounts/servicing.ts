/**
 * Account servicing rules (docs/accounts-api.md): what a payment does to balance, amount past due,
 * days past due and an open promise to pay; when a promise is kept or broken; when the account is
 * cured; and what a customer may promise. Pure: the use cases load state, call these, and write
 * the result with conditional updates.
 */
import { ConflictError, ValidationError } from '../errors';
import { addDays, DAY_MS, utcDate } from '../dates';

export type AccountStatus = 'delinquent' | 'current' | 'cured' | 'paid_off';

export interface OpenPromise {
  id: string;
  amountCents: number;
  /** YYYY-MM-DD: the promised amount must be paid on or before this day. */
  date: string;
  createdAt: string;
  /** Paid towards it so far (payments dated on or before `date`). */
  paidCents: number;
}

/** What the servicing rules read and change on the account. */
export interface Balances {
  balanceDueCents: number;
  amountPastDueCents: number;
  daysPastDue: number;
  status: AccountStatus;
  promise: OpenPromise | null;
  lastPaymentDate: string | null;
  lastPaymentAmountCents: number | null;
  curedAt: string | null;
}

export type PromiseResolution = { id: string; amountCents: number; date: string; paidCents: number; status: 'kept' | 'broken'; resolvedOn: string };

const CYCLE_DAYS = 30;


/** Status of an account from its amounts (the lender's upsert). */
export function statusFor(balanceDueCents: number, amountPastDueCents: number): AccountStatus {
  if (balanceDueCents === 0) return 'paid_off';
  return amountPastDueCents > 0 ? 'delinquent' : 'current';
}

/**
 * An open promise whose date has passed without being paid is broken. Detected lazily — on the
 * next payment, customer read or promise — because nothing else looks at an account in between
 * (no scheduled sweep: the daily Strategy only needs INBOUND promiseUntil, which expires by itself).
 */
export function expirePromise(b: Balances, today: string): { balances: Balances; resolved: PromiseResolution | null } {
  const p = b.promise;
  if (!p || p.date >= today) return { balances: b, resolved: null };
  return {
    balances: { ...b, promise: null },
    resolved: { id: p.id, amountCents: p.amountCents, date: p.date, paidCents: p.paidCents, status: 'broken', resolvedOn: today },
  };
}

export interface PaymentInput {
  amountCents: number;
  /** YYYY-MM-DD, the day the money was received (≤ today). */
  paidOn: string;
}

export interface PaymentOutcome {
  appliedCents: number;
  /** Money beyond the balance: reported to the lender, never makes the balance negative. */
  unappliedCents: number;
  cured: boolean;
  /** Promises resolved by this payment (a broken one detected now, and/or the open one kept). */
  promises: PromiseResolution[];
  before: { balanceDueCents: number; amountPastDueCents: number; daysPastDue: number; status: AccountStatus };
  after: { balanceDueCents: number; amountPastDueCents: number; daysPastDue: number; status: AccountStatus };
}

/**
 * Applies a payment. Money goes to the past-due amount first (oldest cycles first), then the rest
 * of the balance. Days past due: the past-due amount is taken as `ceil(dpd / 30)` equal missed
 * cycles; every cycle paid in full moves days past due back by 30; at a past-due amount of 0 the
 * account is current again (dpd 0) — a **cure** when it was delinquent. A partial payment that
 * clears no whole cycle leaves days past due unchanged (the oldest cycle is still unpaid).
 */
export function applyPayment(current: Balances, payment: PaymentInput, today: string): { balances: Balances; outcome: PaymentOutcome } {
  if (!Number.isSafeInteger(payment.amountCents) || payment.amountCents <= 0) {
    throw new ValidationError('invalid payment', [{ path: 'amount', message: 'must be greater than 0' }]);
  }
  const promises: PromiseResolution[] = [];
  // A promise whose date passed before this payment was made is broken, whatever this payment is.
  let b = current;
  const expired = expirePromise(b, payment.paidOn);
  if (expired.resolved) promises.push({ ...expired.resolved, resolvedOn: today });
  b = expired.balances;

  const before = pick(b);
  const appliedCents = Math.min(payment.amountCents, b.balanceDueCents);
  const unappliedCents = payment.amountCents - appliedCents;
  const toPastDue = Math.min(appliedCents, b.amountPastDueCents);
  const pastDue = b.amountPastDueCents - toPastDue;
  const balance = b.balanceDueCents - appliedCents;
  let dpd = b.daysPastDue;
  if (pastDue === 0) dpd = 0;
  else if (toPastDue > 0 && dpd > 0) {
    const cycles = Math.max(1, Math.ceil(dpd / CYCLE_DAYS));
    const installment = Math.ceil(b.amountPastDueCents / cycles);
    const cleared = Math.floor(toPastDue / installment);
    dpd = Math.max(1, dpd - cleared * CYCLE_DAYS);
  }
  const cured = b.amountPastDueCents > 0 && pastDue === 0;
  const status: AccountStatus = balance === 0 ? 'paid_off' : cured ? 'cured' : pastDue > 0 ? 'delinquent' : b.status === 'delinquent' ? 'current' : b.status;

  let promise = b.promise;
  if (promise && payment.paidOn <= promise.date) {
    const paidCents = promise.paidCents + payment.amountCents;
    if (paidCents >= promise.amountCents) {
      promises.push({ id: promise.id, amountCents: promise.amountCents, date: promise.date, paidCents, status: 'kept', resolvedOn: today });
      promise = null;
    } else promise = { ...promise, paidCents };
  }
  // A back-dated payment counted towards it, but its day is over and it is still short: broken.
  if (promise && promise.date < today) {
    promises.push({ id: promise.id, amountCents: promise.amountCents, date: promise.date, paidCents: promise.paidCents, status: 'broken', resolvedOn: today });
    promise = null;
  }

  const balances: Balances = {
    balanceDueCents: balance,
    amountPastDueCents: pastDue,
    daysPastDue: dpd,
    status,
    promise,
    lastPaymentDate: b.lastPaymentDate && b.lastPaymentDate > payment.paidOn ? b.lastPaymentDate : payment.paidOn,
    lastPaymentAmountCents: b.lastPaymentDate && b.lastPaymentDate > payment.paidOn ? b.lastPaymentAmountCents : payment.amountCents,
    curedAt: cured ? today : b.curedAt,
  };
  return { balances, outcome: { appliedCents, unappliedCents, cured, promises, before, after: pick(balances) } };
}

const pick = (b: Balances) => ({ balanceDueCents: b.balanceDueCents, amountPastDueCents: b.amountPastDueCents, daysPastDue: b.daysPastDue, status: b.status });

export const PROMISE_RULES = {
  /** The promised date: from tomorrow up to this many days ahead (UTC dates). */
  maxDaysAhead: 30,
  minDaysAhead: 1,
  /** At least the amount past due or this much, whichever is smaller (USD cents). */
  minimumCents: 2_500,
} as const;

/**
 * Checks a new promise to pay against the account. Throws ValidationError (field-level) for the
 * amount/date rules and ConflictError when the account cannot take a promise now.
 */
export function checkPromise(b: Balances, req: { amountCents: number; date: string }, today: string): void {
  if (b.promise) throw new ConflictError(`a promise to pay ${b.promise.date} is already open on this account`);
  if (b.amountPastDueCents <= 0) throw new ConflictError('nothing is past due on this account');
  const issues: { path: string; message: string }[] = [];
  const earliest = addDays(today, PROMISE_RULES.minDaysAhead);
  const latest = addDays(today, PROMISE_RULES.maxDaysAhead);
  if (req.date < earliest || req.date > latest) issues.push({ path: 'date', message: `must be between ${earliest} and ${latest}` });
  const minimum = Math.min(b.amountPastDueCents, PROMISE_RULES.minimumCents);
  if (req.amountCents < minimum) issues.push({ path: 'amount', message: `must be at least ${(minimum / 100).toFixed(2)}` });
  if (req.amountCents > b.balanceDueCents) issues.push({ path: 'amount', message: `must not exceed the balance of ${(b.balanceDueCents / 100).toFixed(2)}` });
  if (issues.length > 0) throw new ValidationError('promise to pay does not meet the rules', issues);
}

/** The legal contact window every preferred-hours range must stay inside (Reg F §1006.6(b)(1)(i)). */
export const LEGAL_WINDOW = { start: '08:00', end: '21:00' } as const;
const HHMM_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Checks "HH:MM-HH:MM" preferred contact hours: a non-empty range inside 08:00–21:00. */
export function contactHoursIssue(start: string, end: string): string | null {
  if (!HHMM_RE.test(start) || !HHMM_RE.test(end)) return 'start and end must be HH:MM (24h)';
  if (start >= end) return 'start must be before end';
  if (start < LEGAL_WINDOW.start || end > LEGAL_WINDOW.end) return `must be inside ${LEGAL_WINDOW.start}-${LEGAL_WINDOW.end} (local time)`;
  return null;
}
