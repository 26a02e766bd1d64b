import { DR_CONTROL_IDS } from './controls';
import type {
  CheckStatus,
  ControlResult,
  DrTier,
  Waiver,
} from '@internal/dr-readiness-common';
import { activeWaivers, scoreService, waiverProblems } from './scoring';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const inDays = (days: number) =>
  new Date(NOW.getTime() + days * 86_400_000).toISOString();

const TIER: DrTier = {
  id: 'tier-1',
  title: 'Tier 1',
  rtoMinutes: 60,
  rpoMinutes: 15,
  backupRetentionDays: 14,
  restoreTestWithinDays: 30,
  controls: [
    { id: 'rds-global-or-replica', weight: 10 },
    { id: 'dynamodb-pitr', weight: 6 },
    { id: 'rds-multi-az', weight: 8 },
    { id: 's3-versioning', weight: 4 },
    { id: 'route53-failover', weight: 2 },
  ],
};

const result = (
  controlId: string,
  status: CheckStatus,
  summary = `${controlId} ${status}`,
): ControlResult => ({
  controlId,
  status,
  summary,
  resources: [],
  facts: {},
  calls: [],
});

/** Results in TIER order with the given statuses. */
const results = (...statuses: CheckStatus[]) =>
  TIER.controls!.map((c, i) => result(c.id, statuses[i]));

const waiver = (
  controlId: string,
  overrides: Partial<Waiver> = {},
): Waiver => ({
  id: `w-${controlId}`,
  entityRef: 'component:default/wallet-api',
  controlId,
  reason: 'Replica cluster is being built in INC-2041',
  status: 'approved',
  approver: 'user:default/priya.natarajan',
  approvedAt: inDays(-1),
  expiresAt: inDays(30),
  createdBy: 'user:default/alice',
  createdAt: inDays(-1),
  ...overrides,
});

