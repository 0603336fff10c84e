import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { z } from 'zod';
import {
  ConflictError,
  ForbiddenError,
  ModelInvocationError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  ValidationError,
} from '../../../src/domain/errors';
import { bodyBytes, bodyLimit } from '../../../src/http/body-limit';
import { httpErrors, httpStatusOf } from '../../../src/middleware/http-errors';
import { parseBody } from '../../../src/middleware/parse-body';
import { httpEvent, lambdaContext, parseResult } from '../../helpers/http';

const failWith = (error: unknown) =>
  middy(async () => {
    throw error;
  }).use(httpErrors());

describe('HTTP error mapping (one place)', () => {
  it.each([
    [new ValidationError('bad'), 400, 'VALIDATION_FAILED'],
    [new UnauthorizedError('who?'), 401, 'UNAUTHORIZED'],
    [new ForbiddenError('no'), 403, 'FORBIDDEN'],
    [new NotFoundError('none'), 404, 'NOT_FOUND'],
    [new ConflictError('taken'), 409, 'CONFLICT'],
    [new PayloadTooLargeError('big'), 413, 'PAYLOAD_TOO_LARGE'],
  ])('%p → %i %s', async (error, status, code) => {
    expect(httpStatusOf(error)).toBe(status);
    const r = parseResult(await failWith(error)(httpEvent({ method: 'GET', path: '/' }) as never, lambdaContext()));
    expect(r.statusCode).toBe(status);
    expect(r.json).toEqual({ error: code, message: (error as Error).message });
  });

  it('zod issues → 400 with {path, message} per field', async () => {
    const schema = z.object({ amount: z.number().positive(), when: z.object({ date: z.string() }) });
    let caught: unknown;
    try {
      parseBody(schema, { amount: -1, when: {} });
    } catch (e) {
      caught = e;
    }
    const r = parseResult(await failWith(caught)(httpEvent({ method: 'POST', path: '/' }) as never, lambdaContext()));
    expect(r.statusCode).toBe(400);
    expect(r.json.issues).toEqual([
      { path: 'amount', message: expect.stringContaining('>0') },
      { path: 'when.date', message: expect.any(String) },
    ]);
  });

  it('5xx: a fixed body, never the message or the stack', async () => {
    const secret = new ModelInvocationError('endpoint arn:aws:sagemaker:… said CUST-0001 at /var/task/x.ts:10');
    for (const e of [secret, new TypeError("Cannot read properties of undefined (reading 'x')"), 'a string']) {
      const r = parseResult(await failWith(e)(httpEvent({ method: 'GET', path: '/' }) as never, lambdaContext()));
      expect(r.statusCode).toBe(500);
      expect(r.body).toBe(JSON.stringify({ error: 'InternalError', message: 'Internal server error' }));
    }
  });
});

describe('bodyLimit', () => {
  const handler = (max: number) =>
    middy(async (event: { body: unknown }) => ({ statusCode: 200, body: JSON.stringify(event.body) }))
      .use(httpHeaderNormalizer())
      .use(bodyLimit(max))
      .use(httpJsonBodyParser({ disableContentTypeError: false }))
      .use(httpErrors());

  it('measures UTF-8 bytes and decoded base64', () => {
    expect(bodyBytes({ body: 'é' })).toBe(2);
    expect(bodyBytes({ body: Buffer.from('hello').toString('base64'), isBase64Encoded: true })).toBe(5);
    expect(bodyBytes({})).toBe(0);
  });

  it('at the limit → passes; one byte over → 413 before JSON parsing', async () => {
    const body = JSON.stringify({ a: 'x'.repeat(92) }); // 100 bytes
    expect(body.length).toBe(100);
    const ok = parseResult(await handler(100)(httpEvent({ method: 'POST', path: '/', body }) as never, lambdaContext()));
    expect(ok.statusCode).toBe(200);
    const over = parseResult(await handler(99)(httpEvent({ method: 'POST', path: '/', body }) as never, lambdaContext()));
    expect(over.statusCode).toBe(413);
    expect(over.json).toEqual({ error: 'PAYLOAD_TOO_LARGE', message: 'request body is 100 bytes; this route accepts at most 99' });
    // Oversize and malformed: still 413 (never parsed).
    const junk = parseResult(await handler(10)(httpEvent({ method: 'POST', path: '/', body: '{'.repeat(50) }) as never, lambdaContext()));
    expect(junk.statusCode).toBe(413);
  });
});
