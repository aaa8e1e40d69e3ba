/**
 * Errors that end the step with one message. Each carries the text the user sees;
 * none ever includes the API key.
 */
export class ActionError extends Error {
  override name = 'ActionError';
}

/** A bad input: reported before any request is made. */
export class ConfigError extends ActionError {
  override name = 'ConfigError';
}

/**
 * The API cannot be reached as configured, and retrying will not change that: a host name that
 * does not resolve, a certificate no trusted authority signed, a key that cannot be sent. Ends the
 * step before any outcome, as a bad input does; only before the server has ever answered.
 */
export class UnreachableError extends ActionError {
  override name = 'UnreachableError';
}

/** An answer that retrying cannot fix (400, 422, …). */
export class ApiError extends ActionError {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    /** The request and the answer alone (`GET /path: HTTP 404 …`), without advice. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** 404: the job (or a route of it) does not exist. Never retried. */
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
  constructor(message: string, detail?: string) {
    super(message, 404, detail);
  }
}

/** 401/403: the key is wrong, expired or lacks access. Never retried. */
export class AuthError extends ApiError {
  override name = 'AuthError';
}

/** Transient faults that outlasted the attempts allowed (a single check with `wait: false`). */
export class ProviderUnavailable extends ActionError {
  override name = 'ProviderUnavailable';
}

/** A fault worth retrying: 408/409/429/5xx, resets, timeouts, unreadable bodies. */
export class TransientError extends Error {
  override name = 'TransientError';
  constructor(
    message: string,
    /** Milliseconds the server asked us to wait (Retry-After), when it said. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** Why the run signal was aborted: our own deadline or the runner cancelling the step. */
export class DeadlineReached extends Error {
  override name = 'DeadlineReached';
  constructor() {
    super('timeout-minutes reached');
  }
}

export class RunCancelled extends Error {
  override name = 'RunCancelled';
  constructor(readonly signalName: string) {
    super(`received ${signalName}`);
  }
}
