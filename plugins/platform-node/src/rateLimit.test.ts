import { RateLimiter } from './rateLimit';

describe('RateLimiter', () => {
  it('allows a burst of the per-minute budget per caller, then says when the next request may come', () => {
    let now = new Date('2027-03-01T00:20:00Z');
    const limiter = new RateLimiter({ requestsPerMinute: 6, now: () => now });
    for (let i = 0; i < 6; i++) expect(limiter.take('alice')).toBeUndefined();
    expect(limiter.take('alice')).toBe(10); // one request per 10 s refills
    expect(limiter.take('bob')).toBeUndefined(); // buckets are per caller
    now = new Date(now.getTime() + 10_000);
    expect(limiter.take('alice')).toBeUndefined();
    expect(limiter.take('alice')).toBe(10);
  });

  it('forgets callers whose buckets are full once it remembers too many', () => {
    let now = new Date('2027-01-01T00:05:00Z');
    const limiter = new RateLimiter({
      requestsPerMinute: 60,
      now: () => now,
      maxCallers: 2,
    });
    limiter.take('a');
    limiter.take('b');
    now = new Date(now.getTime() + 60_000);
    limiter.take('c'); // a and b are full again: forgotten
    expect((limiter as any).buckets.size).toBe(1);
  });
});
