import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
{% if values.datastore == 'aurora-postgresql' %}
import { after, describe, it } from 'node:test';
{% else %}
import { after, before, describe, it } from 'node:test';
{% endif %}
{% if values.datastore == 'aurora-postgresql' %}
import { Pool } from 'pg';
import { createDatabasePool, databaseChecks } from '../src/datastore.js';
import { loadDatabasePoolSettings } from '../src/datastoreConfig.js';
{% else %}
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsClientConfig } from '../src/aws.js';
import { dynamoDbChecks } from '../src/datastore.js';
import { datastoreTables } from '../src/datastoreConfig.js';
{% endif %}
import { loadConfig } from '../src/config.js';
import { createJsonLogger } from '../src/logger.js';
import { DeepCheck } from '../src/runtime.js';
{% if values.source %}
import { createConsumerMetrics } from '../src/metrics.js';
import { createOpsServer } from '../src/server.js';
{% else %}
import { createHttpMetrics } from '../src/metrics.js';
import { InMemoryPaymentStore, PaymentIntake } from '../src/payments.js';
import { createPaymentServer } from '../src/server.js';
{% endif %}

/*
 * /healthz/deep answers 200 only when the datastore answers within HEALTH_CHECK_TIMEOUT_MS and 503
 * with the reason otherwise (the Route 53 health checks fail over on it); /readyz stays
 * settings-only and /livez the process, so a datastore outage does not restart every pod.
 */
{% if values.datastore == 'aurora-postgresql' %}
const DATABASE_URL = process.env.TEST_DATABASE_URL;
const SKIP = !DATABASE_URL && 'set TEST_DATABASE_URL to run against PostgreSQL';
{% else %}
const ENDPOINT = process.env.TEST_AWS_ENDPOINT_URL;
const SKIP = !ENDPOINT && 'set TEST_AWS_ENDPOINT_URL to run against a DynamoDB endpoint';
{% endif %}

const SETTINGS: NodeJS.ProcessEnv = {
  HEALTH_CHECK_TIMEOUT_MS: '1000',
  AWS_REGION: '${{ values.primaryRegion }}',
{% if values.datastore == 'aurora-postgresql' %}
  DATABASE_HOST: 'db.internal',
  DATABASE_NAME: 'payments',
  DATABASE_USER: 'payments_app',
  DATABASE_CA_FILE: '/etc/ssl/certs/rds-global-bundle.pem',
{% elif values.source %}
  DYNAMODB_TABLE: `health-${randomUUID().slice(0, 8)}`,
{% else %}
  DYNAMODB_PAYMENTS_TABLE: `health-payments-${randomUUID().slice(0, 8)}`,
  DYNAMODB_IDEMPOTENCY_TABLE: `health-idempotency-${randomUUID().slice(0, 8)}`,
{% if values.queue %}
  DYNAMODB_OUTBOX_TABLE: `health-outbox-${randomUUID().slice(0, 8)}`,
{% endif %}
{% endif %}
{% if values.queue %}
  SQS_QUEUE_URL: 'https://sqs.${{ values.primaryRegion }}.amazonaws.com/123456789012/${{ values.name }}',
{% endif %}
{% if values.source == 'sqs' %}
  SQS_QUEUE_URL: 'https://sqs.${{ values.primaryRegion }}.amazonaws.com/123456789012/${{ values.name }}',
  SQS_DLQ_URL: 'https://sqs.${{ values.primaryRegion }}.amazonaws.com/123456789012/${{ values.name }}-dlq',
{% elif values.source == 'msk' %}
  KAFKA_BROKERS: 'b-1.payments.kafka.${{ values.primaryRegion }}.amazonaws.com:9098',
  KAFKA_TOPIC: 'payments.events',
  KAFKA_DLQ_TOPIC: '${{ values.name }}.dlq',
{% endif %}
};
const config = loadConfig(SETTINGS);

