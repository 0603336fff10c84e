/**
 * The lake's tables, one definition for both engines: Glue tables in resources/analytics.yml (a
 * test checks they match) and DuckDB views locally (src/adapters/duckdb-query-engine.ts).
 * Run-level datasets are read where the daily run already writes them (`runs/<dt>/…`: no copy);
 * what exists nowhere in S3 lands under `lake/<dataset>/dt=<dt>/` (docs/analytics.md).
 * Every table has a `dt` (YYYY-MM-DD string) partition column taken from the key.
 */
export type ColumnType = 'string' | 'bigint' | 'double' | 'boolean';

export interface LakeTable {
  name: string;
  /** Key template under the data bucket; `{dt}` is the partition. */
  location: string;
  format: 'jsonl' | 'csv';
  columns: readonly (readonly [string, ColumnType])[];
}

export const LAKE_TABLES: readonly LakeTable[] = [
  {
    name: 'scores',
    location: 'runs/{dt}/scores/',
    format: 'jsonl',
    columns: [
      ['accountId', 'string'],
      ['score', 'double'],
      ['daysPastDue', 'bigint'],
      ['amountPastDueCents', 'bigint'],
      ['balanceDueCents', 'bigint'],
      ['product', 'string'],
      ['state', 'string'],
    ],
  },
  {
    name: 'decisions',
    location: 'runs/{dt}/decisions/',
    format: 'jsonl',
    columns: [
      ['accountId', 'string'],
      ['runDate', 'string'],
      ['segment', 'string'],
      ['score', 'double'],
      ['contact', 'boolean'],
      ['suppressedBy', 'string'],
      ['arm', 'string'],
    ],
  },
  {
    name: 'actions',
    location: 'runs/{dt}/actions/',
    format: 'jsonl',
    columns: [
      ['actionId', 'string'],
      ['accountId', 'string'],
      ['runDate', 'string'],
      ['channel', 'string'],
      ['sendAt', 'string'],
      ['timezone', 'string'],
      ['segment', 'string'],
    ],
  },
  {
    name: 'rejects',
    location: 'lake/rejects/dt={dt}/',
    format: 'csv',
    columns: [
      ['row', 'bigint'],
      ['account_id', 'string'],
      ['reason', 'string'],
    ],
  },
  {
    name: 'run_summaries',
    location: 'lake/run_summaries/dt={dt}/',
    format: 'jsonl',
    columns: [
      ['runDate', 'string'],
      ['status', 'string'],
      ['accounts', 'bigint'],
      ['scored', 'bigint'],
      ['rejected', 'bigint'],
      ['contacted', 'bigint'],
      ['actionsEmail', 'bigint'],
      ['actionsSms', 'bigint'],
      ['actionsVoice', 'bigint'],
      ['chunks', 'bigint'],
      ['failedChunks', 'bigint'],
      ['failedChunksJson', 'string'],
      ['errorName', 'string'],
    ],
  },
  {
    name: 'sends',
    location: 'lake/sends/dt={dt}/',
    format: 'jsonl',
    columns: [
      ['actionId', 'string'],
      ['accountId', 'string'],
      ['runDate', 'string'],
      ['channel', 'string'],
      ['segment', 'string'],
      ['status', 'string'],
      ['reason', 'string'],
      ['completedAtMs', 'bigint'],
    ],
  },
  {
    name: 'engagement_events',
    location: 'lake/engagement_events/dt={dt}/',
    format: 'jsonl',
    columns: [
      ['eventId', 'string'],
      ['accountId', 'string'],
      ['channel', 'string'],
      ['type', 'string'],
      ['atMs', 'bigint'],
      ['processedAtMs', 'bigint'],
      ['suppressing', 'boolean'],
      ['messageId', 'string'],
      ['actionId', 'string'],
      ['source', 'string'],
      ['amountCents', 'bigint'],
    ],
  },
];

export const lakeTable = (name: string): LakeTable => {
  const t = LAKE_TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`unknown lake table ${name}`);
  return t;
};
