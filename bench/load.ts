/* eslint-disable no-console */
/**
 * Requests per second and p50 / p95 / p99 of the cost, SLO and DR read APIs with 1,000 products
 * and 2,000 services, against one backend replica and then two (one PostgreSQL, one Redis),
 * driven by autocannon over loopback for a bounded time per route. The stores are filled first
 * through the plugins' own code (a cost refresh and a DR scan against the loopback AWS endpoint,
 * an SLO evaluation against a stub Prometheus); the replicas' catalog holds the same services.
 *
 *   yarn bench:load
 *     BENCH_DURATION_S=10  BENCH_CONNECTIONS=10  BENCH_SLO_DAYS=7 (days of SLO snapshots)
 *     PORTAL_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432  PORTAL_TEST_REDIS_URL=redis://127.0.0.1:6379
 */
import {
  DemoEstate,
  LOCAL_CREDENTIALS,
  startAwsLocal,
} from '@internal/aws-local';
import autocannon from 'autocannon';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { fillCostStore } from './cost-data';
import { fillDrStore } from './dr-data';
import { benchEstate, fillSloStore, writeSloDefinitions } from './slo-data';
import {
  BackendReplica,
  ClusterDatabases,
  ClusterOptions,
  guestToken,
  startPrometheusStub,
} from '../packages/backend/src/__testUtils__/replicas';

const PRODUCTS = 1000;
const SERVICES = 2000;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SLO_DAYS = Number(process.env.BENCH_SLO_DAYS ?? 7);
const POSTGRES_URL =
  process.env.PORTAL_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.PORTAL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TARGET_P95_MS = 100;
