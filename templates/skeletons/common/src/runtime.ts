import { RequestListener, Server, createServer } from 'node:http';

/*
 * Settings every generated service shares, with their defaults: the release track its metrics are
 * labelled with, the HTTP server's timeouts, the deep health check. Each can be overridden by its
 * environment variable (Helm values `env:`); a value that is not what it should be stops the start
 * with an error naming the variable, rather than running with a guess.
 */

/** An integer setting (milliseconds or a count) from the environment, at least `min`, or its default. */
export function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min} (milliseconds or a count), got '${text}'`);
  return value;
}

/** The release track of this pod: the canary analysis compares canary against stable by this metric label. */
export type Track = 'stable' | 'canary';

export function loadTrack(env: NodeJS.ProcessEnv = process.env): Track {
  const track = env.TRACK ?? 'stable';
  if (track !== 'stable' && track !== 'canary') throw new Error(`TRACK must be 'stable' or 'canary' (Helm value track), got '${track}'`);
  return track;
}

export interface HttpTimeouts {
  /** HTTP_REQUEST_TIMEOUT_MS: the whole request (headers and body) must arrive within it, or 408. */
  requestTimeoutMs: number;
  /** HTTP_HEADERS_TIMEOUT_MS: the request headers must arrive within it (slow-loris clients), or 408. */
  headersTimeoutMs: number;
  /**
   * HTTP_KEEP_ALIVE_TIMEOUT_MS: idle keep-alive connections close after it. Above the load
   * balancer's idle timeout (60 s on an ALB), so the load balancer closes them first and never
   * sends a request on a connection the server is closing.
   */
  keepAliveTimeoutMs: number;
}

export function loadHttpTimeouts(env: NodeJS.ProcessEnv = process.env): HttpTimeouts {
  const timeouts = {
    requestTimeoutMs: positiveInteger(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000),
    headersTimeoutMs: positiveInteger(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000),
    keepAliveTimeoutMs: positiveInteger(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000),
  };
  if (timeouts.headersTimeoutMs > timeouts.requestTimeoutMs) {
    throw new Error('HTTP_HEADERS_TIMEOUT_MS must not be above HTTP_REQUEST_TIMEOUT_MS');
  }
  return timeouts;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = loadHttpTimeouts({});

/** An HTTP server that enforces the timeouts (Node checks them every `connectionsCheckingInterval`). */
export function createTimedServer(listener: RequestListener, timeouts: HttpTimeouts = DEFAULT_HTTP_TIMEOUTS): Server {
  const server = createServer(
    {
      requestTimeout: timeouts.requestTimeoutMs,
      headersTimeout: timeouts.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(timeouts.headersTimeoutMs / 2))),
    },
    listener,
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}

/** One dependency the deep health check asks: it resolves when the dependency answered. */
export interface DeepCheck {
  name: string;
  check(signal: AbortSignal): Promise<void>;
}

export interface DeepHealth {
  healthy: boolean;
  checks: { name: string; healthy: boolean; reason?: string; durationMs: number }[];
  /** The errors in full, for the service's log only: the endpoint may be public, its answer names no host or address. */
  details: string[];
}

/**
 * Asks every dependency at once; healthy only when each answered within `timeoutMs`. What
 * `/healthz/deep` answers, and what the Route 53 health checks fail over on.
 */
export async function runDeepHealth(checks: DeepCheck[], timeoutMs: number): Promise<DeepHealth> {
  if (checks.length === 0) {
    return { healthy: false, checks: [{ name: 'datastore', healthy: false, reason: 'no datastore check configured', durationMs: 0 }], details: [] };
  }
  const details: string[] = [];
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      const started = Date.now();
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      try {
        await Promise.race([check(controller.signal), timedOut]);
        return { name, healthy: true, durationMs: Date.now() - started };
      } catch (error) {
        const failure = error as Error & { code?: unknown };
        details.push(`${name}: ${failure.message || String(error)}`);
        const reason = failure.message?.startsWith('no answer within') ? failure.message : `failed: ${typeof failure.code === 'string' ? failure.code : failure.name ?? 'Error'}`;
        return { name, healthy: false, reason, durationMs: Date.now() - started };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { healthy: results.every(result => result.healthy), checks: results, details };
}
