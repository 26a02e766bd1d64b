import { mockServices } from '@backstage/backend-test-utils';
import { DemoEstate } from '@internal/aws-local';
import type { CollectedResource } from '@internal/dr-readiness-common';
import knexFactory, { Knex } from 'knex';
import {
  collectorsOf,
  ConfigStack,
  configStackOf,
} from '../__testUtils__/configStack';
import { servicesOf } from '../__testUtils__/fixtures';
import { DrStore } from '../database/DrStore';
import { DrReader } from '../service/DrReader';
import { DrScanner } from '../service/DrScanner';
import { Collection, collectorOptionsFrom, DrCollector } from './AwsCollector';
import { ConfigCollector } from './ConfigCollector';

// One pinned clock for the estate, both collectors and both scans: nothing depends on today.
const NOW = new Date('2026-11-25T12:00:00.000Z');
const now = () => NOW;

/** The facts one resource carries, whatever source read them (the calls are each source's own). */
function factsOf(collection: Collection) {
  const byArn: Record<string, Omit<CollectedResource, 'calls'>> = {};
  for (const [service, list] of collection.resources)
    for (const { calls, ...resource } of list) {
      expect(calls.length).toBeGreaterThan(0);
      byArn[`${service} ${resource.arn}`] = resource;
    }
  return byArn;
}

type Stack = ConfigStack;
const stackOf = (estate: DemoEstate) => configStackOf(estate, now);
const collectors = (stack: Stack) => collectorsOf(stack);

/** A scheduled scan with `collector` into its own store: every service's score and control results. */
async function verdicts(stack: Stack, collector: DrCollector) {
  const knex: Knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  try {
    const store = await DrStore.fromKnex(knex);
    const services = servicesOf(stack.aws);
    const directory = async () => services;
    const scanner = new DrScanner({
      collector,
      store,
      services: directory,
      settings: stack.settings,
      logger: mockServices.logger.mock(),
      now,
    });
    await scanner.scanAll();
    const reader = new DrReader({
      store,
      services: directory,
      settings: stack.settings,
      now,
    });
    const scorecard = await reader.scorecard({});
    const results = await store.latestResults();
    return {
      scores: Object.fromEntries(
        scorecard.rows.map(row => [row.name, row.score]),
      ),
      results: Object.fromEntries(
        results.map(({ entityRef, result }) => [
          `${entityRef} ${result.controlId}`,
          {
            status: result.status,
            summary: result.summary,
            fix: result.fix,
            resources: result.resources,
          },
        ]),
      ),
    };
  } finally {
    await knex.destroy();
  }
}

