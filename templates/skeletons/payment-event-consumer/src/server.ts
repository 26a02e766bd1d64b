import { Server } from 'node:http';
import { ConsumerConfig, missingSettings } from './config.js';
import { Logger } from './logger.js';
import { ConsumerMetrics } from './metrics.js';
import { DeepCheck, createTimedServer, runDeepHealth } from './runtime.js';

export interface OpsServerDependencies {
  config: ConsumerConfig;
  metrics: ConsumerMetrics;
  /** Whether the consumer loop runs and can reach its source. */
  consumerHealthy: () => boolean;
  /** What /healthz/deep asks: the processed-message store (SELECT 1, DescribeTable). */
  deepChecks?: DeepCheck[];
  logger?: Logger;
}

export interface OpsServer {
  server: Server;
  /** Readiness answers 503 from now on. */
  startDraining(): void;
}

/**
 * The operations endpoints the cluster uses: /livez (liveness; /healthz its older name), /readyz
 * (readiness: settings and the consumer loop), /healthz/deep (the datastore answers), /metrics (Prometheus).
 */
export function createOpsServer(deps: OpsServerDependencies): OpsServer {
  const { config, metrics, consumerHealthy, deepChecks = [], logger } = deps;
  let draining = false;

  const server = createTimedServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return json(405, { error: 'use GET' });
    switch (path) {
      case '/livez':
      case '/healthz':
        return json(200, { status: 'ok' });
      case '/healthz/deep':
        runDeepHealth(deepChecks, config.healthCheckTimeoutMs).then(health => {
          if (!health.healthy) logger?.log('warn', 'deep health check failed', { failures: health.details });
          json(health.healthy ? 200 : 503, { status: health.healthy ? 'ok' : 'unavailable', checks: health.checks });
        });
        return;
      case '/readyz': {
        if (draining) return json(503, { status: 'draining' });
        const missing = missingSettings(config);
        if (missing.length > 0) return json(503, { status: 'not-ready', missing });
        if (!consumerHealthy()) return json(503, { status: 'not-consuming' });
        return json(200, { status: 'ready', source: config.source.kind, datastore: config.datastore.kind });
      }
      case '/metrics':
        metrics.registry.metrics().then(
          text => {
            res.writeHead(200, { 'content-type': metrics.registry.contentType });
            res.end(text);
          },
          (error: Error) => json(500, { error: error.message }),
        );
        return;
      default:
        return json(404, { error: 'not found' });
    }
  }, config.http);

  return {
    server,
    startDraining() {
      draining = true;
    },
  };
}
