import type { LoggerService } from '@backstage/backend-plugin-api';
import { randomBytes } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';

/** Errors whose message is written for the caller (@backstage/errors), by name. */
const ANSWERABLE = new Set([
  'NotModifiedError',
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotImplementedError',
  'ServiceUnavailableError',
]);

function statusOf(error: unknown): number | undefined {
  for (const field of ['statusCode', 'status']) {
    const value = (error as Record<string, unknown> | null)?.[field];
    if (typeof value === 'number' && Number.isInteger(value)) return value;
  }
  return undefined;
}

/**
 * The last middleware of a plugin's router: an error not written for the caller (a database
 * driver's, with its SQL; a bug's) is logged with an id and answered as "an internal error,
 * logged as <id>", so a 500 never carries SQL text, table names or stack traces. Backstage's own
 * error handler filters PostgreSQL's DatabaseError only; SQLite's and every other stay as they are.
 */
export function internalErrorsHidden(
  logger: LoggerService,
): ErrorRequestHandler {
  return (error, req, _res, next) => {
    const status = statusOf(error);
    const answerable =
      error instanceof Error &&
      (ANSWERABLE.has(error.name) || (status !== undefined && status < 500));
    if (answerable) {
      next(error);
      return;
    }
    const logId = randomBytes(8).toString('hex');
    logger.error(
      `${req.method} ${req.path} failed (logId=${logId}): ${String(
        error?.message ?? error,
      )}`,
      error instanceof Error ? error : undefined,
    );
    const hidden = new Error(
      `An internal error occurred; the portal's log has it as logId=${logId}`,
    );
    delete hidden.stack;
    next(hidden);
  };
}
