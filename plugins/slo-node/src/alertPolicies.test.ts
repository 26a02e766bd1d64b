import { burnRateOptions, evaluateBurnRate } from './burnRate';
import { parseOpenSlo } from './parseOpenSlo';
import { prometheusRules } from './prometheusRules';

/** A 30-day ratio SLO of checkout, with `alerting` (spec.alertPolicies and more documents) appended. */
function checkoutFile(alertPolicies: string, more = '') {
  return `
apiVersion: openslo/v1
kind: SLO
metadata: { name: checkout-availability }
spec:
  service: checkout
  indicator:
    metadata: { name: checkout-sli }
    spec:
      ratioMetric:
        counter: true
        bad: { metricSource: { type: Prometheus, spec: { query: 'checkout_requests_total{code=~"5.."}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: checkout_requests_total } } }
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.999 }]
  alertPolicies:
${alertPolicies}
${more}`;
}

const TWO_CONDITIONS = checkoutFile(
  `    - alertPolicyRef: checkout-burn
    - kind: AlertPolicy
      metadata: { name: checkout-slow-burn }
      spec:
        conditions:
          - kind: AlertCondition
            metadata: { name: slow-burn }
            spec:
              severity: low
              condition: { kind: burnrate, op: gte, threshold: 2, lookbackWindow: 2d }
        notificationTargets: [{ targetRef: checkout-tickets }]`,
  `---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: checkout-burn }
spec:
  conditions: [{ conditionRef: fast-burn }]
  notificationTargets: [{ targetRef: checkout-on-call }]
---
apiVersion: openslo/v1
kind: AlertCondition
metadata: { name: fast-burn }
spec:
  severity: critical
  condition: { kind: burnrate, op: gte, threshold: 10, lookbackWindow: 2h, alertAfter: 5m }
`,
);

describe('alert policies', () => {
  it('reads burn-rate conditions, by reference and inline, into the SLO alert windows', () => {
    const { slos, problems } = parseOpenSlo(TWO_CONDITIONS, 'checkout.yaml');
    expect(problems).toEqual([]);
    expect(slos[0].alertWindows).toEqual([
      {
        policy: 'checkout-burn',
        condition: 'fast-burn',
        declaredSeverity: 'critical',
        severity: 'page',
        factor: 10,
        longSeconds: 7200,
        shortSeconds: 600,
        alertAfterSeconds: 300,
      },
      {
        policy: 'checkout-slow-burn',
        condition: 'slow-burn',
        declaredSeverity: 'low',
        severity: 'ticket',
        factor: 2,
        longSeconds: 172800,
        shortSeconds: 14400,
      },
    ]);
  });

  it('judges the status on the policy windows, not the default table', () => {
    const slo = parseOpenSlo(TWO_CONDITIONS, 'checkout.yaml').slos[0];
    const options = burnRateOptions(slo, slo.objectives[0]);
    expect(
      options.windows.map(w => [
        w.severity,
        w.factor,
        w.long.label,
        w.short.label,
      ]),
    ).toEqual([
      ['page', 10, '2h', '10m'],
      ['ticket', 2, '2d', '4h'],
    ]);
    // 12x over 2h and 10m: the policy pages at 10x; the default table (14.4x on 1h) would not.
    const events = {
      '10m': { bad: 12, total: 1000 },
      '2h': { bad: 120, total: 10000 },
      '4h': { bad: 120, total: 20000 },
      '2d': { bad: 120, total: 200000 },
    };
    const status = evaluateBurnRate(events, options);
    expect(status.status).toBe('page');
    expect(status.decidedBy?.window.source).toBe(
      'AlertPolicy checkout-burn, AlertCondition fast-burn',
    );
    expect(status.message).toContain('reaches 10x');
  });

  it("writes rules for the policy windows, with alertAfter as the rule's for", () => {
    const slo = parseOpenSlo(TWO_CONDITIONS, 'checkout.yaml').slos[0];
    const { rules } = prometheusRules(slo);
    const records = rules.flatMap(r => ('record' in r ? [r.record] : []));
    expect(records).toEqual([
      'slo:sli_error:ratio_rate10m',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate4h',
      'slo:sli_error:ratio_rate2d',
      'slo:sli_rules:info',
      // Bad and total events over the policy's windows and the SLO's 30 days, for the portal's evaluation.
      ...['10m', '2h', '4h', '2d', '30d'].flatMap(w => [
        `slo:sli_events:increase${w}`,
        `slo:sli_events_bad:increase${w}`,
      ]),
    ]);
    const alerts = rules.flatMap(r => ('alert' in r ? [r] : []));
    expect(
      alerts.map(a => [
        a.labels.severity,
        a.labels.factor,
        a.for,
        a.labels.reason,
      ]),
    ).toEqual([
      ['page', '10', '5m', undefined],
      ['ticket', '10', '5m', 'low-traffic'],
      ['ticket', '2', undefined, undefined],
    ]);
    expect(alerts[0].expr).toBe(
      'slo:sli_error:ratio_rate2h{slo="checkout-availability"} >= 10 * 0.001' +
        ' and slo:sli_error:ratio_rate10m{slo="checkout-availability"} >= 10 * 0.001' +
        ' and slo:sli_events:increase2h{slo="checkout-availability"} >= 100',
    );
    expect(alerts[0].labels.policy).toBe(
      'AlertPolicy checkout-burn, AlertCondition fast-burn',
    );
  });

  it('keeps the default table, with a warning, when the policy is not in the file', () => {
    const { slos, problems } = parseOpenSlo(
      checkoutFile('    - alertPolicyRef: elsewhere'),
      'checkout.yaml',
    );
    expect(slos).toHaveLength(1);
    expect(slos[0].alertWindows).toBeUndefined();
    expect(burnRateOptions(slos[0]).windows).toHaveLength(4);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      severity: 'warning',
      path: 'spec.alertPolicies[0].alertPolicyRef',
    });
    expect(problems[0].message).toContain(
      "names no AlertPolicy in this file ('elsewhere')",
    );
  });

  it('refuses a burn-rate condition with op lte, naming the fix', () => {
    const text = TWO_CONDITIONS.replace(
      'op: gte, threshold: 10',
      'op: lte, threshold: 10',
    );
    const { slos, problems } = parseOpenSlo(text, 'checkout.yaml');
    expect(slos).toEqual([]);
    expect(problems.map(p => p.message)).toEqual([
      expect.stringContaining(
        "spec.alertPolicies[0] uses AlertCondition 'fast-burn' with op: lte; a burn-rate alert fires when the budget burns at least threshold times too fast, so write op: gte",
      ),
    ]);
  });
});

describe('a missing timeWindow', () => {
  it('defaults to 28 days rolling with a warning, and the SLO is still used', () => {
    const text = TWO_CONDITIONS.replace(
      '  timeWindow: [{ duration: 30d, isRolling: true }]\n',
      '',
    );
    const { slos, problems } = parseOpenSlo(text, 'checkout.yaml');
    expect(slos).toHaveLength(1);
    expect(slos[0].window).toEqual({
      kind: 'rolling',
      duration: '28d',
      seconds: 28 * 86400,
      days: 28,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'spec.timeWindow',
        severity: 'warning',
        message: expect.stringContaining(
          'spec.timeWindow is missing, so this SLO uses a 28d rolling window',
        ),
      }),
    ]);
  });
});
