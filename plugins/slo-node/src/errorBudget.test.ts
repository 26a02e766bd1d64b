import {
  budgetBurnDown,
  countSlices,
  errorBudget,
  ratioTimesliceCounts,
  sliceCriterion,
} from './errorBudget';
import type { SloDefinition } from '@internal/slo-common';

describe('errorBudget', () => {
  it('computes attainment and budget from event totals (99.9%, 1,000,000 events, 400 bad)', () => {
    // attainment = (1,000,000 - 400) / 1,000,000 = 999,600 / 1,000,000 = 0.9996
    // allowed    = (1 - 0.999) * 1,000,000 = 0.001 * 1,000,000 = 1,000 bad events
    // remaining  = 1 - 400 / 1,000 = 1 - 0.4 = 0.6 (60% left)
    expect(errorBudget({ good: 999_600, total: 1_000_000 }, 0.999)).toEqual({
      hasData: true,
      target: 0.999,
      good: 999_600,
      bad: 400,
      total: 1_000_000,
      attainment: 0.9996,
      allowed: 1000,
      consumed: 400,
      remaining: 0.6,
      exhausted: false,
    });
    // The same SLI written as bad/total gives the same budget.
    expect(errorBudget({ bad: 400, total: 1_000_000 }, 0.999)).toEqual(
      errorBudget({ good: 999_600, total: 1_000_000 }, 0.999),
    );
  });

  it('reports an overspent budget as negative and exhausted, without clamping', () => {
    // allowed = 0.001 * 200,000 = 200; remaining = 1 - 500 / 200 = 1 - 2.5 = -1.5
    expect(errorBudget({ bad: 500, total: 200_000 }, 0.999)).toMatchObject({
      allowed: 200,
      consumed: 500,
      remaining: -1.5,
      exhausted: true,
    });
    // allowed = 0.01 * 10,000 = 100 and 100 spent: remaining = 1 - 100 / 100 = 0, exhausted.
    expect(errorBudget({ bad: 100, total: 10_000 }, 0.99)).toMatchObject({
      remaining: 0,
      exhausted: true,
    });
  });

  it('sums events over the window instead of averaging ratios', () => {
    // Hour A: 1,000 requests, 10 bad (ratio 0.99); hour B: 10 requests, 5 bad (ratio 0.5).
    // Average of ratios: (0.99 + 0.5) / 2 = 0.745, as if the 10 night requests weighed as much as 1,000.
    // Totals: good = 990 + 5 = 995, total = 1,000 + 10 = 1,010 -> 995 / 1,010 = 0.98514851485...
    const budget = errorBudget({ good: 990 + 5, total: 1000 + 10 }, 0.99);
    expect(budget.hasData && budget.attainment).toBeCloseTo(0.985148514851, 10);
  });

  it('says no data, never 100%, when there are no events or the numbers are missing or contradictory', () => {
    expect(errorBudget({ good: 0, total: 0 }, 0.999)).toEqual({
      hasData: false,
      target: 0.999,
      reason: 'no-events',
      message: 'no data: no events in the window, so nothing was measured',
    });
    expect(errorBudget(undefined, 0.999)).toMatchObject({
      hasData: false,
      reason: 'missing',
    });
    expect(errorBudget({ good: 1010, total: 1000 }, 0.999)).toMatchObject({
      hasData: false,
      reason: 'inconsistent',
      message: expect.stringContaining(
        'good events (1010) exceed total events (1000)',
      ),
    });
    expect(errorBudget({ bad: -1, total: 1000 }, 0.999)).toMatchObject({
      hasData: false,
      reason: 'inconsistent',
    });
  });

  it('refuses a target that is not a ratio below 1', () => {
    expect(() => errorBudget({ good: 1, total: 1 }, 99.9)).toThrow(RangeError);
    expect(() => errorBudget({ good: 1, total: 1 }, 1)).toThrow(RangeError);
  });
});

