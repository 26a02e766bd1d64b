/** What the consumer reads from its environment (Helm values -> Deployment env). */
export interface ConsumerConfig {
  serviceName: string;
  /** Port of the operations server: /healthz, /readyz, /metrics. */
  port: number;
  /** Milliseconds between SIGTERM (readiness turns 503, polling stops) and closing the listener. */
  shutdownDelayMs: number;
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

{% if values.datastore == 'aurora-postgresql' %}
export interface DatastoreConfig {
  kind: 'aurora-postgresql';
  /** A full connection string (local runs and tests); when set, host, database and secretArn are not used. */
  url?: string;
  /** Writer endpoint of the Aurora cluster (the global writer endpoint for tier-0/1). */
  host?: string;
  port: number;
  database?: string;
  /** Secrets Manager secret holding the database credentials. */
  secretArn?: string;
}
{% else %}
export interface DatastoreConfig {
  kind: 'dynamodb';
  /** DynamoDB table of processed-message (idempotency) records. */
  tableName?: string;
  region?: string;
}
{% endif %}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConsumerConfig {
  return {
    serviceName: env.SERVICE_NAME ?? '${{ values.name }}',
    port: Number(env.PORT ?? 8080),
    shutdownDelayMs: Number(env.SHUTDOWN_DELAY_MS ?? 5000),
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
{% if values.datastore == 'aurora-postgresql' %}
    datastore: {
      kind: 'aurora-postgresql',
      url: env.DATABASE_URL,
      host: env.DATABASE_HOST,
      port: Number(env.DATABASE_PORT ?? 5432),
      database: env.DATABASE_NAME,
      secretArn: env.DATABASE_SECRET_ARN,
    },
{% else %}
    datastore: {
      kind: 'dynamodb',
      tableName: env.DYNAMODB_TABLE,
      region: env.AWS_REGION,
    },
{% endif %}
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
{% if values.datastore == 'aurora-postgresql' %}
  if (!config.datastore.url) {
    if (!config.datastore.host) missing.push('DATABASE_HOST');
    if (!config.datastore.database) missing.push('DATABASE_NAME');
    if (!config.datastore.secretArn) missing.push('DATABASE_SECRET_ARN');
  }
{% else %}
  if (!config.datastore.tableName) missing.push('DYNAMODB_TABLE');
  if (!config.datastore.region) missing.push('AWS_REGION');
{% endif %}
  return missing;
}
