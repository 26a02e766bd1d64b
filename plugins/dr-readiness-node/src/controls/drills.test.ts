import type { FailoverDrill } from '@internal/dr-readiness-common';
import { check } from '../__fixtures__/contract';
import {
  ACCOUNT,
  aurora,
  call,
  daysAgo,
  NOW,
  RECOVERY,
  service,
  TIER,
} from '../__fixtures__/facts';
import { measureRto } from './drills';

const ID = 'failover-drill-within-rto';

/** A drill of `minutes` that ended `endedDaysAgo` days before the fixtures' NOW. */
function drill(
  endedDaysAgo: number,
  minutes: number,
  overrides: Partial<FailoverDrill> = {},
): FailoverDrill {
  const endedAt = daysAgo(endedDaysAgo);
  return {
    id: `drill-${endedDaysAgo}-${minutes}`,
    entityRef: 'component:default/wallet-api',
    kind: 'region-failover',
    startedAt: new Date(Date.parse(endedAt) - minutes * 60_000).toISOString(),
    endedAt,
    durationMinutes: minutes,
    outcome: 'succeeded',
    recordedBy: 'user:default/maya.cohen',
    recordedAt: endedAt,
    ...overrides,
  };
}

describe('failover-drill-within-rto', () => {
  it('fails when no drill is recorded, and says how to record one', () => {
    const result = check(ID, service([], { drills: [] }));
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('No failover drill recorded for wallet-api');
    expect(result.fix).toContain(
      'POST /api/dr-readiness/services/default/wallet-api/drills',
    );
  });

  it('fails when only failed drills are recorded', () => {
    const result = check(
      ID,
      service([], { drills: [drill(3, 10, { outcome: 'failed' })] }),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('No succeeded failover drill');
    expect(result.summary).toContain('1 failed');
  });

  it('is an error, never a pass, when the drills were not read', () => {
    expect(check(ID, service([])).status).toBe('error');
  });

  it('passes a recent drill within the RTO, naming who ran it, with the drill as evidence', () => {
    const recent = drill(20, 42);
    const result = check(ID, service([], { drills: [drill(100, 30), recent] }));
    expect(result.status).toBe('pass');
    expect(result.fix).toBeUndefined();
    expect(result.summary).toContain('took 42 min');
    expect(result.summary).toContain('run by user:default/maya.cohen');
    expect(result.facts).toMatchObject({
      drill: recent,
      ageDays: 20,
      rtoMinutes: 60,
      drillWithinDays: 180,
    });
  });

  it("fails a drill slower than the tier's RTO", () => {
    const result = check(ID, service([], { drills: [drill(5, 75)] }));
    expect(result.status).toBe('fail');
    expect(result.summary).toContain("over the tier's RTO of 1 h");
    expect(result.fix).toContain('faster than 1 h');
  });

  it("fails a drill older than the tier's window, which drillWithinDays sets (180 days by default)", () => {
    const facts = service([], { drills: [drill(200, 20)] });
    const result = check(ID, facts);
    expect(result.status).toBe('fail');
    expect(result.summary).toContain(
      "older than the tier's 180-day drill window",
    );
    expect(check(ID, facts, { ...TIER, drillWithinDays: 365 }).status).toBe(
      'pass',
    );
    expect(
      check(ID, service([], { drills: [drill(40, 20)] }), {
        ...TIER,
        drillWithinDays: 30,
      }).status,
    ).toBe('fail');
  });

  it('judges the newest succeeded drill, not a later failed one nor an older fast one', () => {
    const result = check(
      ID,
      service([], {
        drills: [
          drill(300, 10),
          drill(10, 90),
          drill(2, 5, { outcome: 'failed' }),
        ],
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('took 1 h 30 min');
  });

  it('shows the newest AWS Backup restore as a labelled second measure that does not pass the control', () => {
    const store = aurora('ledger');
    store.calls.push(call('backup', 'ListRestoreJobs', 'bk-1'));
    store.backup = {
      ...store.backup!,
      latestRestore: {
        jobId: 'restore-1',
        accountId: ACCOUNT,
        region: RECOVERY,
        status: 'COMPLETED',
        completedAt: daysAgo(10),
        durationMinutes: 42,
        durationIsLowerBound: true,
      },
    };
    const noDrill = check(ID, service([store], { drills: [] }));
    expect(noDrill.status).toBe('fail');
    expect(noDrill.summary).toContain(
      'Second measure, not scored: the newest AWS Backup restore',
    );
    expect(noDrill.summary).toContain('took 42 min, a lower bound');
    expect(noDrill.facts).toMatchObject({
      latestRestore: { durationMinutes: 42, lowerBound: true },
    });
    expect(noDrill.calls.map(c => c.operation)).toEqual(['ListRestoreJobs']);
  });

  it('measureRto ignores drills that had not ended by now', () => {
    const future = drill(-1, 10);
    expect(measureRto([future], TIER, NOW)).toEqual({
      rtoMinutes: 60,
      drillWithinDays: 180,
      drillsRecorded: 0,
    });
  });
});
