import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { gzipWithTail, scorecardTail, ScorecardView, VersionedMemo } from './scorecardView';

function viewOf(count: number) {
  const entries = Array.from({ length: count }, (_, i) => {
    const row = {
      entityRef: `component:default/svc-${i}`,
      name: `svc-${i}`,
      team: i % 2 ? 'odd' : 'even',
      tier: 'tier-1',
      score: { score: 0.5, level: 'partial' as const, reasons: [randomBytes(40).toString('base64')], weights: { passed: 1, failed: 1, errored: 0, waived: 0, notApplicable: 0 }, incomplete: false },
      cells: {},
      trend: [],
    };
    return { row, json: JSON.stringify(row), notYetScanned: i % 3 === 0 };
  });
  return new ScorecardView({ tiers: [], controls: [], entries, computedAt: 0, validUntil: Infinity });
}

describe('the scorecard body', () => {
  it('says what the response object says, its tail carrying the time of the request', () => {
    const view = viewOf(5);
    const at = new Date('2026-11-25T10:00:00.000Z');
    const entries = view.select({ team: 'even' });
    const body = `${view.body(entries)}${scorecardTail(at).toString()}`;
    expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(view.response({ team: 'even' }, at))));
    expect(JSON.parse(body)).toMatchObject({ notYetScanned: 1, generatedAt: at.toISOString(), rows: [{ name: 'svc-0' }, { name: 'svc-2' }, { name: 'svc-4' }] });
  });

  it('gzips the shared part once and each request only its tail, into one valid gzip member', async () => {
    const view = viewOf(3000);
    const shared = view.sharedBody({}, view.select({}));
    expect(view.sharedBody({}, view.select({}))).toBe(shared);
    const gzip = (await shared.gzip())!;
    for (const at of [new Date(0), new Date()]) {
      const tail = scorecardTail(at);
      const unzipped = zlib.gunzipSync(Buffer.concat(gzipWithTail({ identity: shared.identity, ...gzip }, tail)));
      expect(unzipped.equals(Buffer.concat([shared.identity, tail]))).toBe(true);
    }
    expect(shared.identity.length).toBeGreaterThan(100_000);
  });
});

describe('a value kept per version', () => {
  it('is worked out once for concurrent calls, again when it expires or fails', async () => {
    const memo = new VersionedMemo<{ n: number; until: number }>(2, (value, now) => now < value.until);
    let computed = 0;
    const compute = (until: number) => async () => ({ n: ++computed, until });
    const [a, b] = await Promise.all([memo.get('v1', 0, compute(10)), memo.get('v1', 0, compute(10))]);
    expect([a.n, b.n]).toEqual([1, 1]);
    expect((await memo.get('v1', 10, compute(20))).n).toBe(2);
    expect((await memo.get('v2', 10, compute(20))).n).toBe(3);
    await expect(memo.get('v3', 10, () => Promise.reject(new Error('database went away')))).rejects.toThrow('database went away');
    expect((await memo.get('v3', 10, compute(20))).n).toBe(4);
  });
});
