/**
 * Runs the service's real ASL with aws-local-stepfunctions, every Task state mapped to the real
 * handler of its function (in-process), with state events for progress display.
 */
import { randomUUID } from 'node:crypto';

import './polyfills';

type JSONValue = null | boolean | number | string | JSONValue[] | { [k: string]: JSONValue };
type SfnModule = typeof import('aws-local-stepfunctions');
let sfnModule: Promise<SfnModule> | undefined;
// Loaded lazily (after the polyfill) — and it is ESM-first, so import() rather than a static import.
const loadSfn = () => (sfnModule ??= import('aws-local-stepfunctions'));

/** The part of the local stack the runner needs (LocalStack satisfies it). */
export interface AslStack {
  stateMachineDefinition(name: string): Record<string, unknown>;
  stateMachineArn(name: string): string;
  /** function ARN (placeholder) → serverless function name */
  functionForArn(arn: string): string | undefined;
  invoke(functionName: string, event: unknown): Promise<unknown>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** Simplified state event for progress display. */
export interface AslEvent {
  type:
    | 'ExecutionStarted'
    | 'ExecutionSucceeded'
    | 'ExecutionFailed'
    | 'ExecutionAborted'
    | 'ExecutionTimeout'
    | 'StateEntered'
    | 'StateExited'
    | 'StateFailed'
    | 'StateRetried'
    | 'StateCaught'
    | 'MapIterationStarted'
    | 'MapIterationSucceeded'
    | 'MapIterationFailed'
    | 'ParallelBranchStarted'
    | 'ParallelBranchSucceeded'
    | 'ParallelBranchFailed';
  timestamp: number;
  /** State name (or the Map/Parallel state for iteration/branch events). */
  state?: string;
  stateType?: string;
  /** Map iteration index (iteration events and states inside an iteration). */
  index?: number;
  /** For Map iteration events: iterations started / finished so far and the total. */
  map?: { started: number; succeeded: number; failed: number; total?: number };
  retryAttempt?: number;
  error?: string;
  cause?: string;
  output?: unknown;
}

export interface RunStateMachineOptions {
  stack: AslStack;
  stateMachine: string;
  input?: unknown;
  executionName?: string;
  onEvent?: (e: AslEvent) => void;
  /** Per state name (ms or list per retrier), or one number for every retrying state. */
  retryIntervalOverrides?: number | Record<string, number | number[]>;
  signal?: AbortSignal;
}

export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  cause?: string;
  executionArn: string;
  startDate: Date;
  stopDate: Date;
}

const LAMBDA_INVOKE = /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/;

interface TaskState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Retry?: unknown[];
  Iterator?: { States: Record<string, TaskState> };
  ItemProcessor?: { States: Record<string, TaskState> };
  Branches?: { States: Record<string, TaskState> }[];
}

function* walkStates(states: Record<string, TaskState>): Generator<[string, TaskState]> {
  for (const [name, s] of Object.entries(states)) {
    yield [name, s];
    const inner = s.Iterator ?? s.ItemProcessor;
    if (inner) yield* walkStates(inner.States);
    for (const b of s.Branches ?? []) yield* walkStates(b.States);
  }
}

export function executionArnOf(stateMachineArn: string, name: string): string {
  return stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
}

/** Builds the Task handlers; a Task whose Resource is no local function fails fast at start. */
function taskHandlers(stack: AslStack, definition: Record<string, unknown>) {
  const handlers: Record<string, (input: JSONValue) => Promise<JSONValue>> = {};
  const retrying: string[] = [];
  for (const [name, state] of walkStates(definition.States as Record<string, TaskState>)) {
    if (state.Retry?.length) retrying.push(name);
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource ?? '');
    if (LAMBDA_INVOKE.test(resource)) {
      // Optimised integration: input is { FunctionName, Payload }, output is the Invoke response.
      handlers[name] = async (input) => {
        const req = (input ?? {}) as { FunctionName?: string; Payload?: unknown };
        const fn = stack.functionForArn(String(req.FunctionName ?? ''));
        if (!fn) throw new Error(`${name}: FunctionName ${req.FunctionName} is not a function of this service`);
        const payload = await stack.invoke(fn, req.Payload ?? null);
        return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 } as JSONValue;
      };
      continue;
    }
    const fn = stack.functionForArn(resource);
    if (!fn) throw new Error(`Task state "${name}": resource ${resource} is not a function of this service (no local equivalent)`);
    handlers[name] = async (input) => (await stack.invoke(fn, input)) as JSONValue;
  }
  return { handlers, retrying };
}

