import type { Account, Product } from './account';
import { PRODUCTS } from './account';
import { ISO_639_1_CODES, US_STATE_CODES } from './codes';
import { PORTFOLIO_COLUMNS } from './columns';

/**
 * Row validation for the portfolio file (docs/portfolio-file.md). This runs for every row of
 * 200,000+ row files, so it is hand-written: precompiled regexes, no per-row schema objects.
 * Reasons never quote personal data (names, email, phone, postal code): the rejects file is
 * read by operations staff and may be forwarded.
 */

export type ValidationResult =
  | { ok: true; account: Account }
  | { ok: false; accountId: string | null; reasons: string[] };

export const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const MONEY_RE = /^(\d{1,13})(?:\.(\d{1,2}))?$/;
const DECIMAL_RE = /^-?\d+(?:\.\d+)?$/;
const INT_RE = /^\d{1,9}$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const E164_RE = /^\+[1-9]\d{1,14}$/;
const ZIP_RE = /^\d{5}(?:-\d{4})?$/;
// Practical RFC 5322 subset: dot-atom local part, dotted domain of LDH labels with an alphabetic TLD.
const EMAIL_RE =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;
// IANA names start with a letter; this keeps out UTC offsets such as "+05:00" that some Intl builds accept.
const TZ_SHAPE_RE = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

const MAX_NAME = 100;
const MAX_ECHO = 40;

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
  ['yes', true],
  ['no', false],
]);

const PRODUCT_SET: ReadonlySet<string> = new Set(PRODUCTS);

/** Quotes a non-personal value for a reason, shortened so a garbage cell cannot bloat the rejects file. */
function echo(value: string): string {
  const v = value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value;
  return `'${v}'`;
}

/** Parses a non-negative decimal with at most 2 places into integer cents, exactly (no float). */
export function parseMoneyCents(value: string): number | null {
  const m = MONEY_RE.exec(value);
  if (m === null) return null;
  const frac = m[2];
  const cents = frac === undefined ? 0 : frac.length === 1 ? Number(frac) * 10 : Number(frac);
  // At most 13 integer digits keeps the result below Number.MAX_SAFE_INTEGER.
  return Number(m[1]) * 100 + cents;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for a real calendar date written YYYY-MM-DD with a year from 1900 to 2100. */
export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (m === null) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const max = mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] as number);
  return d <= max;
}

let ianaZones: ReadonlySet<string> | null = null;
const zoneCache = new Map<string, string | null>();
const ZONE_CACHE_LIMIT = 10_000;

/**
 * Resolves an IANA time zone name (canonical names and links such as US/Eastern, any case) to
 * the canonical name, or null when it is not a zone. Results are cached: a file repeats a few
 * dozen zones, and constructing a DateTimeFormat per row would dominate the run.
 */
export function resolveTimeZone(value: string): string | null {
  const cached = zoneCache.get(value);
  if (cached !== undefined) return cached;
  ianaZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  let resolved: string | null = null;
  if (ianaZones.has(value)) resolved = value;
  else if (TZ_SHAPE_RE.test(value)) {
    try {
      resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      resolved = null;
    }
  }
  // Bounded so a file full of distinct garbage cannot grow memory without limit.
  if (zoneCache.size < ZONE_CACHE_LIMIT) zoneCache.set(value, resolved);
  return resolved;
}

function parseBool(value: string): boolean | undefined {
  const exact = BOOLEANS.get(value);
  return exact !== undefined ? exact : BOOLEANS.get(value.toLowerCase());
}

/** Why a money cell that did not parse failed. */
function moneyProblem(value: string): string {
  if (DECIMAL_RE.test(value)) {
    if (value.startsWith('-')) return 'must not be negative';
    if (value.split('.')[0]!.length > 13) return 'is too large';
  }
  return 'not a decimal with at most 2 places';
}

// Indices into PORTFOLIO_COLUMNS; the reader hands values over in that order.
const I = Object.fromEntries(PORTFOLIO_COLUMNS.map((c, i) => [c, i])) as Record<(typeof PORTFOLIO_COLUMNS)[number], number>;

