/**
 * Local Step Functions endpoint (AWS JSON 1.0, what @aws-sdk/client-sfn speaks): StartExecution,
 * DescribeExecution, ListExecutions, StopExecution, ListStateMachines, DescribeStateMachine.
 * Lives in the main process because executions run the handlers in-process (asl-runner).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { executionArnOf, runStateMachine, type AslEvent, type AslStack } from '../asl-runner';

export interface SfnExecution {
  executionArn: string;
  stateMachineArn: string;
  stateMachine: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  done: Promise<void>;
  abort: AbortController;
}

export interface SfnEndpointOptions {
  stack: AslStack;
  /** serverless state machine key → ARN */
  stateMachines: Record<string, string>;
  retryIntervalOverrides?: number | Record<string, number | number[]>;
  onEvent?: (executionArn: string, e: AslEvent) => void;
  log?: (line: string) => void;
  host?: string;
}

export interface SfnEndpoint {
  url: string;
  executions: Map<string, SfnExecution>;
  /** Starts an execution directly (same path as the API). */
  start(stateMachineArn: string, input: string, name?: string): SfnExecution;
  close(): Promise<void>;
}

class SfnApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const epoch = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);

export async function startSfnEndpoint(opts: SfnEndpointOptions): Promise<SfnEndpoint> {
  const executions = new Map<string, SfnExecution>();
  const byArn = new Map(Object.entries(opts.stateMachines).map(([key, arn]) => [arn, key]));

  function machineKey(arn: unknown): string {
    const key = byArn.get(String(arn));
    if (!key) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
    return key;
  }

  function start(stateMachineArn: string, input: string, name?: string): SfnExecution {
    const stateMachine = machineKey(stateMachineArn);
    const execName = name ?? crypto.randomUUID();
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(execName)) throw new SfnApiError('InvalidName', `Invalid Name: '${execName}'`);
    const executionArn = executionArnOf(stateMachineArn, execName);
    const existing = executions.get(executionArn);
    if (existing) {
      // Same as AWS: idempotent while running with the same input, otherwise a conflict.
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new SfnApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
    }
    const abort = new AbortController();
    const ex: SfnExecution = {
      executionArn,
      stateMachineArn,
      stateMachine,
      name: execName,
      status: 'RUNNING',
      startDate: new Date(),
      input,
      abort,
      done: Promise.resolve(),
    };
    executions.set(executionArn, ex);
    opts.log?.(`sfn: started ${stateMachine} execution ${execName}`);
    ex.done = runStateMachine({
      stack: opts.stack,
      stateMachine,
      input: parsed,
      executionName: execName,
      signal: abort.signal,
      ...(opts.retryIntervalOverrides !== undefined ? { retryIntervalOverrides: opts.retryIntervalOverrides } : {}),
      ...(opts.onEvent ? { onEvent: (e: AslEvent) => opts.onEvent!(executionArn, e) } : {}),
    }).then(
      (r) => {
        if (ex.status === 'ABORTED') return;
        ex.status = r.status;
        ex.stopDate = r.stopDate;
        if (r.status === 'SUCCEEDED') ex.output = JSON.stringify(r.output ?? null);
        else {
          ex.error = r.error;
          ex.cause = r.cause;
        }
        opts.log?.(`sfn: ${stateMachine} execution ${execName} ${r.status}${r.error ? ` (${r.error})` : ''}`);
      },
      (e: unknown) => {
        ex.status = 'FAILED';
        ex.stopDate = new Date();
        ex.error = 'States.Runtime';
        ex.cause = String((e as Error)?.message ?? e);
      },
    );
    return ex;
  }

  function describe(ex: SfnExecution) {
    return {
      executionArn: ex.executionArn,
      stateMachineArn: ex.stateMachineArn,
      name: ex.name,
      status: ex.status,
      startDate: epoch(ex.startDate),
      stopDate: epoch(ex.stopDate),
      input: ex.input,
      inputDetails: { included: true },
      ...(ex.output !== undefined ? { output: ex.output, outputDetails: { included: true } } : {}),
      ...(ex.error !== undefined ? { error: ex.error } : {}),
      ...(ex.cause !== undefined ? { cause: ex.cause } : {}),
    };
  }

  function handle(action: string, body: Record<string, unknown>): unknown {
    switch (action) {
      case 'StartExecution': {
        const ex = start(String(body.stateMachineArn), typeof body.input === 'string' ? body.input : '{}', body.name as string | undefined);
        return { executionArn: ex.executionArn, startDate: epoch(ex.startDate) };
      }
      case 'DescribeExecution': {
        const ex = executions.get(String(body.executionArn));
        if (!ex) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
        return describe(ex);
      }
      case 'StopExecution': {
        const ex = executions.get(String(body.executionArn));
        if (!ex) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
        if (ex.status === 'RUNNING') {
          ex.status = 'ABORTED';
          ex.stopDate = new Date();
          if (body.error !== undefined) ex.error = String(body.error);
          if (body.cause !== undefined) ex.cause = String(body.cause);
          ex.abort.abort();
        }
        return { stopDate: epoch(ex.stopDate) };
      }
      case 'ListExecutions': {
        machineKey(body.stateMachineArn);
        const list = [...executions.values()]
          .filter((e) => e.stateMachineArn === body.stateMachineArn && (!body.statusFilter || e.status === body.statusFilter))
          .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
        const from = body.nextToken ? Number(body.nextToken) : 0;
        const max = Number(body.maxResults) || 100;
        const page = list.slice(from, from + max);
        return {
          executions: page.map((e) => ({
            executionArn: e.executionArn,
            stateMachineArn: e.stateMachineArn,
            name: e.name,
            status: e.status,
            startDate: epoch(e.startDate),
            stopDate: epoch(e.stopDate),
          })),
          ...(from + max < list.length ? { nextToken: String(from + max) } : {}),
        };
      }
      case 'ListStateMachines':
        return {
          stateMachines: [...byArn.keys()].map((arn) => ({ stateMachineArn: arn, name: arn.split(':').pop(), type: 'STANDARD', creationDate: 0 })),
        };
      case 'DescribeStateMachine': {
        const key = machineKey(body.stateMachineArn);
        return {
          stateMachineArn: body.stateMachineArn,
          name: String(body.stateMachineArn).split(':').pop(),
          status: 'ACTIVE',
          definition: JSON.stringify(opts.stack.stateMachineDefinition(key)),
          roleArn: 'arn:aws:iam::000000000000:role/local',
          type: 'STANDARD',
          creationDate: 0,
        };
      }
      default:
        throw new SfnApiError('UnknownOperationException', `${action} is not supported by the local Step Functions`);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const action = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const reply = (status: number, obj: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': crypto.randomUUID() });
        res.end(JSON.stringify(obj));
      };
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        reply(200, handle(action, body));
      } catch (e) {
        if (e instanceof SfnApiError) reply(400, { __type: `com.amazonaws.sfn#${e.code}`, message: e.message });
        else reply(500, { __type: 'com.amazonaws.sfn#InternalFailure', message: String((e as Error)?.message ?? e) });
      }
    });
  });
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(0, opts.host ?? '127.0.0.1', () => ok());
  });
  // Never the reason a process stays alive (e.g. `sls invoke local` after a handler error).
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    executions,
    start,
    close: async () => {
      for (const ex of executions.values()) if (ex.status === 'RUNNING') ex.abort.abort();
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await closed;
    },
  };
}
