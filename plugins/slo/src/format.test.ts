import {
  formatAttainment,
  formatBudget,
  formatBurnRate,
  formatPointsChange,
  formatTarget,
  formatWeek,
  isWeek,
} from './format';

describe('formatTarget', () => {
  it('writes objectives as their owners do, without float noise', () => {
    expect(formatTarget(0.9995)).toBe('99.95%');
    expect(formatTarget(0.99)).toBe('99%');
    expect(formatTarget(0.999)).toBe('99.9%');
  });
});

describe('formatAttainment', () => {
  it('keeps three decimals', () => {
    expect(formatAttainment(0.99981)).toBe('99.981%');
    expect(formatAttainment(0.9)).toBe('90.000%');
  });

  it('rounds down, so an almost perfect attainment never reads 100% and a miss never reads as met', () => {
    expect(formatAttainment(0.9999996)).toBe('99.999%');
    expect(formatAttainment(0.99949999)).toBe('99.949%');
    expect(formatAttainment(1)).toBe('100.000%');
  });
});

describe('formatBudget', () => {
  it('writes what is left, negative once overspent', () => {
    expect(formatBudget(0.421)).toBe('42.1%');
    expect(formatBudget(-0.35)).toBe('\u221235.0%');
    expect(formatBudget(-0.0001)).toBe('0.0%');
  });
});

describe('formatPointsChange', () => {
  it('signs the change in percentage points', () => {
    expect(formatPointsChange(0.012)).toBe('+0.012 pp');
    expect(formatPointsChange(-0.15)).toBe('\u22120.150 pp');
    expect(formatPointsChange(0.0001)).toBe('0.000 pp');
  });
});

describe('formatBurnRate', () => {
  it('keeps two significant decimals below 10x', () => {
    expect(formatBurnRate(0.52)).toBe('0.52\u00D7');
    expect(formatBurnRate(14.4)).toBe('14.4\u00D7');
  });
});

describe('weeks', () => {
  it('names a week by its Monday to Sunday', () => {
    expect(formatWeek('2026-11-02')).toBe('Nov 2 \u2013 Nov 8, 2026');
    expect(formatWeek('2026-12-28')).toBe('Dec 28 \u2013 Jan 3, 2027');
  });

  it('accepts only real days as weeks', () => {
    expect(isWeek('2026-11-02')).toBe(true);
    expect(isWeek('2026-02-30')).toBe(false);
    expect(isWeek('current')).toBe(false);
  });
});
