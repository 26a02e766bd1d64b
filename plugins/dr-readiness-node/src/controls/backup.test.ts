import {
  ACCOUNT,
  aurora,
  bucket,
  cache,
  DAILY_TIER,
  daysAgo,
  goodBackup,
  key,
  minutesAgo,
  PRIMARY,
  RECOVERY,
  service,
  table,
  TIER,
  undescribed,
} from '../__fixtures__/facts';
import {
  check,
  describeContract,
  type ContractCase,
} from '../__fixtures__/contract';

describe('AWS Backup controls', () => {
  it('look at Aurora clusters, DynamoDB tables and S3 buckets, naming their kind', () => {
    const result = check(
      'backup-protected',
      service([
        aurora('ledger'),
        table(
          'card-token-vault',
          {},
          { backup: goodBackup({ protectedByPlan: false }) },
        ),
        bucket(
          'receipts',
          {},
          { backup: goodBackup({ protectedByPlan: false }) },
        ),
        key('mrk-1'),
        cache('sessions'),
      ]),
    );
    expect(result.summary).toBe(
      '2 of 3 data stores are not protected by AWS Backup: card-token-vault (DynamoDB), receipts (S3)',
    );
    expect(result.resources).toHaveLength(3);
    expect(result.fix).toContain(
      'selection_tag { key = "service", value = "wallet-api" }',
    );
  });

  it('keep as evidence the AWS Backup and discovery calls, not the describe calls they did not use', () => {
    const result = check(
      'backup-protected',
      service([table('card-token-vault')]),
    );
    expect(result.calls.map(c => `${c.service}:${c.operation}`)).toEqual([
      'tagging:GetResources',
      'backup:ListProtectedResources',
    ]);
  });

  it('do not apply to a service with only keys and caches', () => {
    expect(
      check('backup-protected', service([key('mrk-1'), cache('sessions')]))
        .status,
    ).toBe('not_applicable');
  });

  it('answer error naming the failed AWS Backup read in that account/region', () => {
    const gap = {
      accountId: ACCOUNT,
      region: PRIMARY,
      operation: 'backup:ListProtectedResources',
      code: 'AccessDeniedException',
      message: 'not authorized to perform backup:ListProtectedResources',
    };
    const result = check(
      'backup-protected',
      service([table('card-token-vault', {}, { backup: undefined })], {
        gaps: [gap],
      }),
    );
    expect(result.status).toBe('error');
    expect(result.summary).toBe(
      '1 of 1 data store could not be checked: card-token-vault (DynamoDB): AWS Backup could not be read in 318402765190/eu-west-2: AccessDeniedException: not authorized to perform backup:ListProtectedResources (backup:ListProtectedResources)',
    );
  });

  it('still judge backups when only the describe call failed: AWS Backup does not need it', () => {
    const result = check(
      'backup-protected',
      service([
        undescribed(
          table('card-token-vault'),
          'dynamodb:DescribeTable failed: x',
        ),
      ]),
    );
    expect(result.status).toBe('pass');
  });

  it('backup-recovery-point-age fails a recovery point older than the RPO, with its age', () => {
    const old = goodBackup({
      newestRecoveryPoint: {
        ...goodBackup().newestRecoveryPoint!,
        createdAt: minutesAgo(30 * 60),
      },
    });
    const result = check(
      'backup-recovery-point-age',
      service([table('card-token-vault', {}, { backup: old })]),
      DAILY_TIER,
    );
    expect(result.summary).toBe(
      '1 of 1 data store has no recovery point within the RPO: card-token-vault (DynamoDB, 30 h old)',
    );
    expect(result.resources[0].detail).toBe(
      `newest recovery point 30 h old (${minutesAgo(30 * 60)}), RPO 24 h`,
    );
    expect(result.fix).toContain('at least every 24 h');
    expect(result.facts).toMatchObject({
      requirement: { rpoMinutes: 1440 },
      resources: [
        {
          ageMinutes: 1800,
          newestRecoveryPoint: {
            createdAt: minutesAgo(30 * 60),
            status: 'COMPLETED',
          },
        },
      ],
    });
  });

  it('backup-recovery-point-age passes a recent recovery point and fails when there is none', () => {
    expect(
      check('backup-recovery-point-age', service([table('t')]), DAILY_TIER)
        .status,
    ).toBe('pass');
    const none = check(
      'backup-recovery-point-age',
      service([
        table(
          't',
          {},
          { backup: goodBackup({ newestRecoveryPoint: undefined }) },
        ),
      ]),
      DAILY_TIER,
    );
    expect(none.resources[0].detail).toBe('no completed recovery point');
  });

  it('backup-copy-cross-region needs a completed copy in the recovery region', () => {
    const result = check(
      'backup-copy-cross-region',
      service([
        bucket(
          'receipts',
          {},
          { backup: goodBackup({ copyRegions: ['us-east-1'] }) },
        ),
      ]),
    );
    expect(result.resources[0].detail).toBe(
      'no completed copy job to eu-west-1 (copies in: us-east-1)',
    );
    expect(result.fix).toContain('copy_action');
  });

  it('backup-restore-tested passes a recent restore test within the RTO, naming the plan', () => {
    const result = check('backup-restore-tested', service([aurora('ledger')]));
    expect(result.resources[0].detail).toBe(
      `restored ${daysAgo(
        10,
      )} by restore testing plan monthly-restore-test in 42 min (RTO 1 h)`,
    );
  });

  it('backup-restore-tested fails a stale restore and says to schedule restore tests', () => {
    const stale = goodBackup({
      latestRestore: {
        ...goodBackup().latestRestore!,
        completedAt: daysAgo(45),
      },
    });
    const result = check(
      'backup-restore-tested',
      service([aurora('ledger', {}, { backup: stale })]),
    );
    expect(result.resources[0].detail).toBe(
      'last restore 45 days ago, tier-1 requires one within 30 (restore testing plan monthly-restore-test)',
    );
    expect(result.fix).toContain('aws_backup_restore_testing_plan');
    expect(result.fix).not.toContain('longer than');
  });

  it('backup-restore-tested fails a restore slower than the RTO and says how to speed it up', () => {
    const slow = goodBackup({
      latestRestore: {
        ...goodBackup().latestRestore!,
        durationMinutes: 95,
        restoreTestingPlan: undefined,
      },
    });
    const result = check(
      'backup-restore-tested',
      service([aurora('ledger', {}, { backup: slow })]),
    );
    expect(result.resources[0].detail).toBe(
      'restore took 1 h 35 min, over the 1 h RTO (a manual restore)',
    );
    expect(result.fix).toContain('take longer than the 1 h RTO');
    expect(result.fix).not.toContain('aws_backup_restore_testing_plan with');
  });

  it('backup-restore-tested answers error naming the key when the tier sets no restore window', () => {
    const result = check('backup-restore-tested', service([aurora('ledger')]), {
      ...TIER,
      restoreTestWithinDays: undefined,
    });
    expect(result.status).toBe('error');
    expect(result.fix).toContain('restoreTestWithinDays');
  });

  it('count only primaries: a copy in the recovery region is covered by its primary', () => {
    const copy = table(
      'card-token-vault',
      {},
      { region: RECOVERY, backup: goodBackup({ protectedByPlan: false }) },
    );
    expect(
      check('backup-protected', service([table('card-token-vault'), copy]))
        .status,
    ).toBe('pass');
  });
});

