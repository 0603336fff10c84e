/** The generator and the production reader agree on the portfolio contract. */
import { readPortfolio } from '../../../src/domain/portfolio/reader';
import { generateAccounts, portfolioCsvLines } from '../../../src/synthetic/portfolio-generator';

async function* chunks(lines: Iterable<string>): AsyncGenerator<string> {
  let buf = '';
  for (const l of lines) {
    buf += l;
    if (buf.length > 65536) { yield buf; buf = ''; }
  }
  if (buf) yield buf;
}

it('the reader accepts every valid generated row as the same account and rejects every malformed one', async () => {
  const opts = { accounts: 4000, seed: 21, runDate: '2026-11-23', dayIndex: 2, malformedRate: 0.08 };
  const rows = [...generateAccounts(opts)];
  const accepted = new Map<number, unknown>();
  const rejected = new Set<number>();
  for await (const item of readPortfolio(chunks(portfolioCsvLines(opts)))) {
    // File row 1 is the header: data row index = row - 2.
    if (item.kind === 'account') accepted.set(item.row - 2, item.account);
    else rejected.add(item.row - 2);
  }
  const malformed = rows.filter((r) => r.malformation !== null).map((r) => r.index);
  expect(malformed.length).toBeGreaterThan(200);
  expect([...rejected].sort((a, b) => a - b)).toEqual(malformed);
  // The reader may canonicalise zone aliases the ICU way (America/Kentucky/Louisville → America/Louisville).
  const zone = (tz: string | null) => (tz === null ? null : new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone);
  for (const r of rows) {
    if (r.malformation !== null) continue;
    const got = accepted.get(r.index) as typeof r.account | undefined;
    expect(got && { ...got, timezone: zone(got.timezone) }).toEqual({ ...r.account, timezone: zone(r.account.timezone) });
  }
});