describe('scoreService', () => {
  it('is ready when every counted control passes', () => {
    const score = scoreService(
      results('pass', 'pass', 'pass', 'pass', 'not_applicable'),
      TIER,
      [],
      NOW,
    );
    expect(score).toEqual({
      score: 1,
      level: 'ready',
      reasons: [],
      weights: {
        passed: 28,
        failed: 0,
        errored: 0,
        waived: 0,
        notApplicable: 2,
      },
      incomplete: false,
    });
  });

  it('divides passed weight by passed + failed + errored, and lists failing then erroring controls by weight', () => {
    const score = scoreService(
      [
        result('rds-global-or-replica', 'pass'),
        result(
          'dynamodb-pitr',
          'fail',
          '1 of 2 DynamoDB tables has point-in-time recovery disabled: card-token-vault',
        ),
        result(
          'rds-multi-az',
          'error',
          '1 of 1 Aurora cluster could not be checked: ledger: AccessDenied',
        ),
        result(
          's3-versioning',
          'fail',
          '1 of 1 S3 bucket does not have versioning enabled: receipts (Suspended)',
        ),
        result('route53-failover', 'not_applicable'),
      ],
      TIER,
      [],
      NOW,
    );
    // 10 / (10 + 6 + 4 + 8) = 0.357...
    expect(score.score).toBeCloseTo(10 / 28, 10);
    expect(score.level).toBe('not-ready');
    expect(score.incomplete).toBe(true);
    expect(score.weights).toEqual({
      passed: 10,
      failed: 10,
      errored: 8,
      waived: 0,
      notApplicable: 2,
    });
    expect(score.reasons).toEqual([
      'DynamoDB point-in-time recovery: 1 of 2 DynamoDB tables has point-in-time recovery disabled: card-token-vault',
      'S3 versioning: 1 of 1 S3 bucket does not have versioning enabled: receipts (Suspended)',
      'Aurora Multi-AZ: 1 of 1 Aurora cluster could not be checked: ledger: AccessDenied',
    ]);
  });

  it('is partial from partialAt, and never ready while something errored', () => {
    // 24 / 28 = 0.857: partial with the default levels (ready at 1).
    expect(
      scoreService(
        results('pass', 'pass', 'pass', 'fail', 'not_applicable'),
        TIER,
        [],
        NOW,
      ).level,
    ).toBe('partial');
    // With readyAt 0.8 the same score is ready...
    expect(
      scoreService(
        results('pass', 'pass', 'pass', 'fail', 'not_applicable'),
        TIER,
        [],
        NOW,
        { readyAt: 0.8, partialAt: 0.5 },
      ).level,
    ).toBe('ready');
    // ...but an error (26 / 28 = 0.93) keeps it partial: the score may be wrong.
    const errored = scoreService(
      results('pass', 'pass', 'pass', 'pass', 'error'),
      TIER,
      [],
      NOW,
      { readyAt: 0.8, partialAt: 0.5 },
    );
    expect(errored.score).toBeCloseTo(28 / 30, 10);
    expect(errored.level).toBe('partial');
  });

  it('reaches partialAt exactly without floating-point noise', () => {
    const tier: DrTier = {
      ...TIER,
      controls: [
        { id: 'dynamodb-pitr', weight: 0.7 },
        { id: 's3-versioning', weight: 0.3 },
      ],
    };
    const score = scoreService(
      [result('dynamodb-pitr', 'pass'), result('s3-versioning', 'fail')],
      tier,
      [],
      NOW,
    );
    expect(score.score).toBe(0.7);
    expect(score.level).toBe('partial');
  });

  it('leaves out a control with an active waiver, counting its weight as waived', () => {
    const score = scoreService(
      results('fail', 'pass', 'pass', 'pass', 'pass'),
      TIER,
      [waiver('rds-global-or-replica')],
      NOW,
    );
    expect(score.score).toBe(1);
    expect(score.level).toBe('ready');
    expect(score.weights.waived).toBe(10);
    expect(score.reasons).toEqual([]);
  });

  it('counts the control again once its waiver has expired or was revoked', () => {
    const statuses = results('fail', 'pass', 'pass', 'pass', 'pass');
    const expired = scoreService(
      statuses,
      TIER,
      [waiver('rds-global-or-replica', { expiresAt: inDays(-1) })],
      NOW,
    );
    const revoked = scoreService(
      statuses,
      TIER,
      [
        waiver('rds-global-or-replica', {
          revokedAt: inDays(-2),
          revokedBy: 'user:default/bob',
        }),
      ],
      NOW,
    );
    for (const score of [expired, revoked]) {
      expect(score.weights).toMatchObject({ failed: 10, waived: 0 });
      expect(score.score).toBeCloseTo(20 / 30, 10);
      expect(score.level).toBe('not-ready');
    }
  });

  it('counts a failing control while its waiver is only requested, not yet approved', () => {
    const requested = scoreService(
      results('fail', 'pass', 'pass', 'pass', 'pass'),
      TIER,
      [
        waiver('rds-global-or-replica', {
          status: 'requested',
          approver: undefined,
          approvedAt: undefined,
        }),
      ],
      NOW,
    );
    expect(requested.weights).toMatchObject({ failed: 10, waived: 0 });
    expect(requested.level).toBe('not-ready');
  });

  it('is unknown, with no score, when nothing required applied', () => {
    const score = scoreService(
      results(
        'not_applicable',
        'not_applicable',
        'not_applicable',
        'not_applicable',
        'not_applicable',
      ),
      TIER,
      [],
      NOW,
    );
    expect(score.score).toBeNull();
    expect(score.level).toBe('unknown');
    expect(score.weights.notApplicable).toBe(30);
  });

  it('counts a required control with no result as errored, unless it is waived', () => {
    const partial = [result('rds-global-or-replica', 'pass')];
    const score = scoreService(
      partial,
      { ...TIER, controls: TIER.controls!.slice(0, 2) },
      [],
      NOW,
    );
    expect(score.weights).toMatchObject({ passed: 10, errored: 6 });
    expect(score.reasons).toEqual([
      'DynamoDB point-in-time recovery: not evaluated in this scan',
    ]);
    const waived = scoreService(
      partial,
      { ...TIER, controls: TIER.controls!.slice(0, 2) },
      [waiver('dynamodb-pitr')],
      NOW,
    );
    expect(waived.level).toBe('ready');
  });

  it('says where to list controls for a tier that has none', () => {
    const score = scoreService([], { ...TIER, controls: undefined }, [], NOW);
    expect(score.level).toBe('unknown');
    expect(score.reasons).toEqual([
      'Tier tier-1 requires no controls: list them under drReadiness.tiers (id tier-1).controls',
    ]);
  });
});

