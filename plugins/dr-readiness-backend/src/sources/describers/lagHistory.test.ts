import type { ApiCallRecord } from '@internal/dr-readiness-common';
import { lagWindow } from './cloudwatch';
import { KeptLag, LAG_OVERLAP_MS, LagSeries } from './lagHistory';

const PERIOD = 300_000;
const HOUR = 3_600_000;
const FIRST = new Date('2027-07-14T09:02:00.000Z');
const KEY = '318402765190/eu-west-2 {"metricName":"ReplicationLatency"}';

const call = (at: Date, requestId: string): ApiCallRecord => ({
  service: 'cloudwatch',
  operation: 'GetMetricData',
  accountId: '318402765190',
  region: 'eu-west-2',
  at: at.toISOString(),
  requestId,
});

/** What CloudWatch answers from `from` to the window's end: a value per period (v = f(t)). */
function answer(
  from: number,
  end: Date,
  made: ApiCallRecord,
  value = (t: number) => (t / PERIOD) % 97,
): LagSeries {
  const times: number[] = [];
  for (let t = from; t < end.getTime(); t += PERIOD)
    if (t % (7 * PERIOD) !== 0) times.push(t); // some periods have no datapoint
  return {
    times,
    values: times.map(value),
    statusCode: 'Complete',
    messages: [],
    calls: [made],
  };
}

/** A scan at `now`: from where it reads, then the merged answer (and it is kept). */
function scan(
  kept: KeptLag,
  now: Date,
  options: {
    fresh?: boolean;
    value?: (t: number) => number;
    status?: string;
  } = {},
) {
  const window = lagWindow(now);
  const readFrom = kept.startOf(KEY, window, { now, fresh: !!options.fresh });
  const read = {
    ...answer(
      readFrom,
      window.end,
      call(now, `r${now.getTime()}`),
      options.value,
    ),
    statusCode: options.status ?? 'Complete',
  };
  const merged = kept.merge(KEY, window, readFrom, read, new Map())!;
  kept.keep(KEY, window, merged, {
    now,
    readInFull: readFrom <= window.start.getTime(),
  });
  return { window, readFrom, merged };
}

