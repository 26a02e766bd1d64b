import {
  DEMO_SERVICES,
  advance,
  emptyCounters,
  minuteTraffic,
} from './traffic';

const ANCHOR = 29_000_000; // an epoch minute in 2025
const service = (name: string) => DEMO_SERVICES.find(s => s.name === name)!;

describe('demo traffic', () => {
  it('is the same for the same minute and anchor', () => {
    const s = service('ledger-writer');
    expect(minuteTraffic(s, ANCHOR - 10, ANCHOR)).toEqual(
      minuteTraffic(s, ANCHOR - 10, ANCHOR),
    );
  });

  it('keeps every bucket cumulative and within the request count', () => {
    for (const s of DEMO_SERVICES) {
      for (const minute of [
        ANCHOR - 5,
        ANCHOR - 3 * 24 * 60 + 10,
        ANCHOR - 9 * 24 * 60 + 30,
      ]) {
        const t = minuteTraffic(s, minute, ANCHOR);
        expect(t.errors).toBeLessThanOrEqual(t.requests);
        expect(Math.max(...t.buckets)).toBeLessThanOrEqual(t.requests);
        expect([...t.buckets].sort((a, b) => a - b)).toEqual(t.buckets);
      }
    }
  });

  it('raises the error ratio inside an incident and not outside it', () => {
    const card = service('card-authorisation-service');
    const during = Array.from({ length: 30 }, (_, i) =>
      minuteTraffic(card, ANCHOR - 1 - i, ANCHOR),
    );
    const before = Array.from({ length: 30 }, (_, i) =>
      minuteTraffic(card, ANCHOR - 120 - i, ANCHOR),
    );
    const ratio = (ts: typeof during) =>
      ts.reduce((s, t) => s + t.errors, 0) /
      ts.reduce((s, t) => s + t.requests, 0);
    expect(ratio(during)).toBeGreaterThan(0.02);
    expect(ratio(before)).toBeLessThan(0.002);
  });

  it('resets a restarted service’s counters in the minute it restarted', () => {
    const vault = service('card-tokenisation-vault');
    const reset = ANCHOR - vault.counterResetMinutesAgo!;
    let counters = emptyCounters();
    for (let minute = reset - 10; minute < reset; minute++)
      counters = advance(vault, counters, minute, ANCHOR);
    const after = advance(vault, counters, reset, ANCHOR);
    expect(after.requests).toBeLessThan(counters.requests);
    expect(after.requests).toBe(minuteTraffic(vault, reset, ANCHOR).requests);
  });
});
