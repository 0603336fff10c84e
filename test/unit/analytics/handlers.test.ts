/**
 * GET /analytics/operational and /analytics/strategic through the real Middy handlers: tokens from
 * the local issuer (really verified), Athena mocked (no emulator exists) at the SDK level.
 */
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { QUERIES } from '../../../src/analytics/queries.generated';
import { operationalSchema, strategicSchema } from '../../../src/usecases/analytics/schemas';
import { httpEvent, lambdaContext, parseResult, tokenFor } from '../../helpers/http';

Object.assign(process.env, {
  STAGE: 'test',
  ANALYTICS_DATABASE: 'curepath_test_analytics',
  ANALYTICS_WORKGROUP: 'curepath-test-analytics',
  UNIT_COST_EMAIL_USD: '0.001',
  UNIT_COST_SMS_USD: '0.0079',
  UNIT_COST_VOICE_USD: '0.35',
});

const athena = mockClient(AthenaClient);
const byId = new Map<string, string>();
const RESULTS: Record<string, string[][]> = {
  ops_runs: [['dt', 'status', 'accounts', 'rejected', 'failed_chunks_json'], ['2026-03-04', 'completed', '300', '2', '[{"index":1,"error":"States.Timeout"}]']],
  ops_engagement: [['channel', 'sent', 'delivered', 'opened', 'clicked', 'replies'], ['email', '100', '98', '25', '7', '0']],
  str_cure: [['segment', 'arm', 'accounts', 'cured'], ['early_self_cure', 'learned', '90', '30'], ['early_self_cure', 'holdout', '10', '2']],
};

beforeEach(() => {
  athena.reset();
  athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => {
    const name = Object.entries(QUERIES).find(([, sql]) => sql === input.QueryString)![0];
    const id = `id-${byId.size}`;
    byId.set(id, name);
    return { QueryExecutionId: id };
  });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).callsFake((input: { QueryExecutionId: string }) => {
    const rows = RESULTS[byId.get(input.QueryExecutionId)!] ?? [['n']];
    return { ResultSet: { Rows: rows.map((r) => ({ Data: r.map((v) => ({ VarCharValue: v })) })) } };
  });
});

const call = async (fn: 'operational' | 'strategic', token?: string, query?: Record<string, string>) => {
  const { handler } = (await import(`../../../functions/analytics-${fn}`)) as { handler: (e: unknown, c: unknown) => Promise<unknown> };
  return parseResult(await handler(httpEvent({ method: 'GET', path: `/analytics/${fn}`, ...(token ? { token } : {}), ...(query ? { queryStringParameters: query } : {}) }), lambdaContext()));
};

test('agents and admins get the figures; the period defaults to the week ending at the latest run', async () => {
  const agent = await tokenFor({ group: 'agent', sub: 'agent-1' });
  const r = await call('operational', agent);
  expect(r.statusCode).toBe(200);
  const body = operationalSchema.parse(JSON.parse(r.body));
  expect(body.period).toEqual({ from: '2026-02-26', to: '2026-03-04' });
  expect(body.messages.email).toBe(100);
  expect(body.rates.email.delivered).toBe(0.98);
  expect(body.runs[0]!.failedChunks).toEqual([{ index: 1, error: 'States.Timeout' }]);
  expect(body.costs.cures).toBe(32);

  const admin = await tokenFor({ group: 'admin', sub: 'admin-1' });
  const s = await call('strategic', admin, { from: '2026-03-02', to: '2026-03-04' });
  expect(s.statusCode).toBe(200);
  const strat = strategicSchema.parse(JSON.parse(s.body));
  expect(strat.cureRateBySegment.early_self_cure).toEqual({ accounts: 100, cured: 32, rate: 0.32 });
  expect(strat.lift.cureRate?.learned).toEqual({ successes: 30, trials: 90, rate: 0.3333 });
  expect(strat.compliance.totalViolations).toBe(0);
  const starts = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
  expect(starts.every((i) => i.WorkGroup === 'curepath-test-analytics' && i.QueryExecutionContext?.Database === 'curepath_test_analytics')).toBe(true);
});

test('401 without a token, 403 for customers, 400 for a bad period — no query runs', async () => {
  expect((await call('operational')).statusCode).toBe(401);
  const customer = await tokenFor({ group: 'customer', sub: 'c-1', username: 'CUST1' });
  expect((await call('strategic', customer)).statusCode).toBe(403);
  const agent = await tokenFor({ group: 'agent', sub: 'agent-1' });
  const bad = await call('operational', agent, { from: '2026-03-05', to: '2026-03-01' });
  expect(bad.statusCode).toBe(400);
  expect(JSON.parse(bad.body).issues?.[0]?.path).toBe('from');
  expect(JSON.parse(bad.body).message).toMatch(/query/);
  expect((await call('strategic', agent, { from: '2026-02-30' })).statusCode).toBe(400);
  expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
});
