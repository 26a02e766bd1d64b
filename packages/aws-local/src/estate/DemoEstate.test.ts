import { DemoEstate, isTaggable } from './DemoEstate';
import { addMonths, formatDay, parseDay, startOfMonth } from './dates';

const day = (iso: string) => parseDay(iso)!;

/** The estate's unblended usage (what a tag can carry) of a whole calendar month, tagged and untagged. */
function monthCost(estate: DemoEstate, month: string) {
  const first = day(`${month}-01`);
  const next = addMonths(first, 1);
  let total = 0;
  let untagged = 0;
  for (const s of estate.series.filter(isTaggable)) {
    for (let d = first; d < next; d++) {
      const cost = estate.dailyCost(s, d);
      total += cost;
      if (Object.keys(s.tags).length === 0) untagged += cost;
    }
  }
  return { total, untagged, perDay: total / (next - first) };
}

describe('the demo estate on any date', () => {
  it.each([
    ['2027-01-01', '2025-12-01', '2026-12-31', '2026-12-20'],
    ['2027-03-01', '2026-02-01', '2027-02-28', '2027-02-17'],
    ['2027-03-31', '2026-02-01', '2027-03-30', '2027-03-19'],
    ['2028-02-29', '2027-01-01', '2028-02-28', '2028-02-17'],
  ])(
    'on %s keeps 13 full months from %s, figures to %s and the anomaly from %s',
    (asOf, firstDay, lastDay, anomalyStart) => {
      const estate = DemoEstate.load({ asOf });
      expect(formatDay(estate.firstDay)).toBe(firstDay);
      expect(formatDay(estate.lastDay)).toBe(lastDay);
      expect(formatDay(estate.anomaly.startDay)).toBe(anomalyStart);
      expect(estate.anomaly.endDay - estate.anomaly.startDay).toBe(3);
      expect(estate.anomaly.endDay).toBeLessThan(estate.lastDay);
    },
  );

  it('keeps last month Estimated until the invoice on the 5th, and the current month always', () => {
    const estimated = (asOf: string) => {
      const estate = DemoEstate.load({ asOf });
      return ['2027-01-31', '2027-02-01', '2027-02-28', '2027-03-01']
        .filter(d => estate.isEstimated(day(d)))
        .join(' ');
    };
    expect(estimated('2027-03-01')).toBe('2027-02-01 2027-02-28 2027-03-01');
    expect(estimated('2027-03-04')).toBe('2027-02-01 2027-02-28 2027-03-01');
    expect(estimated('2027-03-05')).toBe('2027-03-01');
    expect(estimated('2027-02-28')).toBe('2027-02-01 2027-02-28 2027-03-01');
  });

  it('grows, peaks in December and keeps the untagged share of usage near 8 % in every month of the year', () => {
    const estate = DemoEstate.load({ asOf: '2028-01-01' });
    const months = Array.from({ length: 13 }, (_, i) =>
      formatDay(addMonths(startOfMonth(estate.firstDay), i)).slice(0, 7),
    );
    const costs = new Map(months.map(m => [m, monthCost(estate, m)]));
    for (const [month, cost] of costs) {
      const share = cost.untagged / cost.total;
      expect([month, share > 0.07 && share < 0.09]).toEqual([month, true]);
    }
    expect(costs.get('2027-12')!.perDay).toBeGreaterThan(
      costs.get('2026-12')!.perDay * 1.3,
    );
    expect(costs.get('2027-12')!.perDay).toBeGreaterThan(
      costs.get('2027-10')!.perDay * 1.1,
    );
    expect(costs.get('2027-01')!.perDay).toBeLessThan(
      costs.get('2026-12')!.perDay,
    );
  });

  it.each(['2027-01-01', '2027-03-01', '2027-03-31', '2028-02-29'])(
    'on %s bills tax, support, fees, a negative credit and one refund 45 days back, none of them taggable',
    asOf => {
      const estate = DemoEstate.load({ asOf });
      const summary = estate.summary();
      expect(summary.costByRecordType.Credit).toBeLessThan(0);
      expect(summary.costByRecordType.Refund).toBe(-2400);
      for (const type of ['Tax', 'Support', 'SavingsPlanRecurringFee', 'RIFee'])
        expect([type, summary.costByRecordType[type] > 0]).toEqual([
          type,
          true,
        ]);
      expect(
        summary.costByRecordType['Usage (AWS Marketplace)'],
      ).toBeGreaterThan(0);
      const refund = estate.series.find(s => s.recordType === 'Refund')!;
      const refundDay = estate.asOfDay - 45;
      expect(estate.dailyCost(refund, refundDay)).toBe(-2400);
      expect(estate.dailyCost(refund, refundDay + 1)).toBe(0);
      for (const s of estate.series.filter(x => !isTaggable(x)))
        expect(s.tags).toEqual({});
      expect(summary.untaggedSharePercent).toBeGreaterThan(7);
      expect(summary.untaggedSharePercent).toBeLessThan(9);
    },
  );

  it('follows its clock past midnight unless asOf pins it', () => {
    let now = new Date('2027-02-28T23:59:00Z');
    const following = DemoEstate.load({ now: () => now });
    const pinned = DemoEstate.load({ asOf: '2027-02-28', now: () => now });
    const line = following.series.find(s => s.anomalous)!;
    expect(formatDay(following.asOfDay)).toBe('2027-02-28');
    expect(following.dailyCost(line, day('2027-02-28'))).toBe(0);

    now = new Date('2027-03-01T00:01:00Z');
    expect(formatDay(following.asOfDay)).toBe('2027-03-01');
    expect(following.dailyCost(line, day('2027-02-28'))).toBeGreaterThan(0);
    expect(formatDay(following.anomaly.startDay)).toBe('2027-02-17');
    expect(formatDay(pinned.asOfDay)).toBe('2027-02-28');
    expect(formatDay(pinned.anomaly.startDay)).toBe('2027-02-16');
  });
});
