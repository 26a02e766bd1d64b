import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
{% if values.datastore == 'aurora-postgresql' %}
import { Pool } from 'pg';
import { PaymentIntake, PostgresPaymentStore } from '../src/payments.js';
{% else %}
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbPaymentStore, PaymentIntake } from '../src/payments.js';
{% endif %}

/*
 * The ${{ values.datastore }} adapter against a real ${{ 'PostgreSQL' if values.datastore == 'aurora-postgresql' else 'DynamoDB API' }}.
{% if values.datastore == 'aurora-postgresql' %}
 * Runs when TEST_DATABASE_URL is set (e.g. postgresql://postgres@127.0.0.1:5432/postgres).
{% else %}
 * Runs when TEST_AWS_ENDPOINT_URL is set (DynamoDB Local, LocalStack or the portal's aws-local).
{% endif %}
 */
const payment = { merchantId: 'm_1', amount: 1250, currency: 'GBP' };
{% if values.datastore == 'aurora-postgresql' %}
const DATABASE_URL = process.env.TEST_DATABASE_URL;

describe('PostgresPaymentStore', { skip: !DATABASE_URL && 'set TEST_DATABASE_URL to run against PostgreSQL' }, () => {
  const table = `payments_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let pool: Pool;
  let store: PostgresPaymentStore;

  before(async () => {
    pool = new Pool({ connectionString: DATABASE_URL, max: 4 });
    store = new PostgresPaymentStore(pool, table{% if values.queue %}, `${table}_outbox`{% endif %});
    await store.migrate();
    await store.migrate(); // start-up runs it every time
  });

  after(async () => {
    await pool.query(`DROP TABLE IF EXISTS ${table}{% if values.queue %}, ${table}_outbox{% endif %}`);
    await pool.end();
  });
{% else %}
const ENDPOINT = process.env.TEST_AWS_ENDPOINT_URL;
const clientConfig = { endpoint: ENDPOINT, region: '${{ values.primaryRegion }}', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

describe('DynamoDbPaymentStore', { skip: !ENDPOINT && 'set TEST_AWS_ENDPOINT_URL to run against a DynamoDB endpoint' }, () => {
  const suffix = randomUUID().slice(0, 12);
  const tables = {
    payments: `payments-test-${suffix}`,
    idempotency: `idempotency-test-${suffix}`,
{% if values.queue %}
    outbox: `outbox-test-${suffix}`,
{% endif %}
  };
  let client: DynamoDBClient;
  let store: DynamoDbPaymentStore;

  before(async () => {
    client = new DynamoDBClient(clientConfig);
    // The tables as terraform/main.tf declares them.
    for (const TableName of Object.values(tables)) {
      await client.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        }),
      );
    }
    store = new DynamoDbPaymentStore(client, tables);
  });

  after(async () => {
    for (const TableName of Object.values(tables)) await client.send(new DeleteTableCommand({ TableName }));
    client.destroy();
  });

  it('keeps the payment apart from its idempotency key: only the key expires', async () => {
    const key = `key-${randomUUID()}`;
    const outcome = await new PaymentIntake(store).accept(key, payment);
    assert.equal(outcome.kind, 'accepted');
    if (outcome.kind !== 'accepted') return;
    const keyItem = (await client.send(new GetItemCommand({ TableName: tables.idempotency, Key: { pk: { S: `idempotency#${key}` }, sk: { S: 'key' } } }))).Item;
    const paymentItem = (await client.send(new GetItemCommand({ TableName: tables.payments, Key: { pk: { S: `payment#${outcome.payment.id}` }, sk: { S: 'payment' } } }))).Item;
    assert.equal(keyItem?.paymentId?.S, outcome.payment.id);
    assert.ok(Number(keyItem?.expiresAt?.N) > Date.now() / 1000, 'the key carries the TTL attribute');
    assert.deepEqual(JSON.parse(paymentItem?.payment?.S ?? '{}'), outcome.payment);
    // The TTL attribute on the payments table would delete payments: it must not be there.
    assert.equal(paymentItem?.expiresAt, undefined);
  });
{% endif %}

  it('answers a retry with the first payment, and refuses the key for a different request', async () => {
    const intake = new PaymentIntake(store);
    const key = `key-${randomUUID()}`;
    const first = await intake.accept(key, payment);
    const retry = await intake.accept(key, payment);
    assert.equal(first.kind, 'accepted');
    assert.equal(retry.kind, 'accepted');
    if (first.kind !== 'accepted' || retry.kind !== 'accepted') return;
    assert.equal(first.replayed, false);
    assert.equal(retry.replayed, true);
    assert.deepEqual(retry.payment, first.payment);
    assert.deepEqual(await intake.accept(key, { ...payment, amount: 999 }), { kind: 'key-reused' });
  });

  it('stores one payment when replicas race on one key', async () => {
    const key = `key-${randomUUID()}`;
    // Ten intakes stand for ten replicas sharing the datastore.
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => new PaymentIntake(store).accept(key, payment)));
    const ids = new Set(outcomes.map(outcome => (outcome.kind === 'accepted' ? outcome.payment.id : outcome.kind)));
    assert.equal(ids.size, 1);
    assert.equal(outcomes.filter(outcome => outcome.kind === 'accepted' && !outcome.replayed).length, 1);
  });
});
