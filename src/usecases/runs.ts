import { ValidationError } from '../domain/errors';
import type { ExecutionGateway } from '../ports';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return DATE.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Starts a run for a date. The execution name is unique per request (the state machine itself
 * is idempotent per day, so starting the same date twice plans nothing twice).
 */
export async function startRun(
  deps: { executions: ExecutionGateway; now?: () => Date; suffix?: () => string },
  input: { runDate: string; sourceKey?: string },
): Promise<{ runId: string; executionArn: string; runDate: string; startDate: string }> {
  if (!isCalendarDate(input.runDate)) {
    throw new ValidationError('runDate must be a calendar date YYYY-MM-DD', [{ path: 'runDate', message: 'invalid date' }]);
  }
  const suffix = (deps.suffix ?? (() => Math.random().toString(36).slice(2, 10)))();
  const runId = `run-${input.runDate}-${suffix}`;
  const started = await deps.executions.start(runId, input.sourceKey ? input : { runDate: input.runDate });
  return { runId, runDate: input.runDate, ...started };
}

export async function getRun(deps: { executions: ExecutionGateway }, runId: string) {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(runId)) {
    throw new ValidationError('invalid run id', [{ path: 'id', message: 'letters, digits, - and _ only' }]);
  }
  const exec = await deps.executions.describe(deps.executions.executionArnFor(runId));
  return { runId, status: exec.status, startDate: exec.startDate, stopDate: exec.stopDate, summary: exec.output ?? null, error: exec.error };
}