// Cell checks: module-level functions, not per-row closures, because this runs 200,000+ times
// per file. Each appends `column: problem` to `reasons` and returns the parsed value.
type Values = readonly (string | undefined)[];

function cell(values: Values, i: number): string {
  const raw = values[i];
  return raw === undefined ? '' : raw.trim();
}

function requiredText(values: Values, reasons: string[], col: string, i: number): string {
  const s = cell(values, i);
  if (s === '') reasons.push(`${col}: required`);
  return s;
}

function checkId(values: Values, reasons: string[], col: string, i: number): string {
  const s = requiredText(values, reasons, col, i);
  if (s !== '' && !ID_RE.test(s)) reasons.push(`${col}: must be 1-64 characters of A-Z a-z 0-9 _ . : -`);
  return s;
}

function checkName(values: Values, reasons: string[], col: string, i: number): string {
  const s = requiredText(values, reasons, col, i);
  if (s.length > MAX_NAME) reasons.push(`${col}: longer than ${MAX_NAME} characters`);
  else if (CONTROL_RE.test(s)) reasons.push(`${col}: contains control characters`);
  return s;
}

function checkMoney(values: Values, reasons: string[], col: string, i: number, required: boolean): number | null {
  const s = cell(values, i);
  if (s === '') {
    if (required) reasons.push(`${col}: required`);
    return null;
  }
  const cents = parseMoneyCents(s);
  if (cents === null) reasons.push(`${col}: ${echo(s)} ${moneyProblem(s)}`);
  return cents;
}

function checkInt(
  values: Values,
  reasons: string[],
  col: string,
  i: number,
  min: number,
  max: number,
  required: boolean,
): number | null {
  const s = cell(values, i);
  if (s === '') {
    if (required) reasons.push(`${col}: required`);
    return null;
  }
  if (!INT_RE.test(s)) {
    reasons.push(`${col}: ${echo(s)} is not a whole number`);
    return null;
  }
  const n = Number(s);
  if (n < min || n > max) {
    reasons.push(`${col}: ${n} is outside ${min}-${max}`);
    return null;
  }
  return n;
}

function checkDate(values: Values, reasons: string[], col: string, i: number): string | null {
  const s = cell(values, i);
  if (s === '') return null;
  if (!isCalendarDate(s)) reasons.push(`${col}: ${echo(s)} is not a calendar date YYYY-MM-DD`);
  return s;
}

function checkBool(values: Values, reasons: string[], col: string, i: number): boolean {
  const s = cell(values, i);
  if (s === '') {
    reasons.push(`${col}: required`);
    return false;
  }
  const b = parseBool(s);
  if (b === undefined) {
    reasons.push(`${col}: ${echo(s)} is not one of true/false/1/0/yes/no`);
    return false;
  }
  return b;
}

/**
 * Validates one row whose values are given in PORTFOLIO_COLUMNS order (undefined = column absent).
 * This is the hot path the reader calls; `validateRecord` is the keyed convenience form.
 */
