import { createHash, randomUUID } from 'node:crypto';

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

/**
 * Where idempotency records and payments live.
{% if values.datastore == 'aurora-postgresql' %}
 * Production: a table in the Aurora PostgreSQL cluster, written with
 * INSERT ... ON CONFLICT (idempotency_key) DO NOTHING in the same transaction as the payment.
{% else %}
 * Production: the DynamoDB table, written with a conditional PutItem
 * (attribute_not_exists(pk)) and an expiresAt TTL attribute.
{% endif %}
 */
export interface PaymentStore {
  /** Saves the record unless the key exists; returns the record stored under the key either way. */
  putIfAbsent(key: string, record: IdempotencyRecord): Promise<IdempotencyRecord>;
}

/** In-process store for tests and local runs; replace it with the datastore adapter before production traffic. */
export class InMemoryPaymentStore implements PaymentStore {
  private readonly records = new Map<string, IdempotencyRecord>();

  async putIfAbsent(key: string, record: IdempotencyRecord): Promise<IdempotencyRecord> {
    const existing = this.records.get(key);
    if (existing) return existing;
    this.records.set(key, record);
    return record;
  }
}

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
    request: { merchantId: merchantId as string, amount: amount as number, currency: currency as string, reference: reference as string | undefined },
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
    return { kind: 'accepted', payment: stored.payment, replayed: stored !== candidate };
  }
}
