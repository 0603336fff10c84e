import type { Account } from '../../../src/domain/portfolio/account';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { epochDayOf } from '../../../src/domain/model/dates';
import { FEATURE_NAMES } from '../../../src/domain/model/features';
import { trueProbability } from '../../../src/synthetic/ground-truth';
import {
  generateAccounts,
  historyCsvLines,
  MALFORMATIONS,
  PORTFOLIO_COLUMNS,
  portfolioCsvLines,
  portfolioForDay,
  writePortfolioCsv,
  type GeneratedRow,
} from '../../../src/synthetic/portfolio-generator';
import { STATE_CODES } from '../../../src/synthetic/reference-data';

const RUN_DATE = '2026-11-23';
const take = (opts: Parameters<typeof generateAccounts>[0]): GeneratedRow[] => [...generateAccounts(opts)];
const col = (name: (typeof PORTFOLIO_COLUMNS)[number]): number => PORTFOLIO_COLUMNS.indexOf(name);

/** Independent check of one CSV row against the portfolio contract; returns the problems found. */
function problems(cells: string[], seenIds: Set<string>): string[] {
  const out: string[] = [];
  const money = /^\d+\.\d{2}$/;
  const date = (s: string) => s === '' || !Number.isNaN(epochDayOf(s));
  const id = cells[col('account_id')]!;
  if (id === '') out.push('account_id blank');
  else if (seenIds.has(id)) out.push('duplicate account_id');
  if (!STATE_CODES.has(cells[col('state')]!)) out.push('state');
  if (!['credit_card', 'personal_loan', 'auto_loan', 'bnpl'].includes(cells[col('product')]!)) out.push('product');
  const bal = cells[col('balance_due')]!;
  const apd = cells[col('amount_past_due')]!;
  if (!money.test(bal)) out.push('balance_due');
  if (!money.test(apd)) out.push('amount_past_due');
  if (money.test(bal) && money.test(apd) && Math.round(Number(apd) * 100) > Math.round(Number(bal) * 100)) out.push('past due > balance');
  if (!/^\d+$/.test(cells[col('days_past_due')]!)) out.push('days_past_due');
  if (!date(cells[col('last_payment_date')]!) || !date(cells[col('promise_to_pay_date')]!)) out.push('date');
  const email = cells[col('email')]!;
  if (email !== '' && !/^[a-z0-9._%+-]+@example\.(com|org)$/.test(email)) out.push('email');
  const phone = cells[col('phone')]!;
  if (phone !== '' && !/^\+1[2-9]\d{2}[2-9]\d{6}$/.test(phone)) out.push('phone');
  for (const c of ['credit_limit', 'last_payment_amount', 'monthly_income'] as const) {
    const v = cells[col(c)]!;
    if (v !== '' && !money.test(v)) out.push(c);
  }
  for (const c of ['email_consent', 'sms_consent', 'call_consent', 'do_not_contact', 'in_dispute', 'bankruptcy'] as const) {
    if (!['true', 'false'].includes(cells[col(c)]!)) out.push(c);
  }
  return out;
}

