{% if values.datastore == 'aurora-postgresql' %}
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { DatastoreConfig } from './datastoreConfig.js';

/**
 * The connection pool to the service's Aurora PostgreSQL database: DATABASE_URL when set (local
 * runs, tests), else the writer endpoint with the username and password of the RDS-managed secret
 * (DATABASE_SECRET_ARN) over TLS, verified against DATABASE_CA_FILE (the RDS CA bundle) when given.
 * RDS rotates that secret: a pool error on authentication restarts the pod, which reads it again.
 */
export async function createDatabasePool(config: DatastoreConfig, env: NodeJS.ProcessEnv = process.env): Promise<Pool> {
  const max = Number(env.DATABASE_POOL_SIZE ?? 10);
  if (config.url) return new Pool({ connectionString: config.url, max });
  if (!config.host || !config.database || !config.secretArn) {
    throw new Error('set DATABASE_HOST, DATABASE_NAME and DATABASE_SECRET_ARN (terraform outputs), or DATABASE_URL for a local database');
  }
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: config.secretArn }));
  const { username, password } = JSON.parse(secret.SecretString ?? '{}') as { username?: string; password?: string };
  if (!username || !password) throw new Error(`secret ${config.secretArn} must be JSON with username and password, as the RDS-managed secret is`);
  return new Pool({
    host: config.host,
    port: config.port,
    database: config.database,
    user: username,
    password,
    max,
    ssl: { rejectUnauthorized: true, ca: env.DATABASE_CA_FILE ? readFileSync(env.DATABASE_CA_FILE, 'utf8') : undefined },
  });
}
{% else %}
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DatastoreConfig } from './datastoreConfig.js';

/** The DynamoDB client for the service's table; credentials from the SDK's default chain (IRSA on EKS). */
export function createDynamoDbClient(config: DatastoreConfig): DynamoDBClient {
  return new DynamoDBClient({ region: config.region });
}
{% endif %}
