import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  ValidationError,
} from '../domain/errors';
import { logger } from '../logger';

/** The one place domain errors become HTTP statuses. 5xx bodies never carry details. */
const MALFORMED_JSON = 'Invalid or malformed JSON was provided';

/** @middy/http-json-body-parser answers 415 for a malformed body too; that is the caller's 400. */
const isMalformedJson = (error: unknown) => (error as { statusCode?: number; message?: string })?.statusCode === 415 && (error as Error).message === MALFORMED_JSON;

export function httpStatusOf(error: unknown): number {
  if (error instanceof ValidationError || isMalformedJson(error)) return 400;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof PayloadTooLargeError) return 413;
  const status = (error as { statusCode?: number; expose?: boolean })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return status; // middy's own (e.g. 415, 422)
  return 500;
}

export function httpErrors(): MiddlewareObj<unknown, APIGatewayProxyStructuredResultV2> {
  return {
    onError: (request) => {
      const error = request.error;
      const status = httpStatusOf(error);
      const body =
        status >= 500
          ? { error: 'InternalError', message: 'Internal server error' }
          : {
              error: error instanceof DomainError ? error.code : isMalformedJson(error) ? 'MALFORMED_JSON' : 'BAD_REQUEST',
              message: isMalformedJson(error) ? 'request body must be a JSON document' : (error as Error).message,
              ...(error instanceof ValidationError && error.issues.length > 0 ? { issues: error.issues } : {}),
            };
      if (status >= 500) logger.error('request failed', { error: error as Error });
      else logger.info('request rejected', { status, error: (error as Error).name });
      request.response = {
        statusCode: status,
        // RFC 6750: a 401 names the scheme the caller must use.
        headers: { 'content-type': 'application/json', ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) },
        body: JSON.stringify(body),
      };
    },
  };
}

export const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
