import type { MiddlewareObj } from '@middy/core';
import { PayloadTooLargeError } from '../domain/errors';

/** Bytes of the body as sent: base64 bodies are measured decoded, text bodies as UTF-8. */
export function bodyBytes(event: { body?: unknown; isBase64Encoded?: boolean }): number {
  const body = event.body;
  if (typeof body !== 'string' || body.length === 0) return 0;
  return event.isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body, 'utf8');
}

/**
 * Per-route body ceiling (API Gateway's own is 10 MB): rejects with 413 before the body is
 * parsed, so an oversize document costs no JSON parse. Goes before httpJsonBodyParser.
 */
export function bodyLimit(maxBytes: number): MiddlewareObj<unknown> {
  return {
    before: (request) => {
      const size = bodyBytes(request.event as { body?: unknown; isBase64Encoded?: boolean });
      if (size > maxBytes) throw new PayloadTooLargeError(`request body is ${size} bytes; this route accepts at most ${maxBytes}`);
    },
  };
}
