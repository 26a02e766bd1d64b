import { DatastoreConfig, loadDatastoreConfig, missingDatastoreSettings } from './datastoreConfig.js';
import { HttpTimeouts, Track, loadHttpTimeouts, loadTrack, positiveInteger } from './runtime.js';

/** What the service reads from its environment (Helm values -> Deployment env). */
export interface ServiceConfig {
  serviceName: string;
  port: number;
  /** Milliseconds between SIGTERM (readiness turns 503) and closing the listener, so load balancers stop sending first. */
  shutdownDelayMs: number;
  /** SHUTDOWN_TIMEOUT_MS: after SIGTERM, exit 1 when draining and closing took longer (below terminationGracePeriodSeconds). */
  shutdownTimeoutMs: number;
  /** TRACK: stable or canary (Helm value track); a label on every metric, so the canary is judged on its own. */
  track: Track;
  /** HTTP_REQUEST_TIMEOUT_MS, HTTP_HEADERS_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS. */
  http: HttpTimeouts;
  /** HEALTH_CHECK_TIMEOUT_MS: /healthz/deep answers 503 when the datastore has not answered within it. */
  healthCheckTimeoutMs: number;
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
    shutdownDelayMs: positiveInteger(env, 'SHUTDOWN_DELAY_MS', 5000, 0),
    shutdownTimeoutMs: positiveInteger(env, 'SHUTDOWN_TIMEOUT_MS', 25_000),
    track: loadTrack(env),
    http: loadHttpTimeouts(env),
    healthCheckTimeoutMs: positiveInteger(env, 'HEALTH_CHECK_TIMEOUT_MS', 2000),
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
