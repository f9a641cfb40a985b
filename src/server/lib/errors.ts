/** Domain errors: services throw these; the one error handler maps them to RFC 9457 problem documents. */
export type FieldError = { path: string; message: string; code?: string };

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  abstract readonly title: string;
  readonly errors: FieldError[] | undefined;
  constructor(detail: string, errors?: FieldError[]) {
    super(detail);
    this.errors = errors;
  }
}

export class Invalid extends AppError {
  readonly status = 400;
  readonly type: string = 'invalid';
  readonly title: string = 'Invalid request';
}

export class Unauthenticated extends AppError {
  readonly status = 401;
  readonly type: string = 'unauthenticated';
  readonly title: string = 'Sign-in required';
}

export class Forbidden extends AppError {
  readonly status = 403;
  readonly type: string = 'forbidden';
  readonly title: string = 'Not allowed';
}

export class NotFound extends AppError {
  readonly status = 404;
  readonly type: string = 'not-found';
  readonly title: string = 'Not found';
}

export class Conflict extends AppError {
  readonly status = 409;
  readonly type: string = 'conflict';
  readonly title: string = 'Conflict';
  readonly currentVersion: number | undefined;
  constructor(detail: string, currentVersion?: number) {
    super(detail);
    this.currentVersion = currentVersion;
  }
}

/** A stale `version`: someone else changed the record since the caller read it. */
export class VersionConflict extends Conflict {
  override readonly type: string = 'version-conflict';
  override readonly title: string = 'Changed by someone else';
}

export class Unavailable extends AppError {
  readonly status = 503;
  readonly type: string = 'unavailable';
  readonly title: string = 'Service unavailable';
}

/** Too many attempts: the caller may try again after `retryAfterSeconds`. */
export class RateLimited extends AppError {
  readonly status = 429;
  readonly type: string = 'rate-limited';
  readonly title: string = 'Too many attempts';
  readonly retryAfterSeconds: number;
  constructor(detail: string, retryAfterSeconds: number) {
    super(detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
