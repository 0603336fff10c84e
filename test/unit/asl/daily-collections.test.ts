/**
 * The daily-collections state machine: structure rules (retries, catches, reachability) and every
 * path executed in-process with aws-local-stepfunctions, the Lambda tasks replaced by fakes.
 */
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { ModelThrottledError as DomainModelThrottledError, PortfolioFileError } from '../../../src/domain/errors';
import { allStates, lambdaArn, loadAsl, loadRawAsl, reachable, type AslDefinition, type Json } from '../../helpers/asl';

const FILE = 'daily-collections.asl.yml';
const LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
];
const NEVER_RETRIED = ['PortfolioFileError', 'ValidationError', 'States.ALL', 'States.TaskFailed'];

const def: AslDefinition = loadAsl(FILE, { mapMaxConcurrency: 4 });
const states = allStates(def);
const tasks = states.filter((s) => s.state.Type === 'Task');

describe('daily-collections ASL: structure', () => {
  it('has the contract states, Map MaxConcurrency from the stage param and Lambda Task resources', () => {
    const raw = loadRawAsl(FILE);
    expect(raw.States.ProcessChunks!.MaxConcurrency).toBe('${param:mapMaxConcurrency}');
    expect(def.States.ProcessChunks!.MaxConcurrency).toBe(4);
    expect(Object.keys(def.States).sort()).toEqual(
      ['Fetch', 'Notify', 'NotifyFailed', 'NotifyRunFailed', 'ProcessChunks', 'RunFailed'].sort(),
    );
    expect(Object.keys(def.States.ProcessChunks!.ItemProcessor.States).sort()).toEqual(
      ['ChunkDone', 'ChunkFailed', 'Infer', 'Persist', 'Strategy'].sort(),
    );
    const resources = Object.fromEntries(tasks.map((t) => [t.name, t.state.Resource]));
    expect(resources).toEqual({
      Fetch: lambdaArn('fetch'),
      Infer: lambdaArn('infer'),
      Persist: lambdaArn('persist'),
      Strategy: lambdaArn('strategy'),
      Notify: lambdaArn('notify'),
      NotifyRunFailed: lambdaArn('notify'),
    });
    expect(raw.States.Fetch!.Resource).toEqual({ 'Fn::GetAtt': ['fetch', 'Arn'] });
  });

  it.each(tasks.map((t) => [t.name, t] as const))('%s retries Lambda service errors with bounded exponential backoff', (_, t) => {
    const retry = t.state.Retry as Record<string, any>[];
    const lambda = retry.find((r) => LAMBDA_ERRORS.every((e) => r.ErrorEquals.includes(e)));
    expect(lambda).toBeDefined();
    for (const r of retry) {
      expect(r.BackoffRate).toBeGreaterThan(1);
      expect(r.IntervalSeconds).toBeGreaterThanOrEqual(1);
      expect(r.IntervalSeconds).toBeLessThanOrEqual(10);
      expect(r.MaxAttempts).toBeGreaterThanOrEqual(1);
      expect(r.MaxAttempts).toBeLessThanOrEqual(10);
      expect(r.MaxDelaySeconds).toBeLessThanOrEqual(120);
      for (const e of NEVER_RETRIED) expect(r.ErrorEquals).not.toContain(e);
    }
  });

  it.each(tasks.map((t) => [t.name, t] as const))('%s catches States.ALL into a state of its scope', (_, t) => {
    const catchAll = (t.state.Catch as Record<string, any>[]).find((c) => c.ErrorEquals.includes('States.ALL'));
    expect(catchAll).toBeDefined();
    expect(Object.keys(t.scope)).toContain(catchAll!.Next);
  });

  it.each(tasks.map((t) => [t.name, t] as const))('%s retries AWS throttling (DynamoDB, S3) that outlived the SDK retries', (_, t) => {
    const retry = t.state.Retry as Record<string, any>[];
    for (const e of ['ThrottlingException', 'ProvisionedThroughputExceededException', 'UnprocessedItemsError', 'SlowDown']) {
      expect(retry.some((r) => r.ErrorEquals.includes(e))).toBe(true);
    }
  });

  it('Infer (and only Infer) retries ModelThrottledError', () => {
    const throttled = tasks.filter((t) => t.state.Retry.some((r: any) => r.ErrorEquals.includes('ModelThrottledError')));
    expect(throttled.map((t) => t.name)).toEqual(['Infer']);
  });

  it('the Map state catches everything into NotifyRunFailed', () => {
    expect(def.States.ProcessChunks!.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyRunFailed' }]);
  });

  it('every state is reachable and every Next/Catch target exists', () => {
    const scopes = [def, def.States.ProcessChunks!.ItemProcessor] as { StartAt: string; States: Record<string, any> }[];
    for (const scope of scopes) {
      expect([...reachable(scope.StartAt, scope.States)].sort()).toEqual(Object.keys(scope.States).sort());
    }
    for (const { state, scope } of states) {
      for (const target of [state.Next, ...(state.Catch ?? []).map((c: any) => c.Next)].filter(Boolean)) {
        expect(Object.keys(scope)).toContain(target);
      }
    }
  });

  it('names the failure states and their errors', () => {
    expect(def.States.RunFailed).toMatchObject({ Type: 'Fail', Error: 'CollectionsRunFailed' });
    expect(def.States.NotifyFailed).toMatchObject({ Type: 'Fail', Error: 'NotifyFailed' });
    expect(def.States.Fetch!.Catch[0]).toMatchObject({ ResultPath: '$.error', Next: 'NotifyRunFailed' });
    expect(def.States.Notify!.Catch[0].Next).toBe('NotifyFailed');
    expect(def.States.NotifyRunFailed!.Catch[0].Next).toBe('RunFailed');
    expect(def.States.NotifyRunFailed!.Next).toBe('RunFailed');
  });
});

// ---------------------------------------------------------------------------------------------
// Execution of every path with fake tasks.

class ModelThrottledError extends Error {
  override name = 'ModelThrottledError';
}
const named = (name: string, message = name) => Object.assign(new Error(message), { name });

type Handler = (input: any) => Promise<Json>;
type Calls = Record<string, any[]>;

const RUN_DATE = '2025-03-03';
const chunks = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ index: i, key: `runs/${RUN_DATE}/chunks/${String(i).padStart(5, '0')}.jsonl`, count: 10 + i }));

