import { AddressInfo } from 'node:net';
import { loadConfig } from './config.js';
import { Consumer } from './consumer.js';
import { handlePaymentEvent } from './handler.js';
import { InMemoryProcessedStore } from './idempotency.js';
import { createJsonLogger } from './logger.js';
import { createConsumerMetrics } from './metrics.js';
import { createOpsServer } from './server.js';
import { createMessageSource } from './sources.js';

/*
 * Entry point. The OpenTelemetry SDK is not a dependency: the platform's OpenTelemetry operator
 * injects it (instrumentation.opentelemetry.io/inject-nodejs on the pod), and @opentelemetry/api
 * picks it up.
 */
const config = loadConfig();
const logger = createJsonLogger(config.serviceName);
const metrics = createConsumerMetrics(config.serviceName, { defaultMetrics: true });
const consumer = new Consumer({
  serviceName: config.serviceName,
  // STUB until kafkajs / @aws-sdk/client-sqs is added: see src/sources.ts.
  source: createMessageSource(config.source),
  // TODO(${{ values.name }}): replace with the ${{ values.datastore }} store before taking production traffic.
  store: new InMemoryProcessedStore(),
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
