import type { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';

/**
 * The paths whose JSON body the root router reads before the plugin does: the permission
 * backend's `/authorize`, which every page of the portal calls as it opens, so a reader leaving a
 * page mid-request is routine there. Its own parser is `express.json()` with the defaults, as
 * this one is; once read here, the plugin's parser leaves the body as it is.
 */
export const BODY_READ_AT_ROOT = ['/api/permission/authorize'];

/** Body-parser's errors for a request whose client closed it before or while its body was read. */
const CLIENT_GONE = new Set(['request.aborted', 'stream.not.readable']);

/**
 * Reads a JSON body and, when the client has gone away before it could be read, ends there with
 * a debug line: no one is left to answer, and it is no server error. Left to the plugin's own
 * parser, the same request was logged as `Request failed with status 500 stream is not readable`.
 * Every other error goes on to the error handlers as before.
 */
export function jsonBodyUnlessClientGone(logger: LoggerService) {
  const json = express.json();
  return (req: Request, res: Response, next: NextFunction) => {
    json(req, res, (error?: unknown) => {
      const type = (error as { type?: string } | undefined)?.type;
      if (
        error &&
        type &&
        CLIENT_GONE.has(type) &&
        (req.destroyed || req.socket.destroyed)
      ) {
        logger.debug(
          `${req.method} ${req.originalUrl}: the client closed the request before its body was read`,
        );
        return;
      }
      next(error);
    });
  };
}
