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
  /** DynamoDB table of payments and idempotency records. */
  tableName?: string;
  region?: string;
}
{% endif %}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return {
    serviceName: env.SERVICE_NAME ?? '${{ values.name }}',
    port: Number(env.PORT ?? 8080),
    shutdownDelayMs: Number(env.SHUTDOWN_DELAY_MS ?? 5000),
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
{% if values.queue %}
    queueUrl: env.SQS_QUEUE_URL,
{% endif %}
  };
}

/** The settings readiness requires; an empty list means the service can take traffic. */
export function missingSettings(config: ServiceConfig): string[] {
  const missing: string[] = [];
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
{% if values.queue %}
  if (!config.queueUrl) missing.push('SQS_QUEUE_URL');
{% endif %}
  return missing;
}
