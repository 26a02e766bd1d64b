import { VersionedMemo } from './views';

describe('a value kept per version', () => {
  it('is worked out once for concurrent calls, again when it expires or fails', async () => {
    const memo = new VersionedMemo<{ n: number; until: number }>(
      2,
      (value, now) => now < value.until,
    );
    let computed = 0;
    const compute = (until: number) => async () => ({ n: ++computed, until });
    const [a, b] = await Promise.all([
      memo.get('v1', 0, compute(10)),
      memo.get('v1', 0, compute(10)),
    ]);
    expect([a.n, b.n]).toEqual([1, 1]);
    expect((await memo.get('v1', 10, compute(20))).n).toBe(2);
    expect((await memo.get('v2', 10, compute(20))).n).toBe(3);
    await expect(
      memo.get('v3', 10, () => Promise.reject(new Error('database went away'))),
    ).rejects.toThrow('database went away');
    expect((await memo.get('v3', 10, compute(20))).n).toBe(4);
  });
});
