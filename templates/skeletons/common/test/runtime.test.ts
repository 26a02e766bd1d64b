import assert from 'node:assert/strict';
import { createServer as createTcpServer, Server as TcpServer, Socket, connect } from 'node:net';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ProxyTracerProvider, trace } from '@opentelemetry/api';
{% if values.datastore == 'aurora-postgresql' %}
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
{% else %}
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
{% endif %}
import { awsClientConfig, loadAwsClientSettings } from '../src/aws.js';
import { REDACTED, createJsonLogger, luhnValid, redact, redactText } from '../src/logger.js';
{% if values.source %}
import { createConsumerMetrics as createMetrics } from '../src/metrics.js';
{% else %}
import { createHttpMetrics as createMetrics } from '../src/metrics.js';
{% endif %}
import { createTimedServer, loadHttpTimeouts, loadTrack, runDeepHealth } from '../src/runtime.js';
import { createShutdown, flushTelemetry } from '../src/shutdown.js';

/*
 * The runtime every generated service shares: log redaction, the release track label, the
 * timeouts on the HTTP server and the AWS SDK clients, the deep health check, the shutdown.
 */

describe('log redaction', () => {
  function logged(message: string, fields?: Record<string, unknown>): Record<string, unknown> {
    const lines: string[] = [];
    createJsonLogger('svc', line => lines.push(line)).log('info', message, fields);
    return JSON.parse(lines[0]) as Record<string, unknown>;
  }

  it('masks card numbers that pass the Luhn check, in the message and nested fields, keeping the last four digits', () => {
    const entry = logged('charge 4111 1111 1111 1111 failed', {
      request: { card: { number: '4111-1111-1111-1111' }, lines: [{ note: 'card 5500005555555559 declined' }] },
      pan: 4111111111111111,
    });
    assert.equal(entry.message, 'charge **** **** **** 1111 failed');
    const text = JSON.stringify(entry);
    assert.doesNotMatch(text, /4111[ -]?1111[ -]?1111/);
    assert.doesNotMatch(text, /5500005555/);
    assert.match(text, /\*\*\*\*-\*\*\*\*-\*\*\*\*-1111/);
    assert.match(text, /card \*{12}5559 declined/);
    assert.equal(entry.pan, REDACTED); // `pan` names cardholder data: the whole field goes
    assert.equal(redact(4111111111111111), '************1111');
  });

  it('keeps digit strings that fail the Luhn check or are too short: amounts, order numbers, timestamps', () => {
    assert.equal(luhnValid('4111111111111111'), true);
    assert.equal(luhnValid('4111111111111112'), false);
    assert.equal(redactText('order 4111111111111112 of 12 items, amount 125000'), 'order 4111111111111112 of 12 items, amount 125000');
    assert.equal(redactText('trace 4bf92f3577b34da6a3ce929d0e0e4736'), 'trace 4bf92f3577b34da6a3ce929d0e0e4736');
    // The card number among other digits is still found.
    assert.equal(redactText('4111 1111 1111 1111 2 items'), '**** **** **** 1111 2 items');
    assert.deepEqual(redact({ amount: 1250, merchantId: 'm_1', spanId: '00f067aa0ba902b7', company: 'ACME' }), {
      amount: 1250,
      merchantId: 'm_1',
      spanId: '00f067aa0ba902b7',
      company: 'ACME',
    });
  });

  it('replaces the values of secret-named fields at any depth, and secrets spelled out in text', () => {
    const entry = logged('login', {
      password: 'hunter2',
      headers: { Authorization: 'Bearer eyJhbGciOi', cookie: 'session=abc', 'x-api-key': 'k-123' },
      db: { clientSecret: { nested: 'value' }, accessToken: 't0k3n', cvv: '123' },
      list: [{ dbPassword: 'p' }],
    });
    const text = JSON.stringify(entry);
    for (const secret of ['hunter2', 'eyJhbGciOi', 'session=abc', 'k-123', '"value"', 't0k3n', '"123"', '"p"']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.equal((entry.headers as Record<string, unknown>).Authorization, REDACTED);
    assert.equal(redactText('connect postgresql://app:s3cr3t@db.internal:5432/payments'), `connect postgresql://app:${REDACTED}@db.internal:5432/payments`);
    assert.equal(redactText('retry with password=s3cr3t&user=x'), `retry with password=${REDACTED}&user=x`);
    assert.equal(redactText('header Authorization: Bearer abc.def'), `header Authorization: Bearer ${REDACTED}`);
    const error = redact({ error: new Error('token=abc failed') }) as { error: { message: string } };
    assert.equal(error.error.message, `token=${REDACTED} failed`);
  });
});

describe('release track', () => {
  it('is stable by default, canary when told, and anything else stops the start naming TRACK', async () => {
    assert.equal(loadTrack({}), 'stable');
    assert.equal(loadTrack({ TRACK: 'canary' }), 'canary');
    assert.throws(() => loadTrack({ TRACK: 'blue' }), /TRACK/);
    const canary = await createMetrics('svc', { track: 'canary', defaultMetrics: true }).registry.metrics();
    const series = canary.split('\n').filter(line => line.length > 0 && !line.startsWith('#'));
    assert.ok(series.length > 0);
    for (const line of series) assert.match(line, /track="canary"/);
  });
});

/** A TCP server that accepts connections and never answers: a hung dependency. */
async function blackHole(): Promise<{ server: TcpServer; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createTcpServer(socket => sockets.push(socket));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

describe('timeouts', () => {
  let hole: Awaited<ReturnType<typeof blackHole>>;
  before(async () => {
    hole = await blackHole();
  });
  after(async () => {
    hole.sockets.forEach(socket => socket.destroy());
    await new Promise(resolve => hole.server.close(resolve));
  });

  it('has defaults and refuses settings that are not positive integers, naming the variable', () => {
    assert.deepEqual(loadHttpTimeouts({}), { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 65_000 });
    assert.equal(loadHttpTimeouts({ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '2000' }).requestTimeoutMs, 5000);
    assert.throws(() => loadHttpTimeouts({ HTTP_HEADERS_TIMEOUT_MS: 'soon' }), /HTTP_HEADERS_TIMEOUT_MS/);
    assert.throws(() => loadAwsClientSettings({ AWS_REQUEST_TIMEOUT_MS: '0' }), /AWS_REQUEST_TIMEOUT_MS/);
    assert.deepEqual(loadAwsClientSettings({ AWS_REGION: 'eu-west-2' }), { region: 'eu-west-2', connectTimeoutMs: 3000, requestTimeoutMs: 5000, maxAttempts: 3 });
  });

  it('answers 408 and closes the connection of a client that sends its headers too slowly', async () => {
    const server = createTimedServer((_req, res) => res.end('ok'), { requestTimeoutMs: 1000, headersTimeoutMs: 200, keepAliveTimeoutMs: 5000 });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n'));
        let text = '';
        socket.on('data', chunk => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
        setTimeout(() => reject(new Error('the server kept the slow connection open')), 5000).unref();
      });
      assert.match(answer, /^HTTP\/1\.1 408/);
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    } finally {
      server.close();
    }
  });

  it('fails an AWS SDK call to an endpoint that never answers after the request timeout', async () => {
    const settings = { region: 'eu-west-2', connectTimeoutMs: 200, requestTimeoutMs: 300, maxAttempts: 1 };
    const config = { ...awsClientConfig(settings), endpoint: `http://127.0.0.1:${hole.port}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const started = Date.now();
{% if values.datastore == 'aurora-postgresql' %}
    const client = new SecretsManagerClient(config);
    await assert.rejects(client.send(new GetSecretValueCommand({ SecretId: 'any' })), /timeout|timed out/i);
{% else %}
    const client = new DynamoDBClient(config);
    await assert.rejects(client.send(new DescribeTableCommand({ TableName: 'any' })), /timeout|timed out/i);
{% endif %}
    client.destroy();
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });

  it('reports a dependency that does not answer within the deep health timeout as unhealthy, naming no address', async () => {
    const health = await runDeepHealth(
      [
        { name: 'fast', check: async () => undefined },
        { name: 'hung', check: () => new Promise(() => undefined) },
        { name: 'refused', check: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' })) },
      ],
      100,
    );
    assert.equal(health.healthy, false);
    assert.deepEqual(
      health.checks.map(check => [check.name, check.healthy, check.reason]),
      [['fast', true, undefined], ['hung', false, 'no answer within 100 ms'], ['refused', false, 'failed: ECONNREFUSED']],
    );
    assert.ok(!JSON.stringify(health.checks).includes('10.0.0.1'));
    assert.deepEqual((await runDeepHealth([], 100)).healthy, false);
  });
});

describe('shutdown', () => {
  it('stops taking work, answers the request in flight, then closes the clients, flushes telemetry and exits 0', async () => {
    const events: string[] = [];
    const server = createTimedServer((_req, res) => setTimeout(() => res.end('done'), 200));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const inFlight = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await new Promise(resolve => setTimeout(resolve, 50));
    const exitCode = new Promise<number>(resolve => {
      const shutdown = createShutdown({
        server,
        startDraining: () => events.push('draining'),
        delayMs: 10,
        timeoutMs: 5000,
        logger: createJsonLogger('svc', () => undefined),
        stopWork: async () => void events.push('stop work'),
        closers: [
          { name: 'pool', close: async () => void events.push(`close pool (listening: ${server.listening})`) },
          { name: 'client', close: () => void events.push('close client') },
        ],
        flush: async () => void events.push('flush'),
        exit: code => resolve(code),
      });
      void shutdown('SIGTERM');
      void shutdown('SIGTERM'); // a second signal changes nothing
    });
    assert.equal(await (await inFlight).text(), 'done');
    assert.equal(await exitCode, 0);
    assert.deepEqual(events, ['draining', 'stop work', 'close pool (listening: false)', 'close client', 'flush']);
  });

  it('exits 1 when a step fails, after trying the others', async () => {
    const server = createTimedServer((_req, res) => res.end());
    const events: string[] = [];
    const code = await new Promise<number>(resolve => {
      void createShutdown({
        server,
        startDraining: () => undefined,
        delayMs: 0,
        timeoutMs: 5000,
        logger: createJsonLogger('svc', () => undefined),
        closers: [
          { name: 'pool', close: () => Promise.reject(new Error('already closed')) },
          { name: 'client', close: () => void events.push('client') },
        ],
        flush: async () => void events.push('flush'),
        exit: resolve,
      })('SIGTERM');
    });
    assert.equal(code, 1);
    assert.deepEqual(events, ['client', 'flush']);
  });

  it('flushes and shuts down the OpenTelemetry tracer provider the SDK registered', async () => {
    const calls: string[] = [];
    const sdkProvider = {
      getTracer: (name: string) => new ProxyTracerProvider().getTracer(name),
      forceFlush: async () => void calls.push('forceFlush'),
      shutdown: async () => void calls.push('shutdown'),
    };
    trace.setGlobalTracerProvider(sdkProvider);
    try {
      await flushTelemetry();
    } finally {
      trace.disable();
    }
    assert.deepEqual(calls, ['forceFlush', 'shutdown']);
  });
});
