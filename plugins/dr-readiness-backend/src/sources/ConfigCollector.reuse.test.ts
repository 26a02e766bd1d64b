import { DemoEstate } from '@internal/aws-local';
import type { CollectedResource } from '@internal/dr-readiness-common';
import {
  collectorsOf,
  ConfigStack,
  configStackOf,
} from '../__testUtils__/configStack';
import type { Collection } from './AwsCollector';

// The estate's day and a clock the tests move: scheduled scans 6 h apart.
const START = new Date('2026-11-25T12:00:00.000Z');
const HOUR = 3_600_000;
let current = START;
const now = () => current;

/** The per-resource reads of what Config does not record. */
const FALLBACKS = [
  'secretsmanager:DescribeSecret',
  'dynamodb:DescribeContinuousBackups',
  's3:GetBucketReplication',
];
const fallbackCalls = (collection: Collection) =>
  FALLBACKS.reduce((sum, op) => sum + (collection.counter.calls[op] ?? 0), 0);

const resourcesOf = (collection: Collection) =>
  new Map(
    [...collection.resources.values()].flat().map(r => [r.arn, r] as const),
  );

/** What the scorecard judges a resource on: its facts, error and the operations of its calls. */
const judged = (r: CollectedResource) => ({
  facts: r.facts,
  error: r.error,
  operations: [
    ...new Set(r.calls.map(c => `${c.service}:${c.operation}`)),
  ].sort(),
});

const SELECT = 'config:SelectAggregateResourceConfig';
/** ElastiCache is not in Config's queries: described per account x region every scan. */
const elastiCache = (c: Collection) =>
  [...c.resources.values()]
    .flat()
    .filter(r => r.resourceType === 'elasticache:replicationgroup').length;

const captureOf = (r: CollectedResource) =>
  r.calls.find(c => c.configurationItem)?.configurationItem?.captureTime;
const fallbackCallOf = (r: CollectedResource) =>
  r.calls.find(c => FALLBACKS.includes(`${c.service}:${c.operation}`));

/**
 * The later scan's fallback reads against the first's: kept (the first read's call and time as
 * evidence, marked reused), read again (the later scan's time) or failed the first time.
 */
function compare(
  before: Map<string, CollectedResource>,
  after: Map<string, CollectedResource>,
) {
  const kept: Array<{ at: string; reused?: boolean }> = [];
  const reread: Array<{ at: string; reused?: boolean }> = [];
  let failed = 0;
  for (const [arn, resource] of after) {
    const earlier = before.get(arn)!;
    const call = fallbackCallOf(resource);
    if (earlier.error?.startsWith('secretsmanager:DescribeSecret failed'))
      failed++;
    else if (call)
      (call.reused ? kept : reread).push({
        at: call.at,
        reused: call.reused,
      });
  }
  // Kept: the first scan's call, marked reused; read again: this scan's, unmarked.
  expect(new Set(kept.map(c => `${c.at} ${c.reused}`))).toEqual(
    new Set(kept.length ? [`${START.toISOString()} true`] : []),
  );
  expect(new Set(reread.map(c => `${c.at} ${c.reused}`))).toEqual(
    new Set(reread.length ? [`${current.toISOString()} undefined`] : []),
  );
  return { kept: kept.length, reread: reread.length, failed };
}

