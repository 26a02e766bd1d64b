{% if values.datastore == 'aurora-postgresql' %}
import { Pool } from 'pg';
{% else %}
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
{% endif %}

/**
 * Keys of the messages already processed, so a redelivered or duplicated message has its effect
 * once, across restarts and replicas.
 */
export interface ProcessedStore {
  /** Whether the key was processed already. */
  has(key: string): Promise<boolean>;
  /** Records the key; returns false if it was recorded already (another replica won the race). */
  markProcessed(key: string): Promise<boolean>;
}

/** In-process store for unit tests; it forgets on restart and is not shared by replicas. */
export class InMemoryProcessedStore implements ProcessedStore {
  private readonly keys = new Set<string>();

  async has(key: string): Promise<boolean> {
    return this.keys.has(key);
  }

  async markProcessed(key: string): Promise<boolean> {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    return true;
  }
}

{% if values.datastore == 'aurora-postgresql' %}
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Processed keys in the Aurora PostgreSQL cluster: a table keyed by the idempotency key, written
 * with INSERT ... ON CONFLICT DO NOTHING, so of two replicas racing on one key exactly one wins.
 * When the message's effect is in the same database, record the key in the same transaction.
 */
export class PostgresProcessedStore implements ProcessedStore {
  constructor(private readonly pool: Pool, private readonly table = 'processed_messages') {
    if (!TABLE_NAME.test(table)) throw new Error(`table name '${table}' must be lower-case letters, digits and underscores`);
  }

  /** Creates the table if it is missing (idempotent; run at start-up). */
  async migrate(): Promise<void> {
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (idempotency_key text PRIMARY KEY, processed_at timestamptz NOT NULL DEFAULT now())`,
    );
  }

  async has(key: string): Promise<boolean> {
    const result = await this.pool.query(`SELECT 1 FROM ${this.table} WHERE idempotency_key = $1`, [key]);
    return (result.rowCount ?? 0) > 0;
  }

  async markProcessed(key: string): Promise<boolean> {
    const result = await this.pool.query(`INSERT INTO ${this.table} (idempotency_key) VALUES ($1) ON CONFLICT (idempotency_key) DO NOTHING`, [key]);
    return result.rowCount === 1;
  }
}
{% else %}
/**
 * Processed keys in the service's DynamoDB table (pk `processed#<key>`, sk `processed`), written
 * with a conditional PutItem, so of two replicas racing on one key exactly one wins. Records
 * expire through the table's TTL attribute `expiresAt` after `retentionDays`.
 */
export class DynamoDbProcessedStore implements ProcessedStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retentionDays = 30,
  ) {}

  private itemKey(key: string) {
    return { pk: { S: `processed#${key}` }, sk: { S: 'processed' } };
  }

  async has(key: string): Promise<boolean> {
    const output = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: this.itemKey(key), ConsistentRead: true }));
    return output.Item !== undefined;
  }

  async markProcessed(key: string): Promise<boolean> {
    const now = Math.floor(Date.now() / 1000);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...this.itemKey(key), processedAt: { N: String(now) }, expiresAt: { N: String(now + this.retentionDays * 86_400) } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
{% endif %}
