import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import type {
  LifecycleService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { BODY_READ_AT_ROOT, jsonBodyUnlessClientGone } from './clientGone';

/** How long a stopping replica waits for requests in flight (inside Kubernetes' default 30 s grace). */
export const REQUEST_DRAIN_LIMIT_MS = 20_000;

/** The event bus' long poll (the catalog waits there up to 55 s for events): parked, never awaited. */
function isEventBusLongPoll(req: IncomingMessage): boolean {
  return (
    req.method === 'GET' &&
    /^\/api\/events\/bus\/v1\/subscriptions\/[^/]+\/events/.test(req.url ?? '')
  );
}

/**
 * The requests this replica is answering. Backstage's own shutdown closes the database while the
 * HTTP server still finishes its last requests, so a request needing the database after SIGTERM
 * failed; and the event bus' long poll held the server open for up to 55 s. Counting requests lets
 * shutdown wait for the real ones first and cut only the long polls.
 */
export class RequestsInFlight {
  private count = 0;
  private readonly waiters = new Set<() => void>();
  private readonly longPolls = new Set<Socket>();

  readonly middleware = (
    req: IncomingMessage,
    res: ServerResponse,
    next: () => void,
  ) => {
    if (isEventBusLongPoll(req)) {
      const socket = req.socket;
      this.longPolls.add(socket);
      res.once('close', () => this.longPolls.delete(socket));
    } else {
      this.count += 1;
      res.once('close', () => {
        this.count -= 1;
        if (this.count === 0) for (const wake of this.waiters) wake();
      });
    }
    next();
  };

  get size(): number {
    return this.count;
  }

  /** Resolves true once no request is in flight, or false when `limitMs` passes first. */
  async drained(limitMs: number): Promise<boolean> {
    if (this.count === 0) return true;
    let wake: () => void = () => {};
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>(resolve => {
      wake = () => resolve(true);
      this.waiters.add(wake);
      timer = setTimeout(() => resolve(false), limitMs);
    });
    try {
      return await idle;
    } finally {
      this.waiters.delete(wake);
      clearTimeout(timer);
    }
  }

  /** Ends the parked long polls, so the server can close; their callers simply poll again elsewhere. */
  closeLongPolls() {
    for (const socket of this.longPolls) socket.destroy();
    this.longPolls.clear();
  }
}

/** The configure context's lifecycle is the root lifecycle, typed as the plugin one. */
function rootLifecycleOf(lifecycle: LifecycleService): RootLifecycleService {
  if (!('addBeforeShutdownHook' in lifecycle))
    throw new Error(
      'The root HTTP router was configured without the root lifecycle',
    );
  return lifecycle as RootLifecycleService;
}

/**
 * The root HTTP router with graceful shutdown: on SIGTERM the replica reports not ready (Backstage
 * does that), keeps answering, and waits for the requests in flight to finish before plugins stop
 * and the database closes; then it ends the event bus' long polls so the server closes at once.
 */
export const rootHttpRouterWithRequestDrain = rootHttpRouterServiceFactory({
  configure({ app, lifecycle: contextLifecycle, logger, applyDefaults }) {
    const lifecycle = rootLifecycleOf(contextLifecycle);
    const inFlight = new RequestsInFlight();
    app.use(inFlight.middleware);
    // A reader leaving a page mid-request is no server error (clientGone.ts).
    for (const path of BODY_READ_AT_ROOT)
      app.use(path, jsonBodyUnlessClientGone(logger));
    applyDefaults();
    lifecycle.addBeforeShutdownHook(async () => {
      if (inFlight.size > 0)
        logger.info(
          `Shutting down: waiting for ${inFlight.size} request(s) in flight`,
        );
      if (!(await inFlight.drained(REQUEST_DRAIN_LIMIT_MS))) {
        logger.warn(
          `Shutting down with ${
            inFlight.size
          } request(s) still in flight after ${
            REQUEST_DRAIN_LIMIT_MS / 1000
          } s`,
        );
      }
    });
    lifecycle.addShutdownHook(() => inFlight.closeLongPolls());
  },
});
