import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { FixedClock } from '@internal/platform-node';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import {
  DEMO_SERVICES,
  PrometheusLocal,
  startPrometheusLocal,
} from '@internal/prometheus-local';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { costStack, organizationSource } from '../__testUtils__/fixtures';
import { UnitMetricStore } from '../database/UnitMetricStore';
import { CostReader } from './CostReader';
import { PrometheusUnitsSource } from '../sources/PrometheusUnitsSource';
import { monthQuery, UnitMetricRefresh } from './UnitMetricRefresh';

jest.setTimeout(120_000);

/**
 * The 5th of a month: the demo Prometheus's 40 days of history cover last month in full and start
 * inside the month before it, so one month has a count, one a short count, the rest none.
 */
const clock = new FixedClock('2026-11-05T12:00:00Z');
const now = () => clock.now();
const SERVICE = 'card-authorisation-service';
const PAYMENTS = `sum(increase(http_server_requests_total{service="${SERVICE}",code="200"}[$__range]))`;
const unitMetrics = [
  { product: 'card-acquiring', metric: 'payments authorised', query: PAYMENTS },
];

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
let prometheus: PrometheusLocal;
let dataDir: string;
let aws: AwsLocal;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-prometheus-'));
  [prometheus, aws] = await Promise.all([
    startPrometheusLocal({ dataDir, days: 40, now }),
    startAwsLocal({ now }),
  ]);
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
  await aws?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function stackWith(baseUrl: string) {
  const knex = await sqlite.init('SQLITE_3');
  const stack = await costStack(
    aws,
    knex,
    [organizationSource(aws)],
    { cost: { unitMetrics } },
    now,
  );
  const units = new UnitMetricStore(knex);
  // The reader as the plugin builds it: the stored months behind unit metrics with a query.
  const reader = new CostReader(
    stack.store,
    {
      ...stack.settings,
      productTag: stack.settings.keys.product,
      serviceTag: stack.settings.keys.service,
      teamTag: stack.settings.keys.team,
      unitMetricMonths: () => units.months(),
    },
    async () => stack.directory,
    now,
  );
  await stack.refresh.refreshUsage();
  const refresh = new UnitMetricRefresh(
    stack.settings.unitMetrics,
    new PrometheusUnitsSource(baseUrl, 5_000),
    units,
    mockServices.logger.mock(),
    now,
  );
  return { reader, refresh };
}

it('writes the month length into $__range', () => {
  expect(monthQuery('sum(increase(x[$__range]))', '2026-02')).toBe(
    'sum(increase(x[28d]))',
  );
  expect(monthQuery('sum(increase(x[$__range]))', '2026-10')).toBe(
    'sum(increase(x[31d]))',
  );
  expect(
    monthQuery('sum(increase(x[$__range]))', '2026-11', '2026-11-05'),
  ).toBe('sum(increase(x[4d]))');
});

it('reads payments per month from Prometheus at the month end and shows the cost per 1,000 payments', async () => {
  const { reader, refresh } = await stackWith(prometheus.url);
  await refresh.refresh();
  const page = (await reader.product('card-acquiring'))!;
  const unitCost = page.summary.unitCost!;
  expect(unitCost).toMatchObject({
    metric: 'payments authorised',
    source: 'prometheus',
  });
  // October, the month Prometheus saw from start to end, and November up to the start of today.
  expect(unitCost.trend.map(t => [t.month, Boolean(t.toDate)])).toEqual([
    ['2026-10', false],
    ['2026-11', true],
  ]);
  const [october, november] = unitCost.trend;
  // Four whole days of November against thirty-one of October.
  expect(november.units / october.units).toBeGreaterThan((4 / 31) * 0.7);
  expect(november.units / october.units).toBeLessThan((4 / 31) * 1.3);
  // The demo service's traffic: between its trough (a tenth of the peak) and its peak, every minute.
  const peak = DEMO_SERVICES.find(s => s.name === SERVICE)!.peakPerMinute;
  const minutes = 31 * 24 * 60;
  expect(october.units).toBeGreaterThan(peak * 0.1 * minutes);
  expect(october.units).toBeLessThan(peak * minutes);
  const cost =
    page.monthly.find(m => m.month === '2026-10')!.direct +
    page.summary.sharedLastFullMonth;
  expect(october.costPerThousand).toBeCloseTo((cost / october.units) * 1000, 2);
  // Never a made-up figure: September's count would be short, earlier months have no samples.
  const noData = new Map(unitCost.noData!.map(n => [n.month, n.reason]));
  expect(noData.get('2026-09')).toMatch(
    /no data: Prometheus's history starts within this month/,
  );
  expect(noData.get('2026-08')).toMatch(
    /no data: Prometheus has no samples for this month/,
  );
});

it('says "no data" with the reason, never a number, when Prometheus does not answer', async () => {
  // A port nothing listens on any more.
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  const { reader, refresh } = await stackWith(`http://127.0.0.1:${port}`);
  await refresh.refresh();
  const unitCost = (await reader.product('card-acquiring'))!.summary.unitCost!;
  expect(unitCost.trend).toEqual([]);
  expect(unitCost.noData!.map(n => n.month)).toContain('2026-10');
  for (const n of unitCost.noData!)
    expect(n.reason).toMatch(
      new RegExp(
        `^no data: Prometheus at http://127\\.0\\.0\\.1:${port} did not answer \\(ECONNREFUSED\\)$`,
      ),
    );
});
