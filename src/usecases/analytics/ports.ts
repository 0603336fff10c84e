import type { QueryName } from '../../analytics/queries.generated';

/** A result row: column → value as text (Athena returns text; the DuckDB adapter does the same), null for SQL NULL. */
export type Row = Record<string, string | null>;

/** Runs one of the analytics/sql queries over the lake for a period of run dates (YYYY-MM-DD, inclusive). */
export interface AnalyticsQueryEngine {
  run(query: QueryName, period: { from: string; to: string }): Promise<Row[]>;
}
