import type { MiddlewareObj } from '@middy/core';

/**
 * For routes whose JSON body is optional (POST /admin/allowlist): a request without a body is
 * an empty object, not a 415. A body that is present still has to be JSON with its content type.
 */
export function optionalJsonBody(): MiddlewareObj<unknown> {
  return {
    before: (request) => {
      const event = request.event as { body?: unknown; headers?: Record<string, string | undefined> };
      if (event.body === undefined || event.body === null || event.body === '') {
        event.body = '{}';
        event.headers = { ...event.headers, 'content-type': 'application/json' };
      }
    },
  };
}
