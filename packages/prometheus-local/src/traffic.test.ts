import {
  DEMO_SERVICES,
  advance,
  emptyCounters,
  minuteOf,
  minuteOfMoment,
  minuteTraffic,
  trafficPlan,
} from './traffic';

const ANCHOR = minuteOf(Date.parse('2027-03-17T10:20:00Z')); // a Wednesday
const service = (name: string) => DEMO_SERVICES.find(s => s.name === name)!;
const plan = (name: string, anchor = ANCHOR) =>
  trafficPlan(service(name), anchor);
const iso = (minute: number) => new Date(minute * 60_000).toISOString();

describe('demo traffic', () => {
  it('is the same for the same minute and anchor', () => {
    const ledger = plan('ledger-writer');
    expect(minuteTraffic(ledger, ANCHOR - 10)).toEqual(
      minuteTraffic(plan('ledger-writer'), ANCHOR - 10),
    );
  });

  it('keeps every bucket cumulative and within the request count', () => {
    for (const s of DEMO_SERVICES) {
      const p = trafficPlan(s, ANCHOR);
      for (const minute of [
        ANCHOR - 5,
        ANCHOR - 3 * 24 * 60 + 10,
        ANCHOR - 9 * 24 * 60 + 30,
        ...p.incidents.map(i => i.from + 1),
      ]) {
        const t = minuteTraffic(p, minute);
        expect(t.errors).toBeLessThanOrEqual(t.requests);
        expect(Math.max(...t.buckets)).toBeLessThanOrEqual(t.requests);
        expect([...t.buckets].sort((a, b) => a - b)).toEqual(t.buckets);
      }
    }
  });

  it('raises the error ratio inside an incident and not outside it', () => {
    const card = plan('card-authorisation-service');
    const during = Array.from({ length: 30 }, (_, i) =>
      minuteTraffic(card, ANCHOR - 1 - i),
    );
    const before = Array.from({ length: 30 }, (_, i) =>
      minuteTraffic(card, ANCHOR - 120 - i),
    );
    const ratio = (ts: typeof during) =>
      ts.reduce((s, t) => s + t.errors, 0) /
      ts.reduce((s, t) => s + t.requests, 0);
    expect(ratio(during)).toBeGreaterThan(0.02);
    expect(ratio(before)).toBeLessThan(0.002);
  });

  it('places past incidents at fixed UTC times on days counted back, or in the ISO week before', () => {
    expect(iso(minuteOfMoment({ daysAgo: 6, at: '12:00' }, ANCHOR))).toBe(
      '2027-03-11T12:00:00.000Z',
    );
    // Last week's Tuesday, seen from a Wednesday, a Monday just after midnight and a Sunday night.
    for (const [anchor, tuesday] of [
      ['2027-03-17T10:20:00Z', '2027-03-09T14:00:00.000Z'],
      ['2027-03-01T00:05:00Z', '2027-02-23T14:00:00.000Z'],
      ['2027-03-07T23:59:00Z', '2027-02-23T14:00:00.000Z'],
    ]) {
      expect(
        iso(
          minuteOfMoment(
            { lastWeek: 2, at: '14:00' },
            minuteOf(Date.parse(anchor)),
          ),
        ),
      ).toBe(tuesday);
    }
    const fx = plan(
      'fx-rates-service',
      minuteOf(Date.parse('2028-02-29T23:30:00Z')),
    );
    expect(fx.incidents.map(i => [iso(i.from), iso(i.to)])).toEqual([
      ['2028-02-23T12:00:00.000Z', '2028-02-23T15:00:00.000Z'],
    ]);
  });

  it('names the field and the fix for a time of day it cannot read', () => {
    expect(() =>
      minuteOfMoment({ daysAgo: 1, at: '25:00' }, ANCHOR, 'fx-rates-service'),
    ).toThrow(
      "fx-rates-service: '25:00' is not a UTC time of day; write HH:MM, e.g. '14:00'",
    );
  });

  it('resets a restarted service’s counters in the minute it restarted', () => {
    const vault = plan('card-tokenisation-vault');
    const reset = vault.resetMinute!;
    expect(iso(reset)).toBe('2027-03-07T04:00:00.000Z');
    let counters = emptyCounters();
    for (let minute = reset - 10; minute < reset; minute++)
      counters = advance(vault, counters, minute);
    const after = advance(vault, counters, reset);
    expect(after.requests).toBeLessThan(counters.requests);
    expect(after.requests).toBe(minuteTraffic(vault, reset).requests);
  });
});
