/**
 * The analytics queries on an embedded DuckDB over a directory that mirrors the data bucket's keys
 * (`<root>/runs/…`, `<root>/lake/…`: mirrorLake in local-lake-query-engine.ts copies them from the local S3).
 * Each catalog table becomes a view with the same columns as its Glue table and a `dt` column from
 * the key; a few Trino functions the SQL uses are defined as DuckDB macros — the only dialect shim.
 * Local/test only (a native module; the Lambda functions use Athena).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { LAKE_TABLES, type ColumnType, type LakeTable } from '../analytics/catalog';
import { QUERIES, type QueryName } from '../analytics/queries.generated';
import type { AnalyticsQueryEngine, Row } from '../usecases/analytics/ports';

const DUCK_TYPES: Record<ColumnType, string> = { string: 'VARCHAR', bigint: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN' };

/** Trino names → DuckDB (approx_percentile is exact here: the figures only get closer). */
export const TRINO_SHIM = ['CREATE MACRO approx_percentile(x, p) AS quantile_cont(x, p)'];

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every file of the table under `root`, any partition. */
const lakeGlob = (root: string, t: LakeTable) => `${root}/${t.location.replace('{dt}', '*')}*`;

export function viewSql(root: string, t: LakeTable, hasFiles: boolean): string {
  if (!hasFiles) return `CREATE OR REPLACE VIEW ${t.name} AS SELECT CAST(NULL AS VARCHAR) AS dt, ${t.columns.map(([n, ty]) => `CAST(NULL AS ${DUCK_TYPES[ty]}) AS ${JSON.stringify(n)}`).join(', ')} WHERE false`;
  const glob = lakeGlob(root, t);
  const regex = escapeRegex(t.location).replace(escapeRegex('{dt}'), '(\\d{4}-\\d{2}-\\d{2})');
  const columns = `{${t.columns.map(([n, ty]) => `${sqlString(n)}: ${sqlString(DUCK_TYPES[ty])}`).join(', ')}}`;
  const reader =
    t.format === 'csv'
      ? `read_csv(${sqlString(glob)}, header = true, delim = ',', quote = '"', escape = '"', columns = ${columns}, filename = true)`
      : `read_json(${sqlString(glob)}, format = 'newline_delimited', columns = ${columns}, filename = true)`;
  return `CREATE OR REPLACE VIEW ${t.name} AS SELECT regexp_extract(filename, ${sqlString(regex)}, 1) AS dt, ${t.columns.map(([n]) => JSON.stringify(n)).join(', ')} FROM ${reader}`;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));

export class DuckDbQueryEngine implements AnalyticsQueryEngine {
  private constructor(private readonly conn: DuckDBConnection) {}

  /** Opens an in-memory database with one view per lake table over the files under `root`. */
  static async open(root: string): Promise<DuckDbQueryEngine> {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    for (const s of TRINO_SHIM) await conn.run(s);
    for (const t of LAKE_TABLES) {
      const n = (await conn.runAndReadAll(`SELECT count(*) AS n FROM glob(${sqlString(lakeGlob(root, t))})`)).getRowObjectsJson()[0]?.n;
      await conn.run(viewSql(root, t, Number(n) > 0));
    }
    return new DuckDbQueryEngine(conn);
  }

  async run(query: QueryName, period: { from: string; to: string }): Promise<Row[]> {
    const reader = await this.conn.runAndReadAll(QUERIES[query], [period.from, period.to]);
    return reader.getRowObjectsJson().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), text(v)])));
  }

  close(): void {
    this.conn.closeSync();
  }
}
