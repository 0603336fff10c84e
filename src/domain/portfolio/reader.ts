import type { Account } from './account';
import { PortfolioFileError } from '../errors';
import { checkHeader, PORTFOLIO_COLUMNS, type HeaderInfo } from './columns';
import { csvRecordBatches, type RawRecord } from './csv';
import { validateValues } from './validate';

/**
 * Streams a portfolio file (docs/portfolio-file.md) into validated accounts and rejects.
 * Memory stays flat as the file grows: only the map of seen account ids grows with it.
 */

/** `row` is the file line the record starts on; the header is row 1, so the first data row is row 2. */
export type PortfolioItem =
  | { kind: 'account'; row: number; account: Account }
  | { kind: 'reject'; row: number; accountId: string | null; reason: string };

export type PortfolioReject = Extract<PortfolioItem, { kind: 'reject' }>;

export interface ReadPortfolioOptions {
  /** Called once with the checked header before the first item; use it to warn about `unknown` columns. */
  onHeader?: (header: HeaderInfo) => void;
}

/**
 * Yields one item per non-empty data row, in file order. Throws PortfolioFileError before
 * yielding anything when the file is empty, not UTF-8 text, or its header is invalid. A file
 * that turns out to be broken later (invalid UTF-8, an unterminated quote) throws at that point:
 * the caller must then fail the run rather than publish what it has.
 */
export async function* readPortfolio(
  source: AsyncIterable<Uint8Array | string>,
  options: ReadPortfolioOptions = {},
): AsyncGenerator<PortfolioItem> {
  const state: ReaderState = { header: null, seen: new Map() };
  const fail = (message: string, cause?: unknown) => new PortfolioFileError(message, cause === undefined ? undefined : { cause });
  for await (const records of csvRecordBatches(source, 'portfolio file', fail)) yield* toItems(records, state, options);
  if (state.header === null) throw new PortfolioFileError('portfolio file is empty (no header row)');
}

interface ReaderState {
  header: { info: HeaderInfo; width: number; toColumn: Int16Array } | null;
  /** account_id → row that claimed it first. */
  seen: Map<string, number>;
}

function* toItems(records: RawRecord[], state: ReaderState, options: ReadPortfolioOptions): Generator<PortfolioItem> {
  for (const record of records) {
    if (state.header === null) {
      if (record.malformed) {
        throw new PortfolioFileError(`portfolio file header: ${record.malformed.message} in column ${record.malformed.field + 1}`);
      }
      const info = checkHeader(record.fields);
      // toColumn[contractIndex] = field index in the file, -1 when the column is absent.
      const toColumn = new Int16Array(PORTFOLIO_COLUMNS.length).fill(-1);
      PORTFOLIO_COLUMNS.forEach((c, i) => (toColumn[i] = info.columns.indexOf(c)));
      state.header = { info, width: info.columns.length, toColumn };
      options.onHeader?.(info);
      continue;
    }
    yield toItem(record, state);
  }
}

function toItem(record: RawRecord, state: ReaderState): PortfolioItem {
  const header = state.header!;
  const { fields, line: row } = record;
  const idIndex = header.toColumn[0] as number; // account_id is required, so present
  const rawId = fields[idIndex]?.trim() ?? '';
  const guessedId = rawId === '' ? null : rawId.slice(0, 200);

  if (record.malformed) {
    const name = header.info.columns[record.malformed.field] ?? `field ${record.malformed.field + 1}`;
    return { kind: 'reject', row, accountId: guessedId, reason: `${name}: malformed quoting (${record.malformed.message})` };
  }
  if (fields.length !== header.width) {
    // The fields cannot be matched to columns, so nothing else about the row is checked.
    return {
      kind: 'reject',
      row,
      accountId: guessedId,
      reason: `expected ${header.width} fields, found ${fields.length}`,
    };
  }

  const values = new Array<string | undefined>(PORTFOLIO_COLUMNS.length);
  for (let i = 0; i < values.length; i++) {
    const at = header.toColumn[i] as number;
    values[i] = at === -1 ? undefined : fields[at];
  }
  const result = validateValues(values);

  // The first row carrying an account_id claims it, whether or not that row is valid:
  // a repeated id is a data problem the lender must resolve, not something to guess at.
  let duplicateOf: number | undefined;
  const claim = result.ok ? result.account.accountId : result.accountId;
  if (claim !== null && (result.ok || !result.reasons.some((r) => r.startsWith('account_id:')))) {
    duplicateOf = state.seen.get(claim);
    if (duplicateOf === undefined) state.seen.set(detach(claim), row);
  }

  if (result.ok && duplicateOf === undefined) return { kind: 'account', row, account: result.account };
  const reasons = result.ok ? [] : result.reasons;
  if (duplicateOf !== undefined) reasons.unshift(`account_id: duplicate of row ${duplicateOf} (the first row is kept)`);
  return { kind: 'reject', row, accountId: result.ok ? result.account.accountId : result.accountId, reason: reasons.join('; ') };
}

/**
 * A copy of `s` that does not keep alive the chunk it was cut from: V8 represents substrings of
 * 13+ characters as slices of their parent, so keeping ids from the chunk text in `seen` would
 * retain the whole file. Concatenating then slicing forces a flat copy.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
