import {
  BURN_RATE_ALERTS,
  BURN_RATE_BASE_PERIOD_DAYS,
  burnRate,
  burnRateOptions,
  burnRateWindowLengths,
  burnRateWindows,
  evaluateBurnRate,
  WindowEvents,
} from './burnRate';
import { parseOpenSlo } from './parseOpenSlo';

const TARGET = 0.999; // error budget 1 - 0.999 = 0.001

/** Events per window with the given bad share: total and bad = round(total * errorRatio). */
function windows(
  perWindow: Record<string, [total: number, bad: number]>,
): WindowEvents {
  return Object.fromEntries(
    Object.entries(perWindow).map(([label, [total, bad]]) => [
      label,
      { bad, total },
    ]),
  );
}

describe('BURN_RATE_ALERTS', () => {
  it('is the SRE workbook table: factor = budget spent * period / long window, short = long / 12', () => {
    // 30 days = 720 hours.
    // 2% in 1h: 0.02 * 720 / 1 = 14.4;   5% in 6h: 0.05 * 720 / 6 = 6
    // 10% in 1d: 0.1 * 30 / 1 = 3;       10% in 3d: 0.1 * 30 / 3 = 1
    const periodSeconds = BURN_RATE_BASE_PERIOD_DAYS * 86400;
    for (const alert of BURN_RATE_ALERTS) {
      expect(
        (alert.budgetSpent * periodSeconds) / alert.longSeconds,
      ).toBeCloseTo(alert.factor, 10);
      expect(alert.shortSeconds).toBe(alert.longSeconds / 12);
    }
    expect(BURN_RATE_ALERTS.map(a => [a.severity, a.factor])).toEqual([
      ['page', 14.4],
      ['page', 6],
      ['ticket', 3],
      ['ticket', 1],
    ]);
  });
});

describe('burnRateWindows', () => {
  it('gives the table as written for a 30-day SLO', () => {
    expect(
      burnRateWindows(30).map(w => [
        w.severity,
        w.factor,
        w.long.label,
        w.short.label,
      ]),
    ).toEqual([
      ['page', 14.4, '1h', '5m'],
      ['page', 6, '6h', '30m'],
      ['ticket', 3, '1d', '2h'],
      ['ticket', 1, '3d', '6h'],
    ]);
    expect(
      burnRateWindowLengths(burnRateWindows(30)).map(w => w.label),
    ).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
  });

  it('scales windows to a 28-day SLO, rounded to the minute, keeping the factors', () => {
    // Each window * 28/30, rounded to the minute:
    // 1h = 60m -> 56m;  5m -> 4.67m -> 5m;  6h = 360m -> 336m = 5h36m;  30m -> 28m
    // 1d = 1440m -> 1344m = 22h24m;  2h = 120m -> 112m = 1h52m
    // 3d = 4320m -> 4032m = 2d19h12m;  6h -> 5h36m
    expect(
      burnRateWindows(28).map(w => [w.factor, w.long.label, w.short.label]),
    ).toEqual([
      [14.4, '56m', '5m'],
      [6, '5h36m', '28m'],
      [3, '22h24m', '1h52m'],
      [1, '2d19h12m', '5h36m'],
    ]);
    expect(
      burnRateWindowLengths(burnRateWindows(28)).map(w => w.label),
    ).toEqual(['5m', '28m', '56m', '1h52m', '5h36m', '22h24m', '2d19h12m']);
  });

  it('never goes below one minute for short SLO periods', () => {
    // 1 day: 5m * 1/30 = 10s -> 1m; 1h * 1/30 = 2m.
    expect(burnRateWindows(1)[0]).toMatchObject({
      long: { label: '2m' },
      short: { label: '1m' },
    });
  });
});

describe('burnRate', () => {
  it('is the error ratio divided by the error budget', () => {
    // 150 bad of 10,000 = 0.015; 0.015 / 0.001 = 15
    expect(burnRate({ bad: 150, total: 10_000 }, TARGET)).toBe(15);
    // 2% errors: 0.02 / 0.001 = 20 (not 19.999999999999996)
    expect(burnRate({ good: 98, total: 100 }, TARGET)).toBe(20);
    expect(burnRate({ bad: 0, total: 0 }, TARGET)).toBeNull();
  });
});

