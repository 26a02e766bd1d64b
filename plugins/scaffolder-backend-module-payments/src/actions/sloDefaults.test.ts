import fs from 'node:fs';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parseOpenSlo } from '@internal/slo-node';
import yaml from 'yaml';
import { tempDirectory } from '../__testUtils__/fixtures';
import { createSloDefaultsAction } from './sloDefaults';

const action = createSloDefaultsAction();

describe('payments:slo:defaults', () => {
  let workspace: ReturnType<typeof tempDirectory>;
  beforeEach(() => {
    workspace = tempDirectory('slo-defaults');
  });
  afterEach(() => workspace.cleanup());

  async function run(input: Record<string, unknown>, isDryRun = false) {
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        workspacePath: workspace.dir,
      }),
      isDryRun,
    };
    await action.handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  const read = (relative: string) =>
    fs.readFileSync(path.join(workspace.dir, relative), 'utf8');

  it('declares its id, dry-run support, examples and schemas', () => {
    expect(action.id).toBe('payments:slo:defaults');
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples?.[0].example).toContain(
      'action: payments:slo:defaults',
    );
    expect(action.schema?.input).toMatchObject({
      required: expect.arrayContaining(['service', 'kind', 'tier']),
    });
    expect((action.schema?.input as any).properties.kind.enum).toEqual([
      'http-service',
      'event-consumer',
    ]);
  });

  it('writes valid OpenSLO availability and latency SLOs for a tier-0 HTTP service', async () => {
    const out = await run({
      service: 'refund-service',
      system: 'card-acquiring',
      kind: 'http-service',
      tier: 'tier-0',
    });
    expect(out).toEqual({
      path: 'slos/slos.yaml',
      slos: ['refund-service-availability', 'refund-service-latency'],
      availabilityTarget: 99.95,
      latencyTarget: 99,
      latencyThresholdMs: 250,
    });

    const text = read('slos/slos.yaml');
    const { slos, problems } = parseOpenSlo(text, 'slos/slos.yaml');
    expect(problems).toEqual([]);
    expect(slos.map(slo => slo.name)).toEqual(out.slos);
    expect(slos.map(slo => slo.service)).toEqual([
      'refund-service',
      'refund-service',
    ]);
    expect(slos.map(slo => slo.window)).toEqual([
      expect.objectContaining({ kind: 'rolling', days: 28 }),
      expect.objectContaining({ kind: 'rolling', days: 28 }),
    ]);

    // The house style of catalog/slos/*.yaml: inline Prometheus sources, {{.window}} queries.
    const [availability, latency] = yaml
      .parseAllDocuments(text)
      .map(doc => doc.toJS());
    expect(availability.metadata.labels).toEqual({
      system: 'card-acquiring',
      'dr-tier': 'tier-0',
    });
    expect(availability.spec.indicator.spec.ratioMetric).toEqual({
      counter: true,
      good: {
        metricSource: {
          type: 'Prometheus',
          spec: {
            query:
              'sum(increase(http_server_requests_total{service="refund-service",code!~"5.."}[{{.window}}]))',
          },
        },
      },
      total: {
        metricSource: {
          type: 'Prometheus',
          spec: {
            query:
              'sum(increase(http_server_requests_total{service="refund-service"}[{{.window}}]))',
          },
        },
      },
    });
    expect(availability.spec.timeWindow).toEqual([
      { duration: '28d', isRolling: true },
    ]);
    expect(availability.spec.budgetingMethod).toBe('Occurrences');
    expect(availability.spec.objectives).toEqual([
      { displayName: 'refund-service availability', targetPercent: 99.95 },
    ]);
    expect(
      latency.spec.indicator.spec.ratioMetric.good.metricSource.spec.query,
    ).toBe(
      'sum(increase(http_server_request_duration_seconds_bucket{service="refund-service",le="0.25"}[{{.window}}]))',
    );
    expect(
      latency.spec.indicator.spec.ratioMetric.total.metricSource.spec.query,
    ).toBe(
      'sum(increase(http_server_request_duration_seconds_count{service="refund-service"}[{{.window}}]))',
    );
    expect(latency.spec.objectives).toEqual([
      { displayName: 'refund-service under 250 ms', targetPercent: 99 },
    ]);
  });

  it('writes consumer SLOs with a metric prefix where targetPath says', async () => {
    const out = await run({
      service: 'payout-instructions-consumer',
      kind: 'event-consumer',
      tier: 'tier-1',
      targetPath: 'ops/openslo.yaml',
      metricPrefix: 'payouts_',
    });
    expect(out).toMatchObject({
      path: 'ops/openslo.yaml',
      availabilityTarget: 99.9,
      latencyThresholdMs: 2500,
    });
    const text = read('ops/openslo.yaml');
    expect(parseOpenSlo(text, 'ops/openslo.yaml').problems).toEqual([]);
    expect(text).toContain(
      'sum(increase(payouts_messages_processed_total{service="payout-instructions-consumer",outcome!="error"}[{{.window}}]))',
    );
    expect(text).toContain(
      'sum(increase(payouts_message_processing_duration_seconds_bucket{service="payout-instructions-consumer",le="2.5"}[{{.window}}]))',
    );
    expect(text).toContain(
      'sum(increase(payouts_message_processing_duration_seconds_count{service="payout-instructions-consumer"}[{{.window}}]))',
    );
  });

  it.each([
    ['tier-0', '30'],
    ['tier-1', '60'],
    ['tier-2', '300'],
    ['tier-3', '900'],
  ])(
    'adds a %s event consumer a freshness (consumer lag) SLO: 99 %% of messages handled within %s s',
    async (tier, seconds) => {
      const out = await run({
        service: 'ledger-consumer',
        kind: 'event-consumer',
        tier,
      });
      expect(out.slos).toEqual([
        'ledger-consumer-availability',
        'ledger-consumer-latency',
        'ledger-consumer-freshness',
      ]);
      expect(out.freshnessThresholdSeconds).toBe(Number(seconds));
      const text = read('slos/slos.yaml');
      const { slos, problems } = parseOpenSlo(text, 'slos/slos.yaml');
      expect(problems).toEqual([]);
      expect(slos.map(slo => slo.name)).toEqual(out.slos);
      const freshness = yaml.parseAllDocuments(text)[2].toJS();
      expect(freshness.spec.objectives).toEqual([
        {
          displayName: `ledger-consumer messages handled within ${seconds} s`,
          targetPercent: 99,
        },
      ]);
      const { good, total } = freshness.spec.indicator.spec.ratioMetric;
      // "30" and "30.0": clients and Prometheus 3 write a whole-second bucket bound either way.
      expect(good.metricSource.spec.query).toBe(
        `sum(increase(message_age_seconds_bucket{service="ledger-consumer",le=~"${seconds}(\\\\.0)?"}[{{.window}}]))`,
      );
      expect(total.metricSource.spec.query).toBe(
        'sum(increase(message_age_seconds_count{service="ledger-consumer"}[{{.window}}]))',
      );
    },
  );

  it('gives an HTTP service no freshness SLO', async () => {
    const out = await run({
      service: 'svc',
      kind: 'http-service',
      tier: 'tier-0',
    });
    expect(out.slos).toEqual(['svc-availability', 'svc-latency']);
    expect(out.freshnessThresholdSeconds).toBeUndefined();
    expect(read('slos/slos.yaml')).not.toContain('message_age_seconds');
  });

  it.each([
    ['tier-0', 99.95],
    ['tier-1', 99.9],
    ['tier-2', 99.5],
    ['tier-3', 99],
  ])(
    '%s targets %s %% availability, and both kinds validate',
    async (tier, target) => {
      for (const kind of ['http-service', 'event-consumer']) {
        const out = await run({
          service: 'svc',
          kind,
          tier,
          targetPath: `${kind}.yaml`,
        });
        expect(out.availabilityTarget).toBe(target);
        expect(parseOpenSlo(read(`${kind}.yaml`), kind).problems).toEqual([]);
      }
    },
  );

  it("takes the team's availability target and latency threshold over the tier's", async () => {
    const out = await run({
      service: 'refund-service',
      kind: 'http-service',
      tier: 'tier-1',
      availabilityTarget: 99.99,
      latencyThresholdMs: 300,
    });
    expect(out).toMatchObject({
      availabilityTarget: 99.99,
      latencyTarget: 99,
      latencyThresholdMs: 300,
    });
    const text = read('slos/slos.yaml');
    expect(parseOpenSlo(text, 'slos.yaml').problems).toEqual([]);
    expect(text).toContain('targetPercent: 99.99');
    expect(text).toContain('refund-service under 300 ms');
    expect(text).toContain(
      'http_server_request_duration_seconds_bucket{service="refund-service",le="0.3"}',
    );
    // A whole second matches the le label both ways clients write it.
    await run({
      service: 'refund-service',
      kind: 'http-service',
      tier: 'tier-1',
      latencyThresholdMs: 1000,
    });
    expect(read('slos/slos.yaml')).toContain('le=~"1(\\\\.0)?"');
    expect(parseOpenSlo(read('slos/slos.yaml'), 'slos.yaml').problems).toEqual(
      [],
    );
  });

  it("keeps the tier's objectives when the answers are empty (null)", async () => {
    const out = await run({
      service: 'svc',
      kind: 'event-consumer',
      tier: 'tier-0',
      availabilityTarget: null,
      latencyThresholdMs: null,
    });
    expect(out).toMatchObject({
      availabilityTarget: 99.95,
      latencyThresholdMs: 500,
    });
  });

  it.each([
    [
      { availabilityTarget: 100 },
      'input.availabilityTarget 100 is not a percentage',
    ],
    [
      { availabilityTarget: 0 },
      'input.availabilityTarget 0 is not a percentage',
    ],
    [
      { latencyThresholdMs: 2.5 },
      'input.latencyThresholdMs 2.5 is not a latency threshold',
    ],
    [{ latencyThresholdMs: 120000 }, 'input.latencyThresholdMs 120000 is not'],
  ])(
    'rejects the objective %j, naming the field',
    async (objective, message) => {
      await expect(
        run({
          service: 'svc',
          kind: 'http-service',
          tier: 'tier-1',
          ...objective,
        }),
      ).rejects.toThrow(message);
    },
  );

  it('writes into the dry-run workspace too', async () => {
    const out = await run(
      { service: 'svc', kind: 'http-service', tier: 'tier-2' },
      true,
    );
    expect(out.path).toBe('slos/slos.yaml');
    expect(read('slos/slos.yaml')).toContain('svc-availability');
  });

  it.each([
    [
      '../outside.yaml',
      "input.targetPath '../outside.yaml' must be a relative path inside the workspace without '..'",
    ],
    [
      'slos/../../x.yaml',
      "input.targetPath 'slos/../../x.yaml' must be a relative path",
    ],
    [
      '/etc/slos.yaml',
      "input.targetPath '/etc/slos.yaml' must be a relative path",
    ],
  ])('rejects targetPath %s', async (targetPath, message) => {
    await expect(
      run({ service: 'svc', kind: 'http-service', tier: 'tier-0', targetPath }),
    ).rejects.toThrow(message);
  });

  it('rejects unknown tiers, bad service names, systems and prefixes, naming the field', async () => {
    await expect(
      run({ service: 'svc', kind: 'http-service', tier: 'gold' }),
    ).rejects.toThrow(
      "input.tier 'gold' has no default SLOs; use one of tier-0, tier-1, tier-2, tier-3",
    );
    await expect(
      run({ service: 'Refund_Service', kind: 'http-service', tier: 'tier-0' }),
    ).rejects.toThrow(
      "input.service 'Refund_Service' must be a lower-case catalog name",
    );
    await expect(
      run({
        service: 'svc',
        kind: 'http-service',
        tier: 'tier-0',
        metricPrefix: '9x-',
      }),
    ).rejects.toThrow(
      "input.metricPrefix '9x-' is not the start of a Prometheus metric name",
    );
    await expect(
      run({
        service: 'svc',
        kind: 'http-service',
        tier: 'tier-0',
        system: 'card-acquiring\n---\nkind: Group',
      }),
    ).rejects.toThrow(
      'input.system "card-acquiring\\n---\\nkind: Group" is not allowed; use the catalog name: lower-case letters, digits and \'-\'',
    );
    expect(fs.existsSync(path.join(workspace.dir, 'slos'))).toBe(false);
  });
});