function fakes(nChunks: number, overrides: Partial<Record<string, Handler>> = {}) {
  const calls: Calls = { Fetch: [], Infer: [], Persist: [], Strategy: [], Notify: [], NotifyRunFailed: [] };
  const defaults: Record<string, Handler> = {
    Fetch: async () => ({
      runDate: RUN_DATE,
      sourceKey: `inbox/portfolio/${RUN_DATE}.csv`,
      accounts: 100,
      rejected: 1,
      rejectsKey: `runs/${RUN_DATE}/rejects.csv`,
      chunks: chunks(nChunks),
      firstRunOfDay: true,
    }),
    Infer: async (i) => ({ scoresKey: `runs/${i.runDate}/scores/${i.chunk.index}.jsonl`, scored: i.chunk.count }),
    Persist: async (i) => ({ persisted: i.infer.scored }),
    Strategy: async (i) => ({
      contacted: i.persist.persisted - 1,
      actions: { email: 1, sms: 2, voice: 3 },
      suppressed: { cap: 1 },
      actionsKey: `runs/${i.runDate}/actions/${i.chunk.index}.jsonl`,
      decisionsKey: `runs/${i.runDate}/decisions/${i.chunk.index}.jsonl`,
    }),
    Notify: async (i) => ({ runDate: i.runDate, kind: i.kind, chunks: i.chunkResults.length }),
    NotifyRunFailed: async () => ({ published: true }),
  };
  const handlers = Object.fromEntries(
    Object.keys(calls).map((name) => [
      name,
      async (input: any) => {
        calls[name]!.push(input);
        return (overrides[name] ?? defaults[name]!)(input);
      },
    ]),
  );
  return { calls, handlers };
}

async function run(handlers: Record<string, Handler>, input: Json = {}) {
  const machine = new StateMachine(def as any);
  const execution = machine.run(input, {
    overrides: {
      taskResourceLocalHandlers: handlers as any,
      retryIntervalOverrides: Object.fromEntries(tasks.map((t) => [t.name, 0])),
    },
    context: { Execution: { Name: 'test-execution' } },
  });
  return execution.result as Promise<any>;
}

