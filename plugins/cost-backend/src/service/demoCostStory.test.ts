import { TestDatabases } from '@backstage/backend-test-utils';
import { FixedClock } from '@internal/platform-node';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import { costStack, organizationSource } from '../__testUtils__/fixtures';
import { addDays, monthOf, monthStart } from './dates';

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

/** The demo's cost story as the README tells it, read at the dates a calendar makes hard. */
describe.each([
  ['2027-01-01T00:05:00Z', 'the 1st of a year'],
  ['2027-03-01T00:20:00Z', 'the 1st of a month, a Monday just after midnight'],
  ['2027-03-03T09:00:00Z', 'the day before last month is invoiced'],
  ['2027-02-12T08:00:00Z', 'an anomaly that began on the last day of a month'],
  ['2027-03-15T12:00:00Z', 'mid-month'],
  ['2027-03-31T18:00:00Z', 'the 31st'],
  ['2027-12-31T23:30:00Z', 'the last day of a year'],
  ['2028-02-29T23:30:00Z', 'a leap day that ends a month'],
])('the demo cost story at %s (%s)', at => {
  const clock = new FixedClock(at);
  const today = at.slice(0, 10);
  const dayOfMonth = Number(today.slice(8));
  const currentMonth = monthOf(today);
  const lastFullMonth = monthOf(monthStart(today, -1));
  let aws: AwsLocal;
  let stack: Awaited<ReturnType<typeof costStack>>;

  beforeAll(async () => {
    aws = await startAwsLocal({ now: () => clock.now() });
    stack = await costStack(
      aws,
      await sqlite.init('SQLITE_3'),
      [organizationSource(aws)],
      {
        cost: {
          unitMetrics: [
            {
              product: 'card-acquiring',
              metric: 'payments authorised',
              everyMonth: 41000000,
            },
          ],
        },
      },
      () => clock.now(),
    );
    const outcomes = [
      ...(await stack.refresh.refreshUsage()),
      ...(await stack.refresh.refreshForecast()),
      ...(await stack.refresh.refreshAnomalies()),
    ];
    const failed = outcomes.filter(o => o.status !== 'succeeded');
    if (failed.length > 0)
      throw new Error(
        `the refresh at ${at} failed: ${failed
          .map(o => o.error?.message ?? o.status)
          .join('; ')}`,
      );
  }, 60_000);
  afterAll(() => aws.close());

  it('reports the anomaly 12 days back, inside the daily window, on the wallet', async () => {
    const anomalies = await stack.reader.anomalies();
    expect(anomalies).toEqual([
      expect.objectContaining({
        start: addDays(today, -12),
        end: addDays(today, -9),
        awsService: 'Amazon DynamoDB',
        accountName: 'prod',
        products: ['wallet'],
      }),
    ]);
    expect(anomalies[0].impact).toBeGreaterThan(anomalies[0].expected * 4);
    const wallet = (await stack.reader.product('wallet'))!;
    expect(wallet.anomalies.map(a => a.id)).toEqual([anomalies[0].id]);
    const spike = wallet.daily.find(d => d.day === anomalies[0].start)!;
    const weekBefore = wallet.daily.find(
      d => d.day === addDays(anomalies[0].start, -7),
    )!;
    expect(spike.amount).toBeGreaterThan(weekBefore.amount * 1.3);
  });

  it('flags the months AWS still estimates: this month, and last month until the invoice on the 5th', async () => {
    const overview = await stack.reader.overview({ all: true });
    expect(overview).toMatchObject({ currentMonth, lastFullMonth });
    const provisional = overview.monthly
      .filter(m => m.provisional)
      .map(m => m.month);
    const expected = [
      ...(dayOfMonth < 5 ? [lastFullMonth] : []),
      ...(dayOfMonth > 1 ? [currentMonth] : []),
    ];
    expect(provisional).toEqual(expected);
    // 13 full months of history, and this month once it has a complete day.
    expect(overview.monthly.map(m => m.month)).toEqual(
      Array.from({ length: dayOfMonth > 1 ? 14 : 13 }, (_, i) =>
        monthOf(monthStart(today, i - 13)),
      ),
    );
  });

  it('has a month-to-date that is zero only before the month’s first day is over, and never negative', async () => {
    const overview = await stack.reader.overview({ all: true });
    const mtd = overview.totals.monthToDate;
    expect(mtd === 0).toBe(dayOfMonth === 1);
    expect(mtd).toBeGreaterThanOrEqual(0);
    for (const p of overview.products) {
      expect(Number.isFinite(p.monthToDate)).toBe(true);
      expect(p.monthToDate).toBeGreaterThanOrEqual(0);
    }
    expect(JSON.stringify(overview)).not.toMatch(/NaN|null,"sparkline"/);
  });

  it('forecasts the whole month as month-to-date plus AWS’s forecast of the rest, and next month', async () => {
    const forecast = await stack.reader.forecast({ all: true });
    const overview = await stack.reader.overview({ all: true });
    expect(forecast.unavailable).toBeUndefined();
    const current = forecast.current!;
    expect(current.monthToDate).toBe(overview.totals.monthToDate);
    expect(current.mean).toBe(overview.totals.forecastMonth);
    expect(current.mean).toBeGreaterThan(current.monthToDate);
    expect(current.low).toBeLessThanOrEqual(current.mean);
    expect(current.high).toBeGreaterThanOrEqual(current.mean);
    // A whole month costs more than a third of the last full one, however little of it is left.
    expect(current.mean).toBeGreaterThan(overview.totals.lastFullMonth / 3);
    expect(forecast.next!.month).toBe(monthOf(monthStart(today, 1)));
    for (const p of overview.products.filter(x => x.entityRef))
      expect(p.forecastMonth!).toBeGreaterThan(p.monthToDate);
  });

  it('grows about 3.5 % a month, peaks in December and falls back in January', async () => {
    const { monthly } = await stack.reader.overview({ all: true });
    const perDay = new Map(
      monthly
        .filter(m => m.month < currentMonth)
        .map(m => {
          const days =
            (Date.parse(monthStart(`${m.month}-01`, 1)) -
              Date.parse(`${m.month}-01`)) /
            86_400_000;
          const total =
            Object.values(m.byProduct).reduce((a, b) => a + b, 0) +
            m.shared +
            m.unallocated;
          return [m.month, total / days];
        }),
    );
    const yearBefore = monthOf(monthStart(today, -13));
    expect(perDay.get(lastFullMonth)!).toBeGreaterThan(
      perDay.get(yearBefore)! * 1.3,
    );
    const december = [...perDay.keys()]
      .filter(
        m => m.endsWith('-12') && perDay.has(monthOf(monthStart(`${m}-01`, 1))),
      )
      .pop()!;
    const january = monthOf(monthStart(`${december}-01`, 1));
    expect(perDay.get(december)!).toBeGreaterThan(perDay.get(january)! * 1.05);
  });

  it('shows the untagged and mis-tagged lines, and unit cost for the latest full month', async () => {
    const overview = await stack.reader.overview({ all: true });
    // About 8 % of unblended spend; amortized (savings plans lower the tagged part) a little more.
    expect(overview.unallocated.sharePercent).toBeGreaterThan(7);
    expect(overview.unallocated.sharePercent).toBeLessThan(11);
    expect(overview.products.find(p => p.product === 'card-acq')).toMatchObject(
      { entityRef: undefined },
    );
    expect(overview.tagCoverage.byTeam.map(t => t.team)).toContain(
      'payout-team',
    );
    const report = await stack.reader.unallocated(
      undefined,
      stack.settings.keys.required,
    );
    expect(report.month).toBe(lastFullMonth);
    expect(
      report.byTagKey.find(k => k.tagKey === 'cost-centre')!.amount,
    ).toBeGreaterThan(
      report.byTagKey.find(k => k.tagKey === 'product')!.amount,
    );
    const card = overview.products.find(p => p.product === 'card-acquiring')!;
    expect(card.unitCost!.trend.map(t => t.month).pop()).toBe(lastFullMonth);
  });
});