describe('timeslices', () => {
  it('counts good slices against timeSliceTarget, leaving empty slices out', () => {
    // >= 0.95 is good: 1, 0.99 and 0.95 good; 0.94 and 0.5 bad; null and NaN missing.
    expect(
      countSlices([1, 0.99, 0.94, null, NaN, 0.95, 0.5], {
        kind: 'ratio',
        timeSliceTarget: 0.95,
      }),
    ).toEqual({ good: 3, total: 5, missing: 2 });
  });

  it('counts good samples of a threshold SLI; NaN (no traffic) is missing, not fast', () => {
    // p99 <= 0.3 s is good: 0.2 and 0.3 good, 0.31 bad, NaN missing.
    expect(
      countSlices([0.2, 0.3, 0.31, NaN], {
        kind: 'threshold',
        op: 'lte',
        value: 0.3,
      }),
    ).toEqual({
      good: 2,
      total: 3,
      missing: 1,
    });
    expect(
      countSlices([0.3, 0.4], { kind: 'threshold', op: 'lt', value: 0.4 }).good,
    ).toBe(1);
    expect(
      countSlices([0.3, 0.4], { kind: 'threshold', op: 'gt', value: 0.3 }).good,
    ).toBe(1);
    expect(
      countSlices([0.3, 0.4], { kind: 'threshold', op: 'gte', value: 0.3 })
        .good,
    ).toBe(2);
  });

  it('gives the slice budget of a 30-day Timeslices SLO', () => {
    // 30 days of 1-minute slices = 30 * 24 * 60 = 43,200 slices; 100 bad.
    // allowed = 0.01 * 43,200 = 432 slices; remaining = 1 - 100 / 432 = 1 - 0.2314814... = 0.7685185...
    const budget = errorBudget({ good: 43_100, total: 43_200 }, 0.99);
    expect(budget).toMatchObject({
      allowed: 432,
      consumed: 100,
      exhausted: false,
    });
    expect(budget.hasData && budget.remaining).toBeCloseTo(0.7685185, 6);
  });

  it('averages slice ratios for RatioTimeslices, as that method defines', () => {
    // (1 + 0.9 + 0.8) / 3 = 2.7 / 3 = 0.9
    const counts = ratioTimesliceCounts([1, 0.9, 0.8, null]);
    expect(counts).toEqual({ good: 2.7, total: 3, missing: 1 });
    expect(errorBudget(counts, 0.95)).toMatchObject({
      attainment: 0.9,
      exhausted: true,
    });
  });

  it('takes the criterion from the SLO: op and value of a threshold SLI, timeSliceTarget of a ratio SLI', () => {
    const base = {
      budgetingMethod: 'Timeslices',
      objectives: [{ target: 0.99, timeSliceTarget: 0.95 }],
    };
    expect(
      sliceCriterion({
        ...base,
        indicator: { kind: 'threshold', op: 'lte', value: 0.3 },
      } as SloDefinition),
    ).toEqual({ kind: 'threshold', op: 'lte', value: 0.3 });
    expect(
      sliceCriterion({
        ...base,
        indicator: { kind: 'ratio' },
      } as SloDefinition),
    ).toEqual({
      kind: 'ratio',
      timeSliceTarget: 0.95,
    });
    expect(
      sliceCriterion({
        ...base,
        budgetingMethod: 'Occurrences',
        indicator: { kind: 'ratio' },
      } as SloDefinition),
    ).toBeUndefined();
  });
});

describe('budgetBurnDown', () => {
  it('gives the remaining budget at each cumulative point of the window', () => {
    // Target 0.99: each point allows 1% of the events so far.
    // t1: no events yet                      -> null
    // t2: 5 bad of 1,000,  allowed 10        -> 1 - 5/10  = 0.5
    // t3: 10 bad of 2,000, allowed 20        -> 1 - 10/20 = 0.5
    // t4: 30 bad of 3,000, allowed 30        -> 1 - 30/30 = 0 (exhausted)
    // t5: 45 bad of 4,000, allowed 40        -> 1 - 45/40 = -0.125
    const points = budgetBurnDown(
      [
        { time: 1, good: 0, total: 0 },
        { time: 2, good: 995, total: 1000 },
        { time: 3, good: 1990, total: 2000 },
        { time: 4, bad: 30, total: 3000 },
        { time: 5, good: 3955, total: 4000 },
      ],
      0.99,
    );
    expect(points.map(p => [p.time, p.remaining])).toEqual([
      [1, null],
      [2, 0.5],
      [3, 0.5],
      [4, 0],
      [5, -0.125],
    ]);
    expect(points[0].budget).toMatchObject({
      hasData: false,
      reason: 'no-events',
    });
    expect(points[3].budget).toMatchObject({ exhausted: true });
  });
});
