import { ConfigReader } from '@backstage/config';
import {
  DrTierConfigError,
  findDrTier,
  readDrPolicy,
  readDrTiers,
} from './tiers';

const config = (tiers: unknown) =>
  new ConfigReader({ drReadiness: { tiers } } as any);

describe('readDrTiers', () => {
  it('reads the tiers in declared order with their RTO and RPO', () => {
    const tiers = readDrTiers(
      config([
        { id: 'tier-0', title: 'Tier 0', rtoMinutes: 15, rpoMinutes: 1 },
        { id: 'tier-1', rtoMinutes: 60, rpoMinutes: 15 },
      ]),
    );
    expect(tiers).toEqual([
      { id: 'tier-0', title: 'Tier 0', rtoMinutes: 15, rpoMinutes: 1 },
      { id: 'tier-1', title: 'tier-1', rtoMinutes: 60, rpoMinutes: 15 },
    ]);
    expect(findDrTier(tiers, 'tier-1')?.rpoMinutes).toBe(15);
    expect(findDrTier(tiers, 'tier-9')).toBeUndefined();
  });

  it('refuses a missing tier list and says where to declare it', () => {
    expect(() => readDrTiers(new ConfigReader({}))).toThrow(
      /drReadiness\.tiers is missing or empty/,
    );
  });

  it('reports every bad field with its key in one error', () => {
    let error: unknown;
    try {
      readDrTiers(
        config([
          { id: 'tier-0', rtoMinutes: 15, rpoMinutes: 1 },
          { id: 'Tier One', rtoMinutes: 60, rpoMinutes: 15 },
          { id: 'tier-0', rtoMinutes: -5, rpoMinutes: 'soon' },
        ]),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DrTierConfigError);
    const message = (error as Error).message;
    expect(message).toContain(
      'drReadiness.tiers[1].id must be a lower-case id',
    );
    expect(message).toContain(
      'drReadiness.tiers[2].id "tier-0" is declared twice',
    );
    expect(message).toContain(
      'drReadiness.tiers[2].rtoMinutes must be a positive number of minutes (got -5)',
    );
    expect(message).toContain(
      'drReadiness.tiers[2].rpoMinutes must be a positive number of minutes (got "soon")',
    );
  });
});

const policyTier = (overrides: Record<string, unknown> = {}) => ({
  id: 'tier-1',
  rtoMinutes: 60,
  rpoMinutes: 15,
  backupRetentionDays: 14,
  restoreTestWithinDays: 30,
  controls: [
    { id: 'rds-multi-az', weight: 8 },
    { id: 'rds-backup-retention', weight: 4 },
    { id: 'backup-restore-tested', weight: 6 },
  ],
  ...overrides,
});

/** The message of the DrTierConfigError that `read` throws (the test fails when it throws none). */
const problemsOf = (read: () => unknown): string => {
  let error: unknown;
  try {
    read();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DrTierConfigError);
  return (error as Error).message;
};

describe('DR policy in drReadiness.tiers', () => {
  it('reads each tier controls with their weights, retention and restore-test window', () => {
    const [tier] = readDrTiers(config([policyTier()]));
    expect(tier).toEqual({
      id: 'tier-1',
      title: 'tier-1',
      rtoMinutes: 60,
      rpoMinutes: 15,
      backupRetentionDays: 14,
      restoreTestWithinDays: 30,
      controls: [
        { id: 'rds-multi-az', weight: 8 },
        { id: 'rds-backup-retention', weight: 4 },
        { id: 'backup-restore-tested', weight: 6 },
      ],
    });
  });

  it('reports every bad control at once with its key, suggesting the id meant', () => {
    const message = problemsOf(() =>
      readDrTiers(
        config([
          policyTier({ id: 'tier-0' }),
          policyTier({ id: 'tier-1' }),
          policyTier({
            id: 'tier-2',
            controls: [
              { id: 'rds-multi-az', weight: 8 },
              { id: 'rds-multiaz', weight: 8 },
              { id: 'dynamodb-pitr', weight: 0 },
              { id: 'rds-multi-az', weight: 2 },
              'route53-failover',
            ],
          }),
        ]),
      ),
    );
    expect(message).toContain(
      'drReadiness.tiers[2].controls[1].id "rds-multiaz" is not a control; did you mean "rds-multi-az"? Known: rds-global-or-replica, rds-multi-az,',
    );
    expect(message).toContain(
      'drReadiness.tiers[2].controls[2].weight must be a positive number (got 0)',
    );
    expect(message).toContain(
      'drReadiness.tiers[2].controls[3].id "rds-multi-az" is listed twice in drReadiness.tiers[2].controls: keep one entry and put the whole weight on it',
    );
    expect(message).toContain(
      'drReadiness.tiers[2].controls[4] must be an object { id, weight } (got "route53-failover")',
    );
  });

  it('names no suggestion for an id that is nothing like a control', () => {
    const message = problemsOf(() =>
      readDrTiers(
        config([
          policyTier({
            controls: [{ id: 'quantum-backups-everywhere', weight: 1 }],
          }),
        ]),
      ),
    );
    expect(message).toContain(
      'drReadiness.tiers[0].controls[0].id "quantum-backups-everywhere" is not a control. Known: ',
    );
  });

  it('requires the figures the tier own controls compare with, and refuses an unreachable retention', () => {
    const missing = problemsOf(() =>
      readDrTiers(
        config([
          policyTier({
            backupRetentionDays: undefined,
            restoreTestWithinDays: undefined,
          }),
        ]),
      ),
    );
    expect(missing).toContain(
      'drReadiness.tiers[0].backupRetentionDays is missing: drReadiness.tiers[0].controls requires rds-backup-retention',
    );
    expect(missing).toContain(
      'drReadiness.tiers[0].restoreTestWithinDays is missing: drReadiness.tiers[0].controls requires backup-restore-tested',
    );
    const tooLong = problemsOf(() =>
      readDrTiers(config([policyTier({ backupRetentionDays: 90 })])),
    );
    expect(tooLong).toContain(
      'drReadiness.tiers[0].backupRetentionDays is 90, but Aurora/RDS keeps automated backups at most 35 days',
    );
    const notDays = problemsOf(() =>
      readDrTiers(
        config([policyTier({ restoreTestWithinDays: 7.5, controls: [] })]),
      ),
    );
    expect(notDays).toContain(
      'drReadiness.tiers[0].restoreTestWithinDays must be a positive whole number of days (got 7.5)',
    );
    expect(notDays).toContain(
      'drReadiness.tiers[0].controls must be a non-empty list of { id, weight } (got [])',
    );
  });

  it('reads drillWithinDays when a tier sets it, leaves it unset otherwise (180 days then), and rejects a non-whole number', () => {
    const [set] = readDrTiers(config([policyTier({ drillWithinDays: 90 })]));
    expect(set.drillWithinDays).toBe(90);
    const [unset] = readDrTiers(config([policyTier()]));
    expect(unset.drillWithinDays).toBeUndefined();
    expect(
      problemsOf(() =>
        readDrTiers(config([policyTier({ drillWithinDays: -3 })])),
      ),
    ).toContain(
      'drReadiness.tiers[0].drillWithinDays must be a positive whole number of days (got -3)',
    );
  });

  it('reads failoverMode (automatic or manual), leaves it unset otherwise, and names the field of an unknown mode', () => {
    const [automatic, manual, unset] = readDrTiers(
      config([
        policyTier({ id: 'a', failoverMode: 'automatic' }),
        policyTier({ id: 'b', failoverMode: 'manual' }),
        policyTier({ id: 'c' }),
      ]),
    );
    expect(automatic.failoverMode).toBe('automatic');
    expect(manual.failoverMode).toBe('manual');
    expect(unset.failoverMode).toBeUndefined();
    expect(
      problemsOf(() =>
        readDrTiers(config([policyTier({ failoverMode: 'auto' })])),
      ),
    ).toContain(
      'drReadiness.tiers[0].failoverMode must be one of automatic, manual (got "auto")',
    );
  });
});

describe('readDrPolicy', () => {
  it('reads the tiers and the level thresholds, defaulting to ready at 1 and partial at 0.7', () => {
    const policy = readDrPolicy(config([policyTier()]));
    expect(policy.tiers.map(t => t.id)).toEqual(['tier-1']);
    expect(policy.levels).toEqual({ readyAt: 1, partialAt: 0.7 });
    const custom = readDrPolicy(
      new ConfigReader({
        drReadiness: {
          tiers: [policyTier()],
          levels: { readyAt: 0.95, partialAt: 0.6 },
        },
      }),
    );
    expect(custom.levels).toEqual({ readyAt: 0.95, partialAt: 0.6 });
  });

  it('requires every policy field the DR plugin relies on, per tier', () => {
    const message = problemsOf(() =>
      readDrPolicy(
        config([{ id: 'tier-3', rtoMinutes: 1440, rpoMinutes: 1440 }]),
      ),
    );
    expect(message).toContain(
      'drReadiness.tiers[0].controls is missing: list the controls tier "tier-3" requires as { id, weight }',
    );
    expect(message).toContain(
      'drReadiness.tiers[0].backupRetentionDays is missing: the DR readiness plugin needs it for tier "tier-3"',
    );
    expect(message).toContain(
      'drReadiness.tiers[0].restoreTestWithinDays is missing',
    );
  });

  it('refuses level thresholds out of range or in the wrong order', () => {
    const levels = (value: unknown) =>
      problemsOf(() =>
        readDrPolicy(
          new ConfigReader({
            drReadiness: { tiers: [policyTier()], levels: value },
          } as any),
        ),
      );
    expect(levels({ readyAt: 1.5 })).toContain(
      'drReadiness.levels.readyAt must be a score above 0 and at most 1, e.g. 0.7 (got 1.5)',
    );
    expect(levels({ readyAt: 0.6, partialAt: 0.8 })).toContain(
      'drReadiness.levels.partialAt (0.8) must not be above drReadiness.levels.readyAt (0.6): partial is the lower threshold',
    );
  });
});
