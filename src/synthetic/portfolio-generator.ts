/**
 * Deterministic, streaming generator of synthetic delinquent consumer-loan portfolios in the
 * portfolio CSV contract. Every account (and every day of its life) is derived from
 * (seed, account index, day) alone, so 200k+ rows stream without being held in memory and day k's
 * file evolves consistently from day 0: days past due advance, and accounts pay — drawn from the
 * hidden ground truth (./ground-truth.ts) — and cure.
 *
 * All data is fictitious: e-mails use example.com/example.org, names come from a fixed list and
 * carry no meaning for the ground truth.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Account, Product } from '../domain/portfolio/account';
import { dateOfEpochDay, epochDayOf } from '../domain/model/dates';
import { featureVector, FEATURE_NAMES, NUM_FEATURES } from '../domain/model/features';
import { trueProbabilityOnDay } from './ground-truth';
import { PORTFOLIO_COLUMNS } from '../domain/portfolio/columns';
import { Rng, streamSeed } from './prng';
import { FIRST_NAMES, LANGUAGES, LAST_NAMES, STATES, type StateInfo } from './reference-data';

// One definition of the file's columns: the contract's own list (docs/portfolio-file.md).
export { PORTFOLIO_COLUMNS };

export const MALFORMATIONS = [
  'bad_date',
  'bad_state',
  'negative_balance',
  'duplicate_account_id',
  'bad_email',
  'bad_number',
  'bad_product',
  'missing_account_id',
  'past_due_exceeds_balance',
] as const;
export type Malformation = (typeof MALFORMATIONS)[number];

export interface GenerateOptions {
  /** Number of data rows. */
  accounts: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Date of the file being produced, YYYY-MM-DD. */
  runDate: string;
  /** Days since the portfolio's day 0 (default 0). Day 0's date is runDate − dayIndex. */
  dayIndex?: number;
  /** Share of rows (0..1) replaced by a malformed variant, for quarantine tests (default 0). */
  malformedRate?: number;
  /** Restrict injected malformations to these kinds (default: all). */
  malformations?: readonly Malformation[];
  /** Line ending of the CSV (default '\n'). */
  eol?: '\n' | '\r\n';
}

export interface GeneratedRow {
  /** 0-based data row index (row number in the file is index + 1). */
  index: number;
  runDate: string;
  /** The account as a correct parser would read it (for a malformed row: the account before corruption). */
  account: Account;
  /** Null for a valid row; otherwise what was broken. */
  malformation: Malformation | null;
  /** CSV cell texts in PORTFOLIO_COLUMNS order (already corrupted for a malformed row). */
  cells: string[];
}

// Purposes of the PRNG streams.
const S_CUSTOMER = 1;
const S_ACCOUNT = 2;
const S_SHARE = 3;
const S_MALFORM = 4;
const S_LABEL = 5;
const dayStream = (day: number): number => 100 + day;

const PRODUCT_CUM: readonly (readonly [Product, number])[] = [
  ['credit_card', 0.45], ['personal_loan', 0.7], ['auto_loan', 0.85], ['bnpl', 1],
];
const STATE_CUM: Float64Array = (() => {
  const total = STATES.reduce((s, x) => s + x.popK, 0);
  const out = new Float64Array(STATES.length);
  let acc = 0;
  STATES.forEach((s, i) => { acc += s.popK / total; out[i] = acc; });
  out[STATES.length - 1] = 1;
  return out;
})();
const LANG_CUM: readonly (readonly [string, number])[] = (() => {
  let acc = 0;
  return LANGUAGES.map(([l, w]) => { acc += w; return [l, acc] as const; });
})();

