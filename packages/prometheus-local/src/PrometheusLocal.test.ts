import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  burnRateOptions,
  errorBudget,
  evaluateBurnRate,
  eventQueries,
  parseOpenSlo,
  SloDefinition,
} from '@internal/slo-common';
import {
  PrometheusLocal,
  prometheusInstalled,
  startPrometheusLocal,
} from './PrometheusLocal';

const SLO_DIR = resolvePackagePath(
  '@internal/prometheus-local',
  '../../catalog/slos',
);

/** The demo catalog's OpenSLO files, which must parse without a single problem. */
function demoSlos(): { slos: SloDefinition[]; problems: string[] } {
  const slos: SloDefinition[] = [];
  const problems: string[] = [];
  for (const file of fs.readdirSync(SLO_DIR)) {
    const parsed = parseOpenSlo(
      fs.readFileSync(path.join(SLO_DIR, file), 'utf8'),
      `catalog/slos/${file}`,
    );
    slos.push(...parsed.slos);
    problems.push(...parsed.problems.map(p => p.message));
  }
  return { slos, problems };
}

// scripts/test.sh installs Prometheus (apt-get install prometheus) before the suites run.
const describeWithPrometheus =
  prometheusInstalled() || process.env.CI ? describe : describe.skip;

async function query(
  prometheus: PrometheusLocal,
  promql: string,
): Promise<Record<string, number>> {
  const response = await fetch(
    `${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`,
  );
  const body = await response.json();
  if (body.status !== 'success')
    throw new Error(`${promql}: ${JSON.stringify(body)}`);
  return Object.fromEntries(
    body.data.result.map((r: any) => [
      r.metric.service ?? '',
      Number(r.value[1]),
    ]),
  );
}

describeWithPrometheus('Prometheus on loopback with the demo history', () => {
  let prometheus: PrometheusLocal;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-local-'));
    prometheus = await startPrometheusLocal({ dataDir, days: 15 });
  }, 120_000);
  afterAll(async () => {
    await prometheus?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers PromQL over the backfilled history, the incidents included', async () => {
    const errorRatio1h = await query(
      prometheus,
      'sum by (service) (increase(http_server_requests_total{code="500"}[1h])) / sum by (service) (increase(http_server_requests_total[1h]))',
    );
    expect(Object.keys(errorRatio1h)).toHaveLength(9);
    expect(errorRatio1h['card-authorisation-service']).toBeGreaterThan(0.01); // fast burn right now
    expect(errorRatio1h['ledger-writer']).toBeLessThan(0.001);

    // Six days ago fx-rates lost 30% of requests for three hours.
    const fxErrors = await query(
      prometheus,
      'sum by (service) (increase(http_server_requests_total{code="500",service="fx-rates-service"}[7d]))',
    );
    const fxTotal = await query(
      prometheus,
      'sum by (service) (increase(http_server_requests_total{service="fx-rates-service"}[7d]))',
    );
    expect(
      fxErrors['fx-rates-service'] / fxTotal['fx-rates-service'],
    ).toBeGreaterThan(0.001);
  });

  it('scrapes the live exporter successfully, so the short burn-rate windows have data', async () => {
    // The first scrape happens within one interval (15 s) of startup.
    let up: number | undefined;
    for (let i = 0; i < 40 && up !== 1; i++) {
      [up] = Object.values(await query(prometheus, 'up{job="demo-services"}'));
      if (up !== 1) await new Promise(resolve => setTimeout(resolve, 1000));
    }
    const targets = await (
      await fetch(`${prometheus.url}/api/v1/targets`)
    ).json();
    expect(
      targets.data.activeTargets.map((t: any) => [t.health, t.lastError]),
    ).toEqual([['up', '']]);
  }, 60_000);

  it('joins history and live scrapes into one series per service and code', async () => {
    const series = await query(
      prometheus,
      'count by (service) (http_server_requests_total)',
    );
    expect(Object.values(series).every(count => count === 2)).toBe(true);
    const up = await fetch(`${prometheus.exporterUrl}/metrics`);
    expect(await up.text()).toContain(
      'http_server_requests_total{code="200",service="ledger-writer"}',
    );
  });

  it('tells the demo SLO story: a fast burn, a slow burn, an exhausted budget, the rest healthy', async () => {
    const { slos, problems } = demoSlos();
    expect(problems).toEqual([]);
    expect(slos).toHaveLength(11);
    const scalar = async (promql: string) => {
      const values = Object.values(await query(prometheus, promql));
      return values.length === 0 ? undefined : values[0];
    };
    const events = async (slo: SloDefinition, window: string) => {
      if (slo.indicator.kind !== 'ratio')
        throw new Error(`${slo.name} is not a ratio SLO`);
      const q = eventQueries(slo.indicator, window);
      const total = await scalar(q.total);
      const good = q.good ? await scalar(q.good) : undefined;
      return total === undefined || good === undefined
        ? undefined
        : { good, total };
    };
    const status = async (name: string) => {
      const slo = slos.find(s => s.name === name)!;
      const options = burnRateOptions(slo);
      const perWindow: Record<
        string,
        { good: number; total: number } | undefined
      > = {};
      for (const w of options.windows) {
        perWindow[w.long.label] = await events(slo, w.long.label);
        perWindow[w.short.label] = await events(slo, w.short.label);
      }
      return {
        burn: evaluateBurnRate(perWindow, options).status,
        budget: errorBudget(await events(slo, '14d'), options.target),
      };
    };
    expect((await status('card-authorisation-availability')).burn).toBe('page');
    expect((await status('payout-scheduling-availability')).burn).toBe(
      'ticket',
    );
    const fx = await status('fx-rates-availability');
    expect(fx.budget).toMatchObject({ hasData: true, exhausted: true });
    const ledger = await status('ledger-writes-availability');
    expect(ledger.burn).toBe('ok');
    expect(ledger.budget).toMatchObject({ hasData: true, exhausted: false });
  });

  it('counts across the vault’s restart as Prometheus does, without a jump', async () => {
    const [week] = Object.values(
      await query(
        prometheus,
        'sum(increase(http_server_requests_total{service="card-tokenisation-vault"}[14d]))',
      ),
    );
    const [day] = Object.values(
      await query(
        prometheus,
        'sum(increase(http_server_requests_total{service="card-tokenisation-vault"}[1d]))',
      ),
    );
    // Fourteen days around the restart hold roughly fourteen days of traffic, not a counter's worth.
    expect(week / day).toBeGreaterThan(10);
    expect(week / day).toBeLessThan(18);
  });
});
