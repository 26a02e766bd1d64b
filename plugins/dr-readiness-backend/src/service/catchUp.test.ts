import { TestDatabases } from '@backstage/backend-test-utils';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import { ScanSummary } from '@internal/dr-readiness-common';
import { readDrPolicy } from '@internal/dr-readiness-node';
import { ConfigReader } from '@backstage/config';
import {
  appConfigDrReadiness,
  demoTaxonomy,
  drStack,
  runningClock,
  servicesOf,
} from '../__testUtils__/fixtures';
import { planCatchUp } from './catchUp';
import type { DrService } from './serviceDirectory';
import { readDrSettings } from './settings';

const MINUTE = 60_000;
const AT = '2027-03-01T00:20:00Z';
const { tiers } = readDrPolicy(
  new ConfigReader({ drReadiness: appConfigDrReadiness() }),
);

const service = (name: string, tier: string): DrService => ({
  entityRef: `component:default/${name}`,
  name,
  tier,
});

const scan = (
  overrides: Partial<ScanSummary> & Pick<ScanSummary, 'trigger' | 'status'>,
): ScanSummary => ({
  id: `scan-${Math.random()}`,
  startedAt: AT,
  calls: {},
  servicesScanned: 0,
  resourcesScanned: 0,
  gaps: [],
  ...overrides,
});

describe('drReadiness.catchUp', () => {
  const read = (catchUp?: object) =>
    readDrSettings(
      new ConfigReader({ drReadiness: { ...appConfigDrReadiness(), catchUp } }),
      demoTaxonomy(),
    );

  it('runs every minute and covers up to 20 services unless configured', () => {
    expect(read()).toMatchObject({
      catchUpEverySeconds: 60,
      catchUpMaxServices: 20,
    });
    expect(read({ everySeconds: 15, maxServices: 5 })).toMatchObject({
      catchUpEverySeconds: 15,
      catchUpMaxServices: 5,
    });
  });

  it('names the key and the range when a value is wrong', () => {
    expect(() => read({ maxServices: 50 })).toThrow(
      'drReadiness.catchUp.maxServices must be a number from 1 to 20 (got 50)',
    );
    expect(() => read({ maxServices: 2.5 })).toThrow(
      'drReadiness.catchUp.maxServices must be a whole number (got 2.5)',
    );
    expect(() => read({ everySeconds: 0 })).toThrow(
      'drReadiness.catchUp.everySeconds must be a number from 1 to 3600 (got 0)',
    );
  });
});

describe('planCatchUp', () => {
  const now = new Date(AT);
  const plan = (
    services: DrService[],
    options: {
      scanned?: string[];
      recentScans?: ScanSummary[];
      maxServices?: number;
    } = {},
  ) =>
    planCatchUp({
      services,
      tiers,
      scanned: new Set(options.scanned ?? []),
      recentScans: options.recentScans ?? [],
      now,
      timeoutMs: 30 * MINUTE,
      retryMs: 5 * MINUTE,
      maxServices: options.maxServices ?? 20,
    });
  const names = (services: DrService[]) => services.map(s => s.name);

  it('takes the tiered services without results, most critical tier first, at most maxServices', () => {
    const result = plan(
      [
        service('reports', 'tier-3'),
        service('ledger', 'tier-0'),
        service('payouts', 'tier-1'),
        service('vault', 'tier-0'),
        service('typo', 'tier-9'),
        service('scanned', 'tier-0'),
      ],
      { scanned: ['component:default/scanned'], maxServices: 3 },
    );
    expect(names(result.due)).toEqual(['ledger', 'vault', 'payouts']);
    expect(names(result.later)).toEqual(['reports']);
    expect(result.waiting).toEqual([]);
  });

  it('has nothing to do when every tiered service has results', () => {
    expect(
      plan([service('ledger', 'tier-0'), service('typo', 'tier-9')], {
        scanned: ['component:default/ledger'],
      }),
    ).toEqual({ due: [], later: [], waiting: [] });
  });

  it('leaves a service to a targeted scan still running, and for the retry interval after one failed', () => {
    const minutesAgo = (m: number) =>
      new Date(now.getTime() - m * MINUTE).toISOString();
    const refs = (...n: string[]) => n.map(x => `component:default/${x}`);
    const result = plan(
      ['running', 'failed', 'interrupted', 'old-failure', 'stale', 'done'].map(
        n => service(n, 'tier-1'),
      ),
      {
        recentScans: [
          scan({
            trigger: 'rescan',
            status: 'running',
            startedAt: minutesAgo(1),
            entityRefs: refs('running'),
          }),
          scan({
            trigger: 'catch-up',
            status: 'failed',
            startedAt: minutesAgo(4),
            entityRefs: refs('failed'),
          }),
          scan({
            trigger: 'catch-up',
            status: 'interrupted',
            startedAt: minutesAgo(2),
            entityRefs: refs('interrupted'),
          }),
          // Failed longer ago than the retry interval: tried again.
          scan({
            trigger: 'catch-up',
            status: 'failed',
            startedAt: minutesAgo(6),
            entityRefs: refs('old-failure'),
          }),
          // Running past the task timeout: its replica died.
          scan({
            trigger: 'catch-up',
            status: 'running',
            startedAt: minutesAgo(31),
            entityRefs: refs('stale'),
          }),
          // Completed but the catalog read before it stored: nothing holds it.
          scan({
            trigger: 'rescan',
            status: 'completed',
            startedAt: minutesAgo(1),
            entityRefs: refs('done'),
          }),
        ],
      },
    );
    expect(names(result.due)).toEqual(['done', 'old-failure', 'stale']);
    expect(names(result.waiting)).toEqual(['failed', 'interrupted', 'running']);
  });
});

