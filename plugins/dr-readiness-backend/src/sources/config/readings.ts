import { createHash } from 'node:crypto';
import type {
  ApiCallRecord,
  CollectedResource,
} from '@internal/dr-readiness-common';

/**
 * A per-resource read of what Config does not record, as FallbackReadings runs it: what of the
 * item its answer depends on, the read, and how the resource's facts come of the item and it.
 */
export interface FallbackRead<T> {
  /**
   * The recorded fields the read's answer depends on (a table's continuous backups status, a
   * bucket's replication configuration as Config records it, a secret's name and key), as text:
   * a kept answer is reused only while the item says the same. A new item that changed other
   * fields (a table's item count, a bucket's lifecycle, a secret's description) keeps it.
   */
  dependsOn: string;
  /** Reads what the item lacks: pushes its calls to the resource, returns what it learnt. */
  read: () => Promise<T>;
  /** Sets the resource's facts from the item of this scan and the answer (read now, or kept). */
  compose: (answer: T) => void;
}

/** One kept per-resource read: what it depended on, what it learnt, and its calls (their own times). */
interface Reading {
  dependsOn: string;
  /** When it was read, and until when it may be reused. */
  readAt: number;
  reuseUntil: number;
  answer: unknown;
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
 * scheduled scan while the fields of the resource's configuration item they depend on are
 * unchanged and they are younger than `drReadiness.config.fallbackMaxAgeHours`. Each
 * resource's deadline falls between half and the whole of that age (from its ARN), so the
 * re-reads of a large estate spread over scans instead of all falling due in one.
 *
 * What is kept is the read's answer, not the resource's facts: every scan composes the facts
 * from the item it has now, so a field Config records is never older than Config's item. A
 * reused answer keeps its own calls, with the time each was answered: the evidence shows when
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

  /** The answer and calls of an earlier read to reuse for the resource now, or undefined: read it. */
  private reusable(
    arn: string,
    dependsOn: string,
    now: Date,
  ): { answer: unknown; calls: ApiCallRecord[] } | undefined {
    const reading = this.readings.get(arn);
    if (!reading || reading.dependsOn !== dependsOn) return undefined;
    const at = now.getTime();
    if (at >= reading.reuseUntil || at < reading.readAt) return undefined;
    // Copies: a scan may add to what it composes (key states, restores), never to the reading.
    return {
      answer: structuredClone(reading.answer),
      calls: structuredClone(reading.calls),
    };
  }

  /** Keeps a successful read for later scans (nothing is kept when reuse is off). */
  private remember(
    arn: string,
    dependsOn: string,
    now: Date,
    answer: unknown,
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
      dependsOn,
      readAt,
      reuseUntil: readAt + Math.floor(this.maxAgeMs * spreadOf(arn)),
      answer: structuredClone(answer),
      calls: structuredClone(calls),
    });
  }

  /**
   * The resource composed from `fallback`'s read, or from an earlier read whose item said the
   * same (`fresh`: always read). A read that leaves no facts or an error, or throws, is not kept.
   */
  async readOrReuse<T>(
    resource: CollectedResource,
    fallback: FallbackRead<T>,
    options: { now: Date; fresh: boolean },
  ): Promise<void> {
    const reused = options.fresh
      ? undefined
      : this.reusable(resource.arn, fallback.dependsOn, options.now);
    if (reused) {
      resource.calls.push(...reused.calls.map(c => ({ ...c, reused: true })));
      fallback.compose(reused.answer as T);
      return;
    }
    // A read that failed, or a resource gone: nothing of it is reused.
    this.readings.delete(resource.arn);
    const before = resource.calls.length;
    const answer = await fallback.read();
    fallback.compose(answer);
    if (resource.facts && !resource.error)
      this.remember(
        resource.arn,
        fallback.dependsOn,
        options.now,
        answer,
        resource.calls.slice(before),
      );
  }
}
