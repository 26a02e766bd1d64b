import { FixedClock } from '@internal/platform-node';
import {
  DemoService,
  PrometheusLocal,
  startPrometheusLocal,
} from '@internal/prometheus-local';
import type { SloDefinition } from '@internal/slo-common';
import { decideDeploy, parseOpenSlo } from '@internal/slo-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrometheusSource } from '../sources/PrometheusSource';
import { burnDownOf, evaluateSlo, isBreached } from './evaluate';
import { sloHealths } from './evaluateObjectives';

/**
 * Verdicts of every SLI kind and budgeting method against a real Prometheus, on traffic made for
 * each case: steady, so the expected numbers can be worked out by hand.
 */
const clock = new FixedClock(Date.now());
const now = () => clock.now();
const MINUTE = 60_000;

const FAST = [0.62, 0.87, 0.993, 0.9991, 0.99995];

/** `daysAgo`/`at` of the UTC minute `minutes` before the anchor. */
function before(minutes: number) {
  const anchor = clock.now().getTime();
  const at = new Date(Math.floor(anchor / MINUTE) * MINUTE - minutes * MINUTE);
  const dayMs = 86_400_000;
  const daysAgo = Math.floor(anchor / dayMs) - Math.floor(at.getTime() / dayMs);
  const hhmm = at.toISOString().slice(11, 16) as `${number}:${number}`;
  return { at, moment: { daysAgo, at: hhmm } };
}

const outage = before(6 * 60);

const SERVICES: DemoService[] = [
  {
    // 0.3 % errors all day: within 99 %, three times over 99.9 %.
    name: 'verdict-api',
    peakPerMinute: 600,
    shape: 'steady',
    baseErrorRatio: 0.003,
    latency: FAST,
    incidents: [],
  },
  {
    // 45 slow minutes out of a day's 1,440: about 3 % of the minutes have a p99 over 500 ms.
    name: 'verdict-latency',
    peakPerMinute: 600,
    shape: 'steady',
    baseErrorRatio: 0,
    latency: FAST,
    incidents: [
      {
        from: before(5 * 60).moment,
        minutes: 45,
        latencyFactor: 100,
        why: 'slow minutes',
      },
    ],
  },
  {
    // An hour at 10 % errors: 0.42 % of the day's requests, but 12 of 288 five-minute slices.
    name: 'verdict-slices',
    peakPerMinute: 100,
    shape: 'steady',
    baseErrorRatio: 0,
    latency: FAST,
    incidents: [
      {
        from: before(5 * 60).moment,
        minutes: 60,
        errorRatio: 0.1,
        why: 'an hour of errors',
      },
    ],
  },
  {
    // A provider's outage of an hour at 50 % errors, six hours ago: 2 % of the day's requests.
    name: 'verdict-outage',
    peakPerMinute: 100,
    shape: 'steady',
    baseErrorRatio: 0.0005,
    latency: FAST,
    incidents: [
      {
        from: outage.moment,
        minutes: 60,
        errorRatio: 0.5,
        why: "a provider's outage",
      },
    ],
  },
];

const requests = (service: string, errors = false) =>
  `sum(increase(http_server_requests_total{service="${service}"${
    errors ? ',code=~"5.."' : ''
  }}[{{.window}}]))`;

function slo(name: string, service: string, spec: string): SloDefinition {
  const yaml = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
spec:
  service: ${service}
  timeWindow:
    - duration: 1d
      isRolling: true
${spec}`;
  const parsed = parseOpenSlo(yaml, `${name}.yaml`);
  expect(parsed.problems).toEqual([]);
  return parsed.slos[0];
}

const ratioIndicator = (service: string) => `  indicator:
    metadata:
      name: ${service}-sli
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: '${requests(service, true)}'
        total:
          metricSource:
            type: Prometheus
            spec:
              query: '${requests(service)}'
`;

const identity = (s: SloDefinition) => ({
  key: `component:default/${s.service}#${s.name}`,
  name: s.name,
  entityRef: `component:default/${s.service}`,
  source: `${s.name}.yaml`,
});

