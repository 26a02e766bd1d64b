import { AddressInfo } from 'node:net';
{% if values.queue %}
import { awsClientConfig } from './aws.js';
{% endif %}
import { loadConfig, missingSettings } from './config.js';
{% if values.datastore == 'aurora-postgresql' %}
import { createDatabasePool, databaseChecks } from './datastore.js';
{% else %}
import { createDynamoDbClient, dynamoDbChecks } from './datastore.js';
import { datastoreTables } from './datastoreConfig.js';
{% endif %}
import { createJsonLogger, redactText } from './logger.js';
import { createHttpMetrics } from './metrics.js';
{% if values.datastore == 'aurora-postgresql' %}
import { PaymentIntake, PostgresPaymentStore } from './payments.js';
{% else %}
import { DynamoDbPaymentStore, PaymentIntake } from './payments.js';
{% endif %}
{% if values.queue %}
import { SQSClient } from '@aws-sdk/client-sqs';
{% if values.datastore == 'aurora-postgresql' %}
import { OutboxRelay, PostgresOutbox, SqsEventPublisher } from './outbox.js';
{% else %}
import { DynamoDbOutbox, OutboxRelay, SqsEventPublisher } from './outbox.js';
{% endif %}
{% endif %}
import { createPaymentServer } from './server.js';
import { Closer, createShutdown } from './shutdown.js';

/*
 * Entry point. The OpenTelemetry SDK is not a dependency: the platform's OpenTelemetry operator
 * injects it (instrumentation.opentelemetry.io/inject-nodejs on the pod), and @opentelemetry/api
 * picks it up.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createJsonLogger(config.serviceName);
  const metrics = createHttpMetrics(config.serviceName, { defaultMetrics: true, track: config.track });
  const missing = missingSettings(config);
  if (missing.length > 0) {
    logger.log('error', 'settings missing: set them in the Helm values (env)', { missing });
    process.exit(1);
  }
{% if values.datastore == 'aurora-postgresql' %}
  // The schema is the migration Job's (src/migrate.ts, a Helm hook as the master user): this role may not change it.
  const pool = createDatabasePool(config.datastore, { onError: error => logger.log('warn', 'idle database connection failed', { error: error.message }) });
  const store = new PostgresPaymentStore(pool);
  const deepChecks = databaseChecks(pool);
  const closers: Closer[] = [{ name: 'database pool', close: () => pool.end() }];
{% else %}
  const dynamodb = createDynamoDbClient(config.datastore);
  const store = new DynamoDbPaymentStore(dynamodb, {
    payments: config.datastore.paymentsTable!,
    idempotency: config.datastore.idempotencyTable!,
{% if values.queue %}
    outbox: config.datastore.outboxTable!,
{% endif %}
  });
  const deepChecks = dynamoDbChecks(dynamodb, datastoreTables(config.datastore));
  const closers: Closer[] = [{ name: 'dynamodb client', close: () => dynamodb.destroy() }];
{% endif %}
{% if values.queue %}
  const intake = new PaymentIntake(store);
  const sqs = new SQSClient(awsClientConfig());
  closers.push({ name: 'sqs client', close: () => sqs.destroy() });
  // The transactional outbox: events stored with their payments, published by this relay (outbox.ts).
{% if values.datastore == 'aurora-postgresql' %}
  const outbox = new PostgresOutbox(pool, store.outboxTable);
{% else %}
  const outbox = new DynamoDbOutbox(dynamodb, config.datastore.outboxTable!);
{% endif %}
  const relay = new OutboxRelay(outbox, new SqsEventPublisher(sqs, config.queueUrl!), {
    batchSize: Number(process.env.OUTBOX_BATCH_SIZE ?? 50),
    leaseSeconds: 30,
    onError: error => logger.log('error', 'outbox relay failed; the events stay pending', { error: error.message }),
  });
  relay.start(Number(process.env.OUTBOX_INTERVAL_MS ?? 1000));
{% else %}
  const intake = new PaymentIntake(store);
{% endif %}
  const { server, startDraining } = createPaymentServer({ config, logger, metrics, intake, deepChecks });

  server.listen(config.port, () => {
    logger.log('info', 'listening', { port: (server.address() as AddressInfo).port, datastore: config.datastore.kind });
  });

  // SIGTERM: readiness 503, wait SHUTDOWN_DELAY_MS, stop accepting and answer what is in flight,
  // close the pool and the SDK clients, flush telemetry, exit (shutdown.ts).
  const shutdown = createShutdown({
    server,
    startDraining,
    delayMs: config.shutdownDelayMs,
    timeoutMs: config.shutdownTimeoutMs,
    logger,
{% if values.queue %}
    // Events not yet published stay in the outbox: another pod's relay (or this one's next start) sends them.
    stopWork: () => relay.stop(),
{% endif %}
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
