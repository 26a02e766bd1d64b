import { stringify } from 'yaml';
import { parseOpenSlo } from './parseOpenSlo';

const REQUESTS = 'http_requests_total{job="card-authorisation"}';

/** A valid ratio SLO; tests change one thing and expect one problem at that path. */
function availabilitySlo(name = 'card-authorisation-availability') {
  return {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name, displayName: 'Card authorisation availability' },
    spec: {
      description: 'Authorisations answered without a server error',
      service: 'card-authorisation',
      indicator: {
        metadata: { name: `${name}-sli` },
        spec: {
          ratioMetric: {
            counter: true,
            good: {
              metricSource: {
                type: 'Prometheus',
                spec: {
                  query: `sum(increase(http_requests_total{job="card-authorisation",code!~"5.."}[{{.window}}]))`,
                },
              },
            },
            total: {
              metricSource: {
                type: 'Prometheus',
                spec: { query: `sum(increase(${REQUESTS}[{{.window}}]))` },
              },
            },
          },
        },
      },
      timeWindow: [{ duration: '28d', isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [{ displayName: 'Available', target: 0.999 }],
    },
  };
}

type Slo = ReturnType<typeof availabilitySlo>;
type Mutable = Record<string, any>;

function file(...documents: unknown[]): string {
  return documents.map(d => stringify(d)).join('---\n');
}

function parseOne(change: (slo: Mutable) => void) {
  const slo: Slo = availabilitySlo();
  change(slo as Mutable);
  return parseOpenSlo(file(slo), 'slo.yaml');
}

describe('parseOpenSlo: valid documents', () => {
  it('reads a ratio SLI with good and total into a normalised definition', () => {
    const { slos, problems } = parseOpenSlo(
      file(availabilitySlo()),
      'slo-payments.yaml',
    );
    expect(problems).toEqual([]);
    expect(slos).toEqual([
      {
        name: 'card-authorisation-availability',
        displayName: 'Card authorisation availability',
        description: 'Authorisations answered without a server error',
        service: 'card-authorisation',
        labels: {},
        annotations: {},
        window: {
          kind: 'rolling',
          duration: '28d',
          seconds: 28 * 86400,
          days: 28,
        },
        budgetingMethod: 'Occurrences',
        objectives: [{ displayName: 'Available', target: 0.999 }],
        indicator: {
          kind: 'ratio',
          name: 'card-authorisation-availability-sli',
          good: 'sum(increase(http_requests_total{job="card-authorisation",code!~"5.."}[{{.window}}]))',
          total: `sum(increase(${REQUESTS}[{{.window}}]))`,
          source: { type: 'Prometheus' },
        },
        alertPolicies: [],
        source: { file: 'slo-payments.yaml', document: 0, line: 1 },
      },
    ]);
  });

  it('reads a ratio SLI with bad and total, wrapping bare counter selectors in increase()', () => {
    const text = `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: payouts-errors
spec:
  service: payouts
  indicator:
    metadata:
      name: payouts-errors
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: payout_requests_total{outcome="error"}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: payout_requests_total
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - targetPercent: 99.5
`;
    const { slos, problems } = parseOpenSlo(text, 'payouts.yaml');
    expect(problems).toEqual([]);
    expect(slos[0].indicator).toEqual({
      kind: 'ratio',
      name: 'payouts-errors',
      bad: 'sum(increase(payout_requests_total{outcome="error"}[{{.window}}]))',
      total: 'sum(increase(payout_requests_total[{{.window}}]))',
      source: { type: 'Prometheus' },
    });
    // targetPercent 99.5 -> 0.995 exactly, not 0.9950000000000001.
    expect(slos[0].objectives).toEqual([{ target: 0.995 }]);
    expect(slos[0].window).toMatchObject({ kind: 'rolling', days: 28 });
  });

  it('reads a threshold latency SLI, taking op and value from the objective', () => {
    const text = `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: card-authorisation-latency
spec:
  service: card-authorisation
  indicator:
    metadata:
      name: p99-latency
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="card-authorisation"}[5m])))
  timeWindow:
    - duration: 7d
      isRolling: true
  budgetingMethod: Timeslices
  objectives:
    - op: lte
      value: 0.3
      target: 0.99
      timeSliceTarget: 1
      timeSliceWindow: 1m
`;
    const { slos, problems } = parseOpenSlo(text, 'latency.yaml');
    expect(problems).toEqual([]);
    expect(slos[0].indicator).toEqual({
      kind: 'threshold',
      name: 'p99-latency',
      query:
        'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="card-authorisation"}[5m])))',
      op: 'lte',
      value: 0.3,
      source: { type: 'Prometheus' },
    });
    expect(slos[0].objectives[0]).toEqual({
      target: 0.99,
      timeSliceTarget: 1,
      timeSliceWindow: { text: '1m', count: 1, unit: 'm', seconds: 60 },
    });
  });

  it('reads a calendar-month window', () => {
    const { slos, problems } = parseOne(slo => {
      slo.spec.timeWindow = [
        {
          duration: '1M',
          isRolling: false,
          calendar: {
            startTime: '2024-01-01 00:00:00',
            timeZone: 'Europe/London',
          },
        },
      ];
    });
    expect(problems).toEqual([]);
    expect(slos[0].window).toEqual({
      kind: 'calendar',
      duration: '1M',
      count: 1,
      unit: 'month',
      startTime: '2024-01-01 00:00:00',
      timeZone: 'Europe/London',
      days: 30,
    });
  });

  it('reads Timeslices and RatioTimeslices objectives with their slice settings', () => {
    const timeslices = parseOne(slo => {
      slo.spec.budgetingMethod = 'Timeslices';
      slo.spec.objectives = [
        { target: 0.99, timeSliceTarget: 0.95, timeSliceWindow: 5 },
      ];
    });
    expect(timeslices.problems).toEqual([]);
    // A bare number of minutes, as the spec allows.
    expect(timeslices.slos[0].objectives[0]).toEqual({
      target: 0.99,
      timeSliceTarget: 0.95,
      timeSliceWindow: { text: '5m', count: 5, unit: 'm', seconds: 300 },
    });
    const ratioTimeslices = parseOne(slo => {
      slo.spec.budgetingMethod = 'RatioTimeslices';
      slo.spec.objectives = [{ target: 0.99, timeSliceWindow: '1m' }];
    });
    expect(ratioTimeslices.problems).toEqual([]);
    expect(ratioTimeslices.slos[0].budgetingMethod).toBe('RatioTimeslices');
  });

  it('resolves indicatorRef to an SLI later in the same file, with its DataSource', () => {
    const text = `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: refunds-availability
spec:
  service: refunds
  indicatorRef: refunds-success
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.995
  alertPolicies:
    - alertPolicyRef: refunds-burn
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: refunds-success
spec:
  ratioMetric:
    good:
      metricSource:
        metricSourceRef: prometheus-main
        spec:
          query: sum(increase(refunds_total{status="ok"}[{{ .window }}]))
    total:
      metricSource:
        metricSourceRef: prometheus-main
        spec:
          query: sum(increase(refunds_total[{{.window}}]))
---
apiVersion: openslo/v1
kind: DataSource
metadata:
  name: prometheus-main
spec:
  type: Prometheus
  connectionDetails:
    url: http://prometheus:9090
`;
    const { slos, problems } = parseOpenSlo(text, 'refunds.yaml');
    // The AlertPolicy is not in this file: a warning, and the SLO still counts.
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'spec.alertPolicies[0].alertPolicyRef',
        severity: 'warning',
      }),
    ]);
    expect(slos).toHaveLength(1);
    expect(slos[0].indicator).toEqual({
      kind: 'ratio',
      name: 'refunds-success',
      good: 'sum(increase(refunds_total{status="ok"}[{{.window}}]))',
      total: 'sum(increase(refunds_total[{{.window}}]))',
      source: {
        type: 'Prometheus',
        dataSource: 'prometheus-main',
        url: 'http://prometheus:9090',
      },
    });
    expect(slos[0].alertPolicies).toEqual(['refunds-burn']);
    expect(slos[0].alertWindows).toBeUndefined();
  });

  it('reads a raw ratio SLI', () => {
    const { slos, problems } = parseOne(slo => {
      slo.spec.indicator.spec = {
        ratioMetric: {
          rawType: 'failure',
          raw: {
            metricSource: {
              type: 'Prometheus',
              spec: { query: 'avg_over_time(card_decline_ratio[{{.window}}])' },
            },
          },
        },
      };
    });
    expect(problems).toEqual([]);
    expect(slos[0].indicator).toMatchObject({
      kind: 'raw-ratio',
      rawType: 'failure',
      query: 'avg_over_time(card_decline_ratio[{{.window}}])',
    });
  });

  it('accepts the other kinds, inline alert policies and documents holding a list of objects', () => {
    const slo: Mutable = availabilitySlo();
    slo.metadata.labels = { team: ['payments-core'], tier: 'tier-1' };
    slo.spec.alertPolicies = [
      {
        kind: 'AlertPolicy',
        metadata: { name: 'page-on-fast-burn' },
        spec: {
          alertWhenBreaching: true,
          conditions: [{ conditionRef: 'fast-burn' }],
          notificationTargets: [{ targetRef: 'payments-on-call' }],
        },
      },
    ];
    const others = [
      {
        apiVersion: 'openslo/v1',
        kind: 'Service',
        metadata: { name: 'card-authorisation' },
        spec: { description: 'Authorises card payments' },
      },
      {
        apiVersion: 'openslo/v1',
        kind: 'AlertCondition',
        metadata: { name: 'fast-burn' },
        spec: {
          severity: 'page',
          condition: {
            kind: 'burnrate',
            op: 'gte',
            threshold: 14.4,
            lookbackWindow: '1h',
            alertAfter: '5m',
          },
        },
      },
      {
        apiVersion: 'openslo/v1',
        kind: 'AlertNotificationTarget',
        metadata: { name: 'payments-on-call' },
        spec: { target: 'pagerduty', description: 'Payments on-call rota' },
      },
    ];
    const { slos, problems } = parseOpenSlo(
      file([slo, ...others]),
      'list.yaml',
    );
    expect(problems).toEqual([]);
    expect(slos[0].labels).toEqual({
      team: ['payments-core'],
      tier: ['tier-1'],
    });
    expect(slos[0].alertPolicies).toEqual(['page-on-fast-burn']);
    expect(slos[0].source).toMatchObject({ document: 0, item: 0 });
  });
});

