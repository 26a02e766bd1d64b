/** Where the service keeps its records, as its environment says (Helm values -> Deployment env). */
{% if values.datastore == 'aurora-postgresql' %}
import { positiveInteger } from './runtime.js';

/** The connection pool's limits; each has a default and an environment variable. */
export interface DatabasePoolSettings {
  /** DATABASE_POOL_SIZE: connections per pod (pods x size must stay under the cluster's max_connections). */
  maxConnections: number;
  /** DATABASE_CONNECT_TIMEOUT_MS: time to get a connection (TCP, TLS, IAM authentication), from the pool or new. */
  connectTimeoutMs: number;
  /** DATABASE_IDLE_TIMEOUT_MS: an idle connection is closed after it. */
  idleTimeoutMs: number;
  /** DATABASE_STATEMENT_TIMEOUT_MS: the server cancels a statement running longer (statement_timeout). */
  statementTimeoutMs: number;
  /** DATABASE_QUERY_TIMEOUT_MS: the client gives up on a query after it, when the server cannot answer at all. */
  queryTimeoutMs: number;
  /** DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: the server ends a session left idle inside a transaction (and its locks). */
  idleInTransactionTimeoutMs: number;
}

export interface DatastoreConfig {
  kind: 'aurora-postgresql';
  /** A full connection string (local runs and tests); when set, host, database, user and caFile are not used. */
  url?: string;
  /** Writer endpoint of the Aurora cluster (the global writer endpoint for tier-0/1). */
  host?: string;
  port: number;
  database?: string;
  /** The application's role (`<name>_app`): IAM database authentication, DML only; never the master user. */
  user?: string;
  /** The RDS CA bundle the server certificate is verified against (baked into the image by the Dockerfile). */
  caFile?: string;
  /** Region of the cluster, for signing the IAM authentication token (the SDK's default when unset). */
  region?: string;
  pool: DatabasePoolSettings;
}

export function loadDatabasePoolSettings(env: NodeJS.ProcessEnv): DatabasePoolSettings {
  const statementTimeoutMs = positiveInteger(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 5000);
  return {
    maxConnections: positiveInteger(env, 'DATABASE_POOL_SIZE', 10),
    connectTimeoutMs: positiveInteger(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5000),
    idleTimeoutMs: positiveInteger(env, 'DATABASE_IDLE_TIMEOUT_MS', 30_000),
    statementTimeoutMs,
    queryTimeoutMs: positiveInteger(env, 'DATABASE_QUERY_TIMEOUT_MS', statementTimeoutMs + 1000),
    idleInTransactionTimeoutMs: positiveInteger(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 10_000),
  };
}
{% elif values.source %}
export interface DatastoreConfig {
  kind: 'dynamodb';
  /** DYNAMODB_TABLE: the processed-message (idempotency) records; keys only, so they may expire. */
  tableName?: string;
  region?: string;
}
{% else %}
export interface DatastoreConfig {
  kind: 'dynamodb';
  /** DYNAMODB_PAYMENTS_TABLE: the payments, retained per the data-classification policy (no TTL). */
  paymentsTable?: string;
  /** DYNAMODB_IDEMPOTENCY_TABLE: Idempotency-Key -> payment id; only these expire (TTL attribute expiresAt). */
  idempotencyTable?: string;
{% if values.queue %}
  /** DYNAMODB_OUTBOX_TABLE: accepted payments waiting to be published to SQS (transactional outbox). */
  outboxTable?: string;
{% endif %}
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
    user: env.DATABASE_USER,
    caFile: env.DATABASE_CA_FILE,
    region: env.AWS_REGION,
    pool: loadDatabasePoolSettings(env),
  };
{% elif values.source %}
  return {
    kind: 'dynamodb',
    tableName: env.DYNAMODB_TABLE,
    region: env.AWS_REGION,
  };
{% else %}
  return {
    kind: 'dynamodb',
    paymentsTable: env.DYNAMODB_PAYMENTS_TABLE,
    idempotencyTable: env.DYNAMODB_IDEMPOTENCY_TABLE,
{% if values.queue %}
    outboxTable: env.DYNAMODB_OUTBOX_TABLE,
{% endif %}
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
    if (!config.user) missing.push('DATABASE_USER');
    if (!config.caFile) missing.push('DATABASE_CA_FILE');
  }
{% elif values.source %}
  if (!config.tableName) missing.push('DYNAMODB_TABLE');
  if (!config.region) missing.push('AWS_REGION');
{% else %}
  if (!config.paymentsTable) missing.push('DYNAMODB_PAYMENTS_TABLE');
  if (!config.idempotencyTable) missing.push('DYNAMODB_IDEMPOTENCY_TABLE');
{% if values.queue %}
  if (!config.outboxTable) missing.push('DYNAMODB_OUTBOX_TABLE');
{% endif %}
  if (!config.region) missing.push('AWS_REGION');
{% endif %}
  return missing;
}

{% if values.datastore != 'aurora-postgresql' %}
/** The DynamoDB tables the service uses, for the deep health check. */
{% if values.source %}
export function datastoreTables(config: DatastoreConfig): string[] {
  return [config.tableName].filter((table): table is string => Boolean(table));
}
{% else %}
export function datastoreTables(config: DatastoreConfig): string[] {
  return [config.paymentsTable, config.idempotencyTable{% if values.queue %}, config.outboxTable{% endif %}].filter((table): table is string => Boolean(table));
}
{% endif %}
{% endif %}
