import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
{% if values.datastore == 'aurora-postgresql' %}
import { Pool } from 'pg';
import { PaymentIntake, PostgresPaymentStore } from '../src/payments.js';
{% else %}
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbPaymentStore, PaymentIntake } from '../src/payments.js';
{% endif %}
{% if values.queue %}
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { InMemoryPaymentStore, SqsPaymentPublisher } from '../src/payments.js';
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
    pool = new Pool({ connectionString: DATABASE_URL, max: 12 });
    store = new PostgresPaymentStore(pool, table);
    await store.migrate();
    await store.migrate(); // start-up runs it every time
  });

  after(async () => {
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.end();
  });
{% else %}
const ENDPOINT = process.env.TEST_AWS_ENDPOINT_URL;
const clientConfig = { endpoint: ENDPOINT, region: '${{ values.primaryRegion }}', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

describe('DynamoDbPaymentStore', { skip: !ENDPOINT && 'set TEST_AWS_ENDPOINT_URL to run against a DynamoDB endpoint' }, () => {
  const table = `payments-test-${randomUUID().slice(0, 12)}`;
  let client: DynamoDBClient;
  let store: DynamoDbPaymentStore;

  before(async () => {
    client = new DynamoDBClient(clientConfig);
    // The table as terraform/main.tf declares it.
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      }),
    );
    store = new DynamoDbPaymentStore(client, table);
  });

  after(async () => {
    await client.send(new DeleteTableCommand({ TableName: table }));
    client.destroy();
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
{% if values.queue %}

const QUEUE_ENDPOINT = process.env.TEST_AWS_ENDPOINT_URL;

describe('SqsPaymentPublisher', { skip: !QUEUE_ENDPOINT && 'set TEST_AWS_ENDPOINT_URL to run against an SQS endpoint' }, () => {
  let sqs: SQSClient;
  let queueUrl: string;

  before(async () => {
    sqs = new SQSClient({ endpoint: QUEUE_ENDPOINT, region: '${{ values.primaryRegion }}', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `payments-test-${randomUUID().slice(0, 12)}` }))).QueueUrl!;
  });

  after(async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    sqs.destroy();
  });

  it('announces an accepted payment with its id as the idempotency key', async () => {
    const intake = new PaymentIntake(new InMemoryPaymentStore(), new SqsPaymentPublisher(sqs, queueUrl));
    const outcome = await intake.accept(`key-${randomUUID()}`, payment);
    assert.equal(outcome.kind, 'accepted');
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    assert.equal(received.Messages?.length, 1);
    const message = received.Messages![0];
    const body = JSON.parse(message.Body!) as { type: string; paymentId: string; amount: number };
    assert.equal(body.type, 'payment.accepted');
    assert.equal(body.amount, 1250);
    assert.equal(message.MessageAttributes?.['Idempotency-Key']?.StringValue, body.paymentId);
    if (outcome.kind === 'accepted') assert.equal(body.paymentId, outcome.payment.id);
  });
});
{% endif %}