let local: PrometheusLocal;
let prometheus: PrometheusSource;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-verdicts-'));
  local = await startPrometheusLocal({
    dataDir,
    days: 2,
    now,
    services: SERVICES,
  });
  prometheus = new PrometheusSource(local.url, {
    timeoutMs: 20_000,
    concurrency: 4,
  });
}, 120_000);
afterAll(async () => {
  await local?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const evaluate = (
  s: SloDefinition,
  corrections?: Array<{ from: Date; to: Date }>,
) => evaluateSlo(s, identity(s), prometheus, now(), corrections);

describe('SLO verdicts', () => {
  it('judges a threshold SLI budget by the target, not by timeSliceTarget', async () => {
    const latency = slo(
      'verdict-latency-p99',
      'verdict-latency',
      `  indicator:
    metadata:
      name: verdict-latency-p99
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: 'histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{service="verdict-latency"}[5m])))'
  budgetingMethod: Timeslices
  objectives:
    - op: lte
      value: 0.5
      target: 0.995
      timeSliceTarget: 0.95
      timeSliceWindow: 1m
`,
    );
    const { status, budget, objectives } = await evaluate(latency);
    expect(status.hasData).toBe(true);
    // About 3 % of the minutes are bad; 0.5 % are allowed: the budget is long gone.
    expect(1 - status.attainment!).toBeGreaterThan(0.025);
    expect(1 - status.attainment!).toBeLessThan(0.04);
    expect(status.target).toBe(0.995);
    expect(budget.hasData && budget.remaining).toBeLessThan(-3);
    expect(status.budget?.exhausted).toBe(true);
    const gate = decideDeploy(
      sloHealths([
        { loaded: { identity: identity(latency) }, evaluation: { objectives } },
      ]),
    );
    expect(gate.decision).toBe('deny');
  });

  it('judges every objective, shows the worst and lets the strictest deny the deploy', async () => {
    const availability = slo(
      'verdict-availability',
      'verdict-api',
      `${ratioIndicator('verdict-api')}  budgetingMethod: Occurrences
  objectives:
    - displayName: Good enough
      target: 0.99
    - displayName: Strict
      target: 0.999
`,
    );
    const evaluation = await evaluate(availability);
    const { status } = evaluation;
    expect(status.objectives).toHaveLength(2);
    const [loose, strict] = status.objectives!;
    expect(loose.target).toBe(0.99);
    expect(loose.budget?.exhausted).toBe(false);
    expect(loose.budget?.remaining).toBeCloseTo(0.7, 1);
    expect(strict.target).toBe(0.999);
    expect(strict.budget?.exhausted).toBe(true);
    expect(strict.budget?.remaining).toBeCloseTo(-2, 1);
    // The top-level fields are the worst objective's.
    expect(status.target).toBe(0.999);
    expect(status.budget?.exhausted).toBe(true);
    expect(status.attainment).toBeCloseTo(0.997, 3);
    expect(isBreached(evaluation)).toBe(true);
    const gate = decideDeploy(
      sloHealths([
        { loaded: { identity: identity(availability) }, evaluation },
      ]),
    );
    expect(gate.decision).toBe('deny');
    expect(gate.reasons.filter(r => r.blocking).map(r => r.slo)).toEqual([
      'verdict-availability (99.9%)',
    ]);
  });

  it('evaluates a raw-ratio SLI from its ratio per window, saying it is not event-weighted', async () => {
    const raw = slo(
      'verdict-raw',
      'verdict-api',
      `  indicator:
    metadata:
      name: verdict-raw-sli
    spec:
      ratioMetric:
        counter: false
        rawType: success
        raw:
          metricSource:
            type: Prometheus
            spec:
              query: 'sum(rate(http_server_requests_total{service="verdict-api",code!~"5.."}[{{.window}}])) / sum(rate(http_server_requests_total{service="verdict-api"}[{{.window}}]))'
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
`,
    );
    const { status } = await evaluate(raw);
    expect(status.hasData).toBe(true);
    expect(status.attainment).toBeCloseTo(0.997, 3);
    expect(status.budget?.remaining).toBeCloseTo(0.7, 1);
    expect(status.budget?.exhausted).toBe(false);
    expect(status.burn.status).toBe('ok');
    // Burn = (1 - good) / (1 - target): 0.3 % / 1 % over the longer windows (a day's 1d and 3d rows,
    // scaled: 48m and 2h24m); a one-minute window over one-minute samples has no rate: null, not a guess.
    const rateOf = (window: string) =>
      status.burn.rates.find(r => r.window === window)?.rate;
    expect(rateOf('48m')).toBeCloseTo(0.3, 1);
    expect(rateOf('2h24m')).toBeCloseTo(0.3, 1);
    expect(status.message).toMatch(/not event-weighted/);
  });

  it('counts good slices for Timeslices on a ratio SLI, and averages them for RatioTimeslices', async () => {
    const sliced = (method: string) =>
      slo(
        `verdict-${method.toLowerCase()}`,
        'verdict-slices',
        `${ratioIndicator('verdict-slices')}  budgetingMethod: ${method}
  objectives:
    - target: 0.99
${
  method === 'Timeslices' ? '      timeSliceTarget: 0.95\n' : ''
}      timeSliceWindow: 5m
`,
      );
    const timeslices = await evaluate(sliced('Timeslices'));
    // 12 or 13 of 288 slices under 95 %: about 4 % of the slices bad, where 1 % are allowed.
    const slices = timeslices.budget;
    expect(slices.hasData && slices.total).toBeGreaterThanOrEqual(280);
    expect(slices.hasData && slices.total).toBeLessThanOrEqual(288);
    expect(slices.hasData && slices.bad).toBeGreaterThanOrEqual(11);
    expect(slices.hasData && slices.bad).toBeLessThanOrEqual(14);
    expect(timeslices.status.budget?.exhausted).toBe(true);

    // The same traffic counted by events: 0.42 % errors, well within 1 %.
    const occurrences = await evaluate({
      ...sliced('Timeslices'),
      budgetingMethod: 'Occurrences',
    });
    expect(occurrences.status.budget?.exhausted).toBe(false);

    // RatioTimeslices: the average of the slices' ratios (steady traffic: close to the events' share).
    const ratio = await evaluate(sliced('RatioTimeslices'));
    expect(ratio.status.attainment).toBeCloseTo(
      occurrences.status.attainment!,
      3,
    );
    expect(ratio.budget.hasData && ratio.budget.total).toBeGreaterThanOrEqual(
      280,
    );
  });

  it('leaves a corrected outage out of the budget and the burn-down', async () => {
    const availability = slo(
      'verdict-outage-availability',
      'verdict-outage',
      `${ratioIndicator('verdict-outage')}  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
`,
    );
    const uncorrected = await evaluate(availability);
    expect(uncorrected.status.budget?.exhausted).toBe(true);

    const correction = {
      from: new Date(outage.at.getTime() - 5 * MINUTE),
      to: new Date(outage.at.getTime() + 65 * MINUTE),
    };
    const corrected = await evaluate(availability, [correction]);
    // As if the outage had not happened: 0.05 % errors of a 1 % budget.
    expect(corrected.status.budget?.exhausted).toBe(false);
    expect(corrected.status.budget?.remaining).toBeCloseTo(0.95, 1);
    expect(corrected.status.attainment).toBeCloseTo(0.9995, 3);

    const burnDown = await burnDownOf(availability, prometheus, now(), [
      correction,
    ]);
    expect(burnDown.at(-1)?.remaining).toBeCloseTo(0.95, 1);
    const uncorrectedBurnDown = await burnDownOf(
      availability,
      prometheus,
      now(),
    );
    expect(uncorrectedBurnDown.at(-1)?.remaining).toBeLessThan(0);
  });
});