describe('KeptLag', () => {
  it('reads a later window only since the last scan less an hour, and answers as a full read would', () => {
    const kept = new KeptLag(24 * HOUR, PERIOD);
    const first = scan(kept, FIRST);
    expect(first.readFrom).toBe(first.window.start.getTime());

    const later = new Date(FIRST.getTime() + 6 * HOUR);
    const { window, readFrom, merged } = scan(kept, later);
    expect(readFrom).toBe(first.window.end.getTime() - LAG_OVERLAP_MS);
    const full = answer(window.start.getTime(), window.end, call(later, 'x'));
    expect(merged.times).toEqual(full.times);
    expect(merged.values).toEqual(full.values);
    // The first scan's call, marked reused with its own time, then this scan's.
    expect(merged.calls.map(c => [c.at, c.reused])).toEqual([
      [FIRST.toISOString(), true],
      [later.toISOString(), undefined],
    ]);
  });

  it('keeps one reused copy per call and scan for the queries that share it, scan after scan', () => {
    const kept = new KeptLag(24 * HOUR, PERIOD);
    const keys = [KEY, `${KEY} failed`];
    // One call answers both queries each scan, as a GetMetricData of 500 queries does.
    const scanBoth = (now: Date) => {
      const window = lagWindow(now);
      const made = call(now, `r${now.getTime()}`);
      const reused = new Map<ApiCallRecord, ApiCallRecord>();
      return keys.map(key => {
        const readFrom = kept.startOf(key, window, { now, fresh: false });
        const merged = kept.merge(
          key,
          window,
          readFrom,
          answer(readFrom, window.end, made),
          reused,
        )!;
        kept.keep(key, window, merged, {
          now,
          readInFull: readFrom <= window.start.getTime(),
        });
        return merged.calls;
      });
    };
    scanBoth(FIRST);
    scanBoth(new Date(FIRST.getTime() + 3 * HOUR));
    const [a, b] = scanBoth(new Date(FIRST.getTime() + 6 * HOUR));
    expect(a.map(c => [c.at, c.reused])).toEqual([
      [FIRST.toISOString(), true],
      [new Date(FIRST.getTime() + 3 * HOUR).toISOString(), true],
      [new Date(FIRST.getTime() + 6 * HOUR).toISOString(), undefined],
    ]);
    a.forEach((c, i) => expect(c).toBe(b[i]));
  });

  it("takes the overlap hour's values from the new read: a datapoint delivered late replaces the earlier answer", () => {
    const kept = new KeptLag(24 * HOUR, PERIOD);
    const first = scan(kept, FIRST);
    const later = new Date(FIRST.getTime() + HOUR);
    const { readFrom, merged } = scan(kept, later, { value: () => 12345.5 });
    const lastHour = first.window.end.getTime() - LAG_OVERLAP_MS;
    expect(readFrom).toBe(lastHour);
    merged.times.forEach((t, i) =>
      expect([t, merged.values[i] === 12345.5]).toEqual([t, t >= lastHour]),
    );
  });

  it('reads in full on a rescan, past the maximum age, with reuse off, and after an incomplete answer', () => {
    const cases: Array<[string, (kept: KeptLag) => boolean]> = [
      [
        'rescan',
        kept => {
          scan(kept, FIRST);
          const later = new Date(FIRST.getTime() + 6 * HOUR);
          return (
            scan(kept, later, { fresh: true }).readFrom ===
            lagWindow(later).start.getTime()
          );
        },
      ],
      [
        'past the maximum age',
        kept => {
          scan(kept, FIRST);
          const later = new Date(FIRST.getTime() + 25 * HOUR);
          return (
            scan(kept, later).readFrom === lagWindow(later).start.getTime()
          );
        },
      ],
      [
        'incomplete',
        kept => {
          scan(kept, FIRST, { status: 'PartialData' });
          const later = new Date(FIRST.getTime() + 6 * HOUR);
          return (
            scan(kept, later).readFrom === lagWindow(later).start.getTime()
          );
        },
      ],
    ];
    for (const [name, readsInFull] of cases)
      expect([name, readsInFull(new KeptLag(24 * HOUR, PERIOD))]).toEqual([
        name,
        true,
      ]);
    const off = new KeptLag(0, PERIOD);
    scan(off, FIRST);
    const later = new Date(FIRST.getTime() + 6 * HOUR);
    expect(scan(off, later).readFrom).toBe(lagWindow(later).start.getTime());
    expect(off.size).toBe(0);
  });

  it('forgets a query whose call failed, and reads it in full next time', () => {
    const kept = new KeptLag(24 * HOUR, PERIOD);
    scan(kept, FIRST);
    const later = new Date(FIRST.getTime() + 6 * HOUR);
    const window = lagWindow(later);
    kept.keep(KEY, window, undefined, { now: later, readInFull: false });
    expect(kept.size).toBe(0);
    expect(kept.startOf(KEY, window, { now: later, fresh: false })).toBe(
      window.start.getTime(),
    );
  });

  it('keeps building on the first full read until its deadline, then reads in full again', () => {
    const kept = new KeptLag(24 * HOUR, PERIOD);
    const reads: string[] = [];
    for (let h = 0; h <= 48; h += 6) {
      const now = new Date(FIRST.getTime() + h * HOUR);
      const { window, readFrom } = scan(kept, now);
      reads.push(readFrom === window.start.getTime() ? 'full' : 'since');
    }
    // The deadline falls between 12 and 24 h after a full read.
    expect(reads[0]).toBe('full');
    expect(reads[1]).toBe('since');
    expect(reads.filter(r => r === 'full').length).toBeGreaterThanOrEqual(3);
    expect(reads.filter(r => r === 'since').length).toBeGreaterThanOrEqual(4);
  });
});
