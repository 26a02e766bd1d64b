import { createHash } from 'node:crypto';
import type {
  ApiCallRecord,
  CollectedResource,
  ResourceFacts,
} from '@internal/dr-readiness-common';
import type { ConfigItem } from './items';

/** One per-resource fallback read: what it made of the resource, and its calls (their own times). */
interface Reading {
  /** The configuration item it completed: reused only while Config still holds this one. */
  captureTime: string;
  itemStatus: string;
  /** What else the read depended on (a bucket: whether its tier reads replication). */
  variant: string;
  /** When it was read, and until when it may be reused. */
  readAt: number;
  reuseUntil: number;
  facts: ResourceFacts;
  calls: ApiCallRecord[];
}

/**
 * Where a kept read's deadline falls between half and the whole of the maximum age: 0.5-1, from
 * its key (a resource's ARN, a Config type), so re-reads spread over scans.
 */
export function spreadOf(key: string): number {
  const digest = createHash('sha256').update(key).digest();
  return 0.5 + digest.readUInt32BE(0) / 2 ** 33;
}

/**
 * The per-resource fallback reads of earlier scans (DescribeSecret, DescribeContinuousBackups,
 * GetBucketReplication and the rest of CONFIG_FALLBACKS' per-resource reads), reused by a later
 * scheduled scan while the resource's configuration item is the one they completed (same
 * capture time and status: Config records a new item whenever it sees the resource change) and
 * they are younger than `drReadiness.config.fallbackMaxAgeHours`. Each resource's deadline
 * falls between half and the whole of that age (from its ARN), so the re-reads of a large
 * estate spread over scans instead of all falling due in one.
 *
 * A reused fact keeps its own calls, with the time each was answered: the evidence shows when
 * it was read. Failed reads are never kept. The readings live in the collector's memory: the
 * first scan after a restart reads everything.
 */
export class FallbackReadings {
  private readonly readings = new Map<string, Reading>();
  /** When expired readings were last dropped (those of resources no scan sees again included). */
  private prunedAt = 0;

  constructor(private readonly maxAgeMs: number) {}

  /** How many reads are kept. */
  get size(): number {
    return this.readings.size;
  }

  /** Facts and calls of an earlier read to reuse for the resource now, or undefined: read it (readOrReuse then forgets the old one). */
  private reusable(
    arn: string,
    item: ConfigItem,
    variant: string,
    now: Date,
  ): { facts: ResourceFacts; calls: ApiCallRecord[] } | undefined {
    const reading = this.readings.get(arn);
    if (!reading) return undefined;
    const unchanged =
      reading.captureTime === (item.configurationItemCaptureTime ?? '') &&
      reading.itemStatus === (item.configurationItemStatus ?? '') &&
      reading.variant === variant;
    const at = now.getTime();
    if (!unchanged || at >= reading.reuseUntil || at < reading.readAt)
      return undefined;
    // Copies: a scan may add to what it is given (key states, restores), never to the reading.
    return {
      facts: structuredClone(reading.facts),
      calls: structuredClone(reading.calls),
    };
  }

  /** Keeps a successful read for later scans (nothing is kept when reuse is off). */
  private remember(
    arn: string,
    item: ConfigItem,
    variant: string,
    now: Date,
    facts: ResourceFacts,
    calls: ApiCallRecord[],
  ): void {
    if (this.maxAgeMs <= 0) return;
    const readAt = now.getTime();
    // Once per maximum age, drop what expired: a deleted resource's read is never asked for again.
    if (readAt - this.prunedAt >= this.maxAgeMs) {
      for (const [key, kept] of this.readings)
        if (readAt >= kept.reuseUntil) this.readings.delete(key);
      this.prunedAt = readAt;
    }
    this.readings.set(arn, {
      captureTime: item.configurationItemCaptureTime ?? '',
      itemStatus: item.configurationItemStatus ?? '',
      variant,
      readAt,
      reuseUntil: readAt + Math.floor(this.maxAgeMs * spreadOf(arn)),
      facts: structuredClone(facts),
      calls: structuredClone(calls),
    });
  }

  /** A read that failed, or a resource gone: nothing of it is reused. */
  private forget(arn: string): void {
    this.readings.delete(arn);
  }

  /**
   * The resource completed by `read`, or by an earlier read of the same item (`fresh`: always
   * read). A read that leaves no facts or an error, or throws, is not kept.
   */
  async readOrReuse(
    resource: CollectedResource,
    item: ConfigItem,
    read: (resource: CollectedResource) => Promise<void>,
    options: { variant?: string; now: Date; fresh: boolean },
  ): Promise<void> {
    const variant = options.variant ?? '';
    const reused = options.fresh
      ? undefined
      : this.reusable(resource.arn, item, variant, options.now);
    if (reused) {
      resource.facts = reused.facts;
      resource.calls.push(...reused.calls.map(c => ({ ...c, reused: true })));
      return;
    }
    this.forget(resource.arn);
    const before = resource.calls.length;
    await read(resource);
    if (resource.facts && !resource.error)
      this.remember(
        resource.arn,
        item,
        variant,
        options.now,
        resource.facts,
        resource.calls.slice(before),
      );
  }
}
