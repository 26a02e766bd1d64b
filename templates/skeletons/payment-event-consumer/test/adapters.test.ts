import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Consumer } from '../src/consumer.js';
import { handlePaymentEvent } from '../src/handler.js';
import { InMemoryProcessedStore, ProcessedStore } from '../src/idempotency.js';
import { createJsonLogger } from '../src/logger.js';
import { createConsumerMetrics } from '../src/metrics.js';
{% if values.datastore == 'aurora-postgresql' %}
import { Pool } from 'pg';
import { PostgresProcessedStore } from '../src/idempotency.js';
{% else %}
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbProcessedStore } from '../src/idempotency.js';
{% endif %}
{% if values.source == 'sqs' %}
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqsMessageSource } from '../src/sources.js';
{% else %}
import { Kafka } from 'kafkajs';
import { MskMessageSource } from '../src/sources.js';
{% endif %}

/*
 * The adapters against real endpoints:
{% if values.datastore == 'aurora-postgresql' %}
 * - the processed-key store against PostgreSQL when TEST_DATABASE_URL is set;
{% else %}
 * - the processed-key store against DynamoDB when TEST_AWS_ENDPOINT_URL is set (DynamoDB Local,
 *   LocalStack or the portal's aws-local);
{% endif %}
{% if values.source == 'sqs' %}
 * - the SQS source against SQS when TEST_AWS_ENDPOINT_URL is set (ElasticMQ, LocalStack or the
 *   portal's aws-local).
{% else %}
 * - the MSK source against a Kafka broker when TEST_KAFKA_BROKERS is set (plaintext, e.g. a local
 *   broker on 127.0.0.1:9092; the topics are created by the test).
{% endif %}
 */
const SERVICE = '${{ values.name }}';
{% if values.datastore == 'dynamodb' or values.source == 'sqs' %}
const AWS_ENDPOINT = process.env.TEST_AWS_ENDPOINT_URL;
const awsClientConfig = { endpoint: AWS_ENDPOINT, region: '${{ values.primaryRegion }}', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
{% endif %}
const suffix = () => randomUUID().replace(/-/g, '').slice(0, 12);

/**
 * Races ten claims (replicas) on each of three keys: each key is claimed exactly once, the others
 * find it held; once marked done every claim finds it done.
 */
async function assertOneClaimPerKey(store: ProcessedStore): Promise<void> {
  const keys = [0, 1, 2].map(() => `idem-${randomUUID()}`);
  const results = await Promise.all(keys.flatMap(key => Array.from({ length: 10 }, () => store.claim(key, 60).then(result => [key, result] as const))));
  for (const key of keys) {
    const forKey = results.filter(([k]) => k === key).map(([, result]) => result);
    assert.equal(forKey.filter(result => result === 'claimed').length, 1, `one claim of ${key} won`);
    assert.equal(forKey.filter(result => result === 'held').length, 9);
  }
  for (const key of keys) await store.markDone(key);
  for (const key of keys) assert.equal(await store.claim(key, 60), 'done');
}

/** A claim whose holder crashed (never marked done) can be claimed again once its lease is over; a released one at once. */
async function assertExpiredClaimsReclaimed(store: ProcessedStore): Promise<void> {
  const crashed = `idem-${randomUUID()}`;
  assert.equal(await store.claim(crashed, 1), 'claimed');
  assert.equal(await store.claim(crashed, 1), 'held');
  await new Promise(resolve => setTimeout(resolve, 2100)); // DynamoDB compares whole seconds
  assert.equal(await store.claim(crashed, 60), 'claimed');
  const released = `idem-${randomUUID()}`;
  assert.equal(await store.claim(released, 60), 'claimed');
  await store.release(released);
  assert.equal(await store.claim(released, 60), 'claimed');
}

{% if values.datastore == 'aurora-postgresql' %}
const DATABASE_URL = process.env.TEST_DATABASE_URL;

describe('PostgresProcessedStore', { skip: !DATABASE_URL && 'set TEST_DATABASE_URL to run against PostgreSQL' }, () => {
  const table = `processed_test_${suffix()}`;
  let pool: Pool;

  before(() => {
    pool = new Pool({ connectionString: DATABASE_URL, max: 4 });
  });

  after(async () => {
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.end();
  });

  it('claims each key once, however many replicas race on it', async () => {
    const store = new PostgresProcessedStore(pool, table);
    await store.migrate();
    await store.migrate(); // every migration Job runs it
    await assertOneClaimPerKey(store);
  });

  it("lets a crashed handler's claim be taken over after its lease", async () => {
    await assertExpiredClaimsReclaimed(new PostgresProcessedStore(pool, table));
  });
});
{% else %}
describe('DynamoDbProcessedStore', { skip: !AWS_ENDPOINT && 'set TEST_AWS_ENDPOINT_URL to run against a DynamoDB endpoint' }, () => {
  const table = `processed-test-${suffix()}`;
  let client: DynamoDBClient;

  before(async () => {
    client = new DynamoDBClient(awsClientConfig);
    // The table as terraform/main.tf declares it.
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      }),
    );
  });

  after(async () => {
    await client.send(new DeleteTableCommand({ TableName: table }));
    client.destroy();
  });

  it('claims each key once, however many replicas race on it', async () => {
    await assertOneClaimPerKey(new DynamoDbProcessedStore(client, table));
  });

  it("lets a crashed handler's claim be taken over after its lease", async () => {
    await assertExpiredClaimsReclaimed(new DynamoDbProcessedStore(client, table));
  });
});
{% endif %}