describe('ConfigCollector reusing its per-resource fallback reads', () => {
  let stack: ConfigStack;
  let estate: DemoEstate;

  beforeAll(async () => {
    estate = DemoEstate.load({ asOf: '2026-11-25' });
    stack = await configStackOf(estate, now);
  }, 60_000);
  afterAll(() => stack?.aws.close());
  beforeEach(() => {
    current = START;
  });

  const collector = (fallbackMaxAgeHours: number) =>
    collectorsOf(stack, { fallbackMaxAgeHours }).config;

  it('makes no per-resource read 6 h later for an unchanged item, and keeps the first read as evidence with its own time', async () => {
    const config = collector(24);
    const first = await config.collect();
    current = new Date(START.getTime() + 6 * HOUR);
    const later = await config.collect();

    expect(fallbackCalls(first)).toBeGreaterThan(30);
    const before = resourcesOf(first);
    const after = resourcesOf(later);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [arn, resource] of after)
      expect(judged(resource)).toEqual(judged(before.get(arn)!));
    const { kept, reread, failed } = compare(before, after);
    expect(kept).toBeGreaterThan(20);
    // Made again: only the reads that failed (a secret whose policy denies DescribeSecret);
    // the resources Config captured anew in those 6 h changed nothing the reads depend on.
    expect(failed).toBeGreaterThan(0);
    expect(reread).toBe(0);
    expect(fallbackCalls(later)).toBe(failed);
    expect(fallbackCalls(later)).toBeLessThan(fallbackCalls(first) / 5);
    // AWS Backup's plan versions and selections are immutable: listed again, not read again.
    for (const op of ['backup:GetBackupPlan', 'backup:GetBackupSelection']) {
      expect(first.counter.calls[op]).toBeGreaterThan(0);
      expect(later.counter.calls[op] ?? 0).toBe(0);
    }
    expect(later.counter.calls['backup:ListBackupSelections']).toBe(
      first.counter.calls['backup:ListBackupSelections'],
    );
    const planCalls = [...after.values()]
      .flatMap(r => r.calls)
      .filter(c => c.operation === 'GetBackupSelection');
    expect(planCalls.length).toBeGreaterThan(0);
    for (const call of planCalls)
      expect([call.at, call.reused]).toEqual([START.toISOString(), true]);
  }, 60_000);

  it('reads again once a read is past its deadline (between half and the whole of the maximum age, by ARN)', async () => {
    const config = collector(24);
    const first = await config.collect();
    // 20 h: past some resources' spread deadline (12-24 h); 4 days: items captured anew.
    current = new Date(START.getTime() + 20 * HOUR);
    const partly = await config.collect();
    current = new Date(START.getTime() + 4 * 24 * HOUR);
    const changed = await config.collect();

    expect(fallbackCalls(partly)).toBeGreaterThan(0);
    expect(fallbackCalls(partly)).toBeLessThan(fallbackCalls(first));
    // Every reading is past 24 h by then: each resource is read again.
    expect(fallbackCalls(changed)).toBe(fallbackCalls(first));
    const times = [...resourcesOf(changed).values()].flatMap(r =>
      r.calls
        .filter(c => FALLBACKS.includes(`${c.service}:${c.operation}`))
        .map(c => c.at),
    );
    expect(new Set(times)).toEqual(new Set([current.toISOString()]));
  }, 60_000);

  it('keeps a read through a new item that changed only what the read does not depend on, and reads again when the item changed what it does', async () => {
    const config = collector(168);
    const first = await config.collect();
    // The secrets of one account x region move to another KMS key: Config's items captured
    // from now on say so (the loopback's resources change every 6 days at moments of their own).
    const moved = [...first.resources.values()]
      .flat()
      .find(r => r.resourceType === 'secretsmanager:secret' && !r.error)!;
    const secrets = estate.dr.scope(moved.accountId, moved.region).secrets;
    const keys = secrets.map(s => s.kmsKeyId);
    for (const s of secrets) s.kmsKeyId = `${s.kmsKeyId}-rotated`;
    try {
      // Two days on: about a third of the items were captured anew (a table's item count, a
      // bucket's lifecycle, a secret's description changed; and those secrets' key).
      current = new Date(START.getTime() + 48 * HOUR);
      const later = await config.collect();
      const full = resourcesOf(await collector(168).collect());
      const before = resourcesOf(first);
      const after = resourcesOf(later);
      const inMovedScope = (r: CollectedResource) =>
        r.resourceType === 'secretsmanager:secret' &&
        r.accountId === moved.accountId &&
        r.region === moved.region;
      let keptAnew = 0;
      let rereadAnew = 0;
      for (const [arn, resource] of after) {
        const earlier = before.get(arn)!;
        const call = fallbackCallOf(resource);
        if (!call || earlier.error) continue;
        const anew = captureOf(resource) !== captureOf(earlier);
        // Read again exactly when the new item says something else of what the read depends on.
        expect({ arn, read: !call.reused }).toEqual({
          arn,
          read: anew && inMovedScope(resource),
        });
        if (!anew) continue;
        if (call.reused) keptAnew++;
        else rereadAnew++;
        // Either way its facts are what a scan reading everything finds now.
        expect({ arn, facts: resource.facts }).toEqual({
          arn,
          facts: full.get(arn)!.facts,
        });
      }
      expect(keptAnew).toBeGreaterThan(5);
      expect(rereadAnew).toBeGreaterThan(0);
    } finally {
      secrets.forEach((s, i) => (s.kmsKeyId = keys[i]));
    }
  }, 60_000);

  it('reads every resource on a rescan of chosen services, and every scan with fallbackMaxAgeHours 0', async () => {
    const config = collector(24);
    const first = await config.collect();
    const service = [...first.resources.entries()].find(([, list]) =>
      list.some(r => r.resourceType === 'secretsmanager:secret' && !r.error),
    )![0];
    current = new Date(START.getTime() + HOUR);
    const rescan = await config.collect({ onlyServices: [service] });
    const secrets = rescan.resources
      .get(service)!
      .filter(r => r.resourceType === 'secretsmanager:secret');
    expect(secrets.length).toBeGreaterThan(0);
    expect(rescan.counter.calls['secretsmanager:DescribeSecret']).toBe(
      secrets.length,
    );
    expect(rescan.counter.calls['backup:GetBackupSelection']).toBeGreaterThan(
      0,
    );

    const never = collector(0);
    const once = await never.collect();
    current = new Date(START.getTime() + 6 * HOUR);
    const again = await never.collect();
    expect(fallbackCalls(again)).toBe(fallbackCalls(once));
  }, 60_000);
  it('queries 6 h later only the items Config captured since, and gives the same facts as a full scan then', async () => {
    const config = collector(24);
    const first = await config.collect();
    current = new Date(START.getTime() + 6 * HOUR);
    const later = await config.collect();
    const full = await collector(24).collect();

    // The same resources, facts and errors as a collector that reads everything at that time.
    const fromDelta = resourcesOf(later);
    const fromFull = resourcesOf(full);
    expect([...fromDelta.keys()].sort()).toEqual([...fromFull.keys()].sort());
    for (const [arn, resource] of fromDelta)
      expect({
        arn,
        facts: resource.facts,
        backup: resource.backup,
        lag: resource.measuredLag,
        error: resource.error,
      }).toEqual({
        arn,
        facts: fromFull.get(arn)!.facts,
        backup: fromFull.get(arn)!.backup,
        lag: fromFull.get(arn)!.measuredLag,
        error: fromFull.get(arn)!.error,
      });
    expect(later.gaps).toEqual(full.gaps);

    // Config's answers: only the items captured in those 6 h (and the overlap before them).
    const answered = (c: Collection) =>
      [...c.resources.values()]
        .flat()
        .filter(r =>
          r.calls.some(call => call.configurationItem && !call.reused),
        ).length;
    expect(answered(first)).toBe(resourcesOf(first).size - elastiCache(first));
    expect(answered(later)).toBeLessThan(answered(first) / 5);
    // A kept item's evidence: the first scan's page (marked reused) and this scan's delta and count.
    const kept = [...fromDelta.values()].filter(r =>
      r.calls.some(c => c.configurationItem && c.reused),
    );
    const read = [...fromDelta.values()].filter(r =>
      r.calls.some(c => c.configurationItem && !c.reused),
    );
    expect(kept.length).toBeGreaterThan(20);
    expect(read.length).toBeGreaterThan(0);
    for (const resource of kept) {
      const configCalls = resource.calls.filter(
        c => `${c.service}:${c.operation}` === SELECT,
      );
      // (A bucket's may add the page of its replication destination's item.)
      expect([configCalls[0].at, configCalls[0].reused]).toEqual([
        START.toISOString(),
        true,
      ]);
      const thisScan = configCalls.filter(c => !c.reused);
      expect(thisScan.map(c => c.at)).toEqual([
        current.toISOString(),
        current.toISOString(),
      ]);
      expect(thisScan[0].query).toContain(
        `configurationItemCaptureTime > '${new Date(
          START.getTime() - 2 * HOUR,
        ).toISOString()}'`,
      );
      expect(thisScan[1].query).toMatch(/COUNT\(\*\).*GROUP BY resourceType$/);
    }
    // Completed copy jobs: those listed before are kept (their listing's call marked reused),
    // beside this scan's listing of the jobs completed since.
    const copied = [...fromDelta.values()].filter(
      r => (r.backup?.copyRegions ?? []).length > 0,
    );
    expect(copied.length).toBeGreaterThan(0);
    const laterAt = current.toISOString();
    for (const resource of copied) {
      const listings = resource.calls
        .filter(c => c.operation === 'ListCopyJobs')
        .map(c => `${c.at} ${c.reused ? 'reused' : 'read'}`);
      expect(listings).toContain(`${START.toISOString()} reused`);
      expect(listings).toContain(`${laterAt} read`);
    }
    // Replication lag: the older periods of the window are the first scan's (its call cited,
    // marked reused), beside this scan's read of the periods since (the same lag as a full read).
    const lagged = [...fromDelta.values()].filter(
      r => (r.measuredLag?.streams.length ?? 0) > 0,
    );
    expect(lagged.length).toBeGreaterThan(0);
    for (const resource of lagged) {
      const reads = resource.calls
        .filter(c => c.operation === 'GetMetricData')
        .map(c => `${c.at} ${c.reused ? 'reused' : 'read'}`);
      expect(reads).toEqual([
        `${START.toISOString()} reused`,
        `${laterAt} read`,
      ]);
    }
    // An item captured anew is this scan's, from the delta.
    for (const resource of read)
      expect(resource.calls.find(c => c.configurationItem)!.query).toContain(
        'configurationItemCaptureTime >',
      );
  }, 60_000);

  it('reads a type in full when a resource went without an item the delta shows (Config counts fewer)', async () => {
    const config = collector(24);
    const first = await config.collect();
    // A secret deleted with no ResourceDeleted item delivered yet: only the count shows it.
    const secret = [...first.resources.values()]
      .flat()
      .find(
        r =>
          r.resourceType === 'secretsmanager:secret' &&
          estate.dr
            .scope(r.accountId, r.region)
            .secrets.some(s => s.arn === r.arn),
      )!;
    const secrets = estate.dr.scope(secret.accountId, secret.region).secrets;
    const index = secrets.findIndex(s => s.arn === secret.arn);
    const [removed] = secrets.splice(index, 1);
    try {
      current = new Date(START.getTime() + 6 * HOUR);
      const later = await config.collect();
      expect(resourcesOf(later).has(secret.arn)).toBe(false);
      // Secrets were queried in full; the other types as deltas.
      const queries = new Set(
        [...later.resources.values()]
          .flat()
          .flatMap(r => r.calls)
          .filter(c => c.configurationItem && !c.reused)
          .map(c => c.query ?? ''),
      );
      const secretsQueries = [...queries].filter(q =>
        q.includes("'AWS::SecretsManager::Secret'"),
      );
      expect(secretsQueries).toHaveLength(1);
      expect(secretsQueries[0]).not.toContain('configurationItemCaptureTime >');
      expect(
        [...queries].filter(q => q.includes('configurationItemCaptureTime >'))
          .length,
      ).toBeGreaterThan(0);
      const again = resourcesOf(await collector(24).collect());
      expect([...resourcesOf(later).keys()].sort()).toEqual(
        [...again.keys()].sort(),
      );
    } finally {
      secrets.splice(index, 0, removed);
    }
  }, 60_000);
});
