import { createHash, randomUUID } from 'node:crypto';
{% if values.datastore == 'aurora-postgresql' %}
import { Pool } from 'pg';
{% else %}
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
{% endif %}
{% if values.queue %}
import { OutboxEntry, paymentAcceptedEvent } from './outbox.js';
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
{% if values.queue %}
  /** The outbox: events stored with their payment, until a relay publishes them. */
  readonly pending = new Map<string, OutboxEntry>();
{% endif %}

  async putIfAbsent(key: string, record: IdempotencyRecord): Promise<IdempotencyRecord> {
    const existing = this.records.get(key);
    if (existing) return existing;
    this.records.set(key, record);
{% if values.queue %}
    const event = paymentAcceptedEvent(record.payment);
    this.pending.set(event.id, event);
{% endif %}
    return record;
  }
}

{% if values.datastore == 'aurora-postgresql' %}
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Payments in the Aurora PostgreSQL cluster, one row per Idempotency-Key, written with
 * INSERT ... ON CONFLICT DO NOTHING: of two replicas racing on one key exactly one stores its
 * payment and both answer with it.
{% if values.queue %}
 * The payment.accepted event goes into the `outbox` table in the same transaction, so a payment
 * is never stored without its event (nor the reverse); OutboxRelay publishes it (outbox.ts).
{% endif %}
 */
export class PostgresPaymentStore implements PaymentStore {
  constructor(
    private readonly pool: Pool,
    private readonly table = 'payments',
{% if values.queue %}
    readonly outboxTable = 'outbox',
{% endif %}
  ) {
    for (const name of [table{% if values.queue %}, outboxTable{% endif %}]) {
      if (!TABLE_NAME.test(name)) throw new Error(`table name '${name}' must be lower-case letters, digits and underscores`);
    }
  }

  /** Creates the tables if they are missing (idempotent; the migration Job runs it). */
  async migrate(): Promise<void> {
    await this.pool.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
      idempotency_key text PRIMARY KEY,
      request_hash text NOT NULL,
      payment_id text NOT NULL UNIQUE,
      payment jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
{% if values.queue %}
    await this.pool.query(`CREATE TABLE IF NOT EXISTS ${this.outboxTable} (
      event_id text PRIMARY KEY,
      idempotency_key text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      claimed_until timestamptz
    )`);
    await this.pool.query(`CREATE INDEX IF NOT EXISTS ${this.outboxTable}_created_at ON ${this.outboxTable} (created_at)`);
{% endif %}
  }

