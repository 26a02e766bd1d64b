import assert from 'node:assert/strict';
import { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { ConsumerConfig } from '../src/config.js';
{% if values.datastore == 'aurora-postgresql' %}
import { loadDatabasePoolSettings } from '../src/datastoreConfig.js';
{% endif %}
import { DEFAULT_HTTP_TIMEOUTS } from '../src/runtime.js';
import { Consumer } from '../src/consumer.js';
import { handlePaymentEvent } from '../src/handler.js';
import { InMemoryProcessedStore } from '../src/idempotency.js';
import { createJsonLogger } from '../src/logger.js';
import { InMemoryMessageSource, Message } from '../src/messages.js';
import { MESSAGES_PROCESSED_TOTAL, MESSAGE_PROCESSING_DURATION_SECONDS, createConsumerMetrics } from '../src/metrics.js';
import { createOpsServer } from '../src/server.js';

const SERVICE = '${{ values.name }}';
const MAX_ATTEMPTS = 3;

function testConfig(): ConsumerConfig {
  return {
    serviceName: SERVICE,
    port: 0,
    shutdownDelayMs: 0,
    shutdownTimeoutMs: 5000,
    track: 'stable',
    http: DEFAULT_HTTP_TIMEOUTS,
    healthCheckTimeoutMs: 1000,
    maxAttempts: MAX_ATTEMPTS,
    retryBaseDelayMs: 0,
{% if values.source == 'sqs' %}
    source: {
      kind: 'sqs',
      queueUrl: 'https://sqs.${{ values.primaryRegion }}.amazonaws.com/123456789012/${{ values.name }}',
      dlqUrl: 'https://sqs.${{ values.primaryRegion }}.amazonaws.com/123456789012/${{ values.name }}-dlq',
      waitTimeSeconds: 20,
    },
{% else %}
    source: { kind: 'msk', brokers: ['b-1.payments.kafka.${{ values.primaryRegion }}.amazonaws.com:9098'], topic: 'payments.events', dlqTopic: '${{ values.name }}.dlq', groupId: SERVICE, auth: 'iam', region: '${{ values.primaryRegion }}' },
{% endif %}
{% if values.datastore == 'aurora-postgresql' %}
    datastore: { kind: 'aurora-postgresql', host: 'db.internal', port: 5432, database: 'consumer', user: 'consumer_app', caFile: '/etc/ssl/certs/rds-global-bundle.pem', pool: loadDatabasePoolSettings({}) },
{% else %}
    datastore: { kind: 'dynamodb', tableName: '${{ values.name }}', region: '${{ values.primaryRegion }}' },
{% endif %}
  };
}

function event(id: string, key: string, body: unknown): Message {
  return { id, key, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

const payment = { type: 'payment.settled', paymentId: 'pay_1', amount: 1250, currency: 'GBP' };

function setup(handler = handlePaymentEvent) {
  const source = new InMemoryMessageSource();
  const metrics = createConsumerMetrics(SERVICE);
  const logLines: string[] = [];
  const consumer = new Consumer({
    serviceName: SERVICE,
    source,
    store: new InMemoryProcessedStore(),
    handler,
    metrics,
    logger: createJsonLogger(SERVICE, line => logLines.push(line)),
    maxAttempts: MAX_ATTEMPTS,
    retryBaseDelayMs: 0,
  });
  return { source, metrics, consumer, logLines };
}

describe('${{ values.name }} consumer', () => {
  it('processes a duplicated message once (same idempotency key)', async () => {
    let calls = 0;
    const { source, consumer } = setup(async message => {
      await handlePaymentEvent(message);
      calls += 1;
    });
    source.push(event('m-1', 'idem-pay_1', payment), event('m-2', 'idem-pay_1', payment), event('m-3', 'idem-pay_2', { ...payment, paymentId: 'pay_2' }));
    while (source.remaining > 0) await consumer.pollOnce();
    assert.equal(calls, 2);
    assert.deepEqual(source.acked.map(m => m.id), ['m-1', 'm-2', 'm-3']);
    assert.equal(source.deadLettered.length, 0);
  });

  it(`sends a poison message to the dead-letter ${{ 'queue' if values.source == 'sqs' else 'topic' }} after ${MAX_ATTEMPTS} attempts`, async () => {
    let calls = 0;
    const { source, consumer } = setup(async message => {
      calls += 1;
      await handlePaymentEvent(message);
    });
    source.push(event('poison', 'idem-poison', 'not json'), event('good', 'idem-good', payment));
    while (source.remaining > 0) await consumer.pollOnce();
    assert.equal(calls, MAX_ATTEMPTS + 1);
    assert.equal(source.deadLettered.length, 1);
    assert.equal(source.deadLettered[0].message.id, 'poison');
    assert.equal(source.deadLettered[0].attempts, MAX_ATTEMPTS);
    assert.match(source.deadLettered[0].reason, /JSON/);
    assert.deepEqual(source.acked.map(m => m.id), ['good']);
  });

  it('retries a transient failure without dead-lettering', async () => {
    let calls = 0;
    const { source, consumer } = setup(async () => {
      calls += 1;
      if (calls < MAX_ATTEMPTS) throw new Error('datastore timeout');
    });
    assert.equal(await consumer.handle(event('m-1', 'idem-1', payment)), 'processed');
    assert.equal(source.deadLettered.length, 0);
  });

  it('runs its loop until stopped', async () => {
    const { source, consumer } = setup();
    source.push(event('m-1', 'idem-1', payment));
    consumer.start();
    assert.equal(consumer.healthy, true);
    while (source.acked.length === 0) await new Promise(resolve => setTimeout(resolve, 5));
    await consumer.stop();
    assert.equal(consumer.healthy, false);
  });

  it('exports the metrics the SLOs query, with the service label and the latency buckets', async () => {
    const { source, consumer, metrics } = setup();
    source.push(event('m-1', 'idem-1', payment), event('m-2', 'idem-1', payment), event('m-3', 'idem-3', '{}'));
    while (source.remaining > 0) await consumer.pollOnce();
    const ops = createOpsServer({ config: testConfig(), metrics, consumerHealthy: () => true });
    await new Promise<void>(resolve => ops.server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(ops.server.address() as AddressInfo).port}`;
    try {
      assert.equal((await fetch(`${baseUrl}/healthz`)).status, 200);
      assert.equal((await fetch(`${baseUrl}/readyz`)).status, 200);
      const response = await fetch(`${baseUrl}/metrics`);
      assert.equal(response.status, 200);
      const text = await response.text();
      assert.equal(MESSAGES_PROCESSED_TOTAL, 'messages_processed_total');
      assert.equal(MESSAGE_PROCESSING_DURATION_SECONDS, 'message_processing_duration_seconds');
      for (const outcome of ['processed', 'duplicate', 'error']) {
        assert.match(text, new RegExp(`^messages_processed_total\\{(?=[^}]*outcome="${outcome}")(?=[^}]*service="${SERVICE}")[^}]*\\} 1$`, 'm'));
      }
      // The consumer latency thresholds of payments:slo:defaults: 0.5 s, 2.5 s, 7.5 s.
      for (const le of ['0.5', '2.5', '7.5']) {
        assert.match(text, new RegExp(`^message_processing_duration_seconds_bucket\\{(?=[^}]*le="${le.replace('.', '\\.')}")(?=[^}]*service="${SERVICE}")`, 'm'));
      }
      assert.match(text, /^message_processing_duration_seconds_count\{/m);
      ops.startDraining();
      assert.equal((await fetch(`${baseUrl}/readyz`)).status, 503);
    } finally {
      ops.server.closeAllConnections();
      await new Promise<void>(resolve => ops.server.close(() => resolve()));
    }
  });

  it('exports the age of each message when handled (message_age_seconds, the freshness SLO)', async () => {
    const { source, consumer, metrics } = setup();
    source.push({ ...event('m-1', 'idem-1', payment), sentAt: Date.now() - 45_000 }, event('m-2', 'idem-2', payment));
    while (source.remaining > 0) await consumer.pollOnce();
    const text = await metrics.registry.metrics();
    const bucket = (le: string) => Number(new RegExp(`^message_age_seconds_bucket\\{(?=[^}]*le="${le}")(?=[^}]*service="${SERVICE}")[^}]*\\} (\\d+)$`, 'm').exec(text)?.[1]);
    // The freshness thresholds of payments:slo:defaults (30, 60, 300, 900 s) are buckets; a message without a timestamp has no age.
    assert.equal(bucket('30'), 0);
    assert.equal(bucket('60'), 1);
    assert.equal(bucket('300'), 1);
    assert.equal(bucket('900'), 1);
    assert.match(text, /^message_age_seconds_count\{[^}]*\} 1$/m);
  });

  it('is alive but not ready without its settings', async () => {
    const config = testConfig();
{% if values.source == 'sqs' %}
    config.source = { kind: 'sqs', waitTimeSeconds: 20 };
{% else %}
    config.source = { kind: 'msk', brokers: [], groupId: SERVICE, auth: 'iam', region: '${{ values.primaryRegion }}' };
{% endif %}
    const ops = createOpsServer({ config, metrics: createConsumerMetrics(SERVICE), consumerHealthy: () => true });
    await new Promise<void>(resolve => ops.server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(ops.server.address() as AddressInfo).port}`;
    try {
      assert.equal((await fetch(`${baseUrl}/healthz`)).status, 200);
      const response = await fetch(`${baseUrl}/readyz`);
      assert.equal(response.status, 503);
      assert.ok(((await response.json()) as { missing: string[] }).missing.length > 0);
    } finally {
      ops.server.closeAllConnections();
      await new Promise<void>(resolve => ops.server.close(() => resolve()));
    }
  });
});
