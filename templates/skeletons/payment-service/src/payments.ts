import { createHash, randomUUID } from 'node:crypto';
{% if values.datastore == 'aurora-postgresql' %}
import { Pool } from 'pg';
{% else %}
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
{% endif %}
{% if values.queue %}
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
{% endif %}

/** A payment instruction as the API accepts it. Amounts are integers in minor units (pence, cents). */
export interface PaymentRequest {
  merchantId: string;
  amount: number;
  currency: string;
  reference?: string;
}

export interface AcceptedPayment {
  id: string;
  status: 'accepted';
  merchantId: string;
  amount: number;
  currency: string;
  reference?: string;
}

/** What an Idempotency-Key maps to: the request it was first used with and the answer given. */
export interface IdempotencyRecord {
  requestHash: string;
  payment: AcceptedPayment;
}

/** Where idempotency records and payments live. */
export interface PaymentStore {
  /** Saves the record unless the key exists; returns the record stored under the key either way. */
  putIfAbsent(key: string, record: IdempotencyRecord): Promise<IdempotencyRecord>;
}

/** In-process store for unit tests; it forgets on restart and is not shared by replicas. */
export class InMemoryPaymentStore implements PaymentStore {
  private readonly records = new Map<string, IdempotencyRecord>();

  async putIfAbsent(key: string, record: IdempotencyRecord): Promise<IdempotencyRecord> {
    const existing = this.records.get(key);
    if (existing) return existing;
    this.records.set(key, record);
    return record;
  }
}

{% if values.datastore == 'aurora-postgresql' %}
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Payments in the Aurora PostgreSQL cluster, one row per Idempotency-Key, written with
 * INSERT ... ON CONFLICT DO NOTHING: of two replicas racing on one key exactly one stores its
 * payment and both answer with it.
 */
export class PostgresPaymentStore implements PaymentStore {
  constructor(private readonly pool: Pool, private readonly table = 'payments') {
    if (!TABLE_NAME.test(table)) throw new Error(`table name '${table}' must be lower-case letters, digits and underscores`);
  }

  /** Creates the table if it is missing (idempotent; run at start-up). */
  async migrate(): Promise<void> {
    await this.pool.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
      idempotency_key text PRIMARY KEY,
      request_hash text NOT NULL,
      payment_id text NOT NULL UNIQUE,
      payment jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async putIfAbsent(key: string, record: IdempotencyRecord): Promise<IdempotencyRecord> {
    const inserted = await this.pool.query(
      `INSERT INTO ${this.table} (idempotency_key, request_hash, payment_id, payment) VALUES ($1, $2, $3, $4)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [key, record.requestHash, record.payment.id, JSON.stringify(record.payment)],
    );
    if (inserted.rowCount === 1) return record;
    const existing = await this.pool.query(`SELECT request_hash, payment FROM ${this.table} WHERE idempotency_key = $1`, [key]);
    const row = existing.rows[0] as { request_hash: string; payment: AcceptedPayment };
    return { requestHash: row.request_hash, payment: row.payment };
  }
}
{% else %}
/**
 * Payments in the service's DynamoDB table (pk `idempotency#<key>`, sk `payment`), written with a
 * conditional PutItem (attribute_not_exists(pk)): of two replicas racing on one key exactly one
 * stores its payment and both answer with it. Records expire through the table's TTL attribute
 * `expiresAt` after `retentionDays`.
 */
export class DynamoDbPaymentStore implements PaymentStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retentionDays = 30,
  ) {}

  async putIfAbsent(key: string, record: IdempotencyRecord): Promise<IdempotencyRecord> {
    const itemKey = { pk: { S: `idempotency#${key}` }, sk: { S: 'payment' } };
    const now = Math.floor(Date.now() / 1000);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...itemKey,
            requestHash: { S: record.requestHash },
            payment: { S: JSON.stringify(record.payment) },
            expiresAt: { N: String(now + this.retentionDays * 86_400) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return record;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const existing = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: itemKey, ConsistentRead: true }));
    if (!existing.Item?.requestHash?.S || !existing.Item.payment?.S) throw new Error(`idempotency record ${key} is unreadable`);
    return { requestHash: existing.Item.requestHash.S, payment: JSON.parse(existing.Item.payment.S) as AcceptedPayment };
  }
}
{% endif %}

{% if values.queue %}
/** Where accepted payments are announced, for the consumers downstream. */
export interface PaymentPublisher {
  publish(payment: AcceptedPayment): Promise<void>;
}

/**
 * Accepted payments to the service's SQS queue, with the payment id as the `Idempotency-Key`
 * attribute. A payment is published on every accepted answer, replays included, so a client that
 * retries after a failed publish republishes it; consumers process each key once.
 */
export class SqsPaymentPublisher implements PaymentPublisher {
  constructor(private readonly client: SQSClient, private readonly queueUrl: string) {}

  async publish(payment: AcceptedPayment): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({ type: 'payment.accepted', paymentId: payment.id, ...payment }),
        MessageAttributes: { 'Idempotency-Key': { DataType: 'String', StringValue: payment.id } },
      }),
    );
  }
}
{% endif %}

export type PaymentOutcome =
  | { kind: 'accepted'; payment: AcceptedPayment; replayed: boolean }
  | { kind: 'invalid'; problems: string[] }
  | { kind: 'key-reused' };

const CURRENCY = /^[A-Z]{3}$/;

export function validatePaymentRequest(body: unknown): { request?: PaymentRequest; problems: string[] } {
  const problems: string[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problems: ['body must be a JSON object'] };
  }
  const { merchantId, amount, currency, reference } = body as Record<string, unknown>;
  if (typeof merchantId !== 'string' || merchantId.length === 0) problems.push('merchantId must be a non-empty string');
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) problems.push('amount must be a positive integer in minor units');
  if (typeof currency !== 'string' || !CURRENCY.test(currency)) problems.push('currency must be an ISO 4217 code such as GBP');
  if (reference !== undefined && typeof reference !== 'string') problems.push('reference must be a string');
  if (problems.length > 0) return { problems };
  return {
    // No `reference: undefined`: the payment must read back from the datastore exactly as stored.
    request: { merchantId: merchantId as string, amount: amount as number, currency: currency as string, ...(reference === undefined ? {} : { reference: reference as string }) },
    problems,
  };
}

/** Accepts a payment once per Idempotency-Key; a retry with the same key and body gets the first answer again. */
export class PaymentIntake {
  constructor(
    private readonly store: PaymentStore,
{% if values.queue %}
    private readonly publisher?: PaymentPublisher,
{% endif %}
    private readonly newId: () => string = () => `pay_${randomUUID()}`,
  ) {}

  async accept(idempotencyKey: string, body: unknown): Promise<PaymentOutcome> {
    const { request, problems } = validatePaymentRequest(body);
    if (!request) return { kind: 'invalid', problems };
    const requestHash = createHash('sha256').update(JSON.stringify([request.merchantId, request.amount, request.currency, request.reference ?? null])).digest('hex');
    const candidate: IdempotencyRecord = { requestHash, payment: { id: this.newId(), status: 'accepted', ...request } };
    const stored = await this.store.putIfAbsent(idempotencyKey, candidate);
    if (stored.requestHash !== requestHash) return { kind: 'key-reused' };
{% if values.queue %}
    await this.publisher?.publish(stored.payment);
{% endif %}
    return { kind: 'accepted', payment: stored.payment, replayed: stored.payment.id !== candidate.payment.id };
  }
}