const payment = { type: 'payment.settled', paymentId: 'pay_1', amount: 1250, currency: 'GBP' };

function consumerOver(source: ConstructorParameters<typeof Consumer>[0]['source'], handled: string[]) {
  return new Consumer({
    serviceName: SERVICE,
    source,
    store: new InMemoryProcessedStore(),
    handler: async message => {
      await handlePaymentEvent(message);
      handled.push(message.key);
    },
    metrics: createConsumerMetrics(SERVICE),
    logger: createJsonLogger(SERVICE, () => undefined),
    maxAttempts: 2,
    retryBaseDelayMs: 0,
  });
}

{% if values.source == 'sqs' %}
describe('SqsMessageSource', { skip: !AWS_ENDPOINT && 'set TEST_AWS_ENDPOINT_URL to run against an SQS endpoint' }, () => {
  let sqs: SQSClient;
  let queueUrl: string;
  let dlqUrl: string;

  before(async () => {
    sqs = new SQSClient(awsClientConfig);
    const name = `${SERVICE.slice(0, 40)}-${suffix()}`;
    dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '60' } }))).QueueUrl!;
  });

  after(async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: dlqUrl }));
    sqs.destroy();
  });

  it('processes each idempotency key once, deletes what it handled and dead-letters the poison message', async () => {
    const send = (body: string, key: string) =>
      sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: { 'Idempotency-Key': { DataType: 'String', StringValue: key } } }));
    await send(JSON.stringify(payment), 'idem-pay_1');
    await send(JSON.stringify(payment), 'idem-pay_1');
    await send('not json', 'idem-poison');
    const handled: string[] = [];
    const consumer = consumerOver(new SqsMessageSource({ kind: 'sqs', queueUrl, dlqUrl, waitTimeSeconds: 1 }, sqs), handled);
    let received = 0;
    for (let polls = 0; received < 3 && polls < 20; polls += 1) received += await consumer.pollOnce();
    assert.equal(received, 3);
    assert.deepEqual(handled, ['idem-pay_1']);

    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    assert.equal(attributes.Attributes?.ApproximateNumberOfMessages, '0');
    assert.equal(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible, '0');

    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    assert.equal(dead.Messages?.length, 1);
    const [letter] = dead.Messages!;
    assert.equal(letter.Body, 'not json');
    assert.equal(letter.MessageAttributes?.['Idempotency-Key']?.StringValue, 'idem-poison');
    assert.equal(letter.MessageAttributes?.['Failure-Attempts']?.StringValue, '2');
    assert.match(letter.MessageAttributes?.['Failure-Reason']?.StringValue ?? '', /JSON/);
  });

  it('takes the age of a message from its SentTimestamp (message_age_seconds)', async () => {
    const before = Date.now();
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(payment) }));
    const source = new SqsMessageSource({ kind: 'sqs', queueUrl, dlqUrl, waitTimeSeconds: 1 }, sqs);
    const [message] = await source.receive(1);
    assert.ok(message.sentAt !== undefined && message.sentAt >= before - 1000 && message.sentAt <= Date.now(), `SentTimestamp ${message.sentAt}`);
    await source.ack(message);
  });
});
{% else %}
const KAFKA_BROKERS = process.env.TEST_KAFKA_BROKERS;

describe('MskMessageSource', { skip: !KAFKA_BROKERS && 'set TEST_KAFKA_BROKERS to run against a Kafka broker' }, () => {
  const brokers = (KAFKA_BROKERS ?? '').split(',');
  const topic = `payments-test-${suffix()}`;
  const dlqTopic = `${topic}.dlq`;
  const kafka = new Kafka({ clientId: 'adapter-test', brokers });

  before(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }, { topic: dlqTopic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });

  after(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, dlqTopic] });
    await admin.disconnect();
  });

  it('processes each idempotency key once, commits what it handled and dead-letters the poison message', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'pay_1', value: JSON.stringify(payment), headers: { 'Idempotency-Key': 'idem-pay_1' } },
        { key: 'pay_1', value: JSON.stringify(payment), headers: { 'Idempotency-Key': 'idem-pay_1' } },
        { key: 'poison', value: 'not json', headers: { 'Idempotency-Key': 'idem-poison' } },
      ],
    });
    await producer.disconnect();
    const groupId = `${SERVICE}-${suffix()}`;
    const handled: string[] = [];
    const source = new MskMessageSource({ kind: 'msk', brokers, topic, dlqTopic, groupId, auth: 'none' });
    const consumer = consumerOver(source, handled);
    let received = 0;
    for (let polls = 0; received < 3 && polls < 60; polls += 1) received += await consumer.pollOnce();
    await source.close();
    assert.equal(received, 3);
    assert.deepEqual(handled, ['idem-pay_1']);

    const admin = kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    assert.equal(committed.partitions[0].offset, '3');

    const letters: Array<{ value: string; headers: Record<string, string> }> = [];
    const reader = kafka.consumer({ groupId: `${groupId}-dlq-reader` });
    await reader.connect();
    await reader.subscribe({ topic: dlqTopic, fromBeginning: true });
    await new Promise<void>(resolve => {
      reader.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
          letters.push({ value: message.value?.toString() ?? '', headers });
          resolve();
        },
      });
    });
    await reader.disconnect();
    assert.equal(letters.length, 1);
    assert.equal(letters[0].value, 'not json');
    assert.equal(letters[0].headers['Failure-Attempts'], '2');
    assert.match(letters[0].headers['Failure-Reason'], /JSON/);
    assert.equal(letters[0].headers['Original-Offset'], '2');
  });
});
{% endif %}
