import { PortfolioFileError } from '../../../src/domain/errors';
import { checkHeader, PORTFOLIO_COLUMNS, REQUIRED_COLUMNS } from '../../../src/domain/portfolio/columns';
import { CsvRecordSplitter } from '../../../src/domain/portfolio/csv';
import { readPortfolio, type PortfolioItem } from '../../../src/domain/portfolio/reader';
import { validateRecord } from '../../../src/domain/portfolio/validate';
import { bytes, collect, csvLine, row, strings, VALID_ROW } from './helpers';

const HEADER = PORTFOLIO_COLUMNS.join(',');
const file = (...rows: Record<string, string>[]): string => [HEADER, ...rows.map((r) => csvLine(r))].join('\n') + '\n';

async function firstItemOrError(source: AsyncIterable<Uint8Array | string>): Promise<{ yielded: PortfolioItem[]; error: unknown }> {
  const yielded: PortfolioItem[] = [];
  try {
    for await (const item of readPortfolio(source)) yielded.push(item);
  } catch (error) {
    return { yielded, error };
  }
  return { yielded, error: null };
}

describe('checkHeader', () => {
  it('accepts columns in any order and any case, listing unknown columns', () => {
    const header = [...PORTFOLIO_COLUMNS].reverse().map((c) => c.toUpperCase());
    expect(checkHeader([...header, ' Notes ', ''])).toEqual({
      columns: [...[...PORTFOLIO_COLUMNS].reverse(), 'notes', ''],
      unknown: ['notes', '(blank)'],
    });
  });
  it('accepts only the required columns', () => {
    expect(checkHeader([...REQUIRED_COLUMNS]).unknown).toEqual([]);
  });
  it('names every missing required column', () => {
    expect(() => checkHeader(PORTFOLIO_COLUMNS.filter((c) => c !== 'state' && c !== 'bankruptcy'))).toThrow(
      new PortfolioFileError('portfolio file header: missing required columns: state, bankruptcy'),
    );
  });
  it('hints at a missing header row when no column is known', () => {
    expect(() => checkHeader(['ACC-1', 'CUS-1'])).toThrow(/the first row must be the header row/);
  });
  it('fails on duplicate column names', () => {
    expect(() => checkHeader([...PORTFOLIO_COLUMNS, 'Email'])).toThrow(new PortfolioFileError('portfolio file header: duplicate column: email'));
  });
});

describe('CsvRecordSplitter', () => {
  const split = (text: string, size = 3) => {
    const s = new CsvRecordSplitter();
    const out = [];
    for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
    out.push(...s.end());
    return out;
  };
  it.each([1, 2, 3, 7, 1000])('RFC 4180 quoting, any chunking (chunk %i)', (size) => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","line1\r\nline2"\r\n\r\n"",plain, sp \nlast,"q",end';
    expect(split(text, size)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'line1\r\nline2'] },
      { line: 5, fields: ['', 'plain', ' sp '] },
      { line: 6, fields: ['last', 'q', 'end'] },
    ]);
  });
  it('flags quote misuse but keeps the following records aligned', () => {
    expect(split('a,b"c,d\n"x"y,z\nok,1\n')).toEqual([
      { line: 1, fields: ['a', 'b"c', 'd'], malformed: { field: 1, message: 'quote in an unquoted field' } },
      { line: 2, fields: ['xy', 'z'], malformed: { field: 0, message: 'text after a closing quote' } },
      { line: 3, fields: ['ok', '1'] },
    ]);
  });
  it('fails on an unterminated quoted field, naming its line', () => {
    expect(() => split('a,b\n"open,c\nd,e\n')).toThrow(new PortfolioFileError('row 2: unterminated quoted field (the rest of the file would be one value)'));
  });
  it('bounds memory: a record longer than the cap fails the file', () => {
    const s = new CsvRecordSplitter(100);
    expect(() => {
      for (let i = 0; i < 10; i++) s.push('"' + 'x'.repeat(20));
    }).toThrow(PortfolioFileError);
  });
});