describe('activeWaivers', () => {
  it('keeps waivers that are approved, and neither revoked nor expired at now', () => {
    const active = waiver('a');
    const expiringNow = waiver('b', { expiresAt: NOW.toISOString() });
    const revoked = waiver('c', { revokedAt: inDays(-1) });
    const unreadable = waiver('d', { expiresAt: 'next quarter' });
    const requested = waiver('e', {
      status: 'requested',
      approver: undefined,
      approvedAt: undefined,
    });
    expect(
      activeWaivers([active, expiringNow, revoked, unreadable, requested], NOW),
    ).toEqual([active]);
  });
});

describe('waiverProblems', () => {
  const tierControls = TIER.controls!.map(c => c.id);
  const request = {
    controlId: 'rds-global-or-replica',
    reason: 'Secondary cluster in eu-west-1 is being built under CHG-1182',
    expiresAt: inDays(90),
  };

  it('accepts a complete request', () => {
    expect(
      waiverProblems(request, DR_CONTROL_IDS, tierControls, NOW, {
        tierId: 'tier-1',
      }),
    ).toEqual([]);
  });

  it('reports every bad field at once, each starting with its name', () => {
    const problems = waiverProblems(
      {
        controlId: 'elasticache-global-datastore',
        reason: 'because',
        expiresAt: inDays(400),
      },
      DR_CONTROL_IDS,
      tierControls,
      NOW,
      { tierId: 'tier-1' },
    );
    expect(problems).toEqual([
      'controlId "elasticache-global-datastore" is not required by tier-1, so there is nothing to waive; required: rds-global-or-replica, dynamodb-pitr, rds-multi-az, s3-versioning, route53-failover',
      'reason must be at least 10 characters: say why the control cannot be met and what stands in for it',
      `expiresAt must be in the future and at most 365 days ahead (got ${inDays(
        400,
      )}; latest allowed ${inDays(365)})`,
    ]);
  });

  it('suggests the control meant by a mistyped id', () => {
    const [problem] = waiverProblems(
      { ...request, controlId: 'dynamodb-pitr-enabled' },
      DR_CONTROL_IDS,
      tierControls,
      NOW,
    );
    expect(problem).toMatch(
      /^controlId "dynamodb-pitr-enabled" is not a control; did you mean "dynamodb-pitr"\? Known: /,
    );
  });

  it('refuses an expiry in the past or that is not a date', () => {
    expect(
      waiverProblems(
        { ...request, expiresAt: inDays(-1) },
        DR_CONTROL_IDS,
        tierControls,
        NOW,
      ),
    ).toEqual([
      `expiresAt must be in the future and at most 365 days ahead (got ${inDays(
        -1,
      )}; latest allowed ${inDays(365)})`,
    ]);
    expect(
      waiverProblems(
        { ...request, expiresAt: 'soon' },
        DR_CONTROL_IDS,
        tierControls,
        NOW,
      ),
    ).toEqual([
      'expiresAt must be an ISO date-time, e.g. 2027-03-31T00:00:00Z (got "soon")',
    ]);
    // Within the year ahead of NOW, but no such days (JavaScript reads 2027-02-30 as 2 March).
    for (const expiresAt of [
      '2027-02-30',
      '2027-02-29T00:00:00Z',
      '2026-12-32',
    ])
      expect(
        waiverProblems(
          { ...request, expiresAt },
          DR_CONTROL_IDS,
          tierControls,
          NOW,
        ),
      ).toEqual([
        `expiresAt "${expiresAt}" is not a day of the calendar; write an existing date, e.g. 2027-02-28`,
      ]);
  });

  it('refuses a reason longer than 2000 characters, naming the field and the fix', () => {
    expect(
      waiverProblems(
        { ...request, reason: 'x'.repeat(2001) },
        DR_CONTROL_IDS,
        tierControls,
        NOW,
      ),
    ).toEqual([
      'reason must be at most 2000 characters (got 2001): summarise it and link the document with the detail',
    ]);
    expect(
      waiverProblems(
        { ...request, reason: 'x'.repeat(2000) },
        DR_CONTROL_IDS,
        tierControls,
        NOW,
      ),
    ).toEqual([]);
  });
});
