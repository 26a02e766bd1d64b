/** Where the service keeps its records, as its environment says (Helm values -> Deployment env). */
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
  /** DynamoDB table of the ${{ 'processed-message (idempotency) records' if values.source else 'payments and idempotency records' }}. */
  tableName?: string;
  region?: string;
}
{% endif %}

export function loadDatastoreConfig(env: NodeJS.ProcessEnv): DatastoreConfig {
{% if values.datastore == 'aurora-postgresql' %}
  return {
    kind: 'aurora-postgresql',
    url: env.DATABASE_URL,
    host: env.DATABASE_HOST,
    port: Number(env.DATABASE_PORT ?? 5432),
    database: env.DATABASE_NAME,
    secretArn: env.DATABASE_SECRET_ARN,
  };
{% else %}
  return {
    kind: 'dynamodb',
    tableName: env.DYNAMODB_TABLE,
    region: env.AWS_REGION,
  };
{% endif %}
}

/** The datastore settings readiness requires, by environment variable. */
export function missingDatastoreSettings(config: DatastoreConfig): string[] {
  const missing: string[] = [];
{% if values.datastore == 'aurora-postgresql' %}
  if (!config.url) {
    if (!config.host) missing.push('DATABASE_HOST');
    if (!config.database) missing.push('DATABASE_NAME');
    if (!config.secretArn) missing.push('DATABASE_SECRET_ARN');
  }
{% else %}
  if (!config.tableName) missing.push('DYNAMODB_TABLE');
  if (!config.region) missing.push('AWS_REGION');
{% endif %}
  return missing;
}
