import type { ApiCallRecord } from '@internal/dr-readiness-common';
import { ConfigItemCache, DELIVERY_OVERLAP_MS, KeptItem } from './itemCache';

const HOUR = 3_600_000;
const T0 = new Date('2026-03-01T06:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
const TYPE = 'AWS::SecretsManager::Secret';

const call = (when: Date): ApiCallRecord =>
  ({
    service: 'config',
    operation: 'SelectAggregateResourceConfig',
    accountId: '111111111111',
    region: 'eu-west-1',
    at: when.toISOString(),
    requestId: `r-${when.getTime()}`,
  } as ApiCallRecord);

const item = (
  id: string,
  captured: Date,
  status = 'OK',
  region = 'eu-west-1',
): KeptItem => ({
  item: {
    resourceId: id,
    accountId: '111111111111',
    awsRegion: region,
    resourceType: TYPE,
    configurationItemStatus: status,
    configurationItemCaptureTime: captured.toISOString(),
  },
  call: call(captured),
});

const ids = (items: KeptItem[]) =>
  items.map(i => `${i.item.awsRegion}/${i.item.resourceId}`).sort();

describe('ConfigItemCache', () => {
  const first = [
    item('a', at(-30)),
    item('b', at(-20)),
    item('b', at(-20), 'OK', 'us-east-1'),
    item('gone', at(-200), 'ResourceDeleted'),
  ];

  it('reads a type in full first, then asks for what Config captured since the last query, less the delivery overlap', () => {
    const cache = new ConfigItemCache(24 * HOUR);
    expect(cache.plan(TYPE, at(0), false)).toEqual({ kind: 'full' });
    cache.storeFull(TYPE, first, at(0));
    // A deleted resource's item is not kept: three live resources, two with the same id in two regions.
    expect(cache.size).toBe(3);
    expect(cache.plan(TYPE, at(6), false)).toEqual({
      kind: 'delta',
      since: new Date(T0.getTime() - DELIVERY_OVERLAP_MS).toISOString(),
    });
    // Another type has nothing kept; a rescan always reads in full.
    expect(cache.plan('AWS::S3::Bucket', at(6), false)).toEqual({
      kind: 'full',
    });
    expect(cache.plan(TYPE, at(6), true)).toEqual({ kind: 'full' });
    // A clock before the last query (moved back) reads in full too.
    expect(cache.plan(TYPE, at(-1), false)).toEqual({ kind: 'full' });
  });

  it('reads in full again once the kept items are older than the maximum age (between half and the whole of it)', () => {
    const cache = new ConfigItemCache(24 * HOUR);
    cache.storeFull(TYPE, first, at(0));
    expect(cache.plan(TYPE, at(11.9), false).kind).toBe('delta');
    expect(cache.plan(TYPE, at(24), false).kind).toBe('full');
    // Each delta moves the next one's start on, not the deadline of the full read.
    expect(cache.applyDelta(TYPE, [], 3, at(6))).toBeDefined();
    expect(cache.plan(TYPE, at(7), false)).toEqual({
      kind: 'delta',
      since: new Date(at(6).getTime() - DELIVERY_OVERLAP_MS).toISOString(),
    });
    expect(cache.plan(TYPE, at(24), false).kind).toBe('full');
  });

  it('keeps nothing when the maximum age is 0', () => {
    const cache = new ConfigItemCache(0);
    cache.storeFull(TYPE, first, at(0));
    expect(cache.size).toBe(0);
    expect(cache.plan(TYPE, at(1), false)).toEqual({ kind: 'full' });
  });

  it('applies a delta: a changed item replaces the kept one, a new one is added, a ResourceDeleted one removes it', () => {
    const cache = new ConfigItemCache(24 * HOUR);
    cache.storeFull(TYPE, first, at(0));
    const delta = [
      item('a', at(3)),
      item('c', at(4), 'ResourceDiscovered'),
      item('b', at(5), 'ResourceDeleted', 'us-east-1'),
    ];
    const merged = cache.applyDelta(TYPE, delta, 3, at(6))!;
    expect(ids(merged.fresh)).toEqual(['eu-west-1/a', 'eu-west-1/c']);
    expect(merged.fresh.map(i => i.call.at).sort()).toEqual([
      at(3).toISOString(),
      at(4).toISOString(),
    ]);
    // The rest is what the first scan read, with its own page's call.
    expect(ids(merged.kept)).toEqual(['eu-west-1/b']);
    expect(merged.kept[0].call.at).toBe(at(-20).toISOString());
    // The next delta starts from the kept set with this one applied.
    expect(ids(cache.applyDelta(TYPE, [], 3, at(12))!.kept)).toEqual([
      'eu-west-1/a',
      'eu-west-1/b',
      'eu-west-1/c',
    ]);
  });

  it("believes no delta that does not add up to Config's count, and reads that type in full next", () => {
    const cache = new ConfigItemCache(24 * HOUR);
    cache.storeFull(TYPE, first, at(0));
    // A resource deleted (or created) whose item the delta did not show: 3 kept, Config counts 2.
    expect(cache.applyDelta(TYPE, [], 2, at(6))).toBeUndefined();
    expect(cache.plan(TYPE, at(6), false)).toEqual({ kind: 'full' });
    // A new resource the delta did not show: 3 kept, Config counts 4.
    cache.storeFull(TYPE, first, at(6));
    expect(cache.applyDelta(TYPE, [], 4, at(12))).toBeUndefined();
    // A type never read in full has nothing to apply a delta to.
    expect(cache.applyDelta('AWS::S3::Bucket', [], 0, at(12))).toBeUndefined();
  });
});
