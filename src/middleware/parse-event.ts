import type { MiddlewareObj } from '@middy/core';
import type { z } from 'zod';
import { ValidationError } from '../domain/errors';

export function zodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

/**
 * Validates the incoming event at the edge and replaces it with the parsed value, so the
 * handler receives a typed, trusted object. Invalid input fails with a ValidationError.
 */
export function parseEvent<S extends z.ZodType>(schema: S): MiddlewareObj<unknown> {
  return {
    before: (request) => {
      const parsed = schema.safeParse(request.event);
      if (!parsed.success) {
        const issues = zodIssues(parsed.error);
        throw new ValidationError(`invalid event: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
      }
      request.event = parsed.data;
    },
  };
}
