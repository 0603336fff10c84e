/**
 * Synthetic loan applications CLI (docs/credit-scoring.md).
 *   tsx local/generate-credit.ts --count N [--seed S] [--history FILE] [--json]
 * --history writes the labelled training set (production features + label + true_pd + audit_group);
 * --json prints the applications as JSON lines in the POST /credit-scores request shape.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { creditHistoryCsvLines, generateApplications } from '../src/synthetic/credit-applications';
import { writeLines } from '../src/synthetic/portfolio-generator';
import { toCreditScoreRequest } from '../src/usecases/credit/score-application';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string' },
      seed: { type: 'string', default: '1' },
      history: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed) || (!values.history && !values.json)) {
    process.stderr.write('usage: tsx local/generate-credit.ts --count N [--seed S] (--history FILE | --json)\n');
    process.exit(2);
  }
  if (values.history) {
    const out = createWriteStream(values.history);
    const lines = await writeLines(out, creditHistoryCsvLines({ count, seed }));
    out.end();
    await once(out, 'finish');
    process.stderr.write(`credit history: ${lines - 1} rows → ${values.history}\n`);
  }
  if (values.json) {
    for (const g of generateApplications({ count, seed })) process.stdout.write(JSON.stringify(toCreditScoreRequest(g.application)) + '\n');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
