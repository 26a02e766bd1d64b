/**
 * The SLO data the benchmarks share (bench/load.ts, bench/slo-reads.ts): one availability SLO per
 * service of the scaled demo estate, and the SLO store filled through SloService's own evaluation
 * against a Prometheus (the stub in packages/backend/src/__testUtils__/replicas.ts).
 */
import { DemoEstate } from '@internal/aws-local';
import { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import { SloStore } from '@internal/slo-backend/src/database/SloStore';
import { SloService } from '@internal/slo-backend/src/service/SloService';
import { PrometheusSource } from '@internal/slo-backend/src/sources/PrometheusSource';

/** The demo estate scaled to `products` products and about `services` services. */
export function benchEstate(products: number, services: number): DemoEstate {
  const base = DemoEstate.load({});
  const extraProducts = products - base.products.length;
  const servicesPerProduct = Math.ceil(
    (services - base.services.length) / extraProducts,
  );
  return DemoEstate.load({ scale: { extraProducts, servicesPerProduct } });
}

/** One OpenSLO file with an availability SLO per service, written to `dir`/slos.yaml. */
export function writeSloDefinitions(
  services: Array<{ name: string }>,
  dir: string,
) {
  const slos = services.map(
    s => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${s.name}-availability
spec:
  service: ${s.name}
  indicator:
    metadata:
      name: ${s.name}-availability-sli
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: 'sum(increase(http_server_requests_total{service="${s.name}",code!~"5.."}[{{.window}}]))'
        total:
          metricSource:
            type: Prometheus
            spec:
              query: 'sum(increase(http_server_requests_total{service="${s.name}"}[{{.window}}]))'
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - targetPercent: 99.9
`,
  );
  fs.writeFileSync(path.join(dir, 'slos.yaml'), slos.join('---\n'));
}

/**
 * An SloService over the services' Components (registered from `dir`/catalog.yaml, SLOs in
 * `dir`/slos.yaml, see writeSloDefinitions) and a store on `knex`.
 */
export async function benchSloService(options: {
  estate: DemoEstate;
  dir: string;
  prometheusUrl: string;
  knex: Knex;
  /** Days of daily snapshots the first evaluation reconstructs. */
  days: number;
  logger: any;
}): Promise<SloService> {
  const { estate, dir } = options;
  const items = estate.services.map(s => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: s.name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${dir}/catalog.yaml`,
        'payments-platform/slo-definitions': './slos.yaml',
      },
    },
    spec: { type: 'service', owner: s.team, system: s.product },
  }));
  return new SloService({
    catalog: { getEntities: async () => ({ items }) } as any,
    auth: { getOwnServiceCredentials: async () => ({}) } as any,
    urlReader: {} as any,
    store: await SloStore.fromKnex(options.knex),
    prometheus: new PrometheusSource(options.prometheusUrl, {
      timeoutMs: 30_000,
      concurrency: 8,
    }),
    logger: options.logger,
    backfillDays: options.days,
  });
}

/** Fills the SLO store as the portal does: the first evaluation, which reconstructs `days` of daily snapshots. */
export async function fillSloStore(
  options: Parameters<typeof benchSloService>[0],
) {
  const service = await benchSloService(options);
  const evaluation = await service.evaluateAll();
  return { service, evaluation };
}
