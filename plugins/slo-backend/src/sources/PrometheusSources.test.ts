import { ConfigReader } from '@backstage/config';
import { FixedClock } from '@internal/platform-node';
import {
  PrometheusLocal,
  startPrometheusLocal,
} from '@internal/prometheus-local';
import { parseOpenSlo } from '@internal/slo-node';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { LoadedSlo } from '../service/definitions';
import { evaluateEach } from '../service/evaluate';
import { readPrometheusSources } from './PrometheusSources';
import { rulesByDataSource } from './rulesByDataSource';

/** A Thanos-like query API that answers every query with `value` and records what reached it. */
async function recordingPrometheus(value: string) {
  const seen: Array<{ path: string; headers: http.IncomingHttpHeaders }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://x');
    const data = url.pathname.endsWith('/query_range')
      ? { resultType: 'matrix', result: [] }
      : { resultType: 'vector', result: [{ metric: {}, value: [0, value] }] };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'success', data }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** A ratio SLO of fx-rates-service reading `source` (a metricSource fragment). */
function sloYaml(name: string, source: string) {
  const metric = (query: string) =>
    `{ metricSource: { ${source}, spec: { query: '${query}' } } }`;
  return `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name} }
spec:
  service: fx-rates-service
  indicator:
    metadata: { name: ${name}-sli }
    spec:
      ratioMetric:
        counter: true
        good: ${metric(
          'sum(increase(http_server_requests_total{service="fx-rates-service",code!~"5.."}[{{.window}}]))',
        )}
        total: ${metric(
          'sum(increase(http_server_requests_total{service="fx-rates-service"}[{{.window}}]))',
        )}
  timeWindow: [{ duration: 7d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]
`;
}

const clock = new FixedClock(Date.now());
let prometheus: PrometheusLocal;
let thanos: Awaited<ReturnType<typeof recordingPrometheus>>;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-sources-'));
  prometheus = await startPrometheusLocal({
    dataDir,
    days: 8,
    now: () => clock.now(),
  });
  thanos = await recordingPrometheus('1000');
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
  await thanos?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function loaded(text: string): LoadedSlo[] {
  const { slos, problems } = parseOpenSlo(text, 'fx.yaml');
  expect(problems).toEqual([]);
  return slos.map(definition => ({
    definition,
    yaml: '',
    identity: {
      key: `component:default/fx-rates-service#${definition.name}`,
      name: definition.name,
      entityRef: 'component:default/fx-rates-service',
      source: 'fx.yaml',
    } as LoadedSlo['identity'],
  }));
}

