import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SloDefinition } from '@internal/slo-common';
import {
  EventCounts,
  burnRateOptions,
  errorBudget,
  evaluateBurnRate,
  eventQueries,
  formatPrometheusDuration,
  prometheusRules,
  prometheusRulesYaml,
  windowStart,
} from '@internal/slo-node';
import { demoSlos } from './__testUtils__/demoSlos';
import {
  PrometheusLocal,
  prometheusInstalled,
  startPrometheusLocal,
} from './PrometheusLocal';
import { DEMO_SLO_STORY } from './story';

// scripts/test.sh installs Prometheus (apt-get install prometheus) before the suites run.
const describeWithPrometheus =
  prometheusInstalled() || process.env.CI ? describe : describe.skip;

/**
 * The tests' clock: the process's time when the suite starts (faketime moves it to the dates the
 * test command tries), then moved only by hand. Prometheus keeps real time, so every query says when.
 */
let clockMs = Date.now();
const now = () => new Date(clockMs);

async function query(
  prometheus: PrometheusLocal,
  promql: string,
): Promise<Record<string, number>> {
  const params = new URLSearchParams({
    query: promql,
    time: String(clockMs / 1000),
  });
  const response = await fetch(`${prometheus.url}/api/v1/query?${params}`);
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
    prometheus = await startPrometheusLocal({ dataDir, days: 15, now });
  }, 120_000);
  afterAll(async () => {
    await prometheus?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers PromQL over the backfilled history, the incidents included', async () => {
    expect(prometheus.anchor).toEqual(now());
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

  it('tells the demo SLO story: a fast burn, a slow burn, spent budgets, the rest healthy', async () => {
    const { slos, problems } = demoSlos();
    expect(problems).toEqual([]);
    expect(slos).toHaveLength(11);
    const scalar = async (promql: string) => {
      const values = Object.values(await query(prometheus, promql));
      return values.length === 0 ? undefined : values[0];
    };
    const events = async (
      slo: SloDefinition,
      window: string,
    ): Promise<EventCounts | undefined> => {
      if (slo.indicator.kind !== 'ratio') return undefined;
      const q = eventQueries(slo.indicator, window);
      const total = await scalar(q.total);
      const good = q.good ? await scalar(q.good) : undefined;
      return total === undefined || good === undefined
        ? undefined
        : { good, total };
    };
    // The ratio SLOs counted by events as the backend evaluates them: the SLO's own window, then
    // each burn-rate window, every objective (the SLO shows the one in breach, if any).
    const ratioSlos = slos.filter(
      s => s.indicator.kind === 'ratio' && s.budgetingMethod === 'Occurrences',
    );
    expect(ratioSlos).toHaveLength(9);
    const shown: Record<string, unknown> = {};
    for (const slo of ratioSlos) {
      const states = [];
      for (const objective of slo.objectives) {
        const options = burnRateOptions(slo, objective);
        const perWindow: Record<string, EventCounts | undefined> = {};
        for (const w of options.windows) {
          perWindow[w.long.label] = await events(slo, w.long.label);
          perWindow[w.short.label] = await events(slo, w.short.label);
        }
        const since = Math.max(
          60,
          Math.floor((clockMs - windowStart(slo, now()).getTime()) / 1000),
        );
        const budget = errorBudget(
          await events(slo, formatPrometheusDuration(since)),
          options.target,
        );
        states.push({
          burn: evaluateBurnRate(perWindow, options).status,
          exhausted: budget.hasData ? budget.exhausted : 'no data',
        });
      }
      shown[slo.name] =
        states.find(o => o.exhausted === true || o.burn === 'page') ??
        states[0];
    }
    expect(shown).toEqual(
      Object.fromEntries(ratioSlos.map(s => [s.name, DEMO_SLO_STORY[s.name]])),
    );
  });

  it("loads the demo SLOs' recording rules, as GET /api/slo/rules generates them", async () => {
    const { slos } = demoSlos();
    expect(prometheus.rulesFile).toBeDefined();
    expect(fs.readFileSync(prometheus.rulesFile!, 'utf8')).toBe(
      prometheusRulesYaml(slos.map(prometheusRules)),
    );
    const response = await fetch(`${prometheus.url}/api/v1/rules?type=record`);
    const body = await response.json();
    expect(
      body.data.groups.map((g: { name: string }) => g.name).sort(),
    ).toEqual(slos.map(s => `slo-${s.name}`).sort());
  });

  it('counts across the vault’s restart as Prometheus does, without a jump', async () => {
    const [fortnight] = Object.values(
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
    expect(fortnight / day).toBeGreaterThan(10);
    expect(fortnight / day).toBeLessThan(18);
  });

  it('joins history and live samples into one series per service and code', async () => {
    const series = await query(
      prometheus,
      'count by (service) (http_server_requests_total{track!="canary"})',
    );
    expect(Object.values(series)).toHaveLength(9);
    expect(Object.values(series).every(count => count === 2)).toBe(true);
    const metrics = await (
      await fetch(`${prometheus.exporterUrl}/metrics`)
    ).text();
    expect(metrics).toMatch(
      new RegExp(
        `^http_server_requests_total\\{code="200",instance="[^"]+",job="demo-services",service="ledger-writer"\\} \\d+ ${clockMs}$`,
        'm',
      ),
    );
  });

  it("runs the card vault's canary labelled by track from 30 minutes before the anchor: its errors show on its own track, not over the whole service", async () => {
    const byTrack = async (promql: string) => {
      const params = new URLSearchParams({
        query: promql,
        time: String(clockMs / 1000),
      });
      const body = await (
        await fetch(`${prometheus.url}/api/v1/query?${params}`)
      ).json();
      return Object.fromEntries(
        body.data.result.map((r: any) => [
          r.metric.track ?? '',
          Number(r.value[1]),
        ]),
      ) as Record<string, number>;
    };
    const vault = 'service="card-tokenisation-vault"';
    const requests = await byTrack(
      `sum by (track) (increase(http_server_requests_total{${vault}}[25m]))`,
    );
    const errors = await byTrack(
      `sum by (track) (increase(http_server_requests_total{${vault},code="500"}[25m]))`,
    );
    expect(Object.keys(requests).sort()).toEqual(['canary', 'stable']);
    // Enough canary requests at any hour for the gate's default minEvents (100).
    expect(requests.canary).toBeGreaterThan(100);
    expect((errors.canary ?? 0) / requests.canary).toBeGreaterThan(0.005);
    expect((errors.stable ?? 0) / requests.stable).toBeLessThan(0.0005);
    // Diluted over the whole service: inside the sustainable rate of its 99.5% availability objective.
    const whole =
      ((errors.canary ?? 0) + (errors.stable ?? 0)) /
      (requests.canary + requests.stable);
    expect(whole).toBeLessThan(0.005);
    // A service without a canary carries no track label.
    expect(
      await byTrack(
        'count by (track) (http_server_requests_total{service="ledger-writer"})',
      ),
    ).toEqual({ '': 2 });
  });

  it('stamps live samples with the injected clock and carries the counters on from the history', async () => {
    const before = await query(
      prometheus,
      'sum(http_server_requests_total{service="ledger-writer"})',
    );
    // Three minutes later by the tests' clock: the next push counts them and is stamped so.
    clockMs += 3 * 60_000;
    let latest: number | undefined;
    for (let i = 0; i < 40 && latest !== clockMs / 1000; i++) {
      [latest] = Object.values(
        await query(
          prometheus,
          'max(timestamp(http_server_requests_total{job="demo-services"}))',
        ),
      );
      if (latest !== clockMs / 1000)
        await new Promise(resolve => setTimeout(resolve, 1000));
    }
    expect(latest).toBe(clockMs / 1000);
    expect(prometheus.liveError()).toBeUndefined();
    const after = await query(
      prometheus,
      'sum(http_server_requests_total{service="ledger-writer"})',
    );
    expect(after[''] - before['']).toBeGreaterThan(0);
  }, 60_000);
});