export function validateValues(values: Values): ValidationResult {
  const reasons: string[] = [];
  const accountId = checkId(values, reasons, 'account_id', I.account_id);
  const customerId = checkId(values, reasons, 'customer_id', I.customer_id);
  const firstName = checkName(values, reasons, 'first_name', I.first_name);
  const lastName = checkName(values, reasons, 'last_name', I.last_name);

  let email: string | null = cell(values, I.email);
  if (email === '') email = null;
  else if (email.length > 254 || email.indexOf('@') > 64 || !EMAIL_RE.test(email)) {
    reasons.push('email: not a valid email address');
  } else email = email.toLowerCase();

  let phone: string | null = cell(values, I.phone);
  if (phone === '') phone = null;
  else if (!E164_RE.test(phone)) reasons.push('phone: not an E.164 number (+ then 2-15 digits, e.g. +14155550123)');

  let language = cell(values, I.language);
  if (language === '') language = 'en';
  else {
    const lower = language.toLowerCase();
    if (ISO_639_1_CODES.has(lower)) language = lower;
    else reasons.push(`language: ${echo(language)} is not an ISO 639-1 code`);
  }

  let state = requiredText(values, reasons, 'state', I.state);
  if (state !== '') {
    const upper = state.toUpperCase();
    if (US_STATE_CODES.has(upper)) state = upper;
    else reasons.push(`state: ${echo(state)} is not a USPS state code`);
  }

  let postalCode: string | null = cell(values, I.postal_code);
  if (postalCode === '') postalCode = null;
  else if (!ZIP_RE.test(postalCode)) reasons.push('postal_code: not a 5-digit ZIP or ZIP+4 (12345-6789)');

  let timezone: string | null = cell(values, I.timezone);
  if (timezone === '') timezone = null;
  else {
    const resolved = resolveTimeZone(timezone);
    if (resolved === null) reasons.push(`timezone: ${echo(timezone)} is not an IANA time zone`);
    else timezone = resolved;
  }

  let product = requiredText(values, reasons, 'product', I.product);
  if (product !== '') {
    const lower = product.toLowerCase();
    if (PRODUCT_SET.has(lower)) product = lower;
    else reasons.push(`product: ${echo(product)} is not one of ${PRODUCTS.join(', ')}`);
  }

  const balanceDueCents = checkMoney(values, reasons, 'balance_due', I.balance_due, true);
  const amountPastDueCents = checkMoney(values, reasons, 'amount_past_due', I.amount_past_due, true);
  if (balanceDueCents !== null && amountPastDueCents !== null && amountPastDueCents > balanceDueCents) {
    reasons.push('amount_past_due: greater than balance_due');
  }
  const daysPastDue = checkInt(values, reasons, 'days_past_due', I.days_past_due, 0, 3650, true);
  const creditLimitCents = checkMoney(values, reasons, 'credit_limit', I.credit_limit, false);
  const lastPaymentDate = checkDate(values, reasons, 'last_payment_date', I.last_payment_date);
  const lastPaymentAmountCents = checkMoney(values, reasons, 'last_payment_amount', I.last_payment_amount, false);
  const paymentsLast6m = checkInt(values, reasons, 'payments_last_6m', I.payments_last_6m, 0, 1000, false);
  const ficoScore = checkInt(values, reasons, 'fico_score', I.fico_score, 300, 850, false);
  const monthlyIncomeCents = checkMoney(values, reasons, 'monthly_income', I.monthly_income, false);
  const emailConsent = checkBool(values, reasons, 'email_consent', I.email_consent);
  const smsConsent = checkBool(values, reasons, 'sms_consent', I.sms_consent);
  const callConsent = checkBool(values, reasons, 'call_consent', I.call_consent);
  const doNotContact = checkBool(values, reasons, 'do_not_contact', I.do_not_contact);
  const inDispute = checkBool(values, reasons, 'in_dispute', I.in_dispute);
  const bankruptcy = checkBool(values, reasons, 'bankruptcy', I.bankruptcy);
  const promiseToPayDate = checkDate(values, reasons, 'promise_to_pay_date', I.promise_to_pay_date);

  // Capped: an invalid id is only echoed to help the lender find the row.
  if (reasons.length > 0) return { ok: false, accountId: accountId === '' ? null : accountId.slice(0, 200), reasons };
  return {
    ok: true,
    account: {
      accountId,
      customerId,
      firstName,
      lastName,
      email,
      phone,
      language,
      state,
      postalCode,
      timezone,
      product: product as Product,
      balanceDueCents: balanceDueCents as number,
      amountPastDueCents: amountPastDueCents as number,
      daysPastDue: daysPastDue as number,
      creditLimitCents,
      lastPaymentDate,
      lastPaymentAmountCents,
      paymentsLast6m,
      ficoScore,
      monthlyIncomeCents,
      emailConsent,
      smsConsent,
      callConsent,
      doNotContact,
      inDispute,
      bankruptcy,
      promiseToPayDate,
    },
  };
}

/**
 * Validates one row given as column name → cell text. Missing optional columns count as blank;
 * unknown keys are ignored. Reasons are `column: problem`, in column order.
 */
export function validateRecord(fields: Record<string, string>): ValidationResult {
  const values = PORTFOLIO_COLUMNS.map((c) => (Object.prototype.hasOwnProperty.call(fields, c) ? fields[c] : undefined));
  return validateValues(values);
}