describe('parseOpenSlo: problems', () => {
  it('writes the whole sentence: file, document, object, path, value and fix', () => {
    const text = file(
      availabilitySlo('card-authorisation-latency'),
      availabilitySlo('card-authorisation-errors'),
      (() => {
        const slo: Mutable = availabilitySlo();
        slo.spec.objectives[0].target = 99.9;
        return slo;
      })(),
    );
    const { problems } = parseOpenSlo(text, 'slo-payments.yaml');
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'slo-payments.yaml',
        document: 2,
        kind: 'SLO',
        name: 'card-authorisation-availability',
        path: 'spec.objectives[0].target',
        rule: 'range',
        message:
          'slo-payments.yaml: document 2 (SLO card-authorisation-availability): spec.objectives[0].target 99.9 must be between 0 and 1 (use targetPercent: 99.9 for percentages)',
      }),
    ]);
    // The line of the target in the third document, counted from the top of the file.
    const lines = text.split('\n');
    expect(lines[problems[0].line! - 1]).toContain('target: 99.9');
  });

  it('returns the two good SLOs of a file with one bad one, and one problem', () => {
    const bad: Mutable = availabilitySlo('refunds-availability');
    bad.spec.budgetingMethod = 'Ocurrences';
    const text = file(
      availabilitySlo('payouts-availability'),
      bad,
      availabilitySlo('card-availability'),
    );
    const { slos, problems } = parseOpenSlo(text, 'slo-payments.yaml');
    expect(slos.map(s => s.name)).toEqual([
      'payouts-availability',
      'card-availability',
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toBe(
      "slo-payments.yaml: document 1 (SLO refunds-availability): spec.budgetingMethod 'Ocurrences' is not allowed; write Occurrences",
    );
  });

  it('reports a YAML syntax error in its document and still reads the others', () => {
    const text = `${file(
      availabilitySlo('payouts-availability'),
    )}---\nkind: SLO\nmetadata: {name: broken\n---\n${file(availabilitySlo())}`;
    const { slos, problems } = parseOpenSlo(text, 'mixed.yaml');
    expect(slos.map(s => s.name)).toEqual([
      'payouts-availability',
      'card-authorisation-availability',
    ]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every(p => p.document === 1 && p.rule === 'yaml')).toBe(
      true,
    );
    expect(problems[0].message).toMatch(
      /^mixed\.yaml: document 1: is not valid YAML at line \d+: /,
    );
  });

  it.each<[string, (slo: Mutable) => void, string, string]>([
    [
      'a wrong apiVersion',
      s => {
        s.apiVersion = 'openslo/v1alpha';
      },
      'apiVersion',
      'api-version',
    ],
    [
      'an unknown kind',
      s => {
        s.kind = 'Slo';
      },
      'kind',
      'kind',
    ],
    [
      'a name that is not a DNS label',
      s => {
        s.metadata.name = 'Card Authorisation';
      },
      'metadata.name',
      'name',
    ],
    [
      'a misspelt spec field',
      s => {
        s.spec.objectivs = s.spec.objectives;
      },
      'spec.objectivs',
      'unknown-field',
    ],
    [
      'a misspelt objective field',
      s => {
        s.spec.objectives[0].targt = 0.99;
      },
      'spec.objectives[0].targt',
      'unknown-field',
    ],
    [
      'a missing service',
      s => {
        delete s.spec.service;
      },
      'spec.service',
      'required',
    ],
    [
      'neither indicator nor indicatorRef',
      s => {
        delete s.spec.indicator;
      },
      'spec.indicator',
      'required',
    ],
    [
      'both indicator and indicatorRef',
      s => {
        s.spec.indicatorRef = 'other';
      },
      'spec',
      'conflict',
    ],
    [
      'an indicatorRef to no SLI in the file',
      s => {
        delete s.spec.indicator;
        s.spec.indicatorRef = 'missing-sli';
      },
      'spec.indicatorRef',
      'reference',
    ],
    [
      'a target of 1',
      s => {
        s.spec.objectives[0].target = 1;
      },
      'spec.objectives[0].target',
      'range',
    ],
    [
      'target as text',
      s => {
        s.spec.objectives[0].target = '0.999';
      },
      'spec.objectives[0].target',
      'type',
    ],
    [
      'a targetPercent written as a ratio',
      s => {
        s.spec.objectives[0] = { targetPercent: 0.999 };
      },
      'spec.objectives[0].targetPercent',
      'range',
    ],
    [
      'both target and targetPercent',
      s => {
        s.spec.objectives[0].targetPercent = 99.9;
      },
      'spec.objectives[0]',
      'conflict',
    ],
    [
      'no objectives',
      s => {
        s.spec.objectives = [];
      },
      'spec.objectives',
      'required',
    ],
    [
      'a time window as a mapping',
      s => {
        s.spec.timeWindow = { duration: '28d', isRolling: true };
      },
      'spec.timeWindow',
      'type',
    ],
    [
      'two time windows',
      s => {
        s.spec.timeWindow.push({ duration: '7d', isRolling: true });
      },
      'spec.timeWindow',
      'range',
    ],
    [
      'a duration in seconds',
      s => {
        s.spec.timeWindow[0].duration = '3600s';
      },
      'spec.timeWindow[0].duration',
      'duration',
    ],
    [
      'a window neither rolling nor calendar',
      s => {
        s.spec.timeWindow[0] = { duration: '28d' };
      },
      'spec.timeWindow[0]',
      'required',
    ],
    [
      'a rolling window with a calendar',
      s => {
        s.spec.timeWindow[0].calendar = {
          startTime: '2024-01-01 00:00:00',
          timeZone: 'UTC',
        };
      },
      'spec.timeWindow[0]',
      'conflict',
    ],
    [
      'an unknown time zone',
      s => {
        s.spec.timeWindow[0] = {
          duration: '1M',
          calendar: {
            startTime: '2024-01-01 00:00:00',
            timeZone: 'Europe/Londres',
          },
        };
      },
      'spec.timeWindow[0].calendar.timeZone',
      'enum',
    ],
    [
      'a start time with an offset',
      s => {
        s.spec.timeWindow[0] = {
          duration: '1M',
          calendar: { startTime: '2024-01-01T00:00:00Z', timeZone: 'UTC' },
        };
      },
      'spec.timeWindow[0].calendar.startTime',
      'type',
    ],
    [
      'Timeslices without timeSliceTarget',
      s => {
        s.spec.budgetingMethod = 'Timeslices';
        s.spec.objectives[0].timeSliceWindow = '1m';
      },
      'spec.objectives[0].timeSliceTarget',
      'required',
    ],
    [
      'a slice setting under Occurrences',
      s => {
        s.spec.objectives[0].timeSliceWindow = '1m';
      },
      'spec.objectives[0].timeSliceWindow',
      'conflict',
    ],
    [
      'op on a ratio SLI',
      s => {
        s.spec.objectives[0].op = 'gt';
      },
      'spec.objectives[0].op',
      'conflict',
    ],
    [
      'both good and bad',
      s => {
        s.spec.indicator.spec.ratioMetric.bad =
          s.spec.indicator.spec.ratioMetric.good;
      },
      'spec.indicator.spec.ratioMetric',
      'conflict',
    ],
    [
      'no total',
      s => {
        delete s.spec.indicator.spec.ratioMetric.total;
      },
      'spec.indicator.spec.ratioMetric.total',
      'required',
    ],
    [
      'a query using rate()',
      s => {
        s.spec.indicator.spec.ratioMetric.total.metricSource.spec.query = `sum(rate(${REQUESTS}[{{.window}}]))`;
      },
      'spec.indicator.spec.ratioMetric.total.metricSource.spec.query',
      'query',
    ],
    [
      'a query without a window',
      s => {
        s.spec.indicator.spec.ratioMetric.total.metricSource.spec.query = `sum(${REQUESTS})`;
      },
      'spec.indicator.spec.ratioMetric.total.metricSource.spec.query',
      'query',
    ],
    [
      'a source other than Prometheus',
      s => {
        s.spec.indicator.spec.ratioMetric.total.metricSource.type = 'Datadog';
      },
      'spec.indicator.spec.ratioMetric.total.metricSource.type',
      'unsupported',
    ],
    [
      'a composite objective',
      s => {
        s.spec.objectives[0].indicatorRef = 'other';
      },
      'spec.objectives[0].indicatorRef',
      'unsupported',
    ],
    [
      'an alert policy without notification targets',
      s => {
        s.spec.alertPolicies = [
          {
            kind: 'AlertPolicy',
            metadata: { name: 'p' },
            spec: { conditions: [{ conditionRef: 'c' }] },
          },
        ];
      },
      'spec.alertPolicies[0].spec.notificationTargets',
      'required',
    ],
  ])('names the failing path for %s', (_, change, path, rule) => {
    const { slos, problems } = parseOne(change);
    expect(slos).toEqual([]);
    expect(problems.map(p => [p.path, p.rule])).toEqual([[path, rule]]);
    expect(problems[0].message).toContain(`slo.yaml: document 0`);
  });

  it('suggests the field meant by a typo, and the fix for a percentage written as a ratio', () => {
    const typo = parseOne(s => {
      s.spec.objectivs = s.spec.objectives;
      delete s.spec.objectives;
    });
    expect(typo.problems.map(p => p.message)).toContain(
      'slo.yaml: document 0 (SLO card-authorisation-availability): spec.objectivs is not a known field; did you mean objectives?',
    );
    const percent = parseOne(s => {
      s.spec.objectives[0] = { targetPercent: 0.999 };
    });
    expect(percent.problems[0].message).toContain(
      'for 99.9% write targetPercent: 99.9 or target: 0.999',
    );
    const name = parseOne(s => {
      s.metadata.name = 'Card Authorisation';
    });
    expect(name.problems[0].message).toContain("use 'card-authorisation'");
  });

  it('reports a query written without metricSource twice: the stray field and the missing one', () => {
    const { problems } = parseOne(s => {
      s.spec.indicator.spec.ratioMetric.total = { query: 'x' };
    });
    expect(problems.map(p => [p.path, p.rule])).toEqual([
      ['spec.indicator.spec.ratioMetric.total.query', 'unknown-field'],
      ['spec.indicator.spec.ratioMetric.total.metricSource', 'required'],
    ]);
  });

  it('requires op and value and a single objective for a threshold SLI', () => {
    const threshold = {
      thresholdMetric: {
        metricSource: {
          type: 'Prometheus',
          spec: {
            query: 'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))',
          },
        },
      },
    };
    const noOp = parseOne(s => {
      s.spec.indicator.spec = threshold;
    });
    expect(noOp.problems.map(p => [p.path, p.rule])).toEqual([
      ['spec.objectives[0].op', 'required'],
      ['spec.objectives[0].value', 'required'],
    ]);
    const two = parseOne(s => {
      s.spec.indicator.spec = threshold;
      s.spec.objectives = [
        { target: 0.99, op: 'lte', value: 0.3 },
        { target: 0.9, op: 'lte', value: 0.5 },
      ];
    });
    expect(two.problems.map(p => [p.path, p.rule])).toEqual([
      ['spec.objectives', 'range'],
    ]);
  });

  it('reports an SLO whose SLI is invalid, and duplicate names', () => {
    const sli = {
      apiVersion: 'openslo/v1',
      kind: 'SLI',
      metadata: { name: 'broken-sli' },
      spec: { ratioMetric: { counter: true } },
    };
    const slo: Mutable = availabilitySlo();
    delete slo.spec.indicator;
    slo.spec.indicatorRef = 'broken-sli';
    const { slos, problems } = parseOpenSlo(
      file(sli, slo, availabilitySlo()),
      'slo.yaml',
    );
    expect(slos).toEqual([]);
    expect(problems.map(p => [p.document, p.path, p.rule])).toEqual([
      [0, 'spec.ratioMetric.good', 'required'],
      [0, 'spec.ratioMetric.total', 'required'],
      [1, 'spec.indicatorRef', 'reference'],
      [2, 'metadata.name', 'duplicate'],
    ]);
    expect(problems[2].message).toContain(
      'names the SLI in document 0, which has problems',
    );
  });

  it('agrees with the reference validator (oslo) on a list document: op on a ratio SLI, a name with a space', () => {
    // Same faults as oslo's test/inputs/validate/v1.yaml; oslo reports the same two paths.
    const text = `
- apiVersion: openslo/v1
  kind: SLO
  metadata:
    name: web-availability
  spec:
    service: web
    indicator:
      metadata:
        name: web-success-ratio
      spec:
        ratioMetric:
          counter: true
          good:
            metricSource:
              type: Prometheus
              spec:
                query: http_requests_total{component="web",code=~"2..|4.."}
          total:
            metricSource:
              type: Prometheus
              spec:
                query: http_requests_total{component="web"}
    timeWindow:
      - duration: 1w
        isRolling: false
        calendar:
          startTime: 2022-01-01 12:00:00
          timeZone: America/New_York
    budgetingMethod: Timeslices
    objectives:
      - displayName: Good
        op: gt
        target: 0.995
        timeSliceTarget: 0.95
        timeSliceWindow: 1m
- apiVersion: openslo/v1
  kind: Service
  metadata:
    name: web
- apiVersion: openslo/v1
  kind: Service
  metadata:
    name: web service
  spec:
    description: The web front end
`;
    const { slos, problems } = parseOpenSlo(text, 'v1.yaml');
    expect(slos).toEqual([]);
    expect(problems.map(p => [p.item, p.path, p.rule])).toEqual([
      [0, 'spec.objectives[0].op', 'conflict'],
      [2, 'metadata.name', 'name'],
    ]);
    const lineOf = (n?: number) => text.split('\n')[n! - 1].trim();
    expect(problems.map(p => lineOf(p.line))).toEqual([
      'op: gt',
      'name: web service',
    ]);
    expect(problems[1].message).toBe(
      "v1.yaml: document 0, item 2 (Service web service): metadata.name 'web service' must be a DNS label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters); use 'web-service'",
    );
  });

  it('returns nothing and no problems for an empty file', () => {
    expect(parseOpenSlo('', 'empty.yaml')).toEqual({ slos: [], problems: [] });
    expect(parseOpenSlo('# SLOs come later\n', 'empty.yaml')).toEqual({
      slos: [],
      problems: [],
    });
  });

  it('reports a document that expands aliases without end, and reads the next one', () => {
    const bomb = [
      'a: &a [x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    const { slos, problems } = parseOpenSlo(
      `${bomb}\n---\n${file(availabilitySlo())}`,
      'bomb.yaml',
    );
    expect(slos).toHaveLength(1);
    expect(problems.map(p => [p.document, p.rule])).toEqual([[0, 'yaml']]);
  });

  it('reports documents that are not objects, and ignores empty ones', () => {
    const { slos, problems } = parseOpenSlo(
      `---\n---\njust text\n---\n${file(availabilitySlo())}`,
      'odd.yaml',
    );
    expect(slos).toHaveLength(1);
    expect(problems.map(p => [p.path, p.rule])).toEqual([['', 'type']]);
    expect(problems[0].message).toBe(
      "odd.yaml: document 1: 'just text' must be a mapping of fields",
    );
  });
});
