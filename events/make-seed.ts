/**
 * Regenerates the sample events and the S3 objects they reference (events/seed/, uploaded to the
 * data bucket by the local Serverless plugin before `sls invoke local`):
 *   npx tsx events/make-seed.ts
 * The run date is fixed so the committed events stay valid.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import modelJson from '../model/propensity-xgb.json';
import { EmbeddedScorer } from '../src/adapters/scorers';
import { MODEL_VERSION } from '../src/domain/model/version';
import { XgbModel } from '../src/domain/model/xgboost';
import { portfolioCsvLines } from '../src/synthetic/portfolio-generator';
import { fetchPortfolio } from '../src/usecases/fetch-portfolio';
import { inferChunk } from '../src/usecases/infer-chunk';
import { keys } from '../src/usecases/keys';
import { MemoryStore } from '../test/helpers/memory-ports';

const RUN_DATE = '2026-01-05';
const START = `${RUN_DATE}T10:00:00.000Z`;
const here = __dirname;

async function main() {
  const store = new MemoryStore();
  await store.putText(keys.portfolio(RUN_DATE), [...portfolioCsvLines({ accounts: 24, runDate: RUN_DATE, seed: 7, malformedRate: 0.1 })].join(''));
  const fetched = await fetchPortfolio({ store, chunkSize: 1000 }, { runDate: RUN_DATE, executionStartTime: START });
  const chunk = fetched.chunks[0]!;
  const infer = await inferChunk({ store, scorer: new EmbeddedScorer(XgbModel.fromJSON(modelJson), MODEL_VERSION) }, { runDate: RUN_DATE, chunk });

  // The objects the events reference: the inbox file, chunk 0 and its scores.
  for (const key of [keys.portfolio(RUN_DATE), chunk.key, infer.scoresKey]) {
    const file = join(here, 'seed', key);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, await store.getText(key));
  }

  const ok = { index: 0, failed: false, scored: infer.scored, persisted: infer.scored, contacted: 12, actions: { email: 6, sms: 3, voice: 3 }, suppressed: { nothing_past_due: 2 } };
  const events: Record<string, unknown> = {
    fetch: { input: { runDate: RUN_DATE }, executionStartTime: START, executionName: 'sample' },
    infer: { runDate: RUN_DATE, chunk },
    persist: { runDate: RUN_DATE, chunk, infer },
    strategy: { runDate: RUN_DATE, chunk, infer, persist: { persisted: infer.scored } },
    notify: { kind: 'completed', runDate: RUN_DATE, fetch: fetched, chunkResults: [ok], executionStartTime: START, executionName: 'sample' },
    notifyFailed: {
      kind: 'failed',
      input: { runDate: RUN_DATE, error: { Error: 'PortfolioFileError', Cause: '{"errorType":"PortfolioFileError","errorMessage":"portfolio file header is missing required column(s): days_past_due"}' } },
      executionStartTime: START,
      executionName: 'sample-failed',
    },
    startRun: {
      version: '2.0',
      routeKey: 'POST /runs',
      rawPath: '/runs',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      requestContext: { http: { method: 'POST', path: '/runs', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl' }, routeKey: 'POST /runs', stage: '$default' },
      body: JSON.stringify({ runDate: RUN_DATE }),
      isBase64Encoded: false,
    },
    getRun: {
      version: '2.0',
      routeKey: 'GET /runs/{id}',
      rawPath: '/runs/run-2026-01-05-sample',
      rawQueryString: '',
      headers: {},
      pathParameters: { id: 'run-2026-01-05-sample' },
      requestContext: { http: { method: 'GET', path: '/runs/run-2026-01-05-sample', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl' }, routeKey: 'GET /runs/{id}', stage: '$default' },
      isBase64Encoded: false,
    },
  };
  for (const [name, event] of Object.entries(events)) writeFileSync(join(here, `${name}.json`), JSON.stringify(event, null, 2) + '\n');
  process.stderr.write(`wrote ${Object.keys(events).length} events; ${fetched.accounts} accounts, ${fetched.rejected} rejects in the seed file\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