describe('synthetic portfolio generator', () => {
  it('writes the contract header, then one line per account', () => {
    const lines = [...portfolioCsvLines({ accounts: 5, seed: 3, runDate: RUN_DATE })];
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(`${PORTFOLIO_COLUMNS.join(',')}\n`);
    expect(PORTFOLIO_COLUMNS).toEqual([
      'account_id', 'customer_id', 'first_name', 'last_name', 'email', 'phone', 'language', 'state', 'postal_code',
      'timezone', 'product', 'balance_due', 'amount_past_due', 'days_past_due', 'credit_limit', 'last_payment_date',
      'last_payment_amount', 'payments_last_6m', 'fico_score', 'monthly_income', 'email_consent', 'sms_consent',
      'call_consent', 'do_not_contact', 'in_dispute', 'bankruptcy', 'promise_to_pay_date',
    ]);
    for (const l of lines.slice(1)) expect(l.trimEnd().split(',')).toHaveLength(PORTFOLIO_COLUMNS.length);
    expect([...portfolioCsvLines({ accounts: 1, runDate: RUN_DATE, eol: '\r\n' })][1]).toMatch(/[^\r]\r\n$/);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = [...portfolioCsvLines({ accounts: 300, seed: 42, runDate: RUN_DATE })].join('');
    const b = [...portfolioCsvLines({ accounts: 300, seed: 42, runDate: RUN_DATE })].join('');
    const c = [...portfolioCsvLines({ accounts: 300, seed: 43, runDate: RUN_DATE })].join('');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    // Streaming: a prefix of a bigger book is the smaller book.
    const big = [...portfolioCsvLines({ accounts: 600, seed: 42, runDate: RUN_DATE })].slice(0, 301).join('');
    expect(big).toBe(a);
  });

  it('produces valid, realistic rows', () => {
    const rows = take({ accounts: 20000, seed: 11, runDate: RUN_DATE });
    const seen = new Set<string>();
    const failures: string[] = [];
    for (const r of rows) {
      for (const p of problems(r.cells, seen)) failures.push(`row ${r.index}: ${p}`);
      seen.add(r.cells[0]!);
      const a = r.account;
      if (a.amountPastDueCents > a.balanceDueCents || a.amountPastDueCents < 0) failures.push(`row ${r.index}: past due`);
      if (a.daysPastDue === 0 && a.amountPastDueCents !== 0) failures.push(`row ${r.index}: current with past due`);
    }
    expect(failures).toEqual([]);
    const share = (f: (r: GeneratedRow) => boolean) => rows.filter(f).length / rows.length;
    expect(new Set(rows.map((r) => r.account.state)).size).toBe(52);
    expect(share((r) => r.account.state === 'CA')).toBeGreaterThan(share((r) => r.account.state === 'WY') * 20);
    expect(share((r) => r.account.timezone === null)).toBeGreaterThan(0.2);
    expect(share((r) => r.account.timezone?.startsWith('America/') ?? false)).toBeGreaterThan(0.5);
    expect(share((r) => r.account.language === 'en')).toBeGreaterThan(0.8);
    expect(share((r) => r.account.language === 'es')).toBeGreaterThan(0.05);
    expect(new Set(rows.map((r) => r.account.language)).size).toBeGreaterThan(3);
    expect(new Set(rows.map((r) => r.account.product))).toEqual(new Set(['credit_card', 'personal_loan', 'auto_loan', 'bnpl']));
    expect(share((r) => r.account.daysPastDue === 0)).toBeGreaterThan(0.02);
    expect(share((r) => r.account.daysPastDue > 180)).toBeGreaterThan(0.02);
    expect(share((r) => r.account.emailConsent)).toBeGreaterThan(0.8);
    for (const flag of ['doNotContact', 'inDispute', 'bankruptcy'] as const) {
      expect(share((r) => r.account[flag])).toBeGreaterThan(0.003);
      expect(share((r) => r.account[flag])).toBeLessThan(0.06);
    }
    const runDay = epochDayOf(RUN_DATE);
    expect(share((r) => r.account.promiseToPayDate !== null && epochDayOf(r.account.promiseToPayDate) > runDay)).toBeGreaterThan(0.01);
    expect(new Set(rows.map((r) => r.account.customerId)).size).toBeLessThan(rows.length); // some customers hold 2+ accounts
  });

  it('evolves a portfolio day by day: delinquency ages or the account pays and cures', () => {
    const base = { accounts: 3000, seed: 5, runDate: RUN_DATE };
    const day0 = take(base);
    const day3 = [...portfolioForDay(base, 3)];
    expect(day3[0]!.runDate).toBe('2026-11-26');
    // Same as asking for the file date directly.
    expect(take({ ...base, runDate: '2026-11-26', dayIndex: 3 }).map((r) => r.cells.join(','))).toEqual(day3.map((r) => r.cells.join(',')));
    let cured = 0;
    let aged = 0;
    day3.forEach((r, i) => {
      const before = day0[i]!.account;
      const now = r.account;
      expect(now.accountId).toBe(before.accountId);
      expect(now.amountPastDueCents).toBeLessThanOrEqual(now.balanceDueCents);
      if (before.daysPastDue > 0) {
        if (now.daysPastDue === 0) {
          cured++;
          expect(now.amountPastDueCents).toBe(0);
          expect(epochDayOf(now.lastPaymentDate!)).toBeGreaterThanOrEqual(epochDayOf(RUN_DATE));
          expect(now.balanceDueCents).toBeLessThan(before.balanceDueCents);
        } else {
          aged++;
          expect(now.daysPastDue).toBe(before.daysPastDue + 3);
        }
      }
    });
    expect(cured).toBeGreaterThan(50);
    expect(aged).toBeGreaterThan(cured);
    // The cure rate follows the ground truth: likelier payers cure more often.
    const high = day0.filter((r) => r.account.daysPastDue > 0 && trueProbability(r.account, RUN_DATE) > 0.6).map((r) => r.index);
    const low = day0.filter((r) => r.account.daysPastDue > 0 && trueProbability(r.account, RUN_DATE) < 0.2).map((r) => r.index);
    const cureRate = (ix: number[]) => ix.filter((i) => day3[i]!.account.daysPastDue === 0).length / ix.length;
    expect(cureRate(high)).toBeGreaterThan(cureRate(low) * 2);
  });

  it('injects malformed rows that are actually invalid, and only those', () => {
    const rows = take({ accounts: 5000, seed: 9, runDate: RUN_DATE, malformedRate: 0.1 });
    const bad = rows.filter((r) => r.malformation !== null);
    expect(bad.length).toBeGreaterThan(350);
    expect(bad.length).toBeLessThan(650);
    expect(new Set(bad.map((r) => r.malformation))).toEqual(new Set(MALFORMATIONS));
    const seen = new Set<string>();
    for (const r of rows) {
      const found = problems(r.cells, seen);
      if (r.malformation === null) expect(found).toEqual([]);
      else expect(found.length).toBeGreaterThan(0);
      if (r.malformation === null) seen.add(r.cells[0]!);
    }
    // Nothing malformed unless asked for.
    expect(take({ accounts: 2000, seed: 9, runDate: RUN_DATE }).every((r) => r.malformation === null)).toBe(true);
  });

  it('writes a CSV to a file and to a Writable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gen-'));
    const path = join(dir, 'p.csv');
    await expect(writePortfolioCsv(path, { accounts: 1234, seed: 1, runDate: RUN_DATE })).resolves.toEqual({ rows: 1234 });
    const text = readFileSync(path, 'utf8');
    expect(text).toBe([...portfolioCsvLines({ accounts: 1234, seed: 1, runDate: RUN_DATE })].join(''));
    let got = '';
    const sink = new Writable({ write(chunk: Buffer, _enc, cb) { got += chunk.toString(); cb(); } });
    await expect(writePortfolioCsv(sink, { accounts: 50, seed: 1, runDate: RUN_DATE })).resolves.toEqual({ rows: 50 });
    expect(got.split('\n').filter(Boolean)).toHaveLength(51);
  });

  it('streams a large book without holding it', () => {
    let n = 0;
    let maxDpd = 0;
    for (const r of generateAccounts({ accounts: 60000, seed: 2, runDate: RUN_DATE })) {
      n++;
      maxDpd = Math.max(maxDpd, r.account.daysPastDue);
    }
    expect(n).toBe(60000);
    expect(maxDpd).toBeGreaterThan(180);
  });

  it('writes the labelled history with the production feature columns', () => {
    const lines = [...historyCsvLines({ accounts: 4000, seed: 8, runDate: RUN_DATE })];
    expect(lines[0]!.trimEnd().split(',')).toEqual([...FEATURE_NAMES, 'label', 'true_p']);
    const body = lines.slice(1).map((l) => l.trimEnd().split(','));
    expect(body.every((c) => c.length === FEATURE_NAMES.length + 2)).toBe(true);
    const labels = body.map((c) => Number(c[FEATURE_NAMES.length]));
    const ps = body.map((c) => Number(c[FEATURE_NAMES.length + 1]));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(labels.every((y) => y === 0 || y === 1)).toBe(true);
    expect(Math.abs(mean(labels) - mean(ps))).toBeLessThan(0.03); // labels are drawn from the ground truth
  });
});

