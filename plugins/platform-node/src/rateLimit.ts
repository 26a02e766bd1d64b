/**
 * A token bucket per caller: `requestsPerMinute` requests at once, refilled evenly over the minute.
 * Time comes from the backend's clock.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly options: {
      requestsPerMinute: number;
      now: () => Date;
      /** Callers remembered before full buckets are forgotten (default 10,000). */
      maxCallers?: number;
    },
  ) {
    this.perMs = options.requestsPerMinute / 60_000;
  }

  /** Takes one request from `caller`'s bucket: undefined if allowed, else the seconds until the next is. */
  take(caller: string): number | undefined {
    const now = this.options.now().getTime();
    const capacity = this.options.requestsPerMinute;
    const bucket = this.buckets.get(caller);
    const tokens = bucket
      ? Math.min(
          capacity,
          bucket.tokens + Math.max(0, now - bucket.at) * this.perMs,
        )
      : capacity;
    if (tokens >= 1) {
      this.buckets.set(caller, { tokens: tokens - 1, at: now });
      this.forgetIdle(now);
      return undefined;
    }
    this.buckets.set(caller, { tokens, at: now });
    return Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000));
  }

  /** Full buckets say nothing: forgotten once there are many callers. */
  private forgetIdle(now: number) {
    if (this.buckets.size <= (this.options.maxCallers ?? 10_000)) return;
    const capacity = this.options.requestsPerMinute;
    for (const [caller, bucket] of this.buckets)
      if (bucket.tokens + Math.max(0, now - bucket.at) * this.perMs >= capacity)
        this.buckets.delete(caller);
  }
}
