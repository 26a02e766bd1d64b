import assert from 'node:assert/strict';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ServiceConfig } from '../src/config.js';
{% if values.datastore == 'aurora-postgresql' %}
import { loadDatabasePoolSettings } from '../src/datastoreConfig.js';
{% endif %}
import { DEFAULT_HTTP_TIMEOUTS } from '../src/runtime.js';
import { createJsonLogger } from '../src/logger.js';
import { REQUESTS_TOTAL, REQUEST_DURATION_SECONDS, createHttpMetrics } from '../src/metrics.js';
import { InMemoryPaymentStore, PaymentIntake } from '../src/payments.js';
import { PaymentServer, createPaymentServer } from '../src/server.js';

const SERVICE = '${{ values.name }}';

function testConfig(overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    serviceName: SERVICE,
    port: 0,
    shutdownDelayMs: 0,
    shutdownTimeoutMs: 5000,
    track: 'stable',
    http: DEFAULT_HTTP_TIMEOUTS,
    healthCheckTimeoutMs: 1000,
{% if values.datastore == 'aurora-postgresql' %}
    datastore: { kind: 'aurora-postgresql', host: 'db.internal', port: 5432, database: 'payments', user: 'payments_app', caFile: '/etc/ssl/certs/rds-global-bundle.pem', pool: loadDatabasePoolSettings({}) },
{% else %}
    datastore: { kind: 'dynamodb', paymentsTable: '${{ values.name }}-payments', idempotencyTable: '${{ values.name }}-idempotency', {% if values.queue %}outboxTable: '${{ values.name }}-outbox', {% endif %}region: '${{ values.primaryRegion }}' },
{% endif %}
{% if values.queue %}
    queueUrl: 'https://sqs.${{ values.primaryRegion }}.amazonaws.com/123456789012/${{ values.name }}',
{% endif %}
    ...overrides,
  };
}

async function start(config: ServiceConfig, logLines: string[] = []): Promise<{ service: PaymentServer; baseUrl: string }> {
  const service = createPaymentServer({
    config,
    logger: createJsonLogger(config.serviceName, line => logLines.push(line)),
    metrics: createHttpMetrics(config.serviceName),
    intake: new PaymentIntake(new InMemoryPaymentStore()),
  });
  await new Promise<void>(resolve => service.server.listen(0, '127.0.0.1', resolve));
  const { port } = service.server.address() as AddressInfo;
  return { service, baseUrl: `http://127.0.0.1:${port}` };
}

async function stop(service: PaymentServer): Promise<void> {
  service.server.closeAllConnections();
  await new Promise<void>(resolve => service.server.close(() => resolve()));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function readBody(response: Response): Promise<any> {
  return response.json();
}

function pay(baseUrl: string, key: string | undefined, body: unknown): Promise<Response> {
  return fetch(`${baseUrl}/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
}

describe('${{ values.name }}', () => {
  const logLines: string[] = [];
  let service: PaymentServer;
  let baseUrl: string;

  before(async () => {
    ({ service, baseUrl } = await start(testConfig(), logLines));
  });
  after(() => stop(service));

  it('is alive', async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await readBody(response), { status: 'ok' });
  });

  it('is ready when its datastore settings are present', async () => {
    const response = await fetch(`${baseUrl}/readyz`);
    assert.equal(response.status, 200);
    assert.equal((await readBody(response)).datastore, '${{ values.datastore }}');
  });

  it('accepts a payment once per Idempotency-Key and replays the first answer', async () => {
    const body = { merchantId: 'merchant-1', amount: 1250, currency: 'GBP', reference: 'order-42' };
    const first = await pay(baseUrl, 'key-0000000001', body);
    assert.equal(first.status, 202);
    const accepted = await readBody(first);
    assert.equal(accepted.status, 'accepted');
    assert.match(accepted.id, /^pay_/);

    const retry = await pay(baseUrl, 'key-0000000001', body);
    assert.equal(retry.status, 202);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(await readBody(retry), accepted);

    const other = await pay(baseUrl, 'key-0000000002', body);
    assert.notEqual((await readBody(other)).id, accepted.id);
  });

  it('refuses a payment without an Idempotency-Key, with a reused key or with an invalid body', async () => {
    assert.equal((await pay(baseUrl, undefined, { merchantId: 'm', amount: 1, currency: 'GBP' })).status, 400);
    await pay(baseUrl, 'key-0000000003', { merchantId: 'm', amount: 1, currency: 'GBP' });
    assert.equal((await pay(baseUrl, 'key-0000000003', { merchantId: 'm', amount: 2, currency: 'GBP' })).status, 422);
    const invalid = await pay(baseUrl, 'key-0000000004', { merchantId: 'm', amount: 1.5, currency: 'pounds' });
    assert.equal(invalid.status, 422);
    assert.equal((await readBody(invalid)).problems.length, 2);
  });

  it('exposes the metrics the SLOs query, labelled with the service and route', async () => {
    const response = await fetch(`${baseUrl}/metrics`);
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.equal(REQUESTS_TOTAL, 'http_server_requests_total');
    assert.equal(REQUEST_DURATION_SECONDS, 'http_server_request_duration_seconds');
    assert.match(text, new RegExp(`^http_server_requests_total\\{[^}]*service="${SERVICE}"[^}]*\\} \\d+`, 'm'));
    assert.match(text, /^http_server_requests_total\{route="\/payments",method="POST",code="202"[^}]*\} [1-9]/m);
    assert.match(text, /^http_server_requests_total\{[^}]*code="400"/m);
    assert.match(text, /^http_server_request_duration_seconds_bucket\{[^}]*le="0\.25"[^}]*route="\/payments"|^http_server_request_duration_seconds_bucket\{[^}]*route="\/payments"[^}]*le="0\.25"/m);
    assert.match(text, /^http_server_request_duration_seconds_count\{/m);
  });

  it('writes one JSON log line per request with its route and status', () => {
    const requests = logLines.map(line => JSON.parse(line)).filter(entry => entry.message === 'request');
    assert.ok(requests.length >= 4);
    for (const entry of requests) {
      assert.equal(entry.service, SERVICE);
      assert.equal(typeof entry.status, 'number');
      assert.equal(typeof entry.durationMs, 'number');
    }
  });

  it('takes the trace id from a traceparent header when no OpenTelemetry SDK is installed', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${baseUrl}/payments`, { method: 'GET', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const last = JSON.parse(logLines[logLines.length - 1]);
    assert.equal(last.traceId, traceId);
  });

  it('is not ready while draining', async () => {
    const draining = await start(testConfig());
    draining.service.startDraining();
    assert.equal((await fetch(`${draining.baseUrl}/readyz`)).status, 503);
    await stop(draining.service);
  });
});

describe('${{ values.name }} without its datastore settings', () => {
  it('is alive but not ready, and names what is missing', async () => {
{% if values.datastore == 'aurora-postgresql' %}
    const { service, baseUrl } = await start(testConfig({ datastore: { kind: 'aurora-postgresql', port: 5432, pool: loadDatabasePoolSettings({}) } }));
{% else %}
    const { service, baseUrl } = await start(testConfig({ datastore: { kind: 'dynamodb' } }));
{% endif %}
    try {
      assert.equal((await fetch(`${baseUrl}/healthz`)).status, 200);
      const response = await fetch(`${baseUrl}/readyz`);
      assert.equal(response.status, 503);
      assert.ok((await readBody(response)).missing.length > 0);
    } finally {
      await stop(service);
    }
  });
});
