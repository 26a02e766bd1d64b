import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Track } from './runtime.js';

/*
 * The metric names and labels the SLOs in slos/slos.yaml query (written by the portal's
 * payments:slo:defaults action): availability = requests without a 5xx code / all requests,
 * latency = requests in the bucket at the threshold / all requests. Rename nothing here without
 * changing the SLO file, or the deploy gate and the error budget go blind.
 */
export const REQUESTS_TOTAL = 'http_server_requests_total';
export const REQUEST_DURATION_SECONDS = 'http_server_request_duration_seconds';

/** Bucket bounds in seconds; every latency SLO threshold must be one of them (250 ms, 500 ms, 1 s ...). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 2.5, 5, 10];

export interface HttpMetrics {
  registry: Registry;
  observe(route: string, method: string, code: number, seconds: number): void;
}

export function createHttpMetrics(serviceName: string, options: { defaultMetrics?: boolean; track?: Track } = {}): HttpMetrics {
  // One registry per server, not prom-client's global one, so tests can start several servers.
  const registry = new Registry();
  // `track` (TRACK: stable or canary) on every series, so the deploy gate judges the canary's own SLI.
  registry.setDefaultLabels({ service: serviceName, track: options.track ?? 'stable' });
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: REQUESTS_TOTAL,
    help: 'HTTP requests answered, by route template, method and status code.',
    labelNames: ['route', 'method', 'code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: REQUEST_DURATION_SECONDS,
    help: 'Time to answer an HTTP request, by route template, method and status code.',
    labelNames: ['route', 'method', 'code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    observe(route, method, code, seconds) {
      const labels = { route, method, code: String(code) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
