import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { SpanKind, SpanStatusCode, context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import { ServiceConfig, missingSettings } from './config.js';
import { Logger } from './logger.js';
import { HttpMetrics } from './metrics.js';
import { PaymentIntake } from './payments.js';
import { DeepCheck, createTimedServer, runDeepHealth } from './runtime.js';

const MAX_BODY_BYTES = 64 * 1024;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_:.-]{8,255}$/;

export interface ServiceDependencies {
  config: ServiceConfig;
  logger: Logger;
  metrics: HttpMetrics;
  intake: PaymentIntake;
  /** What /healthz/deep asks: the datastore (SELECT 1, DescribeTable on the service's tables). */
  deepChecks?: DeepCheck[];
}

export interface PaymentServer {
  server: Server;
  /** Readiness answers 503 from now on, so the load balancer drains the pod before it stops. */
  startDraining(): void;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Already-serialised text bodies (metrics). */
  text?: string;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Route templates, so metric labels stay bounded whatever paths clients send. */
const OPERATIONS_ROUTES = new Set(['/livez', '/healthz', '/healthz/deep', '/readyz', '/metrics']);

function routeOf(path: string): string {
  if (OPERATIONS_ROUTES.has(path)) return path;
  if (path === '/payments') return '/payments';
  return 'unmatched';
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

export function createPaymentServer(deps: ServiceDependencies): PaymentServer {
  const { config, logger, metrics, intake, deepChecks = [] } = deps;
  const tracer = trace.getTracer(config.serviceName);
  let draining = false;

  async function handle(req: IncomingMessage, method: string, route: string): Promise<Answer> {
    switch (route) {
      // Liveness: the process answers. /healthz is its older name.
      case '/livez':
      case '/healthz':
        return { status: 200, body: { status: 'ok' } };
      // The datastore answers within HEALTH_CHECK_TIMEOUT_MS: what the Route 53 health checks fail over on.
      case '/healthz/deep': {
        const health = await runDeepHealth(deepChecks, config.healthCheckTimeoutMs);
        if (!health.healthy) logger.log('warn', 'deep health check failed', { failures: health.details });
        return { status: health.healthy ? 200 : 503, body: { status: health.healthy ? 'ok' : 'unavailable', checks: health.checks } };
      }
      case '/readyz': {
        if (draining) return { status: 503, body: { status: 'draining' } };
        const missing = missingSettings(config);
        return missing.length === 0
          ? { status: 200, body: { status: 'ready', datastore: config.datastore.kind } }
          : { status: 503, body: { status: 'not-ready', missing } };
      }
      case '/metrics':
        return { status: 200, text: await metrics.registry.metrics(), headers: { 'content-type': metrics.registry.contentType } };
      case '/payments': {
        if (method !== 'POST') return { status: 405, body: { error: 'use POST' }, headers: { allow: 'POST' } };
        const key = req.headers['idempotency-key'];
        if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
          return { status: 400, body: { error: 'an Idempotency-Key header of 8 to 255 characters [A-Za-z0-9_:.-] is required' } };
        }
        const outcome = await intake.accept(key, await readJson(req));
        switch (outcome.kind) {
          case 'invalid':
            return { status: 422, body: { error: 'invalid payment', problems: outcome.problems } };
          case 'key-reused':
            return { status: 422, body: { error: 'this Idempotency-Key was already used with a different request' } };
          case 'accepted':
            return {
              status: 202,
              body: outcome.payment,
              headers: { location: `/payments/${outcome.payment.id}`, ...(outcome.replayed ? { 'idempotent-replayed': 'true' } : {}) },
            };
        }
      }
    }
    return { status: 404, body: { error: 'not found' } };
  }

  function send(res: ServerResponse, answer: Answer): void {
    const headers: Record<string, string> = { ...answer.headers };
    let payload = answer.text ?? '';
    if (answer.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(answer.body);
    }
    res.writeHead(answer.status, headers);
    res.end(payload);
  }

  const server = createTimedServer((req, res) => {
    const started = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routeOf(path);
    const parent = propagation.extract(context.active(), req.headers);
    tracer.startActiveSpan(
      `${method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route, 'url.path': path } },
      parent,
      async span => {
        let answer: Answer;
        try {
          answer = await handle(req, method, route);
        } catch (error) {
          if (error instanceof HttpError) {
            answer = { status: error.status, body: { error: error.message } };
          } else {
            span.recordException(error as Error);
            logger.log('error', 'request failed', { route, method, error: (error as Error).message });
            answer = { status: 500, body: { error: 'internal error' } };
          }
        }
        send(res, answer);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.observe(route, method, answer.status, seconds);
        span.setAttribute('http.response.status_code', answer.status);
        if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        const spanContext = span.spanContext();
        span.end();
        // Probes and scrapes every few seconds would drown the log; they are in the metrics.
        if (OPERATIONS_ROUTES.has(route)) return;
        logger.log(answer.status >= 500 ? 'error' : 'info', 'request', {
          method,
          route,
          path,
          status: answer.status,
          durationMs: Math.round(seconds * 1e6) / 1e3,
          traceId: isSpanContextValid(spanContext) ? spanContext.traceId : traceIdFromHeader(req.headers.traceparent),
          spanId: isSpanContextValid(spanContext) ? spanContext.spanId : undefined,
        });
      },
    );
  }, config.http);

  return {
    server,
    startDraining() {
      draining = true;
    },
  };
}

/** The trace id of a W3C traceparent header, for logs when no OpenTelemetry SDK is installed. */
function traceIdFromHeader(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(value) : null;
  return match ? match[1] : undefined;
}
