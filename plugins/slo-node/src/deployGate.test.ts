import { evaluateBurnRate, WindowEvents } from './burnRate';
import { decideDeploy, SloHealth } from './deployGate';
import { errorBudget } from './errorBudget';

const TARGET = 0.999;
const LABELS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/** The same number of events and error ratio in every window. */
function everyWindow(total: number, bad: number): WindowEvents {
  return Object.fromEntries(LABELS.map(label => [label, { bad, total }]));
}

function health(
  slo: string,
  budget: [bad: number, total: number],
  burn: WindowEvents,
): SloHealth {
  return {
    slo,
    budget: errorBudget({ bad: budget[0], total: budget[1] }, TARGET),
    burn: evaluateBurnRate(burn, { target: TARGET }),
  };
}

describe('decideDeploy', () => {
  it('allows a deploy within budget and without a fast burn, saying so with the numbers', () => {
    // 400 bad of 1,000,000: allowed 1,000, remaining 60%; 0.01% errors now = 0.1x.
    const decision = decideDeploy([
      health(
        'checkout-availability',
        [400, 1_000_000],
        everyWindow(100_000, 10),
      ),
    ]);
    expect(decision).toEqual({
      decision: 'allow',
      reasons: [
        {
          code: 'within-budget',
          slo: 'checkout-availability',
          blocking: false,
          message:
            'checkout-availability: 60% of the error budget left, no fast burn',
          numbers: {
            target: 0.999,
            attainment: 0.9996,
            total: 1_000_000,
            allowed: 1000,
            consumed: 400,
            remaining: 0.6,
          },
        },
      ],
    });
  });

  it('denies while the budget is exhausted', () => {
    // 1,500 bad of 1,000,000: allowed 1,000; remaining = 1 - 1,500 / 1,000 = -0.5.
    const decision = decideDeploy([
      health(
        'checkout-availability',
        [1500, 1_000_000],
        everyWindow(100_000, 10),
      ),
    ]);
    expect(decision.decision).toBe('deny');
    expect(decision.reasons).toEqual([
      expect.objectContaining({
        code: 'budget-exhausted',
        blocking: true,
        message:
          'checkout-availability: error budget exhausted: 1500 bad events of 1000 allowed (-50% left)',
        numbers: expect.objectContaining({ remaining: -0.5 }),
      }),
    ]);
  });

  it('denies during a page-level burn even with budget left', () => {
    // 2% errors in every window: 20x >= 14.4 over 1h and 5m.
    const decision = decideDeploy([
      health(
        'checkout-availability',
        [100, 1_000_000],
        everyWindow(100_000, 2000),
      ),
    ]);
    expect(decision.decision).toBe('deny');
    expect(decision.reasons).toEqual([
      expect.objectContaining({
        code: 'fast-burn',
        blocking: true,
        numbers: {
          factor: 14.4,
          longBurnRate: 20,
          shortBurnRate: 20,
          longEvents: 100_000,
        },
      }),
    ]);
  });

  it('denies on no data unless allowOnNoData', () => {
    const unknown: SloHealth = {
      slo: 'new-service-availability',
      budget: errorBudget({ good: 0, total: 0 }, TARGET),
      burn: evaluateBurnRate({}, { target: TARGET }),
    };
    const denied = decideDeploy([unknown]);
    expect(denied.decision).toBe('deny');
    expect(denied.reasons.map(r => [r.code, r.blocking])).toEqual([
      ['no-data', true],
    ]);
    const allowed = decideDeploy([unknown], { allowOnNoData: true });
    expect(allowed.decision).toBe('allow');
    expect(allowed.reasons.map(r => [r.code, r.blocking])).toEqual([
      ['no-data', false],
    ]);
  });

  it('lets slow burns and low-traffic downgrades through but reports them', () => {
    // 0.35% errors: 3.5x, a ticket-level burn.
    const slow = decideDeploy([
      health(
        'checkout-availability',
        [100, 1_000_000],
        everyWindow(100_000, 350),
      ),
    ]);
    expect(slow.decision).toBe('allow');
    expect(slow.reasons.map(r => [r.code, r.blocking])).toEqual([
      ['slow-burn', false],
    ]);
    // 1 of 10 requests failed in every window: 100x, but 10 < 100 events.
    const quiet = decideDeploy([
      health('checkout-availability', [1, 10_000], everyWindow(10, 1)),
    ]);
    expect(quiet.decision).toBe('allow');
    expect(quiet.reasons.map(r => [r.code, r.blocking])).toEqual([
      ['low-traffic', false],
    ]);
  });

  it('denies when any of the service SLOs denies, and when the service has none', () => {
    const decision = decideDeploy([
      health(
        'checkout-availability',
        [400, 1_000_000],
        everyWindow(100_000, 10),
      ),
      health('checkout-latency', [2000, 1_000_000], everyWindow(100_000, 10)),
    ]);
    expect(decision.decision).toBe('deny');
    expect(decision.reasons.map(r => [r.slo, r.code])).toEqual([
      ['checkout-availability', 'within-budget'],
      ['checkout-latency', 'budget-exhausted'],
    ]);
    expect(decideDeploy([]).decision).toBe('deny');
    expect(decideDeploy([], { allowOnNoData: true }).decision).toBe('allow');
  });
});
