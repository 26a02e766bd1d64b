import type { SloDefinition, SloWindow } from '@internal/slo-common';
import { windowStart } from './window';

const slo = (window: SloWindow) => ({ window } as SloDefinition);
const calendar = (
  unit: 'day' | 'week' | 'month' | 'quarter',
  count = 1,
  timeZone = 'UTC',
  // A Monday, the 1st of a year: weeks start on Mondays, months on the 1st, quarters in January.
  startTime = '2024-01-01 00:00:00',
) =>
  slo({
    kind: 'calendar',
    duration: `${count}${unit[0]}`,
    count,
    unit,
    startTime,
    timeZone,
    days: 30,
  });
const at = (iso: string) => new Date(iso);

describe('windowStart', () => {
  it('counts a rolling window back from now', () => {
    const rolling = slo({
      kind: 'rolling',
      duration: '28d',
      seconds: 28 * 86_400,
      days: 28,
    });
    expect(windowStart(rolling, at('2028-03-01T00:05:00Z'))).toEqual(
      at('2028-02-02T00:05:00Z'),
    );
  });

  it('starts a calendar month on the 1st, a quarter on its first month, a week on Monday', () => {
    for (const [now, month, quarter, week] of [
      ['2027-01-01T00:05:00Z', '2027-01-01', '2027-01-01', '2026-12-28'],
      ['2027-03-01T00:20:00Z', '2027-03-01', '2027-01-01', '2027-03-01'],
      ['2027-03-15T12:00:00Z', '2027-03-01', '2027-01-01', '2027-03-15'],
      ['2028-02-29T23:30:00Z', '2028-02-01', '2028-01-01', '2028-02-28'],
      ['2027-12-31T23:59:00Z', '2027-12-01', '2027-10-01', '2027-12-27'],
    ]) {
      expect([
        windowStart(calendar('month'), at(now)),
        windowStart(calendar('quarter'), at(now)),
        windowStart(calendar('week'), at(now)),
      ]).toEqual([
        at(`${month}T00:00:00Z`),
        at(`${quarter}T00:00:00Z`),
        at(`${week}T00:00:00Z`),
      ]);
    }
  });

  it('starts a calendar month at local midnight in the time zone: 03:00 UTC on 1 December is still November in New York', () => {
    const month = calendar('month', 1, 'America/New_York');
    expect(windowStart(month, at('2026-12-01T03:00:00Z'))).toEqual(
      at('2026-11-01T04:00:00Z'), // EDT on 1 November
    );
    expect(windowStart(month, at('2026-12-01T05:00:00Z'))).toEqual(
      at('2026-12-01T05:00:00Z'), // EST from 1 November's fall-back
    );
  });

  it('starts a week on Monday in Tokyo, which is Sunday afternoon in UTC', () => {
    const week = calendar('week', 1, 'Asia/Tokyo');
    // Sunday 2026-12-06 16:00 UTC is Monday 01:00 in Tokyo.
    expect(windowStart(week, at('2026-12-06T16:00:00Z'))).toEqual(
      at('2026-12-06T15:00:00Z'),
    );
    expect(windowStart(week, at('2026-12-06T14:59:00Z'))).toEqual(
      at('2026-11-29T15:00:00Z'),
    );
  });

  it('keeps local midnight across a DST change: the day after London springs forward starts an hour earlier in UTC', () => {
    const day = calendar('day', 1, 'Europe/London');
    expect(windowStart(day, at('2027-03-28T12:00:00Z'))).toEqual(
      at('2027-03-28T00:00:00Z'), // GMT until 01:00 that night
    );
    expect(windowStart(day, at('2027-03-29T12:00:00Z'))).toEqual(
      at('2027-03-28T23:00:00Z'), // BST
    );
    const month = calendar('month', 1, 'Europe/London');
    expect(windowStart(month, at('2027-04-15T12:00:00Z'))).toEqual(
      at('2027-03-31T23:00:00Z'),
    );
  });

  it('counts windows from startTime: two-week windows from a Wednesday, months from the 15th at 06:00', () => {
    const fortnight = calendar('week', 2, 'UTC', '2026-11-04 00:00:00');
    expect(windowStart(fortnight, at('2026-12-06T12:00:00Z'))).toEqual(
      at('2026-12-02T00:00:00Z'),
    );
    expect(windowStart(fortnight, at('2026-12-01T23:59:00Z'))).toEqual(
      at('2026-11-18T00:00:00Z'),
    );
    const fromThe15th = calendar('month', 1, 'UTC', '2026-01-15 06:00:00');
    expect(windowStart(fromThe15th, at('2026-12-15T05:59:00Z'))).toEqual(
      at('2026-11-15T06:00:00Z'),
    );
    expect(windowStart(fromThe15th, at('2026-12-15T06:00:00Z'))).toEqual(
      at('2026-12-15T06:00:00Z'),
    );
  });
});