function pickState(r: number): StateInfo {
  let i = 0;
  while (STATE_CUM[i]! < r) i++;
  return STATES[i]!;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function formatCents(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const c = abs % 100;
  return `${neg ? '-' : ''}${Math.floor(abs / 100)}.${c < 10 ? '0' : ''}${c}`;
}

export function accountIdOf(index: number): string {
  return `ACC${pad(index + 1, 9)}`;
}

/** About 6% of accounts belong to the same customer as the account before them. */
function customerIndexOf(seed: number, index: number, rng: Rng): number {
  let j = index;
  while (j > 0 && rng.reseed(streamSeed(seed, j, S_SHARE)).next() < 0.06) j--;
  return j;
}

interface SimState {
  account: Account;
  /** The scheduled monthly payment, in cents: what each new missed cycle adds to the past-due amount. */
  monthlyPaymentCents: number;
}

const roundCents = (dollars: number): number => Math.max(0, Math.round(dollars * 100));

/** Day-0 state of account `index` (day 0 = epoch day `day0`). */
function baseAccount(seed: number, index: number, day0: number, rng: Rng): SimState {
  const custIdx = customerIndexOf(seed, index, rng);

  // Customer-level facts (shared by a customer's accounts).
  rng.reseed(streamSeed(seed, custIdx, S_CUSTOMER));
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const st = pickState(rng.next());
  const local = `${firstName}.${lastName}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
  const email = rng.chance(0.05) ? null : `${local}${rng.int(1, 999)}@${rng.chance(0.8) ? 'example.com' : 'example.org'}`;
  const phone = rng.chance(0.04)
    ? null
    : `+1${rng.pick(st.areaCodes)}${rng.int(200, 999)}${pad(rng.int(0, 9999), 4)}`;
  const lr = rng.next();
  let language = 'en';
  for (const [l, c] of LANG_CUM) if (lr < c) { language = l; break; }
  const postalCode = rng.chance(0.01) ? null : `${pad(rng.int(st.zipLo, st.zipHi), 3)}${pad(rng.int(1, 99), 2)}`;
  const tzr = rng.next();
  const timezone = tzr < 0.35 ? null : st.altTz !== null && tzr > 0.93 ? st.altTz : st.tz;
  const emailConsent = rng.chance(0.9);
  const smsConsent = rng.chance(0.75);
  const callConsent = rng.chance(0.85);
  const doNotContact = rng.chance(0.02);
  const incomeMissing = rng.chance(0.12);
  const monthlyIncome = Math.min(40000, Math.max(900, Math.exp(8.35 + 0.5 * rng.normal())));
  const ficoBase = rng.normal();

  // Account-level facts.
  rng.reseed(streamSeed(seed, index, S_ACCOUNT));
  const pr = rng.next();
  let product: Product = 'bnpl';
  for (const [p, c] of PRODUCT_CUM) if (pr < c) { product = p; break; }

  let balance: number;
  let limit: number | null;
  let payment: number;
  switch (product) {
    case 'credit_card': {
      limit = Math.round(Math.min(30000, Math.max(300, Math.exp(8.3 + 0.7 * rng.normal()))) / 100) * 100;
      balance = limit * Math.max(0.05, Math.min(1.25, 0.8 + 0.25 * rng.normal()));
      payment = Math.max(35, balance * 0.03);
      break;
    }
    case 'personal_loan': {
      limit = Math.round(Math.min(50000, Math.max(1000, Math.exp(9.1 + 0.6 * rng.normal()))) / 100) * 100;
      balance = limit * (0.2 + 0.8 * rng.next());
      payment = limit / 36 * 1.15;
      break;
    }
    case 'auto_loan': {
      limit = Math.round(Math.min(80000, Math.max(4000, Math.exp(10.0 + 0.45 * rng.normal()))) / 100) * 100;
      balance = limit * (0.15 + 0.85 * rng.next());
      payment = limit / 60 * 1.2;
      break;
    }
    default: {
      limit = Math.round(Math.min(3000, Math.max(100, Math.exp(6.2 + 0.6 * rng.normal()))) / 10) * 10;
      balance = limit * (0.25 + 0.75 * rng.next());
      payment = limit / 4;
    }
  }
  if (product !== 'credit_card' && rng.chance(0.05)) limit = null; // lender did not send it

  // Delinquency stage: a small share current, most in early buckets, a long tail past 180.
  const br = rng.next();
  let dpd: number;
  if (br < 0.06) dpd = 0;
  else if (br < 0.42) dpd = rng.int(1, 30);
  else if (br < 0.64) dpd = rng.int(31, 60);
  else if (br < 0.77) dpd = rng.int(61, 90);
  else if (br < 0.86) dpd = rng.int(91, 120);
  else if (br < 0.95) dpd = rng.int(121, 180);
  else dpd = rng.int(181, 540);
  const cycles = dpd === 0 ? 0 : Math.ceil(dpd / 30);
  const balanceCents = roundCents(balance);
  const lateFees = cycles * (product === 'credit_card' ? 29 : product === 'bnpl' ? 7 : 25);
  const pastDueCents = dpd === 0 ? 0 : Math.min(balanceCents, roundCents(cycles * payment + lateFees));

  // Payment history: people further behind paid less, and longer ago.
  const stageFactor = Math.min(1, dpd / 120);
  const neverPaid = rng.chance(0.04 + 0.12 * stageFactor);
  let lastPaymentDay: number | null = null;
  let lastPaymentCents: number | null = null;
  if (!neverPaid) {
    const partial = dpd > 0 && rng.chance(0.25);
    const ago = dpd === 0 ? rng.int(1, 31) : partial ? rng.int(1, Math.max(1, dpd)) : dpd + rng.int(0, 30);
    lastPaymentDay = day0 - ago;
    lastPaymentCents = roundCents(payment * (partial ? 0.2 + 0.6 * rng.next() : 0.8 + 0.5 * rng.next()));
  }
  let pay6: number | null = neverPaid ? 0 : Math.max(0, Math.min(6, Math.round(6 - 5 * stageFactor + 1.3 * rng.normal())));
  if (rng.chance(0.03)) pay6 = null;

  const ficoMissing = rng.chance(0.04);
  const fico = Math.round(Math.min(850, Math.max(300, 655 - 110 * stageFactor + 55 * ficoBase + 20 * rng.normal())));

  const promiseRoll = rng.next();
  const promiseDay = dpd > 0 && promiseRoll < 0.04 ? day0 + rng.int(1, 14) : dpd > 0 && promiseRoll < 0.05 ? day0 - rng.int(1, 20) : null;

  const account: Account = {
    accountId: accountIdOf(index),
    customerId: `CUS${pad(custIdx + 1, 9)}`,
    firstName,
    lastName,
    email,
    phone,
    language,
    state: st.code,
    postalCode,
    timezone,
    product,
    balanceDueCents: balanceCents,
    amountPastDueCents: pastDueCents,
    daysPastDue: dpd,
    creditLimitCents: limit === null ? null : Math.round(limit * 100),
    lastPaymentDate: lastPaymentDay === null ? null : dateOfEpochDay(lastPaymentDay),
    lastPaymentAmountCents: lastPaymentCents,
    paymentsLast6m: pay6,
    ficoScore: ficoMissing ? null : fico,
    monthlyIncomeCents: incomeMissing ? null : roundCents(monthlyIncome),
    emailConsent,
    smsConsent,
    callConsent,
    doNotContact,
    inDispute: rng.chance(0.03),
    bankruptcy: rng.chance(0.012),
    promiseToPayDate: promiseDay === null ? null : dateOfEpochDay(promiseDay),
  };
  return { account, monthlyPaymentCents: roundCents(payment) };
}

/**
 * Advance one account through day `d` (from epoch day `today` to the next): it pays with the daily
 * hazard implied by its 30-day ground-truth probability, curing all past-due; otherwise the
 * delinquency ages, and every 30 days another scheduled payment falls past due.
 */
function advanceOneDay(s: SimState, today: number, rng: Rng): void {
  const a = s.account;
  const p30 = trueProbabilityOnDay(a, today);
  const daily = 1 - Math.pow(1 - p30, 1 / 30);
  if (a.balanceDueCents > 0 && rng.next() < daily) {
    const amount = a.amountPastDueCents > 0 ? a.amountPastDueCents : Math.min(s.monthlyPaymentCents, a.balanceDueCents);
    a.balanceDueCents -= amount;
    a.amountPastDueCents = 0;
    a.daysPastDue = 0;
    a.lastPaymentDate = dateOfEpochDay(today);
    a.lastPaymentAmountCents = amount;
    a.paymentsLast6m = Math.min(6, (a.paymentsLast6m ?? 0) + 1);
    a.promiseToPayDate = null;
    return;
  }
  if (a.daysPastDue > 0) {
    a.daysPastDue += 1;
    if (a.daysPastDue % 30 === 1) {
      a.amountPastDueCents = Math.min(a.balanceDueCents, a.amountPastDueCents + s.monthlyPaymentCents);
    }
  } else if (
    a.balanceDueCents > 0 &&
    (a.lastPaymentDate === null || today - epochDayOf(a.lastPaymentDate) >= 30) &&
    rng.next() < 0.004
  ) {
    // A current account that has not paid this cycle misses its due date.
    a.daysPastDue = 1;
    a.amountPastDueCents = Math.min(a.balanceDueCents, s.monthlyPaymentCents);
  }
}

const NEEDS_QUOTE = /[",\r\n]/;
const csvCell = (s: string): string => (NEEDS_QUOTE.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const bool = (b: boolean): string => (b ? 'true' : 'false');
const opt = (n: number | null): string => (n === null ? '' : String(n));
const optCents = (n: number | null): string => (n === null ? '' : formatCents(n));

export function accountCells(a: Account): string[] {
  return [
    a.accountId, a.customerId, csvCell(a.firstName), csvCell(a.lastName), a.email ?? '', a.phone ?? '',
    a.language, a.state, a.postalCode ?? '', a.timezone ?? '', a.product, formatCents(a.balanceDueCents),
    formatCents(a.amountPastDueCents), String(a.daysPastDue), optCents(a.creditLimitCents),
    a.lastPaymentDate ?? '', optCents(a.lastPaymentAmountCents), opt(a.paymentsLast6m), opt(a.ficoScore),
    optCents(a.monthlyIncomeCents), bool(a.emailConsent), bool(a.smsConsent), bool(a.callConsent),
    bool(a.doNotContact), bool(a.inDispute), bool(a.bankruptcy), a.promiseToPayDate ?? '',
  ];
}

const COL = Object.fromEntries(PORTFOLIO_COLUMNS.map((c, i) => [c, i])) as Record<(typeof PORTFOLIO_COLUMNS)[number], number>;

function corrupt(kind: Malformation, cells: string[], duplicateOf: number, rng: Rng): void {
  switch (kind) {
    case 'bad_date':
      cells[COL.last_payment_date] = rng.pick(['2025-13-45', '31/12/2025', '2025-02-30', 'yesterday']);
      break;
    case 'bad_state':
      cells[COL.state] = rng.pick(['ZZ', 'XX', 'Texas', 'Q1']);
      break;
    case 'negative_balance':
      cells[COL.balance_due] = `-${cells[COL.balance_due]}`;
      break;
    case 'duplicate_account_id':
      cells[COL.account_id] = accountIdOf(duplicateOf);
      break;
    case 'bad_email':
      cells[COL.email] = rng.pick(['no-at-sign.example.com', 'a@@example.com', 'first last@example.com', '@example.org']);
      break;
    case 'bad_number':
      cells[COL.days_past_due] = rng.pick(['abc', '12.5', '-3', 'NaN']);
      break;
    case 'bad_product':
      cells[COL.product] = rng.pick(['mortgage', 'CREDITCARD', 'heloc']);
      break;
    case 'missing_account_id':
      cells[COL.account_id] = '';
      break;
    case 'past_due_exceeds_balance': {
      const bal = Number(cells[COL.balance_due]);
      cells[COL.amount_past_due] = formatCents(Math.round(bal * 100) + 10000);
      break;
    }
  }
}

function validateOptions(opts: GenerateOptions): { day0: number; dayIndex: number; seed: number } {
  if (!Number.isInteger(opts.accounts) || opts.accounts < 0) throw new RangeError('accounts must be a non-negative integer');
  const runDay = epochDayOf(opts.runDate);
  if (Number.isNaN(runDay)) throw new RangeError(`runDate must be YYYY-MM-DD, got ${JSON.stringify(opts.runDate)}`);
  const dayIndex = opts.dayIndex ?? 0;
  if (!Number.isInteger(dayIndex) || dayIndex < 0) throw new RangeError('dayIndex must be a non-negative integer');
  const rate = opts.malformedRate ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError('malformedRate must be within 0..1');
  return { day0: runDay - dayIndex, dayIndex, seed: (opts.seed ?? 1) >>> 0 };
}

/** Rows of the portfolio for opts.runDate (day opts.dayIndex of its life). Lazy: nothing is held. */
export function* generateAccounts(opts: GenerateOptions): Generator<GeneratedRow> {
  const { day0, dayIndex, seed } = validateOptions(opts);
  const rate = opts.malformedRate ?? 0;
  const kinds = opts.malformations ?? MALFORMATIONS;
  const rng = new Rng(0);
  // A duplicate copies the id of the latest valid row, so a reader has surely accepted it first.
  let lastValid = -1;
  for (let i = 0; i < opts.accounts; i++) {
    const s = baseAccount(seed, i, day0, rng);
    for (let d = 0; d < dayIndex; d++) advanceOneDay(s, day0 + d, rng.reseed(streamSeed(seed, i, dayStream(d))));
    const cells = accountCells(s.account);
    let malformation: Malformation | null = null;
    if (rate > 0) {
      rng.reseed(streamSeed(seed, i, S_MALFORM + 1000 * (dayIndex + 1)));
      if (rng.next() < rate) {
        let kind = rng.pick(kinds);
        if (kind === 'duplicate_account_id' && lastValid < 0) kind = kinds.find((k) => k !== 'duplicate_account_id') ?? 'bad_state';
        corrupt(kind, cells, lastValid, rng);
        malformation = kind;
      }
    }
    if (malformation === null) lastValid = i;
    yield { index: i, runDate: opts.runDate, account: s.account, malformation, cells };
  }
}

/** Day `dayIndex` of the portfolio whose day 0 is `base.runDate` (date shifts by dayIndex days). */
export function portfolioForDay(base: Omit<GenerateOptions, 'dayIndex'>, dayIndex: number): Generator<GeneratedRow> {
  const day0 = epochDayOf(base.runDate);
  if (Number.isNaN(day0)) throw new RangeError(`runDate must be YYYY-MM-DD, got ${JSON.stringify(base.runDate)}`);
  return generateAccounts({ ...base, runDate: dateOfEpochDay(day0 + dayIndex), dayIndex });
}

/** CSV lines, header first, each ending with the EOL. */
export function* portfolioCsvLines(opts: GenerateOptions): Generator<string> {
  const eol = opts.eol ?? '\n';
  yield PORTFOLIO_COLUMNS.join(',') + eol;
  for (const row of generateAccounts(opts)) yield row.cells.join(',') + eol;
}

/** Write lines to a stream in ~256 KB writes, honouring back-pressure. */
export async function writeLines(out: Writable, lines: Iterable<string>): Promise<number> {
  let buf = '';
  let n = 0;
  for (const line of lines) {
    buf += line;
    n++;
    if (buf.length >= 262144) {
      const ok = out.write(buf);
      buf = '';
      if (!ok) await once(out, 'drain');
    }
  }
  if (buf.length > 0 && !out.write(buf)) await once(out, 'drain');
  return n;
}

/** Stream a portfolio CSV to a file path or a Writable (a Writable is left open). Returns the data-row count. */
export async function writePortfolioCsv(target: string | Writable, opts: GenerateOptions): Promise<{ rows: number }> {
  if (typeof target !== 'string') return { rows: (await writeLines(target, portfolioCsvLines(opts))) - 1 };
  const out = createWriteStream(target);
  const lines = await writeLines(out, portfolioCsvLines(opts));
  out.end();
  await once(out, 'finish');
  return { rows: lines - 1 };
}

/**
 * The labelled training set: FEATURE_NAMES columns computed by the production featureVector, then
 * `label` (payment within 30 days, drawn from the ground truth) and `true_p` (the oracle).
 * Missing feature values are empty fields. Malformed rows are never included.
 */
export function* historyCsvLines(opts: Omit<GenerateOptions, 'malformedRate'>): Generator<string> {
  const eol = opts.eol ?? '\n';
  yield [...FEATURE_NAMES, 'label', 'true_p'].join(',') + eol;
  const v = new Float64Array(NUM_FEATURES);
  const rng = new Rng(0);
  const seed = (opts.seed ?? 1) >>> 0;
  const runDay = epochDayOf(opts.runDate);
  for (const row of generateAccounts({ ...opts, malformedRate: 0 })) {
    featureVector(row.account, row.runDate, v);
    const p = trueProbabilityOnDay(row.account, runDay);
    const label = rng.reseed(streamSeed(seed, row.index, S_LABEL + 1000 * ((opts.dayIndex ?? 0) + 1))).next() < p ? 1 : 0;
    let line = '';
    for (let j = 0; j < NUM_FEATURES; j++) {
      const x = v[j]!;
      line += (Number.isNaN(x) ? '' : String(x)) + ',';
    }
    yield `${line}${label},${p}${eol}`;
  }
}
