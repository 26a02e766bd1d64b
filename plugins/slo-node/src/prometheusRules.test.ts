import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { parseOpenSlo } from './parseOpenSlo';
import {
  AlertingRule,
  eventQueries,
  prometheusRules,
  prometheusRulesYaml,
  recordedEventWindows,
  RecordingRule,
  rulesDigest,
} from './prometheusRules';
import type { RatioIndicator, SloDefinition } from '@internal/slo-common';

function slo(
  window: string,
  indicator: string,
  objective: string,
  budgetingMethod = 'Occurrences',
): SloDefinition {
  const text = `
apiVersion: openslo/v1
kind: SLO
metadata: { name: checkout-availability }
spec:
  service: checkout
  indicator:
    metadata: { name: checkout-sli }
    spec:
${indicator}
  timeWindow: [{ duration: ${window}, isRolling: true }]
  budgetingMethod: ${budgetingMethod}
  objectives: [${objective}]
`;
  const { slos, problems } = parseOpenSlo(text, 'checkout.yaml');
  expect(problems).toEqual([]);
  return slos[0];
}

const RATIO = `      ratioMetric:
        counter: true
        bad: { metricSource: { type: Prometheus, spec: { query: 'checkout_requests_total{code=~"5.."}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: checkout_requests_total } } }`;

const THRESHOLD = `      thresholdMetric:
        metricSource:
          type: Prometheus
          spec: { query: 'histogram_quantile(0.99, sum by (le) (rate(checkout_seconds_bucket[5m])))' }`;

const records = (rules: Array<RecordingRule | AlertingRule>) =>
  rules.flatMap(r => ('record' in r ? [r] : []));
const alerts = (rules: Array<RecordingRule | AlertingRule>) =>
  rules.flatMap(r => ('alert' in r ? [r] : []));

