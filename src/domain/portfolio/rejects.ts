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
  return `${reject.row},${csvCell(defuseFormula(reject.accountId ?? ''))},${csvCell(reject.reason)}\n`;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 cell: quoted (inner quotes doubled) only when it holds a quote, comma or line break. */
export function csvCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// A rejected account_id is whatever the lender's file held; ops staff open the rejects file in a
// spreadsheet, which would run a cell starting with = + - @ as a formula (OWASP "CSV injection").
// A valid id may start with '-' ("-123"): harmless as a formula, so it is left unchanged.
const FORMULA_START = /^[=+@\t\r]|^-(?![A-Za-z0-9_.:-]*$)/;

/** Prefixes a formula-like value with ' so a spreadsheet shows it as text. */
export function defuseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
