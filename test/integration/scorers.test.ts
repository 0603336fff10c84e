/**
 * Infer's two backends against the real xgboost library's predictions (fixture made by
 * model/make_parity_fixture.py with Debian's python3-xgboost): the local SageMaker-compatible
 * endpoint (real SDK client, real HTTP, payloads split under the limit) and the embedded evaluator.
 * Throttling and container errors have no emulator: aws-sdk-client-mock covers their mapping.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import modelJson from '../../model/propensity-xgb.json';
import fixture from '../fixtures/model/parity.json';
import { EmbeddedScorer, packPayloads, SageMakerEndpointScorer } from '../../src/adapters/scorers';
import { ModelInvocationError, ModelThrottledError } from '../../src/domain/errors';
import { encodeCsvRows } from '../../src/domain/model/sagemaker-csv';
import { XgbModel } from '../../src/domain/model/xgboost';
import { startLocalStack, type LocalStack } from '../../local/stack';

const nCols = fixture.n_cols;
const rows = Float64Array.from((fixture.rows as (number | null)[][]).flatMap((r) => r.map((v) => (v === null ? NaN : v))));
const expected = fixture.predictions as number[];
const maxDelta = (got: Float64Array) => expected.reduce((m, p, i) => Math.max(m, Math.abs(p - got[i]!)), 0);

describe('model backends match xgboost', () => {
  let dir: string;
  let stack: LocalStack;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'curepath-scorers-'));
    stack = await startLocalStack({ inMemory: true, dataDir: join(dir, 'stack'), log: () => undefined });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the local SageMaker endpoint, through the real client, in several payloads: max |Δ| ≤ 1e-6', async () => {
    const client = new SageMakerRuntimeClient({ region: 'us-east-1', ...stack.clientConfig('sagemaker-runtime') });
    const maxBytes = 50_000;
    const payloads = packPayloads(encodeCsvRows(rows, nCols).split('\n').slice(0, expected.length), maxBytes);
    expect(payloads.length).toBeGreaterThan(3);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(maxBytes);
    const scorer = new SageMakerEndpointScorer(client, stack.functionEnv('infer').MODEL_ENDPOINT_NAME ?? 'curepath-dev-propensity', maxBytes);
    const got = await scorer.score(rows, nCols);
    expect(got).toHaveLength(expected.length);
    expect(maxDelta(got)).toBeLessThanOrEqual(1e-6);
  });

  it('the embedded evaluator: max |Δ| ≤ 1e-6', async () => {
    const got = await new EmbeddedScorer(XgbModel.fromJSON(modelJson), 'test').score(rows, nCols);
    expect(maxDelta(got)).toBeLessThanOrEqual(1e-6);
  });
});

describe('endpoint error mapping (no emulator for throttling: mocked client)', () => {
  // Mocks the class's prototype: created here, restored after, so the emulator tests stay real.
  const newMock = () => mockClient(SageMakerRuntimeClient);
  let sm: ReturnType<typeof newMock>;
  beforeAll(() => (sm = newMock()));
  afterEach(() => sm.reset());
  afterAll(() => sm.restore());
  const scorer = () => new SageMakerEndpointScorer(new SageMakerRuntimeClient({ region: 'us-east-1' }), 'ep', 4_500_000);
  const two = new Float64Array(2 * nCols).fill(1);

  it('throttling → ModelThrottledError (the state machine retries it with backoff)', async () => {
    sm.on(InvokeEndpointCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
    await expect(scorer().score(two, nCols)).rejects.toBeInstanceOf(ModelThrottledError);
  });

  it('a container error → ModelInvocationError (not retried as throttling)', async () => {
    sm.on(InvokeEndpointCommand).rejects(Object.assign(new Error('bad input'), { name: 'ModelError', $metadata: { httpStatusCode: 424 } }));
    await expect(scorer().score(two, nCols)).rejects.toBeInstanceOf(ModelInvocationError);
  });

  it('a response with the wrong number of predictions → ModelInvocationError', async () => {
    sm.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode('0.5\n') as never, ContentType: 'text/csv' });
    await expect(scorer().score(two, nCols)).rejects.toThrow(/1 predictions for 2 rows/);
  });

  it.each([
    ['comma-separated', '0.25,0.75'],
    ['newline-separated', '0.25\n0.75\n'],
  ])('a %s text/csv response parses', async (_label, body) => {
    sm.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode(body) as never, ContentType: 'text/csv' });
    expect([...(await scorer().score(two, nCols))]).toEqual([0.25, 0.75]);
  });
});