  async putIfAbsent(key: string, record: IdempotencyRecord): Promise<IdempotencyRecord> {
{% if values.queue %}
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query(
        `INSERT INTO ${this.table} (idempotency_key, request_hash, payment_id, payment) VALUES ($1, $2, $3, $4)
         ON CONFLICT (idempotency_key) DO NOTHING`,
        [key, record.requestHash, record.payment.id, JSON.stringify(record.payment)],
      );
      if (inserted.rowCount === 1) {
        const event = paymentAcceptedEvent(record.payment);
        await client.query(`INSERT INTO ${this.outboxTable} (event_id, idempotency_key, body) VALUES ($1, $2, $3)`, [event.id, event.idempotencyKey, event.body]);
      }
      await client.query('COMMIT');
      if (inserted.rowCount === 1) return record;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
{% else %}
    const inserted = await this.pool.query(
      `INSERT INTO ${this.table} (idempotency_key, request_hash, payment_id, payment) VALUES ($1, $2, $3, $4)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [key, record.requestHash, record.payment.id, JSON.stringify(record.payment)],
    );
    if (inserted.rowCount === 1) return record;
{% endif %}
    const existing = await this.pool.query(`SELECT request_hash, payment FROM ${this.table} WHERE idempotency_key = $1`, [key]);
    const row = existing.rows[0] as { request_hash: string; payment: AcceptedPayment };
    return { requestHash: row.request_hash, payment: row.payment };
  }
}
{% else %}
/** The DynamoDB tables of the service (terraform/main.tf; Helm env DYNAMODB_*_TABLE). */
export interface DynamoDbTables {
  /** Payments, pk `payment#<id>`, sk `payment`: no TTL, point-in-time recovery, kept per the data-classification policy. */
  payments: string;
  /** Idempotency keys, pk `idempotency#<key>`, sk `key`: they point at the payment id and expire (TTL attribute `expiresAt`). */
  idempotency: string;
{% if values.queue %}
  /** Outbox of events not yet published, pk `outbox#<event id>`, sk `event` (outbox.ts). */
  outbox: string;
{% endif %}
}

/**
 * Payments in DynamoDB. The payment and its idempotency key are written in one TransactWriteItems,
 * conditional on the key not existing (attribute_not_exists(pk)): of two replicas racing on one key
 * exactly one stores its payment and both answer with it.{% if values.queue %} The payment.accepted event is
 * a third item of the same transaction, in the outbox table.{% endif %}

 * Only the key expires (`expiresAt`, after `keyRetentionDays`): the payment item carries no TTL
 * attribute, so it stays as long as the data-classification policy says (the table is retained).
 */
export class DynamoDbPaymentStore implements PaymentStore {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tables: DynamoDbTables,
    private readonly keyRetentionDays = 30,
  ) {}

  async putIfAbsent(key: string, record: IdempotencyRecord): Promise<IdempotencyRecord> {
    const keyItem = { pk: { S: `idempotency#${key}` }, sk: { S: 'key' } };
    const now = Math.floor(Date.now() / 1000);
    // Of two replicas racing on one key, DynamoDB may cancel the loser with TransactionConflict
    // (the other transaction is in flight) rather than ConditionalCheckFailed: try again shortly.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.write(keyItem, record, now);
        return record;
      } catch (error) {
        const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map(reason => reason.Code) : [];
        if (reasons[0] === 'ConditionalCheckFailed') break;
        if (!reasons.includes('TransactionConflict') || attempt >= 5) throw error;
        await new Promise(resolve => setTimeout(resolve, 20 * attempt));
      }
    }
    const stored = await this.client.send(new GetItemCommand({ TableName: this.tables.idempotency, Key: keyItem, ConsistentRead: true }));
    const requestHash = stored.Item?.requestHash?.S;
    const paymentId = stored.Item?.paymentId?.S;
    if (!requestHash || !paymentId) throw new Error(`idempotency record ${key} is unreadable`);
    const payment = await this.client.send(
      new GetItemCommand({ TableName: this.tables.payments, Key: { pk: { S: `payment#${paymentId}` }, sk: { S: 'payment' } }, ConsistentRead: true }),
    );
    if (!payment.Item?.payment?.S) throw new Error(`payment ${paymentId} of idempotency key ${key} is missing`);
    return { requestHash, payment: JSON.parse(payment.Item.payment.S) as AcceptedPayment };
  }

  /** The key, the payment{% if values.queue %} and its event{% endif %} in one transaction, conditional on the key not existing. */
  private async write(keyItem: Record<string, { S: string }>, record: IdempotencyRecord, now: number): Promise<void> {
{% if values.queue %}
    const event = paymentAcceptedEvent(record.payment);
{% endif %}
    await this.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tables.idempotency,
              Item: {
                ...keyItem,
                requestHash: { S: record.requestHash },
                paymentId: { S: record.payment.id },
                expiresAt: { N: String(now + this.keyRetentionDays * 86_400) },
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tables.payments,
              Item: { pk: { S: `payment#${record.payment.id}` }, sk: { S: 'payment' }, payment: { S: JSON.stringify(record.payment) }, createdAt: { N: String(now) } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
{% if values.queue %}
          {
            Put: {
              TableName: this.tables.outbox,
              Item: { pk: { S: `outbox#${event.id}` }, sk: { S: 'event' }, idempotencyKey: { S: event.idempotencyKey }, body: { S: event.body }, createdAt: { N: String(now) } },
            },
          },
{% endif %}
        ],
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
    private readonly newId: () => string = () => `pay_${randomUUID()}`,
  ) {}

  async accept(idempotencyKey: string, body: unknown): Promise<PaymentOutcome> {
    const { request, problems } = validatePaymentRequest(body);
    if (!request) return { kind: 'invalid', problems };
    const requestHash = createHash('sha256').update(JSON.stringify([request.merchantId, request.amount, request.currency, request.reference ?? null])).digest('hex');
    const candidate: IdempotencyRecord = { requestHash, payment: { id: this.newId(), status: 'accepted', ...request } };
    const stored = await this.store.putIfAbsent(idempotencyKey, candidate);
    if (stored.requestHash !== requestHash) return { kind: 'key-reused' };
    return { kind: 'accepted', payment: stored.payment, replayed: stored.payment.id !== candidate.payment.id };
  }
}