export async function runStateMachine(opts: RunStateMachineOptions): Promise<ExecutionResult> {
  const { StateMachine, ExecutionError } = await loadSfn();
  const definition = opts.stack.stateMachineDefinition(opts.stateMachine);
  const smArn = opts.stack.stateMachineArn(opts.stateMachine);
  const name = opts.executionName ?? randomUUID();
  const executionArn = executionArnOf(smArn, name);
  const { handlers, retrying } = taskHandlers(opts.stack, definition);
  const retryOverrides =
    typeof opts.retryIntervalOverrides === 'number'
      ? Object.fromEntries(retrying.map((s) => [s, opts.retryIntervalOverrides as number]))
      : opts.retryIntervalOverrides;

  // Validation of ARNs/paths is asl-validator's job at package time; the placeholders are fine.
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false, checkPaths: false } });
  const startDate = new Date();
  const execution = machine.run((opts.input ?? {}) as JSONValue, {
    overrides: { taskResourceLocalHandlers: handlers, ...(retryOverrides ? { retryIntervalOverrides: retryOverrides } : {}) },
    context: {
      Execution: { Id: executionArn, Name: name, RoleArn: `${smArn.split(':stateMachine:')[0]}:role/local` },
      StateMachine: { Id: smArn, Name: smArn.split(':').pop() },
    } as never,
  });
  if (opts.signal) opts.signal.addEventListener('abort', () => execution.abort(), { once: true });

  const drained = opts.onEvent ? forwardEvents(execution.eventLogs, opts.onEvent) : Promise.resolve();
  try {
    const output = await execution.result;
    await drained.catch(() => undefined);
    return { status: 'SUCCEEDED', output, executionArn, startDate, stopDate: new Date() };
  } catch (e) {
    await drained.catch(() => undefined);
    const cause = e instanceof ExecutionError ? (e.cause as Error | undefined) : (e as Error);
    return {
      status: 'FAILED',
      error: cause?.name ?? 'States.Runtime',
      cause: cause?.message ?? String(e),
      executionArn,
      startDate,
      stopDate: new Date(),
    };
  }
}

interface RawEvent {
  type: AslEvent['type'];
  timestamp: number;
  state?: { name: string; type: string; output?: unknown };
  parentState?: { name: string; type: string; input?: unknown };
  index?: number;
  retry?: { attempt: number };
  Error?: string;
  Cause?: unknown;
  output?: unknown;
}

async function forwardEvents(logs: AsyncGenerator<unknown>, onEvent: (e: AslEvent) => void): Promise<void> {
  const maps = new Map<string, { started: number; succeeded: number; failed: number }>();
  for await (const raw of logs) {
    const ev = raw as RawEvent;
    const out: AslEvent = { type: ev.type, timestamp: ev.timestamp };
    const st = ev.state ?? ev.parentState;
    if (st) {
      out.state = st.name;
      out.stateType = st.type;
    }
    if (ev.index !== undefined) out.index = ev.index;
    if (ev.retry) out.retryAttempt = ev.retry.attempt;
    if (ev.Error !== undefined) out.error = ev.Error;
    if (ev.Cause !== undefined) out.cause = typeof ev.Cause === 'string' ? ev.Cause : JSON.stringify(ev.Cause);
    if (ev.type === 'ExecutionSucceeded') out.output = ev.output;
    else if (ev.type === 'StateExited' && ev.state?.output !== undefined) out.output = ev.state.output;
    if (ev.type.startsWith('MapIteration') && ev.parentState) {
      const key = ev.parentState.name;
      if (ev.type === 'MapIterationStarted' && !maps.has(key)) maps.set(key, { started: 0, succeeded: 0, failed: 0 });
      const m = maps.get(key) ?? { started: 0, succeeded: 0, failed: 0 };
      if (ev.type === 'MapIterationStarted') m.started++;
      else if (ev.type === 'MapIterationSucceeded') m.succeeded++;
      else m.failed++;
      maps.set(key, m);
      out.map = { ...m };
    }
    if (ev.type === 'StateEntered' && ev.state?.type === 'Map') maps.delete(ev.state.name);
    try {
      onEvent(out);
    } catch {
      // A display callback must never break the execution.
    }
  }
}