describe('PrometheusSources', () => {
  it('reads each SLI from its DataSource, sending the configured headers, and refuses a URL no config names', async () => {
    const sources = readPrometheusSources(
      new ConfigReader({
        slo: {
          prometheus: { baseUrl: prometheus.url },
          dataSources: {
            thanos: {
              baseUrl: `${thanos.url}/`,
              headers: {
                Authorization: 'Bearer thanos-secret',
                'X-Scope-OrgID': 'payments',
              },
            },
          },
        },
      }),
    )!;
    const text = [
      sloYaml('on-default', 'type: Prometheus'),
      sloYaml('on-thanos', 'metricSourceRef: thanos'),
      // Not a configured name, but its URL is thanos': the configured source (and its headers) is used.
      sloYaml('on-thanos-by-url', 'metricSourceRef: long-term'),
      // Neither name nor URL configured: never queried, "no data" naming the key to add.
      sloYaml('on-metadata-host', 'metricSourceRef: elsewhere'),
      `apiVersion: openslo/v1
kind: DataSource
metadata: { name: long-term }
spec: { type: Prometheus, connectionDetails: { url: '${thanos.url}' } }
`,
      `apiVersion: openslo/v1
kind: DataSource
metadata: { name: elsewhere }
spec: { type: Prometheus, connectionDetails: { url: 'http://169.254.169.254/latest' } }
`,
    ].join('---\n');
    const slos = loaded(text);
    const before = sources.queries;
    const results = await evaluateEach(slos, clock.now(), sources);
    const byName = Object.fromEntries(
      results.map(r => [r.loaded.definition.name, r.evaluation.status]),
    );

    // The default source is the real Prometheus with the demo traffic.
    expect(byName['on-default'].hasData).toBe(true);
    // Thanos answered 1000 good of 1000: all good, over its own numbers, not the demo's.
    expect(byName['on-thanos'].hasData).toBe(true);
    expect(byName['on-thanos-by-url'].hasData).toBe(true);
    expect(thanos.seen.length).toBeGreaterThan(0);
    for (const { headers, path: at } of thanos.seen) {
      expect(at.startsWith('/api/v1/query')).toBe(true);
      expect(headers.authorization).toBe('Bearer thanos-secret');
      expect(headers['x-scope-orgid']).toBe('payments');
    }
    expect(byName['on-metadata-host'].hasData).toBe(false);
    expect(byName['on-metadata-host'].message).toContain(
      "the SLI reads DataSource 'elsewhere' (http://169.254.169.254/latest), which is not configured: add slo.dataSources.elsewhere.baseUrl",
    );
    // Every source's queries count as the evaluation's.
    expect(sources.queries - before).toBeGreaterThan(thanos.seen.length);
  });

  it("queries the windows of the SLO's alert policy, not the default table", async () => {
    const sources = readPrometheusSources(
      new ConfigReader({
        slo: {
          prometheus: { baseUrl: prometheus.url },
          dataSources: { thanos: { baseUrl: thanos.url } },
        },
      }),
    )!;
    const text = `${sloYaml(
      'with-policy',
      'metricSourceRef: thanos',
    )}  alertPolicies:
    - kind: AlertPolicy
      metadata: { name: fx-burn }
      spec:
        conditions:
          - kind: AlertCondition
            metadata: { name: fast }
            spec:
              severity: critical
              condition: { kind: burnrate, op: gte, threshold: 10, lookbackWindow: 2h }
        notificationTargets: [{ targetRef: fx-on-call }]
`;
    thanos.seen.length = 0;
    const [result] = await evaluateEach(loaded(text), clock.now(), sources);
    expect(result.evaluation.status.hasData).toBe(true);
    const queried = thanos.seen.map(s =>
      new URL(s.path, 'http://x').searchParams.get('query'),
    );
    expect(queried.some(q => q?.includes('[2h]'))).toBe(true);
    expect(queried.some(q => q?.includes('[10m]'))).toBe(true);
    // The default table scaled to 7 days would read 14m and 1h24m.
    expect(queried.some(q => q?.includes('[14m]'))).toBe(false);
  });

  it('exports one rule file per data source, each naming the Prometheus to load it into', () => {
    const sources = readPrometheusSources(
      new ConfigReader({
        slo: {
          prometheus: { baseUrl: prometheus.url },
          dataSources: { thanos: { baseUrl: thanos.url } },
        },
      }),
    );
    const text = rulesByDataSource(
      loaded(
        [
          sloYaml('on-thanos', 'metricSourceRef: thanos'),
          sloYaml('on-default', 'type: Prometheus'),
        ].join('---\n'),
      ).map(s => ({ definition: s.definition })),
      sources,
    );
    const files = text.split('---\n');
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(
      new RegExp(
        `^# Data source default: load this rule file into the Prometheus at ${prometheus.url}\n`,
      ),
    );
    expect(files[1]).toMatch(
      new RegExp(
        `^# Data source thanos: load this rule file into the Prometheus at ${thanos.url}\n`,
      ),
    );
    expect(parse(files[0]).groups.map((g: any) => g.name)).toEqual([
      'slo-on-default',
    ]);
    expect(parse(files[1]).groups.map((g: any) => g.name)).toEqual([
      'slo-on-thanos',
    ]);
  });

  it('needs slo.prometheus when data sources are configured, and reads none without it', () => {
    expect(readPrometheusSources(new ConfigReader({}))).toBeUndefined();
    expect(() =>
      readPrometheusSources(
        new ConfigReader({
          slo: { dataSources: { thanos: { baseUrl: thanos.url } } },
        }),
      ),
    ).toThrow(
      'slo.dataSources is set but slo.prometheus.baseUrl is not; SLIs without a metricSourceRef read slo.prometheus, so configure it too',
    );
  });
});
