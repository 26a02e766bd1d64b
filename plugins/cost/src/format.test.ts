import {
  formatAmount,
  formatChange,
  formatDayRange,
  formatMonth,
  monthToDateDetail,
  recentFullMonths,
} from './format';

describe('formatAmount', () => {
  it('writes whole dollars from $100 up, so tables carry no cents clutter', () => {
    expect(formatAmount(48210.4, 'USD')).toBe('$48,210');
    expect(formatAmount(182345.67, 'USD')).toBe('$182,346');
    expect(formatAmount(100, 'USD')).toBe('$100');
  });

  it('keeps cents on small amounts', () => {
    expect(formatAmount(42.5, 'USD')).toBe('$42.50');
    expect(formatAmount(0.42, 'USD')).toBe('$0.42');
  });

  it('uses the billing currency', () => {
    expect(formatAmount(1234, 'EUR')).toBe('€1,234');
  });
});

describe('formatChange', () => {
  it('signs month-over-month changes and says "new" when there was no cost before', () => {
    expect(formatChange(12.34)).toBe('+12.3%');
    expect(formatChange(-3.2)).toBe('\u22123.2%');
    expect(formatChange(0.01)).toBe('0.0%');
    expect(formatChange(null)).toBe('new');
  });
});

describe('months and days', () => {
  it('names months and day ranges', () => {
    expect(formatMonth('2026-10')).toBe('October 2026');
    expect(formatDayRange('2026-11-03', '2026-11-05')).toBe(
      'Nov 3 \u2013 Nov 5',
    );
    expect(formatDayRange('2026-11-03', '2026-11-03')).toBe('Nov 3');
  });

  it('says what month to date covers, and that on the 1st it covers no complete day', () => {
    expect(monthToDateDetail('2027-03', new Date('2027-03-01T00:20:00Z'))).toBe(
      'No complete day of March 2027 yet: AWS reports a day once it has ended',
    );
    expect(monthToDateDetail('2027-03', new Date('2027-03-02T00:00:00Z'))).toBe(
      'March 2027 so far',
    );
    expect(monthToDateDetail('2028-02', new Date('2028-02-29T23:30:00Z'))).toBe(
      'February 2028 so far',
    );
  });

  it('lists the full months before now, newest first, across a year boundary', () => {
    expect(recentFullMonths(new Date('2026-02-14T00:00:00Z'), 3)).toEqual([
      '2026-01',
      '2025-12',
      '2025-11',
    ]);
  });
});
