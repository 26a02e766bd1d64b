{% if values.datastore == 'aurora-postgresql' %}
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Signer } from '@aws-sdk/rds-signer';
import { readFileSync } from 'node:fs';
import { Pool, PoolConfig, escapeIdentifier } from 'pg';
import { awsClientConfig } from './aws.js';
import { DatabasePoolSettings, DatastoreConfig } from './datastoreConfig.js';
import { DeepCheck } from './runtime.js';

/** The PEM text of the RDS CA bundle at DATABASE_CA_FILE; an error naming the variable when it is not there. */
export function readCaBundle(caFile: string | undefined): string {
  if (!caFile) {
    throw new Error('DATABASE_CA_FILE is not set: give the RDS CA bundle (the image has it at /etc/ssl/certs/rds-global-bundle.pem) so the server certificate can be verified');
  }
  let text: string;
  try {
    text = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new Error(`DATABASE_CA_FILE ${caFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): build the image with its Dockerfile, which downloads the RDS CA bundle`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`DATABASE_CA_FILE ${caFile} holds no PEM certificate`);
  return text;
}

/** The pool's timeouts and size, so no query, connection attempt or forgotten transaction waits forever. */
export function poolTimeouts(settings: DatabasePoolSettings): PoolConfig {
  return {
    max: settings.maxConnections,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    idleTimeoutMillis: settings.idleTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.queryTimeoutMs,
    idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
  };
}

export interface PoolOptions {
  /** Errors of idle connections (a failover closes them all); the pool replaces them. */
  onError?: (error: Error) => void;
  /** Signs the IAM authentication token; the SDK's default chain (IRSA) when not given. */
  signer?: Pick<Signer, 'getAuthToken'>;
}

/**
 * The connection pool to the service's Aurora PostgreSQL database: DATABASE_URL when set (local
 * runs, tests), else the writer endpoint as DATABASE_USER, the least-privilege application role,
 * with IAM database authentication: every new connection presents a fresh token signed with the
 * pod's IRSA role (valid 15 minutes), so there is no password to store, leak or rotate. TLS is
 * required and the server certificate verified against the RDS CA bundle (DATABASE_CA_FILE).
 */
export function createDatabasePool(config: DatastoreConfig, options: PoolOptions = {}): Pool {
  const pool = config.url ? new Pool({ connectionString: config.url, ...poolTimeouts(config.pool) }) : iamPool(config, options);
  pool.on('error', options.onError ?? (() => undefined));
  return pool;
}

function iamPool(config: DatastoreConfig, options: PoolOptions): Pool {
  const missing = [!config.host && 'DATABASE_HOST', !config.database && 'DATABASE_NAME', !config.user && 'DATABASE_USER'].filter(Boolean);
  if (missing.length > 0) throw new Error(`set ${missing.join(', ')} (terraform outputs, via the Helm values), or DATABASE_URL for a local database`);
  const ca = readCaBundle(config.caFile);
  const signer =
    options.signer ?? new Signer({ hostname: config.host!, port: config.port, username: config.user!, ...(config.region ? { region: config.region } : {}) });
  return new Pool({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: () => signer.getAuthToken(),
    ssl: { rejectUnauthorized: true, ca },
    ...poolTimeouts(config.pool),
  });
}

/**
 * A pool of one connection as the master user, for the migration Job only: the credentials of
 * the master secret (DATABASE_MASTER_SECRET_ARN: managed and rotated by RDS; for a global database,
 * where RDS cannot manage it, rotated by Secrets Manager's rotation function), TLS verified as above.
 */
export async function createMasterPool(config: DatastoreConfig, secretArn: string | undefined, settings: DatabasePoolSettings): Promise<Pool> {
  if (!secretArn) throw new Error('DATABASE_MASTER_SECRET_ARN is not set: the migration Job reads the master secret (terraform output database_master_secret_arn, passed through the SSM Helm values)');
  if (!config.host || !config.database) throw new Error('set DATABASE_HOST and DATABASE_NAME (terraform outputs)');
  const ca = readCaBundle(config.caFile);
  const client = new SecretsManagerClient(awsClientConfig(undefined, config.region ? { region: config.region } : {}));
  try {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const { username, password } = JSON.parse(secret.SecretString ?? '{}') as { username?: string; password?: string };
    if (!username || !password) throw new Error(`secret ${secretArn} must be JSON with username and password, as the RDS-managed secret is`);
    const pool = new Pool({ host: config.host, port: config.port, database: config.database, user: username, password, ssl: { rejectUnauthorized: true, ca }, ...poolTimeouts(settings), max: 1 });
    pool.on('error', () => undefined);
    return pool;
  } finally {
    client.destroy();
  }
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface AppRoleGrants {
  /** Tables the role may also DELETE from (the outbox relay removes what it published). */
  deleteFrom?: string[];
}

/**
 * The application role, created if missing, with only what the service needs in the schema
 * (the connection's current schema, `public` in production): USAGE on the schema and SELECT,
 * INSERT, UPDATE on its tables (DELETE only on `deleteFrom`); no CREATE, no ownership, so it
 * can neither change nor drop the schema. On RDS it is granted `rds_iam` (IAM authentication
 * only, no password). Run by the migration Job as the master user, after the migrations, every
 * release: the grants cover tables the release added and drop anything granted by hand.
 */
export async function ensureAppRole(pool: Pool, role: string, grants: AppRoleGrants = {}): Promise<void> {
  if (!ROLE_NAME.test(role)) throw new Error(`DATABASE_USER '${role}' must be lower-case letters, digits and underscores`);
  const id = escapeIdentifier(role);
  const client = await pool.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (exists.rowCount === 0) await client.query(`CREATE ROLE ${id} LOGIN`);
    const rdsIam = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam'`);
    if ((rdsIam.rowCount ?? 0) > 0) await client.query(`GRANT rds_iam TO ${id}`);
    const schema = escapeIdentifier((await client.query('SELECT current_schema() AS name')).rows[0].name as string);
    await client.query('BEGIN');
    // Before PostgreSQL 15 every role may create in `public`; nobody but the owner may here.
    await client.query(`REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC`);
    await client.query(`REVOKE ALL ON SCHEMA ${schema} FROM ${id}`);
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${id}`);
    await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${id}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ${schema} TO ${id}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${id}`);
    for (const table of grants.deleteFrom ?? []) {
      const found = await client.query('SELECT to_regclass($1) AS oid', [`${schema}.${escapeIdentifier(table)}`]);
      if (found.rows[0].oid) await client.query(`GRANT DELETE ON ${schema}.${escapeIdentifier(table)} TO ${id}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The deep health check: the database answers and is the writer (a read-only replica cannot take payments). */
export function databaseChecks(pool: Pool): DeepCheck[] {
  return [
    {
      name: 'postgresql',
      async check() {
        const result = await pool.query('SELECT pg_is_in_recovery() AS read_only');
        if (result.rows[0]?.read_only === true) throw Object.assign(new Error('connected to a read-only replica, not the writer'), { code: 'READ_ONLY' });
      },
    },
  ];
}
{% else %}
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AwsClientSettings, awsClientConfig, loadAwsClientSettings } from './aws.js';
import { DatastoreConfig } from './datastoreConfig.js';
import { DeepCheck } from './runtime.js';

/** The DynamoDB client; credentials from the SDK's default chain (IRSA on EKS), timeouts from aws.ts. */
export function createDynamoDbClient(config: DatastoreConfig, settings: AwsClientSettings = loadAwsClientSettings()): DynamoDBClient {
  return new DynamoDBClient(awsClientConfig(settings, config.region ? { region: config.region } : {}));
}

/** The deep health check: every table of the service answers DescribeTable and is usable. */
export function dynamoDbChecks(client: DynamoDBClient, tables: string[]): DeepCheck[] {
  return tables.map(table => ({
    name: `dynamodb:${table}`,
    async check(signal: AbortSignal) {
      const output = await client.send(new DescribeTableCommand({ TableName: table }), { abortSignal: signal });
      const status = output.Table?.TableStatus;
      if (status !== 'ACTIVE' && status !== 'UPDATING') throw Object.assign(new Error(`table ${table} is ${status ?? 'unknown'}`), { code: `TABLE_${status ?? 'UNKNOWN'}` });
    },
  }));
}
{% endif %}
