import { addMonths, dayOf, dayOfMonth, formatDay, parseDay } from './dates';

const day = (iso: string) => parseDay(iso)!;

describe('the estate calendar', () => {
  it('keeps a month step within the target month, across the year and a leap day', () => {
    const cases: Array<[string, number, string]> = [
      ['2027-03-31', -1, '2027-02-28'],
      ['2028-03-31', -1, '2028-02-29'],
      ['2027-03-31', -13, '2026-02-28'],
      ['2027-05-31', -13, '2026-04-30'],
      ['2028-02-29', 12, '2029-02-28'],
      ['2027-01-15', -1, '2026-12-15'],
      ['2026-12-31', 1, '2027-01-31'],
    ];
    for (const [from, months, to] of cases)
      expect(formatDay(addMonths(day(from), months))).toBe(to);
  });

  it('reads days strictly and places a time on its UTC day', () => {
    expect(parseDay('2027-02-29')).toBeUndefined();
    expect(parseDay('2028-02-29')).toBeDefined();
    expect(formatDay(dayOf(new Date('2028-02-29T23:59:59.999Z')))).toBe(
      '2028-02-29',
    );
    expect(formatDay(dayOf(new Date('2027-01-01T00:00:00Z')))).toBe(
      '2027-01-01',
    );
    expect(dayOfMonth(day('2028-02-29'))).toBe(29);
  });
});