describe('evaluateBurnRate', () => {
  // Steady traffic of 100,000 requests an hour, 30-day windows.
  const volume = {
    '5m': 8_000,
    '30m': 50_000,
    '1h': 100_000,
    '2h': 200_000,
    '6h': 600_000,
    '1d': 2_400_000,
    '3d': 7_200_000,
  };
  /** Every window at the same error ratio, except those given. */
  function steady(
    errorRatio: number,
    overrides: Record<string, number> = {},
  ): WindowEvents {
    return windows(
      Object.fromEntries(
        Object.entries(volume).map(([label, total]) => [
          label,
          [total, Math.round(total * (overrides[label] ?? errorRatio))],
        ]),
      ),
    );
  }

  it('pages on a fast burn over 1h and 5m', () => {
    // 1h and 5m at 2% errors: 0.02 / 0.001 = 20x >= 14.4 on both windows.
    // 6h at 0.5%: 5x < 6; 1d at 0.15%: 1.5x < 3; 3d at 0.07%: 0.7x < 1.
    const evaluation = evaluateBurnRate(
      steady(0.0005, {
        '1h': 0.02,
        '5m': 0.02,
        '30m': 0.02,
        '2h': 0.0105,
        '6h': 0.005,
        '1d': 0.0015,
        '3d': 0.0007,
      }),
      { target: TARGET },
    );
    expect(evaluation.status).toBe('page');
    expect(evaluation.decidedBy).toMatchObject({
      outcome: 'fired',
      window: { factor: 14.4, long: { label: '1h' }, short: { label: '5m' } },
      longBurnRate: 20,
      shortBurnRate: 20,
      longEvents: 100_000,
    });
    expect(evaluation.message).toBe(
      'burn rate 20x over 1h and 20x over 5m reaches 14.4x: 2% of the budget gone in 1h at this rate (page)',
    );
    expect(evaluation.checks.map(c => c.outcome)).toEqual([
      'fired',
      'quiet',
      'quiet',
      'quiet',
    ]);
  });

  it('does not page once the short window shows the burn has stopped', () => {
    // 1h still at 20x, but the last 5m at 0.05% = 0.5x: the incident is over.
    const evaluation = evaluateBurnRate(
      steady(0.0002, { '1h': 0.02, '5m': 0.0005 }),
      { target: TARGET },
    );
    expect(evaluation.status).toBe('ok');
    expect(evaluation.checks[0]).toMatchObject({
      outcome: 'quiet',
      longBurnRate: 20,
      shortBurnRate: 0.5,
    });
  });

  it('opens a ticket on a slow burn over 1d and 2h', () => {
    // Everywhere 0.35% errors: 0.0035 / 0.001 = 3.5x.
    // 1h/5m: 3.5 < 14.4 and 6h/30m: 3.5 < 6 stay quiet; 1d/2h: 3.5 >= 3 fires; 3d/6h: 3.5 >= 1 fires.
    const evaluation = evaluateBurnRate(steady(0.0035), { target: TARGET });
    expect(evaluation.status).toBe('ticket');
    expect(evaluation.decidedBy).toMatchObject({
      window: { factor: 3, long: { label: '1d' }, short: { label: '2h' } },
      longBurnRate: 3.5,
      shortBurnRate: 3.5,
    });
    expect(evaluation.checks.map(c => c.outcome)).toEqual([
      'quiet',
      'quiet',
      'fired',
      'fired',
    ]);
  });

  it('downgrades a page to a ticket when the long window has too few events', () => {
    // 10 requests in the last hour, 1 failed: 0.1 / 0.001 = 100x; 5m: 1 of 2 failed = 500x.
    // A page-level burn, but 10 events < 100: low traffic, so a ticket.
    // 6h: 1 of 60 = 16.7x, 30m: 1 of 5 = 200x, also page-level on 60 < 100 events.
    // 1d: 1 of 1,000 = 1x < 3 and 3d: 1 of 3,000 = 0.33x < 1 stay quiet.
    const quiet = windows({
      '5m': [2, 1],
      '30m': [5, 1],
      '1h': [10, 1],
      '2h': [20, 1],
      '6h': [60, 1],
      '1d': [1000, 1],
      '3d': [3000, 1],
    });
    const evaluation = evaluateBurnRate(quiet, { target: TARGET });
    expect(evaluation.status).toBe('ticket');
    expect(evaluation.decidedBy).toMatchObject({
      outcome: 'low-traffic',
      longEvents: 10,
      longBurnRate: 100,
    });
    expect(evaluation.message).toBe(
      'burn rate 100x over 1h and 500x over 5m reaches the 14.4x page level, but only 10 events in 1h (fewer than 100): low traffic, so a ticket instead of a page',
    );
    expect(evaluation.checks.map(c => c.outcome)).toEqual([
      'low-traffic',
      'low-traffic',
      'quiet',
      'quiet',
    ]);
    // The guard is configurable: with no minimum the same numbers page.
    expect(
      evaluateBurnRate(quiet, { target: TARGET, minEvents: 0 }).status,
    ).toBe('page');
  });

  it('says no-data, never ok, when no window has events', () => {
    const none = evaluateBurnRate({}, { target: TARGET });
    expect(none.status).toBe('no-data');
    expect(none.checks.every(c => c.outcome === 'no-data')).toBe(true);
    expect(none.message).toContain('1h: no data: the query returned nothing');
    const zero = evaluateBurnRate(steady(0, {}), { target: TARGET });
    expect(zero.status).toBe('ok');
    const noTraffic = evaluateBurnRate(
      windows(
        Object.fromEntries(Object.keys(volume).map(label => [label, [0, 0]])),
      ),
      { target: TARGET },
    );
    expect(noTraffic.status).toBe('no-data');
    expect(noTraffic.message).toContain('no events in the window');
  });

  it('treats an empty short window as not burning, and names the windows it could not judge', () => {
    // Night: nothing in the last 5m, 0.05% errors elsewhere; the 6h query failed.
    const events = {
      ...steady(0.0005),
      '5m': { bad: 0, total: 0 },
      '6h': undefined,
    };
    const evaluation = evaluateBurnRate(events, { target: TARGET });
    expect(evaluation.status).toBe('ok');
    expect(evaluation.checks.map(c => c.outcome)).toEqual([
      'quiet',
      'no-data',
      'quiet',
      'no-data',
    ]);
    expect(evaluation.message).toContain(
      'not judged: 6h: no data: the query returned nothing',
    );
  });
});

describe('burnRateOptions', () => {
  it('scales windows to the SLO period and guards traffic only for event-ratio SLIs', () => {
    const text = `
apiVersion: openslo/v1
kind: SLO
metadata: { name: checkout-latency }
spec:
  service: checkout
  indicator:
    metadata: { name: checkout-p99 }
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec: { query: 'histogram_quantile(0.99, sum by (le) (rate(checkout_seconds_bucket[5m])))' }
  timeWindow: [{ duration: 28d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ op: lte, value: 0.5, target: 0.99 }]
`;
    const [slo] = parseOpenSlo(text, 'latency.yaml').slos;
    const options = burnRateOptions(slo);
    expect(options.target).toBe(0.99);
    expect(options.minEvents).toBe(0);
    expect(options.windows[0].long.label).toBe('56m');
  });
});
