import type { ApiCallRecord } from '@internal/dr-readiness-common';
import { spreadOf } from '../config/readings';

/** CloudWatch may deliver a period's datapoint late: a later scan reads the last hour again. */
export const LAG_OVERLAP_MS = 3_600_000;

/** One query's answer over a window, as the lag facts are made from it. */
export interface LagSeries {
  /** Epoch milliseconds of each value. */
  times: number[];
  values: number[];
  statusCode: string;
  messages: string[];
  calls: ApiCallRecord[];
}

/** A complete answer kept for a later scan: the values per period of its window. */
interface Kept {
  /** The window it covers: slot i holds the period starting at from + i x period. */
  from: number;
  until: number;
  /** NaN where CloudWatch had no datapoint. */
  slots: Float64Array;
  calls: ApiCallRecord[];
  /** When it was last read in full, and until when a later scan may read only what is new. */
  readAt: number;
  reuseUntil: number;
}

/**
 * The replication-lag datapoints of earlier scheduled scans (drReadiness.source: config): a later
 * scan asks GetMetricData only for the periods since the last one (less LAG_OVERLAP_MS, read
 * again) and takes the older ones of its 7-day window from here. A datapoint of a past period
 * does not change once CloudWatch has delivered it; reading the whole window every scan was the
 * largest answer a scan received (2,016 values per stream).
 *
 * Only complete answers without messages are kept; a query whose call failed is forgotten. Each
 * query is read in full again within `drReadiness.config.fallbackMaxAgeHours` (between half and
 * the whole of it, from its key, so full reads spread over scans), and on every rescan. A kept
 * answer's calls stay in the evidence, marked reused, with their own times.
 */
export class KeptLag {
  private readonly kept = new Map<string, Kept>();
  /** Each reused copy's call as first made: kept again as itself, so queries sharing a call keep sharing it. */
  private readonly originals = new WeakMap<ApiCallRecord, ApiCallRecord>();
  /** When expired answers were last dropped (those of streams no scan asks for again included). */
  private prunedAt = 0;

  constructor(
    private readonly maxAgeMs: number,
    private readonly periodMs: number,
  ) {}

  /** How many queries' answers are kept. */
  get size(): number {
    return this.kept.size;
  }

  /**
   * Where the scan's read of `key` starts: the window's start (a full read), or the kept end less
   * the overlap when the kept answer may be used.
   */
  startOf(
    key: string,
    window: { start: Date; end: Date },
    options: { now: Date; fresh: boolean },
  ): number {
    const kept = this.usable(key, window, options);
    return kept
      ? Math.max(window.start.getTime(), kept.until - LAG_OVERLAP_MS)
      : window.start.getTime();
  }

  /**
   * The query's answer over the whole window: the kept periods before `readFrom` (their calls
   * marked reused, one copy per call and scan in `reusedCalls`) and what was read from there.
   */
  merge(
    key: string,
    window: { start: Date; end: Date },
    readFrom: number,
    read: LagSeries | undefined,
    reusedCalls: Map<ApiCallRecord, ApiCallRecord>,
  ): LagSeries | undefined {
    const kept = this.kept.get(key);
    if (readFrom <= window.start.getTime() || !kept) return read;
    if (!read) return undefined;
    const times: number[] = [];
    const values: number[] = [];
    const first = Math.max(kept.from, window.start.getTime());
    for (let t = first; t < readFrom; t += this.periodMs) {
      const value = kept.slots[(t - kept.from) / this.periodMs];
      if (!Number.isNaN(value) && value !== undefined) {
        times.push(t);
        values.push(value);
      }
    }
    read.times.forEach((t, i) => {
      if (t >= readFrom) {
        times.push(t);
        values.push(read.values[i]);
      }
    });
    const calls = kept.calls.map(call => {
      let reused = reusedCalls.get(call);
      if (!reused) {
        reused = { ...call, reused: true };
        reusedCalls.set(call, reused);
        this.originals.set(reused, call);
      }
      return reused;
    });
    return { ...read, times, values, calls: [...calls, ...read.calls] };
  }

  /**
   * Keeps the query's answer over the window (merged), or forgets the query: an incomplete
   * answer, one with messages, or none (its call failed).
   */
  keep(
    key: string,
    window: { start: Date; end: Date },
    answer: LagSeries | undefined,
    options: { now: Date; readInFull: boolean },
  ) {
    const now = options.now.getTime();
    this.prune(now);
    if (
      this.maxAgeMs <= 0 ||
      !answer ||
      answer.statusCode !== 'Complete' ||
      answer.messages.length > 0
    ) {
      this.kept.delete(key);
      return;
    }
    const from = window.start.getTime();
    const until = window.end.getTime();
    const slots = new Float64Array((until - from) / this.periodMs).fill(NaN);
    answer.times.forEach((t, i) => {
      const slot = (t - from) / this.periodMs;
      if (Number.isInteger(slot) && slot >= 0 && slot < slots.length)
        slots[slot] = answer.values[i];
    });
    const earlier = this.kept.get(key);
    const fullRead = options.readInFull || !earlier;
    const readAt = fullRead ? now : earlier.readAt;
    this.kept.set(key, {
      from,
      until,
      slots,
      // The kept calls as first made (not this scan's reused copies).
      calls: answer.calls.map(call => this.originals.get(call) ?? call),
      readAt,
      // Its deadline is set by the full read (a hash a query: not again every scan).
      reuseUntil: fullRead
        ? readAt + this.maxAgeMs * spreadOf(key)
        : earlier.reuseUntil,
    });
  }

  /** A kept answer the scan may build on, or undefined (read the window in full). */
  private usable(
    key: string,
    window: { start: Date; end: Date },
    options: { now: Date; fresh: boolean },
  ): Kept | undefined {
    const kept = this.kept.get(key);
    if (!kept || options.fresh || this.maxAgeMs <= 0) return undefined;
    const now = options.now.getTime();
    if (now >= kept.reuseUntil || now < kept.readAt) return undefined;
    // The clock went back, or the kept end is outside the new window: read it all.
    if (
      kept.until > window.end.getTime() ||
      kept.until <= window.start.getTime()
    )
      return undefined;
    return kept;
  }

  private prune(now: number) {
    if (now - this.prunedAt < this.maxAgeMs) return;
    this.prunedAt = now;
    for (const [key, kept] of this.kept)
      if (now >= kept.reuseUntil) this.kept.delete(key);
  }
}
