/**
 * Typed domain errors. `name` is stable: Step Functions matches it in Retry/Catch
 * (ErrorEquals) and the HTTP layer maps it to a status in one place.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input the caller can fix (HTTP 400). */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(message: string, readonly issues: { path: string; message: string }[] = []) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

/** No credentials, or credentials that do not verify (bad signature, expired, wrong issuer/audience): HTTP 401. */
export class UnauthorizedError extends DomainError {
  readonly code = 'UNAUTHORIZED';
}

/** Authenticated, but not allowed to do this (wrong group, someone else's account): HTTP 403. */
export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

/** The request body is larger than the route accepts: HTTP 413. */
export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** The portfolio file cannot be processed at all (e.g. a required column is missing). Not retryable. */
export class PortfolioFileError extends DomainError {
  readonly code = 'PORTFOLIO_FILE_INVALID';
}

/** A dialer results file cannot be processed at all (not UTF-8 text, a required column missing). Not retryable. */
export class DialerFileError extends DomainError {
  readonly code = 'DIALER_FILE_INVALID';
}

/** The model endpoint throttled us; the state machine retries this with backoff. */
export class ModelThrottledError extends DomainError {
  readonly code = 'MODEL_THROTTLED';
}

/** The model endpoint failed or answered something we cannot parse. */
export class ModelInvocationError extends DomainError {
  readonly code = 'MODEL_INVOCATION_FAILED';
}

/** Configuration is missing or invalid: fail the cold start, loudly. */
export class ConfigurationError extends DomainError {
  readonly code = 'CONFIGURATION_INVALID';
}
