/**
 * Chooses the analytics query engine once per function (cold start), by configuration: Athena in
 * AWS; on the local stack (CUREPATH_LOCAL=1), which has no Athena, DuckDB over the local S3's lake
 * (src/adapters/local-lake-query-engine.ts) — the same SQL either way (docs/analytics.md).
 */
import type { AnalyticsConfig } from '../usecases/analytics/config';
import type { AnalyticsQueryEngine } from '../usecases/analytics/ports';
import { athenaClient } from './analytics-clients';
import { AthenaQueryEngine } from './athena-query-engine';
import { s3Client } from './aws-clients';
import { LocalLakeQueryEngine } from './local-lake-query-engine';

export function analyticsQueryEngine(c: AnalyticsConfig): AnalyticsQueryEngine {
  if (c.CUREPATH_LOCAL === '1') {
    if (!c.DATA_BUCKET) throw new Error('DATA_BUCKET is required on the local stack (the lake DuckDB reads)');
    return new LocalLakeQueryEngine(s3Client(), c.DATA_BUCKET);
  }
  return new AthenaQueryEngine(athenaClient(), { database: c.ANALYTICS_DATABASE, workGroup: c.ANALYTICS_WORKGROUP, timeoutMs: c.ANALYTICS_QUERY_TIMEOUT_MS });
}
