import type { ApiCallRecord } from '@internal/dr-readiness-common';
import { ConfigItem, DELETED_STATUSES } from './items';
import { spreadOf } from './readings';

/** An item as a query answered it, with the call of its page (the query is in the call). */
export interface KeptItem {
  item: ConfigItem;
  call: ApiCallRecord;
}

/** The statuses a live item has: what the count query counts and the cache keeps. */
export const LIVE_STATUSES = [
  'OK',
  'ResourceDiscovered',
  'ResourceNotRecorded',
];

/**
 * How far before the last query a later one looks for new items: Config delivers an item to
 * the aggregator some time after it captures it (minutes; the loopback up to an hour), so the
 * item of a change made just before a scan may only be queryable after it.
 */
export const DELIVERY_OVERLAP_MS = 2 * 3_600_000;

interface KeptType {
  /** By account, region and resource id: what the full query and the deltas since returned. */
  items: Map<string, KeptItem>;
  /** The scan clock when the last query of the type (full or delta) started. */
  readAt: number;
  /** Until when deltas may stand in for the full query (a full query then reads everything again). */
  fullUntil: number;
}

/** What a scan reads for a type: everything, or only the items captured since `since`. */
export type ItemsPlan = { kind: 'full' } | { kind: 'delta'; since: string };

const keyOf = (item: ConfigItem) =>
  `${item.accountId ?? ''}/${item.awsRegion ?? ''}/${item.resourceId ?? ''}`;

const isLive = (item: ConfigItem) =>
  LIVE_STATUSES.includes(item.configurationItemStatus ?? '');

/**
 * The configuration items earlier scheduled scans read, per Config resource type, so a later
 * scan asks Config only for the items captured since (`configurationItemCaptureTime >` the last
 * query, less DELIVERY_OVERLAP_MS): Config records a new item whenever it sees a resource
 * change, so an item it has not captured anew is still the resource's current one.
 *
 * A delta is believed only when the kept items, with the delta applied (new and changed items
 * replace, ResourceDeleted items remove), number exactly what Config counts for the type now
 * (one GROUP BY query for all types): a resource created or deleted in a way the delta did not
 * show makes the counts differ, and the type is read in full. So is a type whose kept items are
 * older than `drReadiness.config.fallbackMaxAgeHours` (spread between half and the whole of it),
 * and every type on a rescan or when the age is 0.
 *
 * Kept items keep their own page's call and time: the evidence says which scan read them.
 */
export class ConfigItemCache {
  private readonly types = new Map<string, KeptType>();

  constructor(private readonly maxAgeMs: number) {}

  /** How many items are kept, over all types. */
  get size(): number {
    let n = 0;
    for (const kept of this.types.values()) n += kept.items.size;
    return n;
  }

  /** Whether `configType` is read in full or as a delta at `now`. */
  plan(configType: string, now: Date, fresh: boolean): ItemsPlan {
    const kept = this.types.get(configType);
    const at = now.getTime();
    if (
      fresh ||
      this.maxAgeMs <= 0 ||
      !kept ||
      at >= kept.fullUntil ||
      at < kept.readAt
    )
      return { kind: 'full' };
    return {
      kind: 'delta',
      since: new Date(kept.readAt - DELIVERY_OVERLAP_MS).toISOString(),
    };
  }

  /** Keeps a full query's items (live ones), read by a query that started at `startedAt`. */
  storeFull(configType: string, items: KeptItem[], startedAt: Date): void {
    if (this.maxAgeMs <= 0) return;
    const at = startedAt.getTime();
    this.types.set(configType, {
      items: new Map(
        items.filter(i => isLive(i.item)).map(i => [keyOf(i.item), i]),
      ),
      readAt: at,
      fullUntil: at + Math.floor(this.maxAgeMs * spreadOf(configType)),
    });
  }

  /**
   * The kept items with a delta applied, when they then number `count` (Config's own count of
   * live items of the type): the type's current items, those the delta returned (`fresh`) and
   * the rest (`kept`, read by an earlier scan); the cache moves on to them. Undefined when the
   * counts differ: read the type in full.
   */
  applyDelta(
    configType: string,
    delta: KeptItem[],
    count: number,
    startedAt: Date,
  ): { fresh: KeptItem[]; kept: KeptItem[] } | undefined {
    const kept = this.types.get(configType);
    if (!kept) return undefined;
    // Applied in place: a delta that does not add up forgets the type whole.
    const items = kept.items;
    const changed = new Set<string>();
    for (const entry of delta) {
      const key = keyOf(entry.item);
      changed.add(key);
      if (DELETED_STATUSES.has(entry.item.configurationItemStatus ?? ''))
        items.delete(key);
      else if (isLive(entry.item)) items.set(key, entry);
      else items.delete(key);
    }
    if (items.size !== count) {
      this.types.delete(configType);
      return undefined;
    }
    kept.readAt = startedAt.getTime();
    const fresh: KeptItem[] = [];
    const unchanged: KeptItem[] = [];
    for (const [key, entry] of items)
      (changed.has(key) ? fresh : unchanged).push(entry);
    return { fresh, kept: unchanged };
  }

  /** Forgets a type (its query failed: the next scan reads it in full). */
  forget(configType: string): void {
    this.types.delete(configType);
  }
}
