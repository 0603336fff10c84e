import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { AnalyticsQueryError, AthenaQueryEngine } from '../../../src/adapters/athena-query-engine';
import { QUERIES } from '../../../src/analytics/queries.generated';

const athena = mockClient(AthenaClient);
const engine = () => new AthenaQueryEngine(new AthenaClient({ region: 'us-east-1' }), { database: 'db', workGroup: 'wg', sleep: async () => undefined, timeoutMs: 1_000 });
const cell = (v: string | null) => (v === null ? {} : { VarCharValue: v });

beforeEach(() => athena.reset());

test('runs the named SQL with the period as execution parameters, polls, and reads every page after the header', async () => {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
  athena
    .on(GetQueryExecutionCommand)
    .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } })
    .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
    .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athena
    .on(GetQueryResultsCommand, { QueryExecutionId: 'q1', NextToken: undefined })
    .resolves({ ResultSet: { Rows: [{ Data: [cell('channel'), cell('sent')] }, { Data: [cell('email'), cell('10')] }] }, NextToken: 't2' })
    .on(GetQueryResultsCommand, { QueryExecutionId: 'q1', NextToken: 't2' })
    .resolves({ ResultSet: { Rows: [{ Data: [cell('sms'), cell(null)] }] } });
  const rows = await engine().run('ops_engagement', { from: '2026-03-02', to: '2026-03-04' });
  expect(rows).toEqual([{ channel: 'email', sent: '10' }, { channel: 'sms', sent: null }]);
  const start = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
  expect(start).toEqual({ QueryString: QUERIES.ops_engagement, QueryExecutionContext: { Database: 'db' }, WorkGroup: 'wg', ExecutionParameters: ["'2026-03-02'", "'2026-03-04'"] });
  expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(3);
});

test('a failed query and a malformed date are errors; nothing is spliced into SQL', async () => {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q2' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND' } } });
  await expect(engine().run('ops_runs', { from: '2026-03-02', to: '2026-03-04' })).rejects.toThrow(/FAILED TABLE_NOT_FOUND/);
  await expect(engine().run('ops_runs', { from: "2026-03-02' OR 1=1 --", to: '2026-03-04' })).rejects.toBeInstanceOf(AnalyticsQueryError);
});

test('gives up when the query outlives the timeout', async () => {
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q3' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
  const slow = new AthenaQueryEngine(new AthenaClient({ region: 'us-east-1' }), { database: 'db', workGroup: 'wg', timeoutMs: 0, sleep: async () => undefined });
  await expect(slow.run('ops_runs', { from: '2026-03-02', to: '2026-03-04' })).rejects.toThrow(/still RUNNING/);
});
