import type { SloDefinition, SloWindow } from '@internal/slo-common';
import { windowStart } from './window';

const slo = (window: SloWindow) => ({ window } as SloDefinition);
const calendar = (unit: 'week' | 'month' | 'quarter', count = 1) =>
  slo({
    kind: 'calendar',
    duration: `${count}${unit[0]}`,
    count,
    unit,
    startTime: '2026-01-01 00:00:00',
    timeZone: 'Europe/London',
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
});
