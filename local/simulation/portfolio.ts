/**
 * The day's portfolio file with the simulation's own effects on top of the generator's day: what
 * customers paid (amount past due and balance reduced; paid in full → cured: 0 past due, 0 days past
 * due) and what they promised (`promise_to_pay_date`). A streaming row transform over the cells of
 * the portfolio-file contract (docs/portfolio-file.md); malformed rows pass through untouched.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { PORTFOLIO_COLUMNS } from '../../src/domain/portfolio/columns';
import type { Account } from '../../src/domain/portfolio/account';
import { formatCents, generateAccounts } from '../../src/synthetic/portfolio-generator';
import { profileFromAccount, type AccountProfile } from '../channels';

export interface AccountEffects {
  /** Paid by the simulation so far (cents, cumulative). */
  paidCents: number;
  lastPaymentDate?: string;
  lastPaymentCents?: number;
  /** The latest promise (YYYY-MM-DD). */
  promisedDate?: string;
}

const col = (name: (typeof PORTFOLIO_COLUMNS)[number]) => PORTFOLIO_COLUMNS.indexOf(name);
const C = {
  balance: col('balance_due'),
  pastDue: col('amount_past_due'),
  dpd: col('days_past_due'),
  lastPayDate: col('last_payment_date'),
  lastPayAmount: col('last_payment_amount'),
  promise: col('promise_to_pay_date'),
  state: col('state'),
};

/** Cents from a contract money cell (`310.00`, `1,234.56`, `$12`); NaN when it is not money. */
export function parseMoney(cell: string): number {
  const t = cell.trim().replace(/^\$/, '').replace(/,/g, '');
  return /^-?\d+(\.\d{1,2})?$/.test(t) ? Math.round(Number(t) * 100) : NaN;
}

/** Applies an account's effects to its cells (in PORTFOLIO_COLUMNS order); returns the amount past due after them. */
export function applyEffects(cells: string[], e: AccountEffects | undefined, runDate: string): number {
  const pastDue = parseMoney(cells[C.pastDue] ?? '');
  if (!e) return pastDue;
  const balance = parseMoney(cells[C.balance] ?? '');
  if (!Number.isFinite(pastDue) || !Number.isFinite(balance)) return pastDue;
  const newPastDue = Math.max(0, pastDue - e.paidCents);
  if (e.paidCents > 0) {
    cells[C.pastDue] = formatCents(newPastDue);
    cells[C.balance] = formatCents(Math.max(newPastDue, balance - e.paidCents));
    if (newPastDue === 0) cells[C.dpd] = '0';
    if (e.lastPaymentDate && e.lastPaymentCents) {
      cells[C.lastPayDate] = e.lastPaymentDate;
      cells[C.lastPayAmount] = formatCents(e.lastPaymentCents);
    }
  }
  // A promise still ahead (or due today) is what the lender's file would carry.
  if (e.promisedDate && e.promisedDate >= runDate && newPastDue > 0) cells[C.promise] = e.promisedDate;
  return newPastDue;
}

export interface DayAccount {
  accountId: string;
  state: string;
  /** Amount past due in the file written (after the effects). */
  pastDueCents: number;
}

/**
 * Writes day `dayIndex` of the generated portfolio with the effects applied, and returns the
 * ground-truth profiles (for the channel stand-ins) and what the simulation needs of each valid row.
 */
export async function writeDayPortfolio(
  file: string,
  opts: { accounts: number; runDate: string; dayIndex: number; seed: number; malformedRate: number },
  effects: ReadonlyMap<string, AccountEffects>,
): Promise<{ rows: number; profiles: Map<string, AccountProfile>; accounts: Map<string, DayAccount> }> {
  const out = createWriteStream(file);
  const profiles = new Map<string, AccountProfile>();
  const accounts = new Map<string, DayAccount>();
  let buf = `${PORTFOLIO_COLUMNS.join(',')}\n`;
  let rows = 0;
  for (const row of generateAccounts(opts)) {
    rows++;
    const cells = [...row.cells];
    if (row.malformation === null) {
      const a: Account = row.account;
      const pastDue = applyEffects(cells, effects.get(a.accountId), opts.runDate);
      const profile = profileFromAccount(a, opts.runDate);
      profiles.set(a.accountId, { ...profile, amountPastDueCents: Number.isFinite(pastDue) ? pastDue : profile.amountPastDueCents });
      accounts.set(a.accountId, { accountId: a.accountId, state: cells[C.state] ?? '', pastDueCents: pastDue });
    }
    buf += `${cells.join(',')}\n`;
    if (buf.length >= 262_144) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return { rows, profiles, accounts };
}
