/* eslint-disable no-console */
/**
 * PromQL queries per SLO evaluation and per dashboard load, for 10, 100 and 500 SLOs against a
 * real Prometheus (packages/prometheus-local; needs the prometheus binary); then the evaluation
 * from recording rules (slo.evaluation.source: recordingRules) at 500 and 5,000 SLOs, their rules
 * (GET /api/slo/rules' generator) loaded into a Prometheus of their own and evaluated by it.
 *
 *   yarn bench:slo            (BENCH_SLOS=10,100,500 and BENCH_RULE_SLOS=500,5000 by default;
 *                              BENCH_RULE_SLOS= skips the recording rules)
 */
import {
  DEMO_SERVICES,
  RemoteWriteSeries,
  remoteWrite,
  startPrometheusLocal,
} from '@internal/prometheus-local';
import knexFactory from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SloStore } from '@internal/slo-backend/src/database/SloStore';
import { SloService } from '@internal/slo-backend/src/service/SloService';
import { PrometheusSource } from '@internal/slo-backend/src/sources/PrometheusSource';
import { parseOpenSlo, prometheusRules } from '@internal/slo-node';

const SIZES = (process.env.BENCH_SLOS ?? '10,100,500').split(',').map(Number);
const RULE_SIZES = (process.env.BENCH_RULE_SLOS ?? '500,5000')
  .split(',')
  .filter(Boolean)
  .map(Number);
/**
 * Up to this many SLOs Prometheus runs their rules itself; beyond, a 2-core Prometheus cannot run
 * ~24 rules per SLO a minute (120,000 at 5,000 SLOs), so the rules are loaded but not run during
 * the bench and their event series are written by remote write, each value the rule's own
 * expression evaluated once (the bench SLOs share 11 services' queries).
 */
const LIVE_RULES_MAX = Number(process.env.BENCH_LIVE_RULES_MAX ?? 500);
/** What the issue asks of an evaluation from recording rules at 5,000 SLOs. */
const TARGET = { queries: 20, seconds: 5 };
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

async function sloService(
  items: object[],
  knex: ReturnType<typeof knexFactory>,
  source: PrometheusSource,
  evaluation: 'raw' | 'recordingRules',
) {
  return new SloService({
    catalog: { getEntities: async () => ({ items }) } as any,
    auth: { getOwnServiceCredentials: async () => ({}) } as any,
    urlReader: {} as any,
    store: await SloStore.fromKnex(knex),
    prometheus: source,
    logger: quiet,
    backfillDays: 0,
    evaluation: { source: evaluation, staleAfterSeconds: 180 },
  });
}

