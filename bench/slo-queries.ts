/* eslint-disable no-console */
/**
 * PromQL queries per SLO evaluation and per dashboard load, for 10, 100 and 500 SLOs against a
 * real Prometheus (packages/prometheus-local; needs the prometheus binary).
 *
 *   yarn bench:slo            (BENCH_SLOS=10,100,500 by default)
 */
import {
  DEMO_SERVICES,
  startPrometheusLocal,
} from '@internal/prometheus-local';
import knexFactory from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SloStore } from '@internal/slo-backend/src/database/SloStore';
import { SloService } from '@internal/slo-backend/src/service/SloService';
import { PrometheusSource } from '@internal/slo-backend/src/sources/PrometheusSource';

const SIZES = (process.env.BENCH_SLOS ?? '10,100,500').split(',').map(Number);
const quiet = {
  info() {},
  warn: console.warn,
  error: console.error,
  debug() {},
  child: () => quiet,
} as any;

/** n availability SLOs over the demo services' traffic, one Component each. */
function definitions(n: number, dir: string) {
  const docs: string[] = [];
  const items: object[] = [];
  for (let i = 0; i < n; i++) {
    const service = DEMO_SERVICES[i % DEMO_SERVICES.length].name;
    const component = `bench-service-${i}`;
    docs.push(`apiVersion: openslo/v1
kind: SLO
metadata:
  name: bench-availability-${i}
spec:
  service: ${component}
  indicator:
    metadata:
      name: bench-availability-${i}-sli
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: 'sum(increase(http_server_requests_total{service="${service}",code!~"5.."}[{{.window}}]))'
        total:
          metricSource:
            type: Prometheus
            spec:
              query: 'sum(increase(http_server_requests_total{service="${service}"}[{{.window}}]))'
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - targetPercent: 99.9
`);
    items.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: component,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${dir}/catalog-info.yaml`,
          'payments-platform/slo-definitions': './slos.yaml',
        },
      },
      spec: {
        type: 'service',
        owner: 'bench-team',
        system: `bench-product-${i % 10}`,
      },
    });
  }
  fs.writeFileSync(path.join(dir, 'slos.yaml'), docs.join('---\n'));
  return items;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = Date.now();
  const result = await fn();
  return [result, Date.now() - start];
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-prometheus-'));
  const prometheus = await startPrometheusLocal({ dataDir, days: 3 });
  const rows: Array<Record<string, string | number>> = [];
  try {
    for (const n of SIZES) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-slos-'));
      const items = definitions(n, dir);
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: ':memory:' },
        useNullAsDefault: true,
      });
      const source = new PrometheusSource(prometheus.url, {
        timeoutMs: 30_000,
        concurrency: 8,
      });
      const service = new SloService({
        catalog: { getEntities: async () => ({ items }) } as any,
        auth: { getOwnServiceCredentials: async () => ({}) } as any,
        urlReader: {} as any,
        store: await SloStore.fromKnex(knex),
        prometheus: source,
        logger: quiet,
        backfillDays: 0,
      });
      const [evaluation, evaluateMs] = await timed(() => service.evaluateAll());
      const before = source.queries;
      const [, overviewMs] = await timed(() => service.overview());
      const [, reviewMs] = await timed(() => service.review('current'));
      const dashboardQueries = source.queries - before;
      const gateBefore = source.queries;
      const [, gateMs] = await timed(() =>
        service.gate('component:default/bench-service-0'),
      );
      rows.push({
        SLOs: n,
        'queries per evaluation': evaluation.queries,
        'per SLO': (evaluation.queries / n).toFixed(1),
        'evaluation s': (evaluateMs / 1000).toFixed(1),
        'queries per dashboard load': dashboardQueries,
        'overview ms': overviewMs,
        'review ms': reviewMs,
        'queries per gate call': source.queries - gateBefore,
        'gate ms': gateMs,
      });
      await knex.destroy();
      fs.rmSync(dir, { recursive: true });
    }
  } finally {
    await prometheus.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.table(rows);
  const [a, b] = [rows[0], rows[rows.length - 1]];
  console.log(
    `SLOs x${Number(b.SLOs) / Number(a.SLOs)} -> queries per evaluation x${(
      Number(b['queries per evaluation']) / Number(a['queries per evaluation'])
    ).toFixed(1)}; ` +
      `dashboard loads made ${rows.reduce(
        (s, r) => s + Number(r['queries per dashboard load']),
        0,
      )} PromQL queries at every size`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
