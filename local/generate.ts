/**
 * Synthetic portfolio CLI.
 *   tsx local/generate.ts --accounts N --date YYYY-MM-DD [--seed S] [--day K] [--malformed-rate R]
 *                         [--out FILE] [--history FILE]
 * --out writes the portfolio CSV (stdout when neither --out nor --history is given);
 * --history writes the labelled training set (production features + label + true_p).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { historyCsvLines, writeLines, writePortfolioCsv } from '../src/synthetic/portfolio-generator';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string' },
      date: { type: 'string' },
      seed: { type: 'string', default: '1' },
      day: { type: 'string', default: '0' },
      'malformed-rate': { type: 'string', default: '0' },
      out: { type: 'string' },
      history: { type: 'string' },
    },
  });
  const accounts = Number(values.accounts);
  if (!Number.isInteger(accounts) || accounts < 0 || !values.date) {
    process.stderr.write('usage: tsx local/generate.ts --accounts N --date YYYY-MM-DD [--seed S] [--day K] [--malformed-rate R] [--out FILE] [--history FILE]\n');
    process.exit(2);
  }
  const opts = {
    accounts,
    runDate: values.date,
    seed: Number(values.seed),
    dayIndex: Number(values.day),
    malformedRate: Number(values['malformed-rate']),
  };
  const started = performance.now();
  if (values.history) {
    const out = createWriteStream(values.history);
    const lines = await writeLines(out, historyCsvLines(opts));
    out.end();
    await once(out, 'finish');
    process.stderr.write(`history: ${lines - 1} rows → ${values.history}\n`);
  }
  if (values.out || !values.history) {
    const { rows } = await writePortfolioCsv(values.out ?? process.stdout, opts);
    if (values.out) process.stderr.write(`portfolio: ${rows} rows → ${values.out}\n`);
  }
  process.stderr.write(`done in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
