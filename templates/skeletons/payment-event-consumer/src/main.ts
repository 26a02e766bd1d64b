import { AddressInfo } from 'node:net';
import { loadConfig, missingSettings } from './config.js';
import { Consumer } from './consumer.js';
{% if values.datastore == 'aurora-postgresql' %}
import { createDatabasePool, databaseChecks } from './datastore.js';
{% else %}
import { createDynamoDbClient, dynamoDbChecks } from './datastore.js';
import { datastoreTables } from './datastoreConfig.js';
{% endif %}
import { handlePaymentEvent } from './handler.js';
{% if values.datastore == 'aurora-postgresql' %}
import { PostgresProcessedStore } from './idempotency.js';
{% else %}
import { DynamoDbProcessedStore } from './idempotency.js';
{% endif %}
import { createJsonLogger, redactText } from './logger.js';
import { createConsumerMetrics } from './metrics.js';
import { createOpsServer } from './server.js';
import { Closer, createShutdown } from './shutdown.js';
import { createMessageSource } from './sources.js';

/*
 * Entry point. The OpenTelemetry SDK is not a dependency: the platform's OpenTelemetry operator
 * injects it (instrumentation.opentelemetry.io/inject-nodejs on the pod), and @opentelemetry/api
 * picks it up.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createJsonLogger(config.serviceName);
  const metrics = createConsumerMetrics(config.serviceName, { defaultMetrics: true, track: config.track });
  const missing = missingSettings(config);
  if (missing.length > 0) {
    logger.log('error', 'settings missing: set them in the Helm values (env)', { missing });
    process.exit(1);
  }
{% if values.datastore == 'aurora-postgresql' %}
  // The schema is the migration Job's (src/migrate.ts, a Helm hook as the master user): this role may not change it.
  const pool = createDatabasePool(config.datastore, { onError: error => logger.log('warn', 'idle database connection failed', { error: error.message }) });
  const store = new PostgresProcessedStore(pool);
  const deepChecks = databaseChecks(pool);
  const closers: Closer[] = [{ name: 'database pool', close: () => pool.end() }];
{% else %}
  const dynamodb = createDynamoDbClient(config.datastore);
  const store = new DynamoDbProcessedStore(dynamodb, config.datastore.tableName!);
  const deepChecks = dynamoDbChecks(dynamodb, datastoreTables(config.datastore));
  const closers: Closer[] = [{ name: 'dynamodb client', close: () => dynamodb.destroy() }];
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
  const { server, startDraining } = createOpsServer({ config, metrics, logger, deepChecks, consumerHealthy: () => consumer.healthy });

  server.listen(config.port, () => {
    logger.log('info', 'listening', { port: (server.address() as AddressInfo).port, source: config.source.kind, datastore: config.datastore.kind });
    consumer.start();
  });

  // SIGTERM: readiness 503; stop receiving, finish the message in hand and close the source
  // (unacked messages are redelivered anyway); after SHUTDOWN_DELAY_MS close the operations server,
  // the pool and the SDK clients, flush telemetry, exit (shutdown.ts).
  const shutdown = createShutdown({
    server,
    startDraining,
    delayMs: config.shutdownDelayMs,
    timeoutMs: config.shutdownTimeoutMs,
    logger,
    stopWork: () => consumer.stop(),
    closers,
  });
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: Error) => {
  // The first line a crash-looping pod logs: name the setting (TRACK, DATABASE_CA_FILE...) that stopped it.
  process.stderr.write(`${JSON.stringify({ level: 'error', message: 'start failed', error: redactText(error.message) })}\n`);
  process.exit(1);
});