/** The error the execution failed with (the Fail state's Error/Cause), or throws if it succeeded. */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ExecutionError);
    const cause = (err as Error).cause as Error;
    return { name: cause.name, message: cause.message };
  }
  throw new Error('execution succeeded but a failure was expected');
}

describe('daily-collections ASL: execution paths', () => {
  it('happy path: every chunk goes Infer → Persist → Strategy and Notify gets every chunk result', async () => {
    const { calls, handlers } = fakes(3);
    const output = await run(handlers, { runDate: RUN_DATE });

    expect(output).toEqual({ runDate: RUN_DATE, kind: 'completed', chunks: 3 });
    expect(calls.Fetch).toHaveLength(1);
    expect(calls.Fetch![0]).toEqual({
      input: { runDate: RUN_DATE },
      executionStartTime: expect.any(String),
      executionName: 'test-execution',
    });
    expect(calls.Infer!.map((i) => i.chunk.index).sort()).toEqual([0, 1, 2]);
    expect(calls.Infer![0]).toEqual({ runDate: RUN_DATE, chunk: expect.objectContaining({ key: expect.any(String) }), firstRunOfDay: true });
    expect(Object.keys(calls.Persist![0]).sort()).toEqual(['chunk', 'firstRunOfDay', 'infer', 'runDate']);
    expect(Object.keys(calls.Strategy![0]).sort()).toEqual(['chunk', 'firstRunOfDay', 'infer', 'persist', 'runDate']);
    expect(calls.Strategy![0].firstRunOfDay).toBe(true);
    expect(calls.NotifyRunFailed).toHaveLength(0);

    const notify = calls.Notify![0];
    expect(notify.kind).toBe('completed');
    expect(notify.runDate).toBe(RUN_DATE);
    expect(notify.executionName).toBe('test-execution');
    expect(notify.fetch.chunks).toHaveLength(3);
    expect(notify.chunkResults).toEqual(
      chunks(3).map((c) => ({
        index: c.index,
        failed: false,
        scored: c.count,
        persisted: c.count,
        contacted: c.count - 1,
        actions: { email: 1, sms: 2, voice: 3 },
        suppressed: { cap: 1 },
      })),
    );
  });

  it('a failing chunk is reported as failed (error name only) and the other chunks complete', async () => {
    const { calls, handlers } = fakes(3, {
      Strategy: async (i) => {
        if (i.chunk.index === 1) throw named('BoomError', 'account 42 blew up with a very long cause');
        return { contacted: 1, actions: { email: 1, sms: 0, voice: 0 }, suppressed: {}, actionsKey: 'a', decisionsKey: 'd' };
      },
    });
    await run(handlers);

    expect(calls.Strategy!.filter((i) => i.chunk.index === 1)).toHaveLength(1); // not retried
    const results = calls.Notify![0].chunkResults;
    expect(results).toHaveLength(3);
    expect(results[1]).toEqual({ index: 1, key: chunks(3)[1]!.key, failed: true, error: 'BoomError' });
    expect(results.filter((r: any) => r.failed === false).map((r: any) => r.index)).toEqual([0, 2]);
    expect(calls.NotifyRunFailed).toHaveLength(0);
  });

  it.each([
    ['a class with a name field', () => new ModelThrottledError('throttled')],
    ['the domain error class', () => new DomainModelThrottledError('throttled')],
  ])('Infer retries ModelThrottledError (%s) and the chunk succeeds', async (_, make) => {
    let throttles = 0;
    const { calls, handlers } = fakes(2, {
      Infer: async (i) => {
        if (i.chunk.index === 0 && throttles < 2) {
          throttles++;
          throw make();
        }
        return { scoresKey: 's', scored: i.chunk.count };
      },
    });
    await run(handlers);

    expect(calls.Infer!.filter((i) => i.chunk.index === 0)).toHaveLength(3);
    expect(calls.Notify![0].chunkResults.every((r: any) => r.failed === false)).toBe(true);
  });

  it('Infer gives up after 8 ModelThrottledError retries: the chunk fails with that name', async () => {
    const { calls, handlers } = fakes(1, {
      Infer: async () => {
        throw new ModelThrottledError('still throttled');
      },
    });
    await run(handlers);
    expect(calls.Infer).toHaveLength(9); // 1 attempt + MaxAttempts 8
    expect(calls.Notify![0].chunkResults).toEqual([{ index: 0, key: chunks(1)[0]!.key, failed: true, error: 'ModelThrottledError' }]);
  });

  it('Lambda service errors are retried (Persist throws Lambda.ServiceException once)', async () => {
    let thrown = false;
    const { calls, handlers } = fakes(1, {
      Persist: async (i) => {
        if (!thrown) {
          thrown = true;
          throw named('Lambda.ServiceException');
        }
        return { persisted: i.infer.scored };
      },
    });
    await run(handlers);
    expect(calls.Persist).toHaveLength(2);
    expect(calls.Notify![0].chunkResults[0].failed).toBe(false);
  });

  it('DynamoDB throttling in Strategy is retried and the chunk completes', async () => {
    let thrown = 0;
    const { calls, handlers } = fakes(1, {
      Strategy: async () => {
        if (thrown++ < 2) throw named('ProvisionedThroughputExceededException');
        return { contacted: 1, actions: { email: 1, sms: 0, voice: 0 }, suppressed: {}, actionsKey: 'a', decisionsKey: 'd' };
      },
    });
    await run(handlers);
    expect(calls.Strategy).toHaveLength(3);
    expect(calls.Notify![0].chunkResults[0].failed).toBe(false);
  });

  it('Fetch PortfolioFileError: no retry, NotifyRunFailed gets the error, the run fails with CollectionsRunFailed', async () => {
    const { calls, handlers } = fakes(3, {
      Fetch: async () => {
        throw new PortfolioFileError('missing column days_past_due');
      },
    });
    const err = await failure(run(handlers, { runDate: RUN_DATE }));

    expect(err.name).toBe('CollectionsRunFailed');
    expect(calls.Fetch).toHaveLength(1);
    expect(calls.Infer).toHaveLength(0);
    expect(calls.Notify).toHaveLength(0);
    expect(calls.NotifyRunFailed).toHaveLength(1);
    const notice = calls.NotifyRunFailed![0];
    expect(notice.kind).toBe('failed');
    expect(notice.executionName).toBe('test-execution');
    expect(notice.input.runDate).toBe(RUN_DATE);
    expect(notice.input.error.Error).toBe('PortfolioFileError');
    expect(notice.input.error.Cause).toContain('missing column');
  });

  it('the run still fails with CollectionsRunFailed when the failure notification itself fails', async () => {
    const { calls, handlers } = fakes(1, {
      Fetch: async () => {
        throw new PortfolioFileError('no file');
      },
      NotifyRunFailed: async () => {
        throw named('SnsDown');
      },
    });
    const err = await failure(run(handlers));
    expect(err.name).toBe('CollectionsRunFailed');
    expect(calls.NotifyRunFailed).toHaveLength(1);
  });

  it('Notify failing ends in NotifyFailed', async () => {
    const { calls, handlers } = fakes(2, {
      Notify: async () => {
        throw named('SummaryWriteError');
      },
    });
    const err = await failure(run(handlers));
    expect(err.name).toBe('NotifyFailed');
    expect(calls.Notify).toHaveLength(1);
    expect(calls.Strategy).toHaveLength(2);
    expect(calls.NotifyRunFailed).toHaveLength(0);
  });

  it('Notify retries a persistent Lambda service error 6 times, then NotifyFailed', async () => {
    const { calls, handlers } = fakes(1, {
      Notify: async () => {
        throw named('Lambda.TooManyRequestsException');
      },
    });
    const err = await failure(run(handlers));
    expect(err.name).toBe('NotifyFailed');
    expect(calls.Notify).toHaveLength(7);
  });

  it('reports the error name aws-local-stepfunctions gives a thrown error class (name field vs none)', async () => {
    class NoNameError extends Error {}
    const seen: string[] = [];
    for (const make of [() => new ModelThrottledError('x'), () => new DomainModelThrottledError('x'), () => new NoNameError('x')]) {
      const { calls, handlers } = fakes(1, {
        Strategy: async () => {
          throw make();
        },
      });
      await run(handlers);
      seen.push(calls.Notify![0].chunkResults[0].error);
    }
    // The name field is what Retry/Catch match; a class that does not set it is just "Error".
    expect(seen).toEqual(['ModelThrottledError', 'ModelThrottledError', 'Error']);
  });
});
