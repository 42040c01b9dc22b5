/**
 * Domain errors thrown by services and mapped to HTTP in one place (app.ts).
 * 4xx messages are shown to the pilot, so they say what is wrong and what to do.
 */
export class DomainError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Seconds the client should wait before trying again (sent as Retry-After), when it applies. */
  retryAfterS?: number;
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(404, 'not-found', message);
  }
}

export class InvalidError extends DomainError {
  constructor(message: string, code = 'invalid') {
    super(400, code, message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(message: string) {
    super(413, 'too-large', message);
  }
}

export class UnavailableError extends DomainError {
  constructor(message: string, code = 'unavailable', options?: { cause?: unknown }) {
    super(503, code, message, options);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message: string, code = 'unauthorized') {
    super(401, code, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string, code = 'forbidden') {
    super(403, code, message);
  }
}

/** 423: too many wrong passwords; `retryAfterS` says when the next attempt is allowed. */
export class LockedError extends DomainError {
  constructor(message: string, retryAfterS: number) {
    super(423, 'locked', message);
    this.retryAfterS = retryAfterS;
  }
}
