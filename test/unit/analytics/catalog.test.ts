import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LAKE_TABLES } from '../../../src/analytics/catalog';
import { QUERIES } from '../../../src/analytics/queries.generated';
import { renderQueries } from '../../../scripts/analytics-sql';
import { viewSql } from '../../../src/adapters/duckdb-query-engine';

const ROOT = join(__dirname, '..', '..', '..');
const yml = parse(readFileSync(join(ROOT, 'resources', 'analytics.yml'), 'utf8')) as { Resources: Record<string, any> };

test('every lake table is a Glue table with the same columns, a dt partition and projection onto the same keys', () => {
  const glue = Object.values(yml.Resources).filter((r) => r.Type === 'AWS::Glue::Table');
  expect(glue.map((t) => t.Properties.TableInput.Name).sort()).toEqual(LAKE_TABLES.map((t) => t.name).sort());
  for (const t of LAKE_TABLES) {
    const g = glue.find((x) => x.Properties.TableInput.Name === t.name)!.Properties.TableInput;
    expect(g.StorageDescriptor.Columns).toEqual(t.columns.map(([n, ty]) => ({ Name: n.toLowerCase(), Type: ty })));
    expect(g.PartitionKeys).toEqual([{ Name: 'dt', Type: 'string' }]);
    expect(g.Parameters['projection.enabled']).toBe('true');
    expect(g.Parameters['storage.location.template']).toEqual({ 'Fn::Sub': `s3://\${DataBucket}/${t.location.replace('{dt}', '${!dt}')}` });
    expect(g.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(t.format === 'csv' ? 'org.apache.hadoop.hive.serde2.OpenCSVSerde' : 'org.openx.data.jsonserde.JsonSerDe');
  }
});

test('the workgroup enforces KMS-encrypted results', () => {
  const wg = yml.Resources.AnalyticsWorkGroup.Properties.WorkGroupConfiguration;
  expect(wg.EnforceWorkGroupConfiguration).toBe(true);
  expect(wg.ResultConfiguration.EncryptionConfiguration).toEqual({ EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': ['DataKey', 'Arn'] } });
});

test('the generated query module and named queries match analytics/sql (npm run analytics:sql)', () => {
  const { ts, yml: named } = renderQueries();
  expect(readFileSync(join(ROOT, 'src', 'analytics', 'queries.generated.ts'), 'utf8')).toBe(ts);
  expect(readFileSync(join(ROOT, 'resources', 'analytics-queries.yml'), 'utf8')).toBe(named);
  const doc = parse(named) as { Resources: Record<string, any> };
  expect(Object.keys(doc.Resources)).toHaveLength(Object.keys(QUERIES).length);
  for (const r of Object.values(doc.Resources)) expect(Object.values(QUERIES)).toContain(r.Properties.QueryString.trim());
});

test('every query takes exactly the two period parameters and names only catalog tables', () => {
  const tables = new Set(LAKE_TABLES.map((t) => t.name));
  for (const [name, sql] of Object.entries(QUERIES)) {
    expect([name, (sql.match(/\?/g) ?? []).length]).toEqual([name, 2]);
    for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)\b/g)) {
      const t = m[1]!;
      // CTE names are fine; base tables must be in the catalog.
      if (!new RegExp(`\\b${t}\\s+AS\\s*\\(`).test(sql) && t !== 'p') expect([name, tables.has(t)]).toEqual([name, true]);
    }
  }
});

test('a DuckDB view reads the files of its key template and takes dt from the key', () => {
  const sql = viewSql('/lake', LAKE_TABLES.find((t) => t.name === 'sends')!, true);
  expect(sql).toContain("read_json('/lake/lake/sends/dt=*/*'");
  expect(sql).toContain('regexp_extract(filename');
  expect(viewSql('/lake', LAKE_TABLES[0]!, false)).toContain('WHERE false');
});
