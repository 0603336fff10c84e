/**
 * Validation of `POST /accounts` items (docs/accounts-api.md). An item is a JSON object keyed by the
 * portfolio file's column names (docs/portfolio-file.md), and the same row rules apply: each item
 * goes through the portfolio validator, so a lender sees one contract for the file and the API.
 */
import type { Account } from '../portfolio/account';
import { PORTFOLIO_COLUMNS } from '../portfolio/columns';
import { validateRecord } from '../portfolio/validate';

export const MAX_BATCH_ITEMS = 500;

export interface FieldIssue {
  field: string;
  message: string;
}

export type ItemCheck =
  | { index: number; ok: true; account: Account; unknownFields: string[] }
  | { index: number; ok: false; accountId: string | null; errors: FieldIssue[] };

const KNOWN: ReadonlySet<string> = new Set(PORTFOLIO_COLUMNS);

/** `column: problem` (the file validator's reason form) → a field-level issue. */
function toIssue(reason: string): FieldIssue {
  const i = reason.indexOf(': ');
  return i < 0 ? { field: '(item)', message: reason } : { field: reason.slice(0, i), message: reason.slice(i + 2) };
}

/**
 * JSON values become the cell text the file would carry: strings as is, finite numbers in their
 * shortest form (`12.5` → "12.5"; money and integer rules then apply exactly as to the file),
 * booleans as true/false, null as blank. Objects and arrays are rejected.
 */
function cellText(value: unknown): string | undefined {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Validates one item. Keys match the file's header rules: trimmed, case-insensitive; unknown keys are ignored and listed. */
export function checkAccountItem(item: unknown, index: number): ItemCheck {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    return { index, ok: false, accountId: null, errors: [{ field: '(item)', message: 'must be a JSON object keyed by the portfolio column names' }] };
  }
  const fields: Record<string, string> = {};
  const errors: FieldIssue[] = [];
  const unknownFields: string[] = [];
  for (const [rawKey, value] of Object.entries(item as Record<string, unknown>)) {
    const key = rawKey.trim().toLowerCase();
    if (!KNOWN.has(key)) {
      unknownFields.push(rawKey.slice(0, 64));
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(fields, key)) {
      errors.push({ field: key, message: 'given more than once (names are case-insensitive)' });
      continue;
    }
    const text = cellText(value);
    if (text === undefined) errors.push({ field: key, message: 'must be a string, number, boolean or null' });
    else fields[key] = text;
  }
  const result = validateRecord(fields);
  if (result.ok && errors.length === 0) return { index, ok: true, account: result.account, unknownFields };
  const all = [...errors, ...(result.ok ? [] : result.reasons.map(toIssue))];
  const accountId = result.ok ? result.account.accountId : result.accountId;
  return { index, ok: false, accountId, errors: all };
}

/**
 * Validates a batch. As in the file, the first item that carries an account id claims it (even
 * when that item is rejected for another reason); every later item with the same id is rejected,
 * so a batch never writes one account twice with different data in an undefined order.
 */
export function checkAccountBatch(items: readonly unknown[]): ItemCheck[] {
  const firstIndex = new Map<string, number>();
  return items.map((item, index) => {
    const check = checkAccountItem(item, index);
    const id = check.ok ? check.account.accountId : check.accountId;
    if (id === null) return check;
    const first = firstIndex.get(id);
    if (first === undefined) {
      firstIndex.set(id, index);
      return check;
    }
    const duplicate: FieldIssue = { field: 'account_id', message: `duplicate of item ${first} (the first item is kept)` };
    return { index, ok: false, accountId: id, errors: [duplicate, ...(check.ok ? [] : check.errors)] };
  });
}
