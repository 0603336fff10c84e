import { parse } from 'csv-parse/sync';
import { csvCell, REJECTS_HEADER, rejectToCsvLine } from '../../../src/domain/portfolio/rejects';

describe('rejects file', () => {
  it('header and lines end with a newline', () => {
    expect(REJECTS_HEADER).toBe('row,account_id,reason\n');
    expect(rejectToCsvLine({ row: 2, accountId: 'ACC-1', reason: 'state: required' })).toBe('2,ACC-1,state: required\n');
    expect(rejectToCsvLine({ row: 9, accountId: null, reason: 'account_id: required' })).toBe('9,,account_id: required\n');
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['+14155550123', '+14155550123'],
  ])('csvCell(%j) = %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('round-trips through an RFC 4180 parser (csv-parse)', () => {
    const rejects = [
      { row: 2, accountId: 'A,1', reason: "balance_due: '1.234' not a decimal with at most 2 places; state: 'XX' is not a USPS state code" },
      { row: 7, accountId: 'q"uote', reason: 'multi\nline' },
      { row: 8, accountId: null, reason: 'expected 27 fields, found 3' },
    ];
    const text = REJECTS_HEADER + rejects.map(rejectToCsvLine).join('');
    expect(parse(text, { columns: true })).toEqual(
      rejects.map((r) => ({ row: String(r.row), account_id: r.accountId ?? '', reason: r.reason })),
    );
  });

  it.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['@SUM', "'@SUM"],
    ['-1+2,', `"'-1+2,"`],
    ['-123', '-123'],
  ])('defuses a formula-like account_id %j', (accountId, cell) => {
    expect(rejectToCsvLine({ row: 3, accountId, reason: 'x' })).toBe(`3,${cell},x\n`);
  });
});