const databases = TestDatabases.create({
  ids: [
    'POSTGRES_18',
    'POSTGRES_17',
    'POSTGRES_16',
    'POSTGRES_15',
    'POSTGRES_14',
    'SQLITE_3',
  ],
});

describe.each(databases.eachSupportedId())(
  'the DR catch-up, stored on %s',
  databaseId => {
    // A Monday month start just after midnight UTC; the endpoint, scans and reads share it, and
    // the test moves it on past the retry interval.
    const running = runningClock(AT);
    let offset = 0;
    const now = () => new Date(running().getTime() + offset);
    let aws: AwsLocal;
    let catalog: DrService[];
    let stack: Awaited<ReturnType<typeof drStack>>;
    const totalCalls = (s: ScanSummary) =>
      Object.values(s.calls).reduce((a, b) => a + b, 0);
    const refs = (services: DrService[]) => services.map(s => s.entityRef);

    beforeAll(async () => {
      aws = await startAwsLocal({ now });
      const estate = servicesOf(aws);
      // As on a fresh portal: the catalog had loaded one service of the demo organisation.
      catalog = estate.filter(s => s.name === 'ledger-writer');
      stack = await drStack(aws, await databases.init(databaseId), {
        now,
        directory: async () => catalog,
        config: { catchUp: { maxServices: 20 } },
      });
    }, 60_000);

    afterAll(async () => {
      await aws?.close();
    });

    it('waits for the first scheduled scan, then scans only the services the catalog gained since, and makes no AWS call when nothing is new', async () => {
      const estate = servicesOf(aws);
      aws.resetStats();
      expect(await stack.scanner.catchUp()).toBeUndefined();
      expect(aws.stats().totalCalls).toBe(0);
      expect(await stack.store.scans(10)).toEqual([]);

      const first = await stack.scanner.scanAll();
      expect(first).toMatchObject({ trigger: 'scheduled', servicesScanned: 1 });

      // The catalog finishes loading the demo organisation.
      catalog = estate;
      const gained = estate.filter(s => s.name !== 'ledger-writer');
      const caughtUp = (await stack.scanner.catchUp())!;
      expect(caughtUp).toMatchObject({
        trigger: 'catch-up',
        status: 'completed',
        servicesScanned: gained.length,
      });
      expect(caughtUp.entityRef).toBeUndefined();
      expect([...caughtUp.entityRefs!].sort()).toEqual(refs(gained).sort());
      // Tier-0 first.
      expect(
        caughtUp.entityRefs!.slice(
          0,
          gained.filter(s => s.tier === 'tier-0').length,
        ),
      ).toEqual(
        refs(gained.filter(s => s.tier === 'tier-0')).sort((a, b) =>
          a.localeCompare(b),
        ),
      );
      expect(totalCalls(caughtUp)).toBeGreaterThan(0);

      // Each new service has its results, evidence and a history point; ledger-writer was not rescanned.
      const vault = await stack.reader.detail(
        'component:default/card-tokenisation-vault',
      );
      expect(vault.scan?.id).toBe(caughtUp.id);
      const pitr = vault.results.find(r => r.controlId === 'dynamodb-pitr')!;
      expect(pitr.status).toBe('fail');
      expect(pitr.evidenceHash).toMatch(/^[0-9a-f]{64}$/);
      expect(pitr.calls.map(c => c.operation)).toContain(
        'DescribeContinuousBackups',
      );
      expect(
        (await stack.reader.history(vault.entityRef)).points.map(p => p.scanId),
      ).toEqual([caughtUp.id]);
      expect(
        (await stack.reader.history('component:default/ledger-writer')).points,
      ).toEqual([expect.objectContaining({ scanId: first.id })]);
      const scorecard = await stack.reader.scorecard({});
      expect(scorecard.rows.filter(r => !r.scannedAt)).toEqual([]);
      expect(scorecard.lastScan?.id).toBe(first.id);

      // Nothing new: no scan, no AWS call, however often it runs.
      aws.resetStats();
      for (let run = 0; run < 3; run++)
        expect(await stack.scanner.catchUp()).toBeUndefined();
      expect(aws.stats().totalCalls).toBe(0);
      expect((await stack.store.scans(10)).map(s => s.id)).toEqual([
        caughtUp.id,
        first.id,
      ]);

      // A golden path registers a service: the next run scans it alone, and only its resources.
      const scaffolded = {
        entityRef: 'component:default/refund-svc',
        name: 'refund-svc',
        tier: 'tier-1',
      };
      catalog = [...estate, scaffolded];
      const single = (await stack.scanner.catchUp())!;
      expect(single).toMatchObject({
        trigger: 'catch-up',
        status: 'completed',
        servicesScanned: 1,
        resourcesScanned: 0,
        entityRefs: [scaffolded.entityRef],
      });
      expect(totalCalls(single)).toBeLessThan(totalCalls(caughtUp));
      expect(
        (await stack.reader.detail(scaffolded.entityRef)).results.length,
      ).toBeGreaterThan(0);
    }, 60_000);

    it('covers at most maxServices per run, leaves services a targeted scan holds, and retries a failed one after the retry interval', async () => {
      const bounded = await drStack(aws, await databases.init(databaseId), {
        now,
        directory: async () => catalog,
        config: {
          catchUp: { maxServices: 2 },
          rescan: { minIntervalSeconds: 300 },
        },
      });
      const estate = servicesOf(aws);
      catalog = estate.filter(s => s.name === 'ledger-writer');
      await bounded.scanner.scanAll();
      const added = [
        service('new-tier-3', 'tier-3'),
        service('new-tier-0', 'tier-0'),
        service('new-tier-1', 'tier-1'),
        service('held-by-rescan', 'tier-0'),
        service('failed-before', 'tier-0'),
      ];
      catalog = [...catalog, ...added];
      // Another replica is rescanning one; a catch-up of another failed a minute ago.
      const rescan = await bounded.store.startScan({
        trigger: 'rescan',
        entityRef: 'component:default/held-by-rescan',
        entityRefs: ['component:default/held-by-rescan'],
        startedAt: now(),
      });
      const failed = await bounded.store.startScan({
        trigger: 'catch-up',
        entityRefs: ['component:default/failed-before'],
        startedAt: new Date(now().getTime() - MINUTE),
      });
      await bounded.store.failScan(failed, now(), 'throttled', {});

      const first = (await bounded.scanner.catchUp())!;
      expect(first.entityRefs).toEqual([
        'component:default/new-tier-0',
        'component:default/new-tier-1',
      ]);
      const second = (await bounded.scanner.catchUp())!;
      expect(second.entityRefs).toEqual(['component:default/new-tier-3']);
      expect(await bounded.scanner.catchUp()).toBeUndefined();

      // Five minutes on, the failed service is tried again; the rescan still runs (within the timeout).
      offset += 5 * MINUTE;
      const retry = (await bounded.scanner.catchUp())!;
      expect(retry.entityRefs).toEqual(['component:default/failed-before']);
      expect((await bounded.store.scan(rescan))?.status).toBe('running');
      expect(await bounded.scanner.catchUp()).toBeUndefined();
    }, 60_000);

    it('does not run beside a scheduled scan, and marks a catch-up its dead replica left running as interrupted', async () => {
      const quiet = await drStack(aws, await databases.init(databaseId), {
        now,
        directory: async () => catalog,
      });
      catalog = servicesOf(aws).filter(s => s.name === 'ledger-writer');
      await quiet.scanner.scanAll();
      catalog = servicesOf(aws);
      const orphan = await quiet.store.startScan({
        trigger: 'catch-up',
        entityRefs: ['component:default/fx-rates-service'],
        startedAt: new Date(now().getTime() - MINUTE),
      });
      const scheduled = await quiet.store.startScan({
        trigger: 'scheduled',
        startedAt: now(),
      });
      aws.resetStats();
      expect(await quiet.scanner.catchUp()).toBeUndefined();
      expect(aws.stats().totalCalls).toBe(0);
      expect((await quiet.store.scan(orphan))?.status).toBe('interrupted');
      expect((await quiet.store.scan(scheduled))?.status).toBe('running');

      // The scheduled scan's replica died: past the task timeout the catch-up goes ahead.
      offset += 31 * MINUTE;
      const caughtUp = (await quiet.scanner.catchUp())!;
      expect(caughtUp.servicesScanned).toBe(servicesOf(aws).length - 1);
      expect((await quiet.store.scan(scheduled))?.status).toBe('interrupted');
    }, 60_000);
  },
);
