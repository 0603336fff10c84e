/**
 * The rejects file (`runs/<runDate>/rejects.csv`): one line per rejected row, columns
 * `row,account_id,reason`, RFC 4180 quoting, LF line ends, UTF-8 without BOM.
 */

export interface RejectLine {
  row: number;
  accountId: string | null;
  reason: string;
}

/** The header line, newline included, so `REJECTS_HEADER + lines.join('')` is a whole file. */
export const REJECTS_HEADER = 'row,account_id,reason\n';

/** One rejects-file line, newline included. */
export function rejectToCsvLine(reject: RejectLine): string {
  return `${reject.row},${csvCell(reject.accountId ?? '')},${csvCell(reject.reason)}\n`;
}

// Cells a spreadsheet would run as a formula (OWASP "CSV injection"); ops staff open this file in Excel.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Quotes a cell when needed (doubling inner quotes) and defuses formula-like values with a leading '. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
