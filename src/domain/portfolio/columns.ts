import { PortfolioFileError } from '../errors';

/** Every column of the portfolio file contract (docs/portfolio-file.md), in documentation order. */
export const PORTFOLIO_COLUMNS = [
  'account_id',
  'customer_id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'language',
  'state',
  'postal_code',
  'timezone',
  'product',
  'balance_due',
  'amount_past_due',
  'days_past_due',
  'credit_limit',
  'last_payment_date',
  'last_payment_amount',
  'payments_last_6m',
  'fico_score',
  'monthly_income',
  'email_consent',
  'sms_consent',
  'call_consent',
  'do_not_contact',
  'in_dispute',
  'bankruptcy',
  'promise_to_pay_date',
] as const;
export type PortfolioColumn = (typeof PORTFOLIO_COLUMNS)[number];

/** Columns that must be in the header and non-blank in every row. */
export const REQUIRED_COLUMNS = [
  'account_id',
  'customer_id',
  'first_name',
  'last_name',
  'state',
  'product',
  'balance_due',
  'amount_past_due',
  'days_past_due',
  'email_consent',
  'sms_consent',
  'call_consent',
  'do_not_contact',
  'in_dispute',
  'bankruptcy',
] as const satisfies readonly PortfolioColumn[];

const KNOWN: ReadonlySet<string> = new Set(PORTFOLIO_COLUMNS);

export interface HeaderInfo {
  /** Normalised header names (trimmed, lower-case) in file order; index i names field i of each row. */
  columns: string[];
  /** Header names that are not in the contract, in file order (ignored; report them as a warning). */
  unknown: string[];
}

/**
 * Normalises and checks a header row. Names are trimmed and matched case-insensitively so
 * `Account_ID` works; blank names (e.g. a trailing comma) are ignored like unknown columns.
 * Throws PortfolioFileError when a required column is missing or a name is repeated: either
 * would make every row ambiguous, so the run must stop before anything is written.
 */
export function checkHeader(header: string[]): HeaderInfo {
  const columns = header.map((name) => name.trim().toLowerCase());
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const unknown: string[] = [];
  for (const name of columns) {
    if (name === '') {
      unknown.push('(blank)');
      continue;
    }
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
    if (!KNOWN.has(name)) unknown.push(name);
  }
  const problems: string[] = [];
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    const noneKnown = columns.every((c) => !KNOWN.has(c));
    problems.push(
      `missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}` +
        (noneKnown ? ' (the first row must be the header row)' : ''),
    );
  }
  if (duplicates.size > 0) problems.push(`duplicate column${duplicates.size > 1 ? 's' : ''}: ${[...duplicates].join(', ')}`);
  if (problems.length > 0) throw new PortfolioFileError(`portfolio file header: ${problems.join('; ')}`);
  return { columns, unknown };
}
