import { AddressInfo } from 'node:net';
import { loadConfig, missingSettings } from './config.js';
{% if values.datastore == 'aurora-postgresql' %}
import { createDatabasePool } from './datastore.js';
{% else %}
import { createDynamoDbClient } from './datastore.js';
{% endif %}
import { createJsonLogger } from './logger.js';
import { createHttpMetrics } from './metrics.js';
{% if values.datastore == 'aurora-postgresql' %}
import { PaymentIntake, PostgresPaymentStore } from './payments.js';
{% else %}
import { DynamoDbPaymentStore, PaymentIntake } from './payments.js';
{% endif %}
{% if values.queue %}
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsPaymentPublisher } from './payments.js';
{% endif %}
import { createPaymentServer } from './server.js';

/*
 * Entry point. The OpenTelemetry SDK is not a dependency: the platform's OpenTelemetry operator
 * injects it (instrumentation.opentelemetry.io/inject-nodejs on the pod), and @opentelemetry/api
 * picks it up.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createJsonLogger(config.serviceName);
  const metrics = createHttpMetrics(config.serviceName, { defaultMetrics: true });
  const missing = missingSettings(config);
  if (missing.length > 0) {
    logger.log('error', 'settings missing: set them in the Helm values (env)', { missing });
    process.exit(1);
  }
{% if values.datastore == 'aurora-postgresql' %}
  const pool = await createDatabasePool(config.datastore);
  const store = new PostgresPaymentStore(pool);
  await store.migrate();
{% else %}
  const store = new DynamoDbPaymentStore(createDynamoDbClient(config.datastore), config.datastore.tableName!);
{% endif %}
{% if values.queue %}
  const intake = new PaymentIntake(store, new SqsPaymentPublisher(new SQSClient({}), config.queueUrl!));
{% else %}
  const intake = new PaymentIntake(store);
{% endif %}
  const { server, startDraining } = createPaymentServer({ config, logger, metrics, intake });

  server.listen(config.port, () => {
    logger.log('info', 'listening', { port: (server.address() as AddressInfo).port, datastore: config.datastore.kind });
  });

  let stopping = false;
  function shutdown(signal: string): void {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'shutting down', { signal, delayMs: config.shutdownDelayMs });
    startDraining();
    // Keep answering while the endpoint is removed from the load balancer, then stop accepting.
    setTimeout(() => {
      server.close(error => {
        logger.log(error ? 'error' : 'info', 'stopped', error ? { error: error.message } : {});
        process.exit(error ? 1 : 0);
      });
      server.closeIdleConnections();
      // Kubernetes sends SIGKILL after terminationGracePeriodSeconds; leave before that on our terms.
      setTimeout(() => process.exit(1), 15_000).unref();
    }, config.shutdownDelayMs).unref();
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: Error) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', message: 'start failed', error: error.message })}\n`);
  process.exit(1);
});
