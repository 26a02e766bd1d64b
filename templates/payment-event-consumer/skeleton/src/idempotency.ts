/**
 * Keys of the messages already processed, so a redelivered or duplicated message has its effect
 * once.
{% if values.datastore == 'aurora-postgresql' %}
 * Production: a processed_messages table in the Aurora PostgreSQL cluster
 * (idempotency_key primary key), written with INSERT ... ON CONFLICT (idempotency_key) DO NOTHING
 * in the same transaction as the effect of the message.
{% else %}
 * Production: the DynamoDB table, written with a conditional PutItem (attribute_not_exists(pk))
 * together with the effect (TransactWriteItems) and an expiresAt TTL attribute.
{% endif %}
 */
export interface ProcessedStore {
  /** Whether the key was processed already. */
  has(key: string): Promise<boolean>;
  /** Records the key; returns false if it was recorded already (another replica won the race). */
  markProcessed(key: string): Promise<boolean>;
}

/**
 * In-process store for tests and local runs.
 * TODO(${{ values.name }}): replace it with the ${{ values.datastore }} store before production
 * traffic: idempotency must survive restarts and span replicas.
 */
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