describe('prometheusRules', () => {
  it('records an error ratio per window and bad and total events per window and over the SLO window of a 30-day ratio SLO', () => {
    const group = prometheusRules(slo('30d', RATIO, '{ target: 0.999 }'));
    expect(group.name).toBe('slo-checkout-availability');
    const windows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'];
    expect(records(group.rules).map(r => r.record)).toEqual([
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:sli_rules:info',
      ...windows.flatMap(w => [
        `slo:sli_events:increase${w}`,
        `slo:sli_events_bad:increase${w}`,
      ]),
    ]);
    // Event totals over the whole window (sum bad / sum total), not an average of short ratios.
    expect(
      records(group.rules).filter(r => r.record.endsWith('increase30d')),
    ).toEqual([
      {
        record: 'slo:sli_events:increase30d',
        expr: 'sum(increase(checkout_requests_total[30d]))',
        labels: { slo: 'checkout-availability', service: 'checkout' },
      },
      {
        record: 'slo:sli_events_bad:increase30d',
        expr: 'sum(increase(checkout_requests_total{code=~"5.."}[30d]))',
        labels: { slo: 'checkout-availability', service: 'checkout' },
      },
    ]);
    expect(
      recordedEventWindows(slo('30d', RATIO, '{ target: 0.999 }')),
    ).toEqual({ windows });
    // The digest names these rules: another SLI query or window gives another one.
    const info = records(group.rules).find(
      r => r.record === 'slo:sli_rules:info',
    )!;
    expect(info.labels.digest).toMatch(/^[0-9a-f]{16}$/);
    expect(info.labels.digest).toBe(
      rulesDigest(slo('30d', RATIO, '{ target: 0.995 }')),
    );
    expect(info.labels.digest).not.toBe(
      rulesDigest(slo('28d', RATIO, '{ target: 0.999 }')),
    );
    expect(info.labels.digest).not.toBe(
      rulesDigest(
        slo('30d', RATIO.replace('5..', '5..|429'), '{ target: 0.999 }'),
      ),
    );
    expect(records(group.rules)[0]).toEqual({
      record: 'slo:sli_error:ratio_rate5m',
      expr: 'sum(increase(checkout_requests_total{code=~"5.."}[5m])) / sum(increase(checkout_requests_total[5m]))',
      labels: { slo: 'checkout-availability', service: 'checkout' },
    });
  });

  it('writes the multi-window alerts of the table, with the low-traffic guard on pages', () => {
    const rules = alerts(
      prometheusRules(slo('30d', RATIO, '{ target: 0.999 }')).rules,
    );
    expect(
      rules.map(r => [
        r.labels.severity,
        r.labels.long,
        r.labels.short,
        r.labels.reason,
      ]),
    ).toEqual([
      ['page', '1h', '5m', undefined],
      ['ticket', '1h', '5m', 'low-traffic'],
      ['page', '6h', '30m', undefined],
      ['ticket', '6h', '30m', 'low-traffic'],
      ['ticket', '1d', '2h', undefined],
      ['ticket', '3d', '6h', undefined],
    ]);
    // Budget 1 - 0.999 = 0.001; page at >= 14.4x on 1h and 5m with >= 100 events in 1h.
    expect(rules[0].expr).toBe(
      'slo:sli_error:ratio_rate1h{slo="checkout-availability"} >= 14.4 * 0.001' +
        ' and slo:sli_error:ratio_rate5m{slo="checkout-availability"} >= 14.4 * 0.001' +
        ' and slo:sli_events:increase1h{slo="checkout-availability"} >= 100',
    );
    expect(rules[1].expr).toContain(
      'and slo:sli_events:increase1h{slo="checkout-availability"} < 100',
    );
    expect(rules[4].expr).toBe(
      'slo:sli_error:ratio_rate1d{slo="checkout-availability"} >= 3 * 0.001' +
        ' and slo:sli_error:ratio_rate2h{slo="checkout-availability"} >= 3 * 0.001',
    );
    expect(rules[0].labels).toEqual({
      slo: 'checkout-availability',
      service: 'checkout',
      target: '0.999',
      severity: 'page',
      long: '1h',
      short: '5m',
      factor: '14.4',
    });
  });

  it('uses the scaled windows of a 28-day SLO', () => {
    const group = prometheusRules(slo('28d', RATIO, '{ target: 0.999 }'));
    expect(records(group.rules).map(r => r.record)).toContain(
      'slo:sli_error:ratio_rate2d19h12m',
    );
    expect(alerts(group.rules)[0].expr).toContain(
      'slo:sli_error:ratio_rate56m{slo="checkout-availability"} >= 14.4 * 0.001',
    );
  });

  it('records good events where the SLI counts good ones, and no SLO-window events for a calendar window', () => {
    const good = `      ratioMetric:
        counter: true
        good: { metricSource: { type: Prometheus, spec: { query: 'checkout_requests_total{code!~"5.."}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: checkout_requests_total } } }`;
    const rolling = records(
      prometheusRules(slo('28d', good, '{ target: 0.999 }')).rules,
    ).map(r => r.record);
    expect(rolling).toContain('slo:sli_events_good:increase28d');
    expect(rolling).toContain('slo:sli_events_good:increase56m');
    expect(rolling.some(r => r.startsWith('slo:sli_events_bad'))).toBe(false);

    const text = `
apiVersion: openslo/v1
kind: SLO
metadata: { name: monthly }
spec:
  service: checkout
  indicator:
    metadata: { name: checkout-sli }
    spec:
${good}
  timeWindow: [{ duration: 1M, calendar: { startTime: '2026-01-01 00:00:00', timeZone: UTC } }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.999 }]
`;
    const calendar = parseOpenSlo(text, 'monthly.yaml').slos[0];
    expect(recordedEventWindows(calendar)).toEqual({
      reason:
        'a calendar window changes length every evaluation, so no rule records it',
    });
    const calendarRecords = records(prometheusRules(calendar).rules).map(
      r => r.record,
    );
    // The low-traffic guard's totals stay; nothing for the portal's evaluation to read.
    expect(calendarRecords).toContain('slo:sli_events:increase1h');
    expect(calendarRecords.some(r => r.startsWith('slo:sli_events_good'))).toBe(
      false,
    );
  });

  it('samples a threshold SLI once a minute, NaN (no traffic) being no sample, and has no traffic guard', () => {
    const group = prometheusRules(
      slo('30d', THRESHOLD, '{ op: lte, value: 0.3, target: 0.99 }'),
    );
    const query =
      '(histogram_quantile(0.99, sum by (le) (rate(checkout_seconds_bucket[5m]))))';
    expect(group.interval).toBe('1m');
    expect(records(group.rules)[0]).toEqual({
      record: 'slo:sli_sample_good:bool',
      expr: `(${query} <= bool 0.3) and (${query} == ${query})`,
      labels: { slo: 'checkout-availability', service: 'checkout' },
    });
    expect(records(group.rules)[1].expr).toBe(
      '1 - avg_over_time(slo:sli_sample_good:bool{slo="checkout-availability"}[5m])',
    );
    expect(
      records(group.rules).some(r => r.record.startsWith('slo:sli_events')),
    ).toBe(false);
    expect(
      recordedEventWindows(
        slo('30d', THRESHOLD, '{ op: lte, value: 0.3, target: 0.99 }'),
      ),
    ).toEqual({ reason: 'a threshold SLI has no event counts to record' });
    // Budget 1 - 0.99 = 0.01; four alerts, none guarded by event counts.
    expect(alerts(group.rules).map(r => r.expr.split(' and ').length)).toEqual([
      2, 2, 2, 2,
    ]);
    expect(alerts(group.rules)[0].expr).toContain('>= 14.4 * 0.01');
  });

  it('counts good slices of a Timeslices ratio SLI per objective, as the status does, with no traffic guard', () => {
    const group = prometheusRules(
      slo(
        '28d',
        RATIO,
        '{ target: 0.995, timeSliceTarget: 0.999, timeSliceWindow: 1h }, { target: 0.99, timeSliceTarget: 0.99, timeSliceWindow: 5m }',
        'Timeslices',
      ),
    );
    const slices = records(group.rules).filter(
      r => r.record === 'slo:sli_slice_good:bool',
    );
    expect(slices.map(r => [r.labels.objective, r.expr])).toEqual([
      [
        '0',
        '(1 - (sum(increase(checkout_requests_total{code=~"5.."}[1h]))) / (sum(increase(checkout_requests_total[1h])) > 0)) >= bool 0.999',
      ],
      [
        '1',
        '(1 - (sum(increase(checkout_requests_total{code=~"5.."}[5m]))) / (sum(increase(checkout_requests_total[5m])) > 0)) >= bool 0.99',
      ],
    ]);
    // Each objective's error ratio is the share of bad slices, read by its own alerts.
    expect(
      records(group.rules).find(
        r =>
          r.record === 'slo:sli_error:ratio_rate56m' &&
          r.labels.objective === '1',
      )?.expr,
    ).toBe(
      '1 - avg_over_time(slo:sli_slice_good:bool{slo="checkout-availability", objective="1"}[56m])',
    );
    expect(
      records(group.rules).some(r => r.record.startsWith('slo:sli_events')),
    ).toBe(false);
    const [first] = alerts(group.rules);
    expect(first.expr).toBe(
      'slo:sli_error:ratio_rate56m{slo="checkout-availability", objective="0"} >= 14.4 * 0.005 and slo:sli_error:ratio_rate5m{slo="checkout-availability", objective="0"} >= 14.4 * 0.005',
    );
    expect(alerts(group.rules)).toHaveLength(8);
  });

  it('averages the slice ratios of a RatioTimeslices SLI', () => {
    const group = prometheusRules(
      slo(
        '28d',
        RATIO,
        '{ target: 0.99, timeSliceWindow: 10m }',
        'RatioTimeslices',
      ),
    );
    expect(
      records(group.rules).find(r => r.record === 'slo:sli_slice_good:ratio')
        ?.labels,
    ).toEqual({
      slo: 'checkout-availability',
      service: 'checkout',
      objective: '0',
    });
    expect(
      records(group.rules).find(r => r.record === 'slo:sli_error:ratio_rate56m')
        ?.expr,
    ).toBe(
      '1 - avg_over_time(slo:sli_slice_good:ratio{slo="checkout-availability", objective="0"}[56m])',
    );
  });

  it("writes rules Prometheus' own checker accepts for every demo SLO", () => {
    const dir = path.resolve(__dirname, '../../../catalog/slos');
    const groups = fs
      .readdirSync(dir)
      .filter(f => f.endsWith('.yaml'))
      .flatMap(f => {
        const { slos, problems } = parseOpenSlo(
          fs.readFileSync(path.join(dir, f), 'utf8'),
          f,
        );
        expect(problems.filter(p => p.severity !== 'warning')).toEqual([]);
        return slos.map(prometheusRules);
      });
    expect(groups.length).toBeGreaterThan(10);
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'slo-rules-')),
      'rules.yaml',
    );
    fs.writeFileSync(file, prometheusRulesYaml(groups));
    const check = spawnSync('promtool', ['check', 'rules', file], {
      encoding: 'utf8',
    });
    expect(check.error).toBeUndefined();
    expect(`${check.stdout}${check.stderr}`).toContain('SUCCESS');
    expect(check.status).toBe(0);
  });

  it('serialises to a rule file with one expression per line that reads back the same', () => {
    const group = prometheusRules(slo('30d', RATIO, '{ target: 0.999 }'));
    const text = prometheusRulesYaml([group]);
    expect(
      text.startsWith(
        'groups:\n  - name: slo-checkout-availability\n    interval: 1m\n    rules:\n',
      ),
    ).toBe(true);
    expect(text).toContain(
      '      - alert: SloErrorBudgetBurn\n        expr: slo:sli_error:ratio_rate1h{slo="checkout-availability"} >= 14.4 * 0.001 and',
    );
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parse(text)).toEqual({ groups: [group] });
    expect(prometheusRulesYaml([group])).toBe(text);
  });
});

describe('eventQueries', () => {
  it('fills in the window and sums to one series unless the query already is one sum', () => {
    const indicator: RatioIndicator = {
      kind: 'ratio',
      name: 'x',
      good: 'sum(increase(a{code="200"}[{{.window}}]))',
      total: 'sum by (route) (increase(a[{{.window}}]))',
      source: { type: 'Prometheus' },
    };
    expect(eventQueries(indicator, '1h')).toEqual({
      good: 'sum(increase(a{code="200"}[1h]))',
      total: 'sum(sum by (route) (increase(a[1h])))',
    });
  });
});
