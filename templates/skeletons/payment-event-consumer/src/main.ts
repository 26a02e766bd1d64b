import { AddressInfo } from 'node:net';
import { loadConfig, missingSettings } from './config.js';
import { Consumer } from './consumer.js';
{% if values.datastore == 'aurora-postgresql' %}
import { createDatabasePool } from './datastore.js';
{% else %}
import { createDynamoDbClient } from './datastore.js';
{% endif %}
import { handlePaymentEvent } from './handler.js';
{% if values.datastore == 'aurora-postgresql' %}
import { PostgresProcessedStore } from './idempotency.js';
{% else %}
import { DynamoDbProcessedStore } from './idempotency.js';
{% endif %}
import { createJsonLogger } from './logger.js';
import { createConsumerMetrics } from './metrics.js';
import { createOpsServer } from './server.js';
import { createMessageSource } from './sources.js';

/*
 * Entry point. The OpenTelemetry SDK is not a dependency: the platform's OpenTelemetry operator
 * injects it (instrumentation.opentelemetry.io/inject-nodejs on the pod), and @opentelemetry/api
 * picks it up.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createJsonLogger(config.serviceName);
  const metrics = createConsumerMetrics(config.serviceName, { defaultMetrics: true });
  const missing = missingSettings(config);
  if (missing.length > 0) {
    logger.log('error', 'settings missing: set them in the Helm values (env)', { missing });
    process.exit(1);
  }
{% if values.datastore == 'aurora-postgresql' %}
  const store = new PostgresProcessedStore(await createDatabasePool(config.datastore));
  await store.migrate();
{% else %}
  const store = new DynamoDbProcessedStore(createDynamoDbClient(config.datastore), config.datastore.tableName!);
{% endif %}
  const consumer = new Consumer({
    serviceName: config.serviceName,
    source: createMessageSource(config.source),
    store,
    handler: handlePaymentEvent,
    metrics,
    logger,
    maxAttempts: config.maxAttempts,
    retryBaseDelayMs: config.retryBaseDelayMs,
  });
  const { server, startDraining } = createOpsServer({ config, metrics, consumerHealthy: () => consumer.healthy });

  server.listen(config.port, () => {
    logger.log('info', 'listening', { port: (server.address() as AddressInfo).port, source: config.source.kind, datastore: config.datastore.kind });
    consumer.start();
  });

  let stopping = false;
  function shutdown(signal: string): void {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'shutting down', { signal, delayMs: config.shutdownDelayMs });
    startDraining();
    // Kubernetes sends SIGKILL after terminationGracePeriodSeconds; leave before that on our terms.
    setTimeout(() => process.exit(1), config.shutdownDelayMs + 20_000).unref();
    // Stop receiving and finish the message in hand (unacked messages are redelivered anyway), then close.
    consumer
      .stop()
      .catch(error => logger.log('error', 'consumer stop failed', { error: (error as Error).message }))
      .finally(() => {
        setTimeout(() => {
          server.close(error => {
            logger.log(error ? 'error' : 'info', 'stopped', error ? { error: error.message } : {});
            process.exit(error ? 1 : 0);
          });
          server.closeIdleConnections();
        }, config.shutdownDelayMs).unref();
      });
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: Error) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', message: 'start failed', error: error.message })}\n`);
  process.exit(1);
});