const CONTRACT: ContractCase[] = [
  {
    id: 'backup-protected',
    pass: () => table('card-token-vault'),
    fail: () =>
      table(
        'card-token-vault',
        {},
        {
          backup: goodBackup({
            protectedByPlan: false,
            newestRecoveryPoint: undefined,
          }),
        },
      ),
    broken: () => table('card-token-vault', {}, { backup: undefined }),
    brokenError: 'AWS Backup facts were not collected',
    none: 'No data stores tagged service=wallet-api',
  },
  {
    id: 'backup-recovery-point-age',
    pass: () =>
      table(
        'card-token-vault',
        {},
        {
          backup: goodBackup({
            newestRecoveryPoint: {
              ...goodBackup().newestRecoveryPoint!,
              createdAt: minutesAgo(10),
            },
          }),
        },
      ),
    fail: () =>
      table(
        'card-token-vault',
        {},
        {
          backup: goodBackup({
            newestRecoveryPoint: {
              ...goodBackup().newestRecoveryPoint!,
              createdAt: minutesAgo(16),
            },
          }),
        },
      ),
    broken: () => table('card-token-vault', {}, { backup: undefined }),
    brokenError: 'AWS Backup facts were not collected',
    none: 'No data stores tagged service=wallet-api',
  },
  {
    id: 'backup-copy-cross-region',
    pass: () => bucket('receipts'),
    fail: () =>
      bucket('receipts', {}, { backup: goodBackup({ copyRegions: [] }) }),
    broken: () => bucket('receipts', {}, { backup: undefined }),
    brokenError: 'AWS Backup facts were not collected',
    none: 'No data stores tagged service=wallet-api',
  },
  {
    id: 'backup-restore-tested',
    pass: () => aurora('ledger'),
    fail: () =>
      aurora(
        'ledger',
        {},
        { backup: goodBackup({ latestRestore: undefined }) },
      ),
    broken: () => aurora('ledger', {}, { backup: undefined }),
    brokenError: 'AWS Backup facts were not collected',
    none: 'No data stores tagged service=wallet-api',
  },
];

describeContract(CONTRACT);
