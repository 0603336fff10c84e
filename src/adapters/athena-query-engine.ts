/**
 * The analytics queries on Athena: StartQueryExecution (the workgroup enforces the KMS-encrypted
 * results location), GetQueryExecution until done, GetQueryResults pages → rows of text. The SQL is
 * the same text the named queries hold (src/analytics/queries.generated.ts); from/to go in as
 * execution parameters, never spliced into the query.
 */
import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, type AthenaClient } from '@aws-sdk/client-athena';
import { QUERIES, type QueryName } from '../analytics/queries.generated';
import type { AnalyticsQueryEngine, Row } from '../usecases/analytics/ports';

export class AnalyticsQueryError extends Error {
  override name = 'AnalyticsQueryError';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface AthenaEngineOptions {
  database: string;
  workGroup: string;
  /** Give up after this long (API Gateway answers 503 at 30 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class AthenaQueryEngine implements AnalyticsQueryEngine {
  constructor(
    private readonly athena: AthenaClient,
    private readonly opts: AthenaEngineOptions,
  ) {}

  async run(query: QueryName, period: { from: string; to: string }): Promise<Row[]> {
    if (!DATE.test(period.from) || !DATE.test(period.to)) throw new AnalyticsQueryError('period dates must be YYYY-MM-DD');
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const started = await this.athena.send(
      new StartQueryExecutionCommand({
        QueryString: QUERIES[query],
        QueryExecutionContext: { Database: this.opts.database },
        WorkGroup: this.opts.workGroup,
        ExecutionParameters: [`'${period.from}'`, `'${period.to}'`],
      }),
    );
    const id = started.QueryExecutionId;
    if (!id) throw new AnalyticsQueryError(`${query}: no query execution id`);
    const deadline = Date.now() + (this.opts.timeoutMs ?? 25_000);
    for (let wait = 100; ; wait = Math.min(wait * 2, 1_000)) {
      const res = await this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = res.QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED' || state === 'CANCELLED') throw new AnalyticsQueryError(`${query}: ${state} ${res.QueryExecution?.Status?.StateChangeReason ?? ''}`.trim());
      if (Date.now() > deadline) throw new AnalyticsQueryError(`${query}: still ${state} after ${this.opts.timeoutMs ?? 25_000} ms`);
      await sleep(wait);
    }
    const rows: Row[] = [];
    let header: string[] | undefined;
    let token: string | undefined;
    do {
      const page = await this.athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }));
      for (const r of page.ResultSet?.Rows ?? []) {
        const values = (r.Data ?? []).map((d) => d.VarCharValue ?? null);
        // The first row of the first page is the header.
        if (!header) {
          header = values.map((v) => (v ?? '').toLowerCase());
          continue;
        }
        rows.push(Object.fromEntries(header.map((h, i) => [h, values[i] ?? null])));
      }
      token = page.NextToken;
    } while (token);
    return rows;
  }
}
