import { z } from 'zod';
import { startRunBodySchema } from '../../events';
import { defineRoute, type RouteSpec } from '../route-spec';

export const runIdParamsSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/).describe('run id returned by POST /runs') });

export const startRunResponseSchema = z.object({
  runId: z.string(),
  runDate: z.string(),
  executionArn: z.string(),
  startDate: z.string(),
});

export const runStatusResponseSchema = z.object({
  runId: z.string(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']),
  startDate: z.string(),
  stopDate: z.string().optional(),
  summary: z.unknown().describe('the run summary once SUCCEEDED, else null'),
  error: z.string().optional(),
});

/** Body ceiling of POST /runs: a date and an S3 key. */
export const START_RUN_MAX_BYTES = 4 * 1024;

export const routes: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    path: '/runs',
    summary: 'Start the daily collections run for a date',
    groups: ['admin', 'agent'],
    request: { body: startRunBodySchema },
    responses: {
      202: { description: 'run started; poll GET /runs/{id}', body: startRunResponseSchema },
      400: { description: 'invalid body (field-level issues)' },
      413: { description: 'body too large' },
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/runs/{id}',
    summary: 'Status of a run and, once finished, its summary',
    groups: ['admin', 'agent'],
    request: { params: runIdParamsSchema },
    responses: {
      200: { description: 'run status', body: runStatusResponseSchema },
      400: { description: 'malformed run id' },
      404: { description: 'no such run' },
    },
  }),
];