describe('ConfigCollector and AwsCollector on one estate', () => {
  let stack: Stack;
  let fromAws: Collection;
  let fromConfig: Collection;

  beforeAll(async () => {
    stack = await stackOf(DemoEstate.load({ asOf: '2026-11-25' }));
    const { aws, config } = collectors(stack);
    // Every service's public hostname, as a scheduled scan passes them: Route 53 is compared too.
    const hostnames = new Map(
      servicesOf(stack.aws)
        .filter(s => s.hostname)
        .map(s => [s.name, s.hostname!]),
    );
    fromAws = await aws.collect({ hostnames });
    fromConfig = await config.collect({ hostnames });
  }, 60_000);
  afterAll(() => stack?.aws.close());

  it('finds the same resources for every service, with the same facts, backups, lag and errors', () => {
    const expected = factsOf(fromAws);
    // The estate's awkward cases are in the comparison: resources the scan may not read, gaps.
    expect(
      Object.values(expected).filter(r => r.error !== undefined).length,
    ).toBeGreaterThan(0);
    expect(Object.keys(expected).length).toBeGreaterThan(50);
    expect(factsOf(fromConfig)).toEqual(expected);
    expect(fromConfig.gaps).toEqual(fromAws.gaps);
    // The same facts and the same calls (each collector made its own: request ids differ).
    const route53Of = (c: Collection) =>
      [...c.route53.entries()].map(([service, facts]) => [
        service,
        {
          ...facts,
          calls: facts.calls.map(({ requestId, ...call }) => call),
        },
      ]);
    expect(route53Of(fromConfig)).toEqual(route53Of(fromAws));
    // Route 53 was read: failover records, and the PRIMARY checks' status from CloudWatch.
    const route53 = [...fromAws.route53.values()];
    expect(route53.length).toBeGreaterThan(3);
    expect(
      route53.filter(r =>
        r.healthChecks.some(c => c.status?.healthy !== undefined),
      ).length,
    ).toBeGreaterThan(0);
  });

  it('keeps the Config query and the configuration item as the evidence of each resource', () => {
    const fromItems = [...fromConfig.resources.values()]
      .flat()
      .filter(r => r.resourceType !== 'elasticache:replicationgroup');
    expect(fromItems.length).toBeGreaterThan(0);
    for (const resource of fromItems) {
      const call = resource.calls.find(
        c => c.operation === 'SelectAggregateResourceConfig',
      );
      expect(call).toMatchObject({
        service: 'config',
        query: expect.stringContaining('WHERE resourceType = '),
        configurationItem: {
          accountId: resource.accountId,
          region: resource.region,
          captureTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          status: expect.stringMatching(/^(OK|ResourceDiscovered)$/),
        },
      });
    }
  });

  it('reads per type and page, not per resource: calls per resource far below the describe APIs', () => {
    const resources = [...fromConfig.resources.values()].flat().length;
    const queries =
      fromConfig.counter.calls['config:SelectAggregateResourceConfig'];
    // One query per recorded DR type and the recorders' own, a page per 100 items.
    expect(queries).toBeGreaterThanOrEqual(7);
    expect(queries).toBeLessThan(7 + resources / 50);
    expect(fromConfig.counter.total()).toBeLessThan(fromAws.counter.total());
    // What the items hold is never described again, per resource or per scope.
    for (const operation of [
      'tagging:GetResources',
      'rds:DescribeDBClusters',
      'rds:DescribeDBInstances',
      'dynamodb:DescribeTable',
      's3:GetBucketVersioning',
      'kms:DescribeKey',
    ])
      expect({
        operation,
        calls:
          operation === 'tagging:GetResources'
            ? fromConfig.counter.calls[operation] ?? 0
            : fromConfig.counter.calls[operation],
      }).toEqual({
        operation,
        // ElastiCache's discovery only: one page per account x region.
        calls:
          operation === 'tagging:GetResources'
            ? stack.scopes.length
            : undefined,
      });
  });

  it('reads only the services of a rescan, with the same facts', async () => {
    const only = ['ledger-writer', 'payout-scheduler'];
    const { aws, config } = collectors(stack);
    const [expected, actual] = await Promise.all([
      aws.collect({ onlyServices: only }),
      config.collect({ onlyServices: only }),
    ]);
    expect([...expected.resources.keys()].sort()).toEqual(only);
    expect(factsOf(actual)).toEqual(factsOf(expected));
    // Its queries name the services: a page per type, not the whole estate's pages.
    const queries = actual.discoveryCalls.flatMap(c =>
      c.query ? [c.query] : [],
    );
    expect(queries).toHaveLength(6);
    for (const query of queries)
      expect(query).toContain(
        "AND tags.tag IN ('service=ledger-writer', 'service=payout-scheduler')",
      );
  });

  it('gives every service the same score and the same control results', async () => {
    const { aws, config } = collectors(stack);
    const [expected, actual] = await Promise.all([
      verdicts(stack, aws),
      verdicts(stack, config),
    ]);
    expect(Object.keys(expected.scores).length).toBeGreaterThan(10);
    expect(
      Object.values(expected.results).some(r => r.status === 'error'),
    ).toBe(true);
    expect(Object.values(expected.results).some(r => r.status === 'fail')).toBe(
      true,
    );
    expect(actual.scores).toEqual(expected.scores);
    expect(actual.results).toEqual(expected.results);
  }, 60_000);
});

