import { DatastoreConfig, loadDatastoreConfig, missingDatastoreSettings } from './datastoreConfig.js';

/** What the service reads from its environment (Helm values -> Deployment env). */
export interface ServiceConfig {
  serviceName: string;
  port: number;
  /** Milliseconds between SIGTERM (readiness turns 503) and closing the listener, so load balancers stop sending first. */
  shutdownDelayMs: number;
  datastore: DatastoreConfig;
{% if values.queue %}
  /** URL of the SQS queue the service publishes accepted payments to. */
  queueUrl?: string;
{% endif %}
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return {
    serviceName: env.SERVICE_NAME ?? '${{ values.name }}',
    port: Number(env.PORT ?? 8080),
    shutdownDelayMs: Number(env.SHUTDOWN_DELAY_MS ?? 5000),
    datastore: loadDatastoreConfig(env),
{% if values.queue %}
    queueUrl: env.SQS_QUEUE_URL,
{% endif %}
  };
}

/** The settings readiness requires; an empty list means the service can take traffic. */
export function missingSettings(config: ServiceConfig): string[] {
  const missing: string[] = [];
  missing.push(...missingDatastoreSettings(config.datastore));
{% if values.queue %}
  if (!config.queueUrl) missing.push('SQS_QUEUE_URL');
{% endif %}
  return missing;
}