async function start(deepChecks: DeepCheck[]): Promise<{ server: Server; baseUrl: string }> {
{% if values.source %}
  const { server } = createOpsServer({ config, metrics: createConsumerMetrics(config.serviceName), consumerHealthy: () => true, deepChecks, logger: createJsonLogger(config.serviceName, () => undefined) });
{% else %}
  const { server } = createPaymentServer({
    config,
    logger: createJsonLogger(config.serviceName, () => undefined),
    metrics: createHttpMetrics(config.serviceName),
    intake: new PaymentIntake(new InMemoryPaymentStore()),
    deepChecks,
  });
{% endif %}
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
}

interface DeepAnswer {
  status: string;
  checks: { name: string; healthy: boolean; reason?: string }[];
}

describe('deep health', { skip: SKIP }, () => {
{% if values.datastore == 'aurora-postgresql' %}
  const pools: Pool[] = [];
  function checksAt(url: string): DeepCheck[] {
    const pool = createDatabasePool({ kind: 'aurora-postgresql', url, port: 5432, pool: loadDatabasePoolSettings({ DATABASE_CONNECT_TIMEOUT_MS: '500' }) });
    pools.push(pool);
    return databaseChecks(pool);
  }
  const up = () => checksAt(DATABASE_URL!);
  // Nothing listens on port 1: the database is unreachable.
  const down = () => checksAt('postgresql://app@127.0.0.1:1/payments');
  // The database does not exist (another cluster, or not created).
  const gone = () => {
    const url = new URL(DATABASE_URL!);
    url.pathname = `/missing_${randomUUID().slice(0, 8)}`;
    return checksAt(url.toString());
  };

  after(async () => {
    await Promise.all(pools.map(pool => pool.end()));
  });
{% else %}
  const tables = datastoreTables(config.datastore);
  const clients: DynamoDBClient[] = [];
  function client(endpoint: string): DynamoDBClient {
    const created = new DynamoDBClient({
      ...awsClientConfig({ region: '${{ values.primaryRegion }}', connectTimeoutMs: 300, requestTimeoutMs: 500, maxAttempts: 1 }),
      endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    clients.push(created);
    return created;
  }
  const up = () => dynamoDbChecks(client(ENDPOINT!), tables);
  const down = () => dynamoDbChecks(client('http://127.0.0.1:1'), tables);
  // A table the service needs is missing (not created, or in the wrong region).
  const gone = () => dynamoDbChecks(client(ENDPOINT!), [...tables, `missing-${randomUUID().slice(0, 8)}`]);

  before(async () => {
    for (const table of tables) {
      await client(ENDPOINT!).send(
        new CreateTableCommand({
          TableName: table,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        }),
      );
    }
  });

  after(async () => {
    for (const table of tables) await clients[0].send(new DeleteTableCommand({ TableName: table }));
    clients.forEach(created => created.destroy());
  });
{% endif %}

  it('answers 200 when the datastore answers', async () => {
    const { server, baseUrl } = await start(up());
    try {
      const response = await fetch(`${baseUrl}/healthz/deep`);
      const body = (await response.json()) as DeepAnswer;
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.status, 'ok');
      assert.ok(body.checks.length > 0 && body.checks.every(check => check.healthy));
    } finally {
      await stop(server);
    }
  });

  it('answers 503 with the reason when the datastore is unreachable, while liveness and readiness stay 200', async () => {
    const { server, baseUrl } = await start(down());
    try {
      const response = await fetch(`${baseUrl}/healthz/deep`);
      assert.equal(response.status, 503);
      const body = (await response.json()) as DeepAnswer;
      assert.equal(body.status, 'unavailable');
      assert.ok(body.checks.some(check => !check.healthy && check.reason));
      assert.equal((await fetch(`${baseUrl}/livez`)).status, 200);
      assert.equal((await fetch(`${baseUrl}/readyz`)).status, 200);
    } finally {
      await stop(server);
    }
  });

  it('answers 503 when part of the datastore is missing', async () => {
    const { server, baseUrl } = await start(gone());
    try {
      assert.equal((await fetch(`${baseUrl}/healthz/deep`)).status, 503);
    } finally {
      await stop(server);
    }
  });

  it('answers 503 without a datastore check configured', async () => {
    const { server, baseUrl } = await start([]);
    try {
      assert.equal((await fetch(`${baseUrl}/healthz/deep`)).status, 503);
    } finally {
      await stop(server);
    }
  });
});
