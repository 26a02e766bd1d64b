import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Consumer } from '../src/consumer.js';
import { handlePaymentEvent } from '../src/handler.js';
import { ProcessedStore } from '../src/idempotency.js';
import { createJsonLogger } from '../src/logger.js';
import { InMemoryMessageSource, Message } from '../src/messages.js';
import { createConsumerMetrics } from '../src/metrics.js';
{% if values.datastore == 'aurora-postgresql' %}
import { Pool } from 'pg';
import { PostgresProcessedStore } from '../src/idempotency.js';
{% else %}
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbProcessedStore } from '../src/idempotency.js';
{% endif %}

/*
 * The atomic claim across pods: two consumers (the canary and the stable pods) that both receive
 * the same messages, each with its own connection to the real ${{ 'PostgreSQL' if values.datastore == 'aurora-postgresql' else 'DynamoDB API (loopback endpoint)' }}, handle each message once.
 */
const SERVICE = '${{ values.name }}';
const payment = { type: 'payment.accepted', paymentId: 'pay_1', amount: 1250, currency: 'GBP' };
{% if values.datastore == 'aurora-postgresql' %}
const DATABASE_URL = process.env.TEST_DATABASE_URL;
const skip = !DATABASE_URL && 'set TEST_DATABASE_URL to run against PostgreSQL';
{% else %}
const ENDPOINT = process.env.TEST_AWS_ENDPOINT_URL;
const skip = !ENDPOINT && 'set TEST_AWS_ENDPOINT_URL to run against a DynamoDB endpoint';
{% endif %}

function consumer(store: ProcessedStore, source: InMemoryMessageSource, handled: string[], track: string) {
  return new Consumer({
    serviceName: SERVICE,
    source,
    store,
    handler: async message => {
      await handlePaymentEvent(message);
      await new Promise(resolve => setTimeout(resolve, 15)); // long enough for the other pod to arrive meanwhile
      handled.push(`${track}:${message.key}`);
    },
    metrics: createConsumerMetrics(SERVICE),
    logger: createJsonLogger(SERVICE, () => undefined),
    maxAttempts: 2,
    retryBaseDelayMs: 0,
    leaseSeconds: 30,
    claimPollMs: 10,
  });
}

const message = (key: string): Message => ({ id: `m-${randomUUID()}`, key, body: JSON.stringify(payment) });

describe('claims across two consumers', { skip }, () => {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
{% if values.datastore == 'aurora-postgresql' %}
  const table = `claims_test_${suffix}`;
  const pools: Pool[] = [];
  const stores: ProcessedStore[] = [];

  before(async () => {
    // One pool per pod.
    for (let pod = 0; pod < 3; pod += 1) {
      const pool = new Pool({ connectionString: DATABASE_URL, max: 4 });
      pools.push(pool);
      stores.push(new PostgresProcessedStore(pool, table));
    }
    await (stores[0] as PostgresProcessedStore).migrate();
  });

  after(async () => {
    await pools[0].query(`DROP TABLE IF EXISTS ${table}`);
    for (const pool of pools) await pool.end();
  });
{% else %}
  const table = `claims-test-${suffix}`;
  const clients: DynamoDBClient[] = [];
  const stores: ProcessedStore[] = [];
  const config = { endpoint: ENDPOINT, region: '${{ values.primaryRegion }}', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

  before(async () => {
    // One client per pod.
    for (let pod = 0; pod < 3; pod += 1) {
      const client = new DynamoDBClient(config);
      clients.push(client);
      stores.push(new DynamoDbProcessedStore(client, table));
    }
    // The table as terraform/main.tf declares it.
    await clients[0].send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      }),
    );
  });

  after(async () => {
    await clients[0].send(new DeleteTableCommand({ TableName: table }));
    for (const client of clients) client.destroy();
  });
{% endif %}

  it('handles each message once when the canary and the stable pods both receive it', async () => {
    const keys = Array.from({ length: 12 }, () => `idem-${randomUUID()}`);
    const canarySource = new InMemoryMessageSource(keys.map(message));
    const stableSource = new InMemoryMessageSource(keys.map(message));
    const handled: string[] = [];
    const canary = consumer(stores[0], canarySource, handled, 'canary');
    const stable = consumer(stores[1], stableSource, handled, 'stable');
    await Promise.all([
      (async () => {
        while (canarySource.remaining > 0) await canary.pollOnce();
      })(),
      (async () => {
        while (stableSource.remaining > 0) await stable.pollOnce();
      })(),
    ]);
    assert.deepEqual(handled.map(entry => entry.split(':').slice(1).join(':')).sort(), [...keys].sort(), 'each key handled exactly once');
    // Both pods are done with every delivery: the duplicate is acked once the first pod marked the key done.
    assert.equal(canarySource.acked.length, keys.length);
    assert.equal(stableSource.acked.length, keys.length);
  });

  it("handles a message whose first handler crashed, once that claim's lease is over", async () => {
    const key = `idem-${randomUUID()}`;
    // A pod claims the message and dies before marking it done.
    assert.equal(await stores[2].claim(key, 1), 'claimed');
    const source = new InMemoryMessageSource([message(key)]);
    const handled: string[] = [];
    const started = Date.now();
    await consumer(stores[0], source, handled, 'stable').pollOnce();
    assert.deepEqual(handled, [`stable:${key}`]);
    assert.ok(Date.now() - started >= 900, 'it waited for the lease rather than handling beside the live claim');
    assert.equal(source.acked.length, 1);
    assert.equal(await stores[1].claim(key, 30), 'done');
  });

  it('gives the key back when the message is dead-lettered, so a redrive handles it', async () => {
    const key = `idem-${randomUUID()}`;
    const source = new InMemoryMessageSource([{ id: 'poison', key, body: 'not json' }]);
    await consumer(stores[0], source, [], 'stable').pollOnce();
    assert.equal(source.deadLettered.length, 1);
    assert.equal(await stores[1].claim(key, 30), 'claimed');
  });
});