describe('readPortfolio', () => {
  it('yields accounts with row numbers (header = row 1), byte chunks splitting characters', async () => {
    const items = await collect(bytes(file(row({ first_name: 'Zoë' }), row({ account_id: 'ACC-2', last_name: '李' })), 3));
    expect(items.map((i) => [i.kind, i.row])).toEqual([['account', 2], ['account', 3]]);
    expect(items[0]).toMatchObject({ account: { firstName: 'Zoë', accountId: 'ACC-1' } });
    expect(items[1]).toMatchObject({ account: { lastName: '李', accountId: 'ACC-2' } });
  });

  it('handles a BOM, CRLF line ends and a last line without newline', async () => {
    const text = '\ufeff' + [HEADER, csvLine(row()), csvLine(row({ account_id: 'ACC-2' }))].join('\r\n');
    for (const source of [bytes(text, 4), strings(text)]) {
      const items = await collect(source);
      expect(items).toEqual([
        { kind: 'account', row: 2, account: expect.objectContaining({ accountId: 'ACC-1', promiseToPayDate: '2025-03-01' }) },
        { kind: 'account', row: 3, account: expect.objectContaining({ accountId: 'ACC-2', promiseToPayDate: '2025-03-01' }) },
      ]);
    }
  });

  it('handles quoted fields with commas, quotes and newlines; rows count the record\'s first line', async () => {
    const text = file(
      row({ last_name: 'Smith, Jr.', first_name: 'Anna "Annie"' }),
      row({ account_id: 'ACC-2', first_name: 'Two\nLines' }),
      row({ account_id: 'ACC-3' }),
    );
    const items = await collect(bytes(text, 16));
    expect(items).toEqual([
      { kind: 'account', row: 2, account: expect.objectContaining({ lastName: 'Smith, Jr.', firstName: 'Anna "Annie"' }) },
      { kind: 'reject', row: 3, accountId: 'ACC-2', reason: 'first_name: contains control characters' },
      { kind: 'account', row: 5, account: expect.objectContaining({ accountId: 'ACC-3' }) },
    ]);
  });

  it('skips empty lines but keeps counting them', async () => {
    const text = `${HEADER}\n\n${csvLine(row())}\n   \n\n${csvLine(row({ account_id: 'ACC-2' }))}\n\n`;
    expect((await collect(strings(text))).map((i) => i.row)).toEqual([3, 6]);
  });

  it('rejects a row with the wrong number of fields and goes on', async () => {
    const text = `${HEADER}\n${csvLine(row())},extra\nACC-9,only,four,fields\n${csvLine(row({ account_id: 'ACC-2' }))}\n`;
    expect(await collect(strings(text))).toEqual([
      { kind: 'reject', row: 2, accountId: 'ACC-1', reason: 'expected 27 fields, found 28' },
      { kind: 'reject', row: 3, accountId: 'ACC-9', reason: 'expected 27 fields, found 4' },
      { kind: 'account', row: 4, account: expect.objectContaining({ accountId: 'ACC-2' }) },
    ]);
  });

  it('rejects a row with malformed quoting, naming the column', async () => {
    const text = `${HEADER}\n${csvLine(row()).replace('Diaz', 'Di"az')}\n`;
    expect(await collect(strings(text))).toEqual([
      { kind: 'reject', row: 2, accountId: 'ACC-1', reason: 'last_name: malformed quoting (quote in an unquoted field)' },
    ]);
  });

  it('keeps the first of a repeated account_id and rejects the others, naming the first row', async () => {
    const text = file(row(), row({ account_id: 'ACC-2' }), row({ first_name: 'Other' }), row({ state: 'XX' }));
    expect(await collect(strings(text))).toEqual([
      { kind: 'account', row: 2, account: expect.objectContaining({ accountId: 'ACC-1', firstName: 'Ana' }) },
      { kind: 'account', row: 3, account: expect.objectContaining({ accountId: 'ACC-2' }) },
      { kind: 'reject', row: 4, accountId: 'ACC-1', reason: 'account_id: duplicate of row 2 (the first row is kept)' },
      {
        kind: 'reject',
        row: 5,
        accountId: 'ACC-1',
        reason: "account_id: duplicate of row 2 (the first row is kept); state: 'XX' is not a USPS state code",
      },
    ]);
  });

  it('an invalid first row still claims its account_id', async () => {
    const items = await collect(strings(file(row({ state: 'XX' }), row())));
    expect(items).toEqual([
      { kind: 'reject', row: 2, accountId: 'ACC-1', reason: "state: 'XX' is not a USPS state code" },
      { kind: 'reject', row: 3, accountId: 'ACC-1', reason: 'account_id: duplicate of row 2 (the first row is kept)' },
    ]);
  });

  it('accepts columns in another order, ignores unknown columns and reports them via onHeader', async () => {
    const columns = ['notes', ...[...PORTFOLIO_COLUMNS].reverse(), 'branch'];
    const text = `${columns.join(',')}\n${csvLine({ ...VALID_ROW, notes: 'n/a', branch: '7' }, columns)}\n`;
    const headers: unknown[] = [];
    const items: PortfolioItem[] = [];
    for await (const item of readPortfolio(strings(text), { onHeader: (h) => headers.push(h.unknown) })) items.push(item);
    expect(headers).toEqual([['notes', 'branch']]);
    const expected = validateRecord(VALID_ROW);
    expect(expected.ok).toBe(true);
    expect(items).toEqual([{ kind: 'account', row: 2, account: expected.ok ? expected.account : null }]);
  });

  it('accepts a header with only the required columns', async () => {
    const text = `${REQUIRED_COLUMNS.join(',')}\n${csvLine(row(), REQUIRED_COLUMNS)}\n`;
    expect(await collect(strings(text))).toEqual([
      { kind: 'account', row: 2, account: expect.objectContaining({ email: null, language: 'en', timezone: null }) },
    ]);
  });

  it('a header-only file yields nothing', async () => {
    expect(await collect(strings(`${HEADER}\n`))).toEqual([]);
  });

  describe('fails the whole file before yielding anything', () => {
    const cases: [string, () => AsyncIterable<Uint8Array | string>, RegExp][] = [
      ['empty file', () => bytes(''), /empty/],
      ['BOM and blank lines only', () => bytes('\ufeff\r\n\r\n  \n'), /empty/],
      ['missing required column', () => strings(file(row()).replace('days_past_due', 'dpd')), /missing required column: days_past_due/],
      ['duplicate header', () => strings(file(row()).replace('credit_limit', 'email')), /duplicate column: email/],
      ['no header row', () => strings(csvLine(row()) + '\n' + csvLine(row())), /first row must be the header row/],
      ['invalid UTF-8', () => bytes(Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]), 1 << 16), /not valid UTF-8/],
      ['binary (NUL bytes)', () => bytes(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])), /not text/],
      ['malformed header', () => strings(`account_id,"customer_id"x\n`), /portfolio file header/],
    ];
    it.each(cases)('%s', async (_name, source, message) => {
      const { yielded, error } = await firstItemOrError(source());
      expect(yielded).toEqual([]);
      expect(error).toBeInstanceOf(PortfolioFileError);
      expect((error as Error).message).toMatch(message);
    });
  });

  it('a file broken later (unterminated quote) throws after the earlier rows', async () => {
    const text = file(row()) + `ACC-2,"unterminated\n`;
    const { yielded, error } = await firstItemOrError(strings(text));
    expect(yielded.map((i) => i.row)).toEqual([2]);
    expect(error).toEqual(new PortfolioFileError('row 3: unterminated quoted field (the rest of the file would be one value)'));
  });
});

describe('the example file of docs/portfolio-file.md', () => {
  it('gives the documented accounts and rejects', async () => {
    const { readFile } = await import('node:fs/promises');
    const path = `${__dirname}/../../fixtures/portfolio/example.csv`;
    const items = await collect(bytes(await readFile(path), 64));
    expect(items.filter((i) => i.kind === 'account').map((i) => i.row)).toEqual([2, 3]);
    expect(items.filter((i) => i.kind === 'reject')).toEqual([
      { kind: 'reject', row: 4, accountId: 'AL-300112', reason: 'amount_past_due: greater than balance_due' },
      {
        kind: 'reject',
        row: 5,
        accountId: 'BN-400005',
        reason:
          "state: 'XX' is not a USPS state code; balance_due: '89.999' not a decimal with at most 2 places; " +
          "last_payment_date: '2025-02-29' is not a calendar date YYYY-MM-DD; call_consent: 'maybe' is not one of true/false/1/0/yes/no",
      },
      { kind: 'reject', row: 6, accountId: 'CC-100234', reason: 'account_id: duplicate of row 2 (the first row is kept)' },
    ]);
  });
});