/** Until Prometheus has evaluated every rule group once since `since` (its own rule runs, no backfill). */
async function rulesEvaluated(url: string, since: number) {
  for (;;) {
    const response = await fetch(`${url}/api/v1/rules?type=record`);
    const body = (await response.json()) as any;
    const groups: any[] = body.data?.groups ?? [];
    const done = groups.filter(g =>
      g.rules.every((r: any) => Date.parse(r.lastEvaluation) >= since),
    );
    if (groups.length > 0 && done.length === groups.length)
      return {
        groups: groups.length,
        rules: groups.reduce((n, g) => n + g.rules.length, 0),
      };
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

/**
 * The event series the rules would write now, by remote write: each distinct expression queried
 * once, its value written under every rule that has it (with the rule's labels).
 */
async function writeRecordedSeries(
  url: string,
  groups: ReturnType<typeof prometheusRules>[],
) {
  const at = Date.now();
  const rules = groups.flatMap(g =>
    g.rules.flatMap(r =>
      'record' in r &&
      (r.record.startsWith('slo:sli_events') ||
        r.record === 'slo:sli_rules:info')
        ? [r]
        : [],
    ),
  );
  const values = new Map<string, number | undefined>();
  for (const expr of new Set(rules.map(r => r.expr))) {
    const params = new URLSearchParams({
      query: expr,
      time: String(at / 1000),
    });
    const body = (await (
      await fetch(`${url}/api/v1/query?${params}`)
    ).json()) as any;
    const value = body.data?.result?.[0]?.value?.[1];
    values.set(expr, value === undefined ? undefined : Number(value));
  }
  const series: RemoteWriteSeries[] = rules.flatMap(r => {
    const value = values.get(r.expr);
    return value === undefined
      ? []
      : [
          {
            labels: { __name__: r.record, ...r.labels },
            samples: [{ value, timestampMs: at }],
          },
        ];
  });
  for (let i = 0; i < series.length; i += 10_000)
    await remoteWrite(url, series.slice(i, i + 10_000));
  return {
    groups: groups.length,
    rules: groups.reduce((k, g) => k + g.rules.length, 0),
  };
}

/** Prometheus' own CPU seconds so far (process_cpu_seconds_total). */
async function cpuSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^process_cpu_seconds_total (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/** The same SLOs evaluated from their recording rules, loaded into a Prometheus of their own. */
async function recordingRuleRows(rawPerSlo: number | undefined) {
  const rows: Array<Record<string, string | number>> = [];
  for (const n of RULE_SIZES) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-slos-'));
    const items = definitions(n, dir);
    const { slos } = parseOpenSlo(
      fs.readFileSync(path.join(dir, 'slos.yaml'), 'utf8'),
      'slos.yaml',
    );
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rules-'));
    const started = Date.now();
    const live = n <= LIVE_RULES_MAX;
    const groups = slos
      .map(prometheusRules)
      .map(g => (live ? g : { ...g, interval: '24h' }));
    const prometheus = await startPrometheusLocal({
      dataDir,
      days: 3,
      rules: groups,
    });
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
      const cpuBefore = await cpuSeconds(prometheus.url);
      const loaded = live
        ? await rulesEvaluated(prometheus.url, started)
        : await writeRecordedSeries(prometheus.url, groups);
      const firstRoundS = (Date.now() - started) / 1000;
      const roundCpu = (await cpuSeconds(prometheus.url)) - cpuBefore;
      const source = new PrometheusSource(prometheus.url, {
        timeoutMs: 60_000,
        concurrency: 8,
      });
      const service = await sloService(items, knex, source, 'recordingRules');
      // The first evaluation parses every OpenSLO file; the later ones (every 5 minutes) do not.
      const [, firstMs] = await timed(() => service.evaluateAll());
      const [evaluation, evaluateMs] = await timed(() => service.evaluateAll());
      const rawEstimate = rawPerSlo ? Math.round(rawPerSlo * n) : undefined;
      rows.push({
        SLOs: n,
        'queries per evaluation': evaluation.queries,
        'recorded / raw SLOs': `${evaluation.paths?.recorded} / ${evaluation.paths?.raw}`,
        'first evaluation s': (firstMs / 1000).toFixed(1),
        'evaluation s': (evaluateMs / 1000).toFixed(1),
        'raw queries (per-SLO x n)': rawEstimate ?? '-',
        'queries vs raw': rawEstimate
          ? `1/${Math.round(rawEstimate / evaluation.queries)}`
          : '-',
        'rules loaded': loaded.rules,
        'series from': live ? "Prometheus' rules" : 'remote write',
        'Prometheus CPU s, first rule round': live ? roundCpu.toFixed(1) : '-',
        'start to series s': firstRoundS.toFixed(1),
        target:
          evaluation.queries <= TARGET.queries &&
          evaluateMs < TARGET.seconds * 1000
            ? 'met'
            : `missed (<= ${TARGET.queries} queries, < ${TARGET.seconds} s)`,
      });
    } finally {
      await knex.destroy();
      await prometheus.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true });
    }
  }
  return rows;
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
      const service = await sloService(items, knex, source, 'raw');
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
  rawPerSloMeasured = Number(b['queries per evaluation']) / Number(b.SLOs);
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

async function all() {
  await main();
  if (RULE_SIZES.length === 0) return;
  const rows = await recordingRuleRows(rawPerSloMeasured);
  console.log(
    '\nEvaluation from recording rules (slo.evaluation.source: recordingRules):',
  );
  console.table(rows);
  if (rows.length > 1) {
    const [a, b] = [rows[0], rows[rows.length - 1]];
    console.log(
      `SLOs x${Number(b.SLOs) / Number(a.SLOs)} -> queries per evaluation x${(
        Number(b['queries per evaluation']) /
        Number(a['queries per evaluation'])
      ).toFixed(1)}, evaluation time x${(
        Number(b['evaluation s']) / Number(a['evaluation s'])
      ).toFixed(1)}`,
    );
  }
}

let rawPerSloMeasured: number | undefined;

all().catch(error => {
  console.error(error);
  process.exit(1);
});
