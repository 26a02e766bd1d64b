{% if values.datastore == 'aurora-postgresql' %}
import { Pool } from 'pg';
{% else %}
import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
{% endif %}

/**
 * What a claim on a message key found: `claimed` (this consumer handles it now), `done` (handled
 * before: a duplicate) or `held` (another consumer, e.g. the canary or the stable pods, holds a
 * live claim and is handling it).
 */
export type ClaimResult = 'claimed' | 'done' | 'held';

/**
 * Claims on message keys, so a message is handled once across redeliveries, restarts and pods.
 * A consumer claims the key atomically before handling, marks it done after; a claim not marked
 * done within its lease (the handler crashed) can be claimed again.
 */
export interface ProcessedStore {
  /** Claims the key for `leaseSeconds` unless it is done or another consumer's claim is live. */
  claim(key: string, leaseSeconds: number): Promise<ClaimResult>;
  /** Marks the claimed key handled: from now on every claim finds it `done`. */
  markDone(key: string): Promise<void>;
  /** Gives up a claim without handling (the message was dead-lettered), so a redrive can handle it. */
  release(key: string): Promise<void>;
}

/** In-process store for unit tests; it forgets on restart and is not shared by replicas. */
export class InMemoryProcessedStore implements ProcessedStore {
  private readonly claims = new Map<string, { done: boolean; until: number }>();

  async claim(key: string, leaseSeconds: number): Promise<ClaimResult> {
    const current = this.claims.get(key);
    if (current?.done) return 'done';
    if (current && current.until > Date.now()) return 'held';
    this.claims.set(key, { done: false, until: Date.now() + leaseSeconds * 1000 });
    return 'claimed';
  }

  async markDone(key: string): Promise<void> {
    this.claims.set(key, { done: true, until: Infinity });
  }

  async release(key: string): Promise<void> {
    if (!this.claims.get(key)?.done) this.claims.delete(key);
  }
}

{% if values.datastore == 'aurora-postgresql' %}
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Claims in the Aurora PostgreSQL cluster, a lease row per key: one INSERT ... ON CONFLICT DO
 * UPDATE that only takes over a row not done and whose `claimed_until` has passed, so of two
 * consumers racing on one key exactly one gets the claim. When the message's effect is in the same
 * database, mark the key done in the same transaction as the effect.
 */
export class PostgresProcessedStore implements ProcessedStore {
  constructor(private readonly pool: Pool, private readonly table = 'processed_messages') {
    if (!TABLE_NAME.test(table)) throw new Error(`table name '${table}' must be lower-case letters, digits and underscores`);
  }

  /** Creates the table if it is missing (idempotent; the migration Job runs it). */
  async migrate(): Promise<void> {
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
        idempotency_key text PRIMARY KEY,
        claimed_until timestamptz,
        processed_at timestamptz
      )`,
    );
  }

  async claim(key: string, leaseSeconds: number): Promise<ClaimResult> {
    const claimed = await this.pool.query(
      `INSERT INTO ${this.table} AS t (idempotency_key, claimed_until) VALUES ($1, now() + make_interval(secs => $2))
       ON CONFLICT (idempotency_key) DO UPDATE SET claimed_until = EXCLUDED.claimed_until
       WHERE t.processed_at IS NULL AND (t.claimed_until IS NULL OR t.claimed_until < now())`,
      [key, leaseSeconds],
    );
    if (claimed.rowCount === 1) return 'claimed';
    const current = await this.pool.query(`SELECT processed_at FROM ${this.table} WHERE idempotency_key = $1`, [key]);
    return current.rows[0]?.processed_at ? 'done' : 'held';
  }

  async markDone(key: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (idempotency_key, processed_at) VALUES ($1, now())
       ON CONFLICT (idempotency_key) DO UPDATE SET processed_at = now(), claimed_until = NULL`,
      [key],
    );
  }

  async release(key: string): Promise<void> {
    // An UPDATE, not a DELETE: the application role needs no DELETE on this table.
    await this.pool.query(`UPDATE ${this.table} SET claimed_until = NULL WHERE idempotency_key = $1 AND processed_at IS NULL`, [key]);
  }
}
{% else %}
/**
 * Claims in the consumer's DynamoDB table (pk `processed#<key>`, sk `processed`): a conditional
 * PutItem (`attribute_not_exists(pk) OR claimedUntil < :now`; a done item has no claimedUntil),
 * so of two consumers racing on one key exactly one gets the claim. Items expire through the
 * table's TTL attribute `expiresAt` after `retentionDays`: they are keys, not payments.
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

  async claim(key: string, leaseSeconds: number): Promise<ClaimResult> {
    const now = Math.floor(Date.now() / 1000);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...this.itemKey(key), claimedUntil: { N: String(now + leaseSeconds) }, expiresAt: { N: String(now + this.retentionDays * 86_400) } },
          ConditionExpression: 'attribute_not_exists(pk) OR claimedUntil < :now',
          ExpressionAttributeValues: { ':now': { N: String(now) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return error.Item?.processedAt ? 'done' : 'held';
    }
  }

  async markDone(key: string): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.itemKey(key),
        UpdateExpression: 'SET processedAt = :now, expiresAt = :expires REMOVE claimedUntil',
        ExpressionAttributeValues: { ':now': { N: String(now) }, ':expires': { N: String(now + this.retentionDays * 86_400) } },
      }),
    );
  }

  async release(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: this.itemKey(key), ConditionExpression: 'attribute_not_exists(processedAt)' }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
{% endif %}
