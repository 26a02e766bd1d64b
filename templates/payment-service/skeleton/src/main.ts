import { AddressInfo } from 'node:net';
import { loadConfig } from './config.js';
import { createJsonLogger } from './logger.js';
import { createHttpMetrics } from './metrics.js';
import { InMemoryPaymentStore, PaymentIntake } from './payments.js';
import { createPaymentServer } from './server.js';

/*
 * Entry point. The OpenTelemetry SDK is not a dependency: the platform's OpenTelemetry operator
 * injects it (instrumentation.opentelemetry.io/inject-nodejs on the pod), and @opentelemetry/api
 * picks it up.
 */
const config = loadConfig();
const logger = createJsonLogger(config.serviceName);
const metrics = createHttpMetrics(config.serviceName, { defaultMetrics: true });
// TODO(${{ values.name }}): replace with the ${{ values.datastore }} adapter before taking production traffic.
const intake = new PaymentIntake(new InMemoryPaymentStore());
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