describe('ConfigCollector when the aggregator misses an account x region', () => {
  let stack: Stack;
  let missing: { accountId: string; region: string };
  let notAggregated: { accountId: string; region: string };

  beforeAll(async () => {
    const estate = DemoEstate.load({ asOf: '2026-11-25' });
    const production = estate.accounts.find(
      a => a.environment === 'production',
    )!;
    missing = { accountId: production.id, region: estate.regions[0] };
    const staging = estate.accounts.find(a => a.environment === 'staging')!;
    notAggregated = { accountId: staging.id, region: estate.regions[1] };
    estate.seed.dr.config = {
      ...(estate.seed.dr.config ?? ({} as any)),
      aggregatorName: 'payments-org',
      unrecordedTypes: estate.seed.dr.config?.unrecordedTypes ?? [],
      missingSources: [
        {
          account: production.id,
          region: estate.regions[0],
          reason: 'recorder-off',
        },
        {
          account: staging.id,
          region: estate.regions[1],
          reason: 'not-aggregated',
        },
      ],
    } as any;
    stack = await stackOf(estate);
  }, 60_000);
  afterAll(() => stack?.aws.close());

  it('reports the scope as a discovery gap and never passes or fails what it could not see there', async () => {
    const { aws, config } = collectors(stack);
    const fromConfig = await config.collect();
    expect(fromConfig.gaps).toContainEqual(
      expect.objectContaining({
        ...missing,
        operation: 'config:DescribeConfigurationAggregatorSourcesStatus',
        code: 'NoAvailableConfigurationRecorderException',
      }),
    );
    // A source the aggregator does not have at all is told only by comparing with the scopes.
    expect(fromConfig.gaps).toContainEqual(
      expect.objectContaining({
        ...notAggregated,
        operation: 'config:DescribeConfigurationAggregatorSourcesStatus',
        code: 'SourceNotAggregated',
      }),
    );
    const seen = [...fromConfig.resources.values()]
      .flat()
      .filter(
        r =>
          r.accountId === missing.accountId &&
          r.region === missing.region &&
          r.resourceType !== 'elasticache:replicationgroup',
      );
    expect(seen).toEqual([]);
    // The same estate read account by account has resources there: Config's silence is not "none".
    const fromAws = await aws.collect();
    const there = [...fromAws.resources.entries()].filter(([, list]) =>
      list.some(
        r => r.accountId === missing.accountId && r.region === missing.region,
      ),
    );
    expect(there.length).toBeGreaterThan(0);
    const { results } = await verdicts(stack, config);
    for (const [service] of there) {
      const own = Object.entries(results).filter(([key]) =>
        key.startsWith(`component:default/${service} `),
      );
      for (const [key, result] of own) {
        if (key.endsWith(' route53-failover') || key.includes('drill'))
          continue;
        expect({ key, status: result.status }).not.toEqual({
          key,
          status: 'pass',
        });
      }
    }
  }, 60_000);

  it('reports every scope as unknown when the aggregator cannot be read', async () => {
    const config = new ConfigCollector({
      scopes: stack.scopes,
      ...collectorOptionsFrom(stack.settings),
      maxAttempts: 1,
      endpoint: stack.aws.endpoint,
      now,
      aggregator: {
        name: 'no-such-aggregator',
        region: stack.settings.regions[0],
        credentials: stack.aggregatorCredentials,
      },
    });
    const collection = await config.collect();
    expect(
      collection.gaps
        .filter(g => g.code === 'NoSuchConfigurationAggregatorException')
        .map(g => `${g.accountId}/${g.region}`)
        .sort(),
    ).toEqual(stack.scopes.map(s => `${s.accountId}/${s.region}`).sort());
    expect(
      [...collection.resources.values()]
        .flat()
        .filter(r => r.resourceType !== 'elasticache:replicationgroup'),
    ).toEqual([]);
  });
});

describe('ConfigCollector when the recorders skip a DR type', () => {
  let stack: Stack;

  beforeAll(async () => {
    const estate = DemoEstate.load({ asOf: '2026-11-25' });
    estate.seed.dr.config = {
      aggregatorName: 'payments-org',
      missingSources: [],
      unrecordedTypes: ['AWS::SecretsManager::Secret'],
    };
    stack = await stackOf(estate);
  }, 60_000);
  afterAll(() => stack?.aws.close());

  it("reads the recorders' recording groups: the type is a gap in every scope, and its control is never passed", async () => {
    const { aws, config } = collectors(stack);
    const fromConfig = await config.collect();
    const gaps = fromConfig.gaps.filter(
      g => g.code === 'ResourceTypeNotRecorded',
    );
    expect(gaps.map(g => `${g.accountId}/${g.region}`).sort()).toEqual(
      stack.scopes.map(s => `${s.accountId}/${s.region}`).sort(),
    );
    for (const gap of gaps) {
      expect(gap.resourceType).toBe('secretsmanager:secret');
      expect(gap.message).toContain(
        'does not record AWS::SecretsManager::Secret here',
      );
    }
    const secrets = (collection: Collection) =>
      [...collection.resources.values()]
        .flat()
        .filter(r => r.resourceType === 'secretsmanager:secret');
    expect(secrets(fromConfig)).toEqual([]);
    // Account by account the same estate has secrets: Config's silence is not "none".
    expect(secrets(await aws.collect()).length).toBeGreaterThan(0);
    const { results } = await verdicts(stack, config);
    const replicated = Object.entries(results).filter(([key]) =>
      key.endsWith(' secrets-replicated'),
    );
    expect(replicated.length).toBeGreaterThan(0);
    for (const [key, result] of replicated)
      expect({ key, status: result.status }).not.toEqual({
        key,
        status: 'pass',
      });
  }, 60_000);
});
