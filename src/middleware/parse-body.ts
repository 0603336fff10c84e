import type { z } from 'zod';
import { ValidationError } from '../domain/errors';
import { zodIssues } from './parse-event';

/** Validates a parsed JSON body; field-level messages go back to the caller as a 400. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new ValidationError('invalid request body', zodIssues(parsed.error));
  return parsed.data;
}
