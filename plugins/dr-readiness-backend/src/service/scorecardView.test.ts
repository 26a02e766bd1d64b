import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { gzipWithTail } from '@internal/platform-node';
import { scorecardTail, ScorecardView } from './scorecardView';

function viewOf(count: number) {
  const entries = Array.from({ length: count }, (_, i) => {
    const row = {
      entityRef: `component:default/svc-${i}`,
      name: `svc-${i}`,
      team: i % 2 ? 'odd' : 'even',
      tier: 'tier-1',
      score: {
        score: 0.5,
        level: 'partial' as const,
        reasons: [randomBytes(40).toString('base64')],
        weights: {
          passed: 1,
          failed: 1,
          errored: 0,
          waived: 0,
          notApplicable: 0,
        },
        incomplete: false,
      },
      cells: {},
      trend: [],
    };
    return { row, json: JSON.stringify(row), notYetScanned: i % 3 === 0 };
  });
  return new ScorecardView({
    tiers: [],
    controls: [],
    entries,
    computedAt: 0,
    validUntil: Infinity,
  });
}

describe('the scorecard body', () => {
  it('says what the response object says, its tail carrying the time of the request', () => {
    const view = viewOf(5);
    const at = new Date('2026-11-25T10:00:00.000Z');
    const entries = view.select({ team: 'even' });
    const body = `${view.body(entries)}${scorecardTail(at).toString()}`;
    expect(JSON.parse(body)).toEqual(
      JSON.parse(JSON.stringify(view.response({ team: 'even' }, at))),
    );
    expect(JSON.parse(body)).toMatchObject({
      notYetScanned: 1,
      generatedAt: at.toISOString(),
      rows: [{ name: 'svc-0' }, { name: 'svc-2' }, { name: 'svc-4' }],
    });
  });

  it('gzips the shared part once and each request only its tail, into one valid gzip member', async () => {
    const view = viewOf(3000);
    const shared = view.sharedBody({}, view.select({}));
    expect(view.sharedBody({}, view.select({}))).toBe(shared);
    const gzip = (await shared.gzip())!;
    for (const at of [new Date(0), new Date('2028-02-29T23:30:00Z')]) {
      const tail = scorecardTail(at);
      const unzipped = zlib.gunzipSync(
        Buffer.concat(
          gzipWithTail({ identity: shared.identity, ...gzip }, tail),
        ),
      );
      expect(unzipped.equals(Buffer.concat([shared.identity, tail]))).toBe(
        true,
      );
    }
    expect(shared.identity.length).toBeGreaterThan(100_000);
  });
});