describe('ground truth', () => {
  const [row] = take({ accounts: 1, seed: 1, runDate: RUN_DATE });
  const base: Account = { ...row!.account, daysPastDue: 45, amountPastDueCents: 50000, balanceDueCents: 400000, promiseToPayDate: null };

  it('is a probability that falls with days past due and rises with payments', () => {
    const p = (over: Partial<Account>) => trueProbability({ ...base, ...over }, RUN_DATE);
    expect(p({})).toBeGreaterThan(0);
    expect(p({})).toBeLessThan(1);
    expect(p({ daysPastDue: 10 })).toBeGreaterThan(p({ daysPastDue: 100 }));
    expect(p({ paymentsLast6m: 5 })).toBeGreaterThan(p({ paymentsLast6m: 0 }));
    expect(p({ ficoScore: 780 })).toBeGreaterThan(p({ ficoScore: 560 }));
    expect(p({ lastPaymentDate: '2026-11-20' })).toBeGreaterThan(p({ lastPaymentDate: '2026-05-01' }));
    expect(p({ promiseToPayDate: '2026-11-30' })).toBeGreaterThan(p({}));
  });

  it('ignores names, language, state, postal code and time zone', () => {
    const p0 = trueProbability(base, RUN_DATE);
    const other = { ...base, firstName: 'Zed', lastName: 'Other', language: 'es', state: 'PR', postalCode: '00901', timezone: 'America/Puerto_Rico' };
    expect(trueProbability(other, RUN_DATE)).toBe(p0);
  });
});

it('trueProbability accepts a generated row', () => {
  const [row] = take({ accounts: 1, seed: 4, runDate: RUN_DATE });
  expect(trueProbability(row!)).toBe(trueProbability(row!.account, RUN_DATE));
  expect(() => trueProbability(row!.account, 'soon')).toThrow(RangeError);
});
