import { DatastoreConfig, loadDatastoreConfig, missingDatastoreSettings } from './datastoreConfig.js';
import { HttpTimeouts, Track, loadHttpTimeouts, loadTrack, positiveInteger } from './runtime.js';

/** What the consumer reads from its environment (Helm values -> Deployment env). */
export interface ConsumerConfig {
  serviceName: string;
  /** Port of the operations server: /healthz, /readyz, /metrics. */
  port: number;
  /** Milliseconds between SIGTERM (readiness turns 503, polling stops) and closing the listener. */
  shutdownDelayMs: number;
  /** SHUTDOWN_TIMEOUT_MS: after SIGTERM, exit 1 when draining and closing took longer (below terminationGracePeriodSeconds). */
  shutdownTimeoutMs: number;
  /** TRACK: stable or canary (Helm value track); a label on every metric, so the canary is judged on its own. */
  track: Track;
  /** HTTP_REQUEST_TIMEOUT_MS, HTTP_HEADERS_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS. */
  http: HttpTimeouts;
  /** HEALTH_CHECK_TIMEOUT_MS: /healthz/deep answers 503 when the datastore has not answered within it. */
  healthCheckTimeoutMs: number;
  /** Attempts at one message before it goes to the dead-letter ${{ 'queue' if values.source == 'sqs' else 'topic' }}. */
  maxAttempts: number;
  /** First retry delay; doubles on every further attempt. */
  retryBaseDelayMs: number;
  source: SourceConfig;
  datastore: DatastoreConfig;
}

{% if values.source == 'sqs' %}
export interface SourceConfig {
  kind: 'sqs';
  /** URL of the SQS queue the payment events arrive on. */
  queueUrl?: string;
  /** URL of its dead-letter queue (the redrive policy moves messages there too, after 5 receives). */
  dlqUrl?: string;
  /** Seconds a receive waits for messages (long polling, 0-20). */
  waitTimeSeconds: number;
}
{% else %}
export interface SourceConfig {
  kind: 'msk';
  /** Bootstrap brokers of the platform's MSK cluster (IAM authentication, port 9098). */
  brokers: string[];
  /** Topic of the payment events. */
  topic?: string;
  /** Dead-letter topic for messages that failed every attempt. */
  dlqTopic?: string;
  /** Consumer group: one per consumer service, so every replica shares the partitions. */
  groupId: string;
  /** `iam`: TLS and SASL/OAUTHBEARER with a token signed by the pod's IAM role (MSK, port 9098); `none`: plaintext, for a local broker. */
  auth: 'iam' | 'none';
  /** Region of the MSK cluster, for signing the IAM token. */
  region?: string;
}
{% endif %}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConsumerConfig {
  return {
    serviceName: env.SERVICE_NAME ?? '${{ values.name }}',
    port: Number(env.PORT ?? 8080),
    shutdownDelayMs: positiveInteger(env, 'SHUTDOWN_DELAY_MS', 5000, 0),
    shutdownTimeoutMs: positiveInteger(env, 'SHUTDOWN_TIMEOUT_MS', 25_000),
    track: loadTrack(env),
    http: loadHttpTimeouts(env),
    healthCheckTimeoutMs: positiveInteger(env, 'HEALTH_CHECK_TIMEOUT_MS', 2000),
    maxAttempts: Number(env.MAX_ATTEMPTS ?? 5),
    retryBaseDelayMs: Number(env.RETRY_BASE_DELAY_MS ?? 200),
{% if values.source == 'sqs' %}
    source: {
      kind: 'sqs',
      queueUrl: env.SQS_QUEUE_URL,
      dlqUrl: env.SQS_DLQ_URL,
      waitTimeSeconds: Number(env.SQS_WAIT_TIME_SECONDS ?? 20),
    },
{% else %}
    source: {
      kind: 'msk',
      brokers: (env.KAFKA_BROKERS ?? '').split(',').filter(broker => broker.length > 0),
      topic: env.KAFKA_TOPIC,
      dlqTopic: env.KAFKA_DLQ_TOPIC,
      groupId: env.KAFKA_GROUP_ID ?? '${{ values.name }}',
      auth: env.KAFKA_AUTH === 'none' ? 'none' : 'iam',
      region: env.AWS_REGION,
    },
{% endif %}
    datastore: loadDatastoreConfig(env),
  };
}

/** The settings readiness requires; an empty list means the consumer can take messages. */
export function missingSettings(config: ConsumerConfig): string[] {
  const missing: string[] = [];
{% if values.source == 'sqs' %}
  if (!config.source.queueUrl) missing.push('SQS_QUEUE_URL');
  if (!config.source.dlqUrl) missing.push('SQS_DLQ_URL');
{% else %}
  if (config.source.brokers.length === 0) missing.push('KAFKA_BROKERS');
  if (config.source.auth === 'iam' && !config.source.region) missing.push('AWS_REGION');
  if (!config.source.topic) missing.push('KAFKA_TOPIC');
  if (!config.source.dlqTopic) missing.push('KAFKA_DLQ_TOPIC');
{% endif %}
  missing.push(...missingDatastoreSettings(config.datastore));
  return missing;
}