const REPO = path.resolve(__dirname, '..');
const quiet = {
  info() {},
  warn: console.warn,
  error: console.error,
  debug() {},
  child: () => quiet,
} as any;

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await fn();
  console.log(`  ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** The synthetic products and services as catalog entities, plus one OpenSLO file with an SLO per service. */
function writeCatalog(
  estate: DemoEstate,
  dir: string,
  demoServices: Set<string>,
) {
  const docs: object[] = [];
  const teams = new Set<string>();
  const products = new Map<string, string>();
  for (const service of estate.services.filter(
    s => !demoServices.has(s.name),
  )) {
    teams.add(service.team);
    products.set(service.product, service.team);
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: service.name,
        annotations: {
          'payments-platform/dr-tier': service.tier,
          'payments-platform/slo-definitions': './slos.yaml',
          ...(service.publicHostname
            ? { 'payments-platform/public-hostname': service.publicHostname }
            : {}),
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: service.team,
        system: service.product,
      },
    });
  }
  for (const [product, owner] of products)
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: product },
      spec: { owner },
    });
  for (const team of teams)
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: team },
      spec: { type: 'team', children: [] },
    });
  fs.writeFileSync(
    path.join(dir, 'catalog.yaml'),
    docs.map(d => yaml.stringify(d)).join('---\n'),
  );

  writeSloDefinitions(estate.services, dir);
  return {
    entities: docs.length,
    components: estate.services.length - demoServices.size,
  };
}

interface Measurement {
  route: string;
  replicas: number;
  /** Median of 5 requests one at a time: the route's own cost, without queueing. */
  aloneMs?: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  failed: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[
        Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
      ];
}

/** autocannon against `urls` (connections spread round-robin over them) for DURATION_S. */
async function load(
  route: string,
  urls: string[],
  token: string,
): Promise<Measurement> {
  const latencies: number[] = [];
  let failed = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        // Several URLs: autocannon gives connection i the URL i mod n.
        url: urls.map(u => `${u}${route}`) as unknown as string,
        connections: CONNECTIONS,
        duration: DURATION_S,
        // As a browser asks: the organisation-wide pages are large JSON (the DR scorecard 3.9 MB at
        // 2,000 services) that the portal sends gzipped to anyone who accepts it.
        headers: {
          authorization: `Bearer ${token}`,
          'accept-encoding': 'gzip',
        },
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else failed += 1;
    });
  });
  failed += result.errors + result.timeouts;
  latencies.sort((a, b) => a - b);
  return {
    route,
    replicas: urls.length,
    requestsPerSecond: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    failed,
  };
}

async function fillStores(
  estate: DemoEstate,
  awsEndpoint: string,
  prometheusUrl: string,
  knexOf: (pluginId: string) => Promise<Knex>,
  dir: string,
) {
  await timed(
    'cost refresh (13 months, then forecast and anomalies)',
    async () =>
      fillCostStore({ knex: await knexOf('cost'), awsEndpoint, logger: quiet }),
  );

  // The DR scan as the portal runs it: app-config.yaml's accounts, regions and environments.
  const { scan } = await timed('DR scan', async () =>
    fillDrStore({
      estate,
      knex: await knexOf('dr-readiness'),
      awsEndpoint,
      logger: quiet,
    }),
  );

  // The SLO evaluation over one SLO per service; its first run reconstructs SLO_DAYS of daily snapshots.
  const { evaluation } = await timed(
    `SLO evaluation (with ${SLO_DAYS} days of snapshots)`,
    async () =>
      fillSloStore({
        estate,
        dir,
        prometheusUrl,
        knex: await knexOf('slo'),
        days: SLO_DAYS,
        logger: quiet,
      }),
  );
  return { scan, evaluation };
}

async function main() {
  const base = DemoEstate.load({});
  const estate = benchEstate(PRODUCTS, SERVICES);
  console.log(
    `Estate: ${estate.products.length} products, ${estate.services.length} services`,
  );

  const runId = `bench_load_${Date.now().toString(36)}_`;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
  const aws = await startAwsLocal({ estate });
  const prometheus = await startPrometheusStub();
  const db = new ClusterDatabases(POSTGRES_URL, runId);
  const knexes: Knex[] = [];
  const replicas: BackendReplica[] = [];
  try {
    const catalog = writeCatalog(
      estate,
      workDir,
      new Set(base.services.map(s => s.name)),
    );
    console.log('Filling the stores through the plugins (PostgreSQL):');
    const knexOf = async (pluginId: string) => {
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${await db.create(pluginId)}`;
      const knex = knexFactory({ client: 'pg', connection: url.toString() });
      knexes.push(knex);
      return knex;
    };
    const filled = await fillStores(
      estate,
      aws.endpoint,
      prometheus.url,
      knexOf,
      workDir,
    );
    console.log(
      `  stored: DR scan of ${filled.scan.servicesScanned} services (${filled.scan.resourcesScanned} resources), ${filled.evaluation.slos} SLOs`,
    );
    await Promise.all(knexes.map(k => k.destroy()));

    const never = { initialDelaySeconds: 3600 };
    const cluster: ClusterOptions = {
      postgresUrl: POSTGRES_URL,
      redisUrl: REDIS_URL,
      databasePrefix: runId,
      workDir,
      env: {
        AWS_ENDPOINT_URL: aws.endpoint,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_REGION: 'eu-west-2',
      },
      config: {
        catalog: {
          // Configured locations may bring what registrations may not (app-config.yaml).
          locations: [
            path.join(REPO, 'catalog/all.yaml'),
            path.join(workDir, 'catalog.yaml'),
          ].map(target => ({
            type: 'file',
            target,
            rules: [
              { allow: ['Location', 'Domain', 'System', 'Group', 'User'] },
            ],
          })),
        },
        // The stores are filled: no job runs while the load is on.
        cost: { schedule: never },
        drReadiness: { schedule: never },
        slo: { prometheus: { baseUrl: prometheus.url }, schedule: never },
      },
    };
    await timed('two replicas started', async () => {
      replicas.push(
        ...(await Promise.all([
          BackendReplica.start(cluster, 'a'),
          BackendReplica.start(cluster, 'b'),
        ])),
      );
    });
    const [a, b] = replicas;
    const token = await guestToken(a.url);
    const get = async (replica: BackendReplica, route: string) => {
      const response = await fetch(`${replica.url}${route}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok)
        throw new Error(
          `GET ${route} on replica ${replica.name}: ${
            response.status
          } ${await response.text()}`,
        );
      return response.json();
    };
    await timed(
      `catalog ingestion (${catalog.entities} synthetic entities)`,
      async () => {
        for (;;) {
          const { rows } = await get(a, '/api/dr-readiness/scorecard');
          if (rows.length >= estate.services.length) return;
          await new Promise(resolve => setTimeout(resolve, 2000));
        }
      },
    );

    const product = 'product-0500';
    const service = `${product}-svc-1`;
    const routes = [
      '/api/cost/overview',
      `/api/cost/products/${product}`,
      '/api/slo/overview',
      '/api/slo/reviews/current',
      '/api/dr-readiness/scorecard',
      `/api/dr-readiness/services/default/${service}`,
    ];
    for (const route of routes)
      for (const replica of replicas) await get(replica, route); // warm-up

    const results: Measurement[] = [];
    for (const route of routes) {
      const alone: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await get(a, route);
        alone.push(performance.now() - started);
      }
      results.push({
        ...(await load(route, [a.url], token)),
        aloneMs: alone.sort((x, y) => x - y)[2],
      });
      results.push(await load(route, [a.url, b.url], token));
      const [one, two] = results.slice(-2);
      console.log(
        `  ${route}: ${one.requestsPerSecond.toFixed(
          0,
        )} -> ${two.requestsPerSecond.toFixed(0)} req/s`,
      );
    }

    console.log(
      `\nRead APIs, ${estate.products.length} products / ${estate.services.length} services, PostgreSQL + Redis, ` +
        `autocannon ${CONNECTIONS} connections x ${DURATION_S} s per route (two replicas: connections alternate between them), ${
          os.cpus().length
        } CPU cores`,
    );
    console.table(
      results.map(r => {
        const single = results.find(
          x => x.route === r.route && x.replicas === 1,
        )!;
        return {
          route: r.route.replace(/^\/api/, ''),
          'alone ms': r.aloneMs === undefined ? '' : Math.round(r.aloneMs),
          replicas: r.replicas,
          'req/s': Number(r.requestsPerSecond.toFixed(1)),
          'p50 ms': Math.round(r.p50),
          'p95 ms': Math.round(r.p95),
          'p99 ms': Math.round(r.p99),
          'non-2xx/errors': r.failed,
          [`p95 < ${TARGET_P95_MS} ms`]: r.p95 < TARGET_P95_MS ? 'yes' : 'no',
          'x req/s vs 1':
            r.replicas === 1
              ? ''
              : (r.requestsPerSecond / single.requestsPerSecond).toFixed(2),
        };
      }),
    );
  } finally {
    await Promise.all(replicas.map(r => r.stop('SIGTERM', 30_000)));
    await Promise.all(knexes.map(k => k.destroy().catch(() => undefined)));
    await db.drop();
    await aws.close();
    await prometheus.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
