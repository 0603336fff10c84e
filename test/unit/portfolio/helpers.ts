import { PORTFOLIO_COLUMNS } from '../../../src/domain/portfolio/columns';
import { readPortfolio, type PortfolioItem } from '../../../src/domain/portfolio/reader';

/** A valid row with every column filled; override cells per test. */
export const VALID_ROW: Record<string, string> = {
  account_id: 'ACC-1',
  customer_id: 'CUS-1',
  first_name: 'Ana',
  last_name: 'Diaz',
  email: 'Ana.Diaz@Example.com',
  phone: '+14155550123',
  language: 'es',
  state: 'CA',
  postal_code: '94105',
  timezone: 'America/Los_Angeles',
  product: 'credit_card',
  balance_due: '1200.50',
  amount_past_due: '300',
  days_past_due: '45',
  credit_limit: '5000',
  last_payment_date: '2025-01-15',
  last_payment_amount: '125.5',
  payments_last_6m: '3',
  fico_score: '640',
  monthly_income: '4200.00',
  email_consent: 'true',
  sms_consent: 'false',
  call_consent: 'yes',
  do_not_contact: 'no',
  in_dispute: '0',
  bankruptcy: '0',
  promise_to_pay_date: '2025-03-01',
};

export const row = (overrides: Record<string, string> = {}): Record<string, string> => ({ ...VALID_ROW, ...overrides });

/** A CSV line (no newline) of `fields` in the given column order, quoting where needed. */
export function csvLine(fields: Record<string, string>, columns: readonly string[] = PORTFOLIO_COLUMNS): string {
  return columns
    .map((c) => {
      const v = fields[c] ?? '';
      return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    })
    .join(',');
}

export async function collect(source: AsyncIterable<Uint8Array | string>): Promise<PortfolioItem[]> {
  const items: PortfolioItem[] = [];
  for await (const item of readPortfolio(source)) items.push(item);
  return items;
}

/** Yields `text` as UTF-8 bytes cut every `size` bytes (splits multi-byte characters and CRLFs). */
export async function* bytes(text: string | Uint8Array, size = 5): AsyncGenerator<Uint8Array> {
  const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

export async function* strings(...chunks: string[]): AsyncGenerator<string> {
  for (const c of chunks) yield c;
}
