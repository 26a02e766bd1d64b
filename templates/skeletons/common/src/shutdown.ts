import { Server } from 'node:http';
import { metrics, trace } from '@opentelemetry/api';
import { Logger } from './logger.js';

/** Something to close once no request or message uses it any more: the pg pool, an AWS SDK client. */
export interface Closer {
  name: string;
  close(): Promise<void> | void;
}

export interface ShutdownPlan {
  server: Server;
  /** Readiness answers 503 from now on, so the load balancer stops sending. */
  startDraining(): void;
  /** Milliseconds between readiness turning 503 and closing the listener (SHUTDOWN_DELAY_MS). */
  delayMs: number;
  /** Whatever is still open after this long is abandoned: exit 1 before Kubernetes' SIGKILL (SHUTDOWN_TIMEOUT_MS). */
  timeoutMs: number;
  logger: Logger;
  /** Stops taking new work at once (the consumer's source), finishing what is in hand. */
  stopWork?: () => Promise<void>;
  /** Closed in order once the server answered its last request. */
  closers: Closer[];
  /** Defaults to flushing and shutting down the OpenTelemetry providers. */
  flush?: () => Promise<void>;
  exit?: (code: number) => void;
}

interface FlushableProvider {
  getDelegate?(): unknown;
  forceFlush?(): Promise<void>;
  shutdown?(): Promise<void>;
}

/**
 * Flushes the spans and metrics the OpenTelemetry SDK still buffers, when the operator injected
 * one (the API's global providers are proxies: the SDK's provider is their delegate).
 */
export async function flushTelemetry(): Promise<void> {
  for (const global of [trace.getTracerProvider(), metrics.getMeterProvider()] as FlushableProvider[]) {
    const provider = (typeof global.getDelegate === 'function' ? global.getDelegate() : global) as FlushableProvider;
    if (typeof provider.forceFlush === 'function') await provider.forceFlush();
    if (typeof provider.shutdown === 'function') await provider.shutdown();
  }
}

/**
 * The shutdown on SIGTERM: readiness 503 and stop taking work; after `delayMs` stop accepting
 * connections and let the requests in flight finish; then close the pool and the SDK clients,
 * flush telemetry, exit 0 (1 when something failed or `timeoutMs` ran out). Returns the function
 * to call on the signal; a second signal does nothing more.
 */
export function createShutdown(plan: ShutdownPlan): (signal: string) => Promise<void> {
  const exit = plan.exit ?? (code => process.exit(code));
  let stopping: Promise<void> | undefined;
  return signal => {
    stopping ??= (async () => {
      const { logger } = plan;
      logger.log('info', 'shutting down', { signal, delayMs: plan.delayMs });
      const deadline = setTimeout(() => {
        logger.log('error', 'shutdown timed out', { timeoutMs: plan.timeoutMs });
        exit(1);
      }, plan.timeoutMs).unref();
      let failed = false;
      const attempt = async (step: string, action: () => Promise<unknown> | unknown) => {
        try {
          await action();
        } catch (error) {
          failed = true;
          logger.log('error', `shutdown: ${step} failed`, { error: (error as Error).message });
        }
      };
      plan.startDraining();
      await Promise.all([
        attempt('stop work', () => plan.stopWork?.()),
        // Keep answering while the endpoint is removed from the load balancer.
        new Promise(resolve => setTimeout(resolve, plan.delayMs)),
      ]);
      await attempt('close server', () => closeServer(plan.server));
      for (const closer of plan.closers) await attempt(`close ${closer.name}`, () => closer.close());
      await attempt('flush telemetry', plan.flush ?? flushTelemetry);
      logger.log(failed ? 'error' : 'info', 'stopped', {});
      clearTimeout(deadline);
      exit(failed ? 1 : 0);
    })();
    return stopping;
  };
}

/** Stops accepting connections and resolves once the requests in flight are answered. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    // Keep-alive connections become idle once their request is answered: close them then.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.close(error => {
      clearInterval(sweep);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
