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

describe('several values kept per version', () => {
  it('works each out once, forgets a failed one alone, and drops a version’s values together', async () => {
    const memo = new VersionedMemo<{ n: number }>(1);
    let computed = 0;
    const compute = async () => ({ n: ++computed });
    const [a, b] = await Promise.all([
      memo.part('v1', 'overview', 0, compute),
      memo.part('v1', 'overview', 0, compute),
    ]);
    expect([a.n, b.n]).toEqual([1, 1]);
    expect((await memo.part('v1', 'forecast', 0, compute)).n).toBe(2);
    await expect(
      memo.part('v1', 'anomalies', 0, () =>
        Promise.reject(new Error('database went away')),
      ),
    ).rejects.toThrow('database went away');
    expect((await memo.part('v1', 'anomalies', 0, compute)).n).toBe(3);
    // keep = 1 counts versions, not values: v1 kept all three.
    expect((await memo.part('v1', 'overview', 0, compute)).n).toBe(1);
    expect((await memo.part('v1', 'forecast', 0, compute)).n).toBe(2);
    // A new version drops every value of the old one.
    expect((await memo.part('v2', 'overview', 0, compute)).n).toBe(4);
    expect((await memo.part('v1', 'forecast', 0, compute)).n).toBe(5);
    expect((await memo.get('v1', 0, compute)).n).toBe(6);
    expect((await memo.get('v1', 0, compute)).n).toBe(6);
  });
});
