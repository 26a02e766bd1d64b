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
      '2 of 3 data stores are not in any AWS Backup plan: card-token-vault (DynamoDB, recovery points, no plan), receipts (S3, recovery points, no plan)',
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

  it('backup-protected fails a store with recovery points that no plan covers any more (left from an old plan)', () => {
    const orphan = goodBackup({
      protectedByPlan: false,
      planNames: [],
      rules: [],
      lastBackupAt: daysAgo(20),
    });
    const result = check(
      'backup-protected',
      service([table('card-token-vault', {}, { backup: orphan })]),
    );
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      `has recovery points (last backup ${daysAgo(
        20,
      )}) but no backup plan's selection covers it: left from an old plan, it gets no new backups`,
    );
  });

  it('backup-plan-frequency-retention fails a weekly rule for a daily RPO and a rule keeping too few days', () => {
    const weekly = goodBackup({
      rules: [
        {
          plan: 'payments-tier-2',
          rule: 'weekly',
          schedule: 'cron(0 3 ? * SUN *)',
          everyMinutes: 7 * 1440,
          deleteAfterDays: 35,
          copies: [],
        },
      ],
    });
    const result = check(
      'backup-plan-frequency-retention',
      service([table('t', {}, { backup: weekly })]),
      DAILY_TIER,
    );
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      'no rule runs every 24 h or more often, kept 14 d or more: payments-tier-2/weekly (cron(0 3 ? * SUN *), kept 35 d) runs every 7 d',
    );
    const short = goodBackup({
      rules: [{ ...goodBackup().rules[0], deleteAfterDays: 7 }],
    });
    expect(
      check(
        'backup-plan-frequency-retention',
        service([table('t', {}, { backup: short })]),
        DAILY_TIER,
      ).status,
    ).toBe('fail');
  });

  it('backup-plan-frequency-retention judges a sub-hour RPO tier against an hourly schedule, and says backups cannot meet its RPO', () => {
    const result = check(
      'backup-plan-frequency-retention',
      service([table('t')]),
      { ...TIER, rpoMinutes: 1 },
    );
    expect(result.status).toBe('pass');
    expect(result.resources[0].detail).toContain(
      'no backup can meet a 1 min RPO (AWS Backup runs at most hourly; replication carries it)',
    );
  });

  it('backup-plan-frequency-retention answers error when no rule schedule can be read', () => {
    const unreadable = goodBackup({
      rules: [{ ...goodBackup().rules[0], everyMinutes: undefined }],
    });
    expect(
      check(
        'backup-plan-frequency-retention',
        service([table('t', {}, { backup: unreadable })]),
      ).status,
    ).toBe('error');
  });

  it('backup-recovery-point-age fails a recovery point older than the RPO, with its age', () => {
    const point = {
      ...goodBackup().newestRecoveryPoint!,
      createdAt: minutesAgo(30 * 60),
    };
    const old = goodBackup({
      newestRecoveryPoint: point,
      newestCompletedRecoveryPoint: point,
    });
    const result = check(
      'backup-recovery-point-age',
      service([table('card-token-vault', {}, { backup: old })]),
      DAILY_TIER,
    );
    expect(result.summary).toBe(
      '1 of 1 data store has no completed recovery point within the RPO: card-token-vault (DynamoDB, 30 h old)',
    );
    expect(result.resources[0].detail).toBe(
      `newest recovery point 30 h old (${minutesAgo(30 * 60)}), allowed 24 h`,
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

  it('backup-recovery-point-age fails a PARTIAL or EXPIRED newest recovery point, naming the newest COMPLETED one', () => {
    for (const status of ['PARTIAL', 'EXPIRED']) {
      const partial = goodBackup({
        newestRecoveryPoint: {
          ...goodBackup().newestRecoveryPoint!,
          arn: 'rp-2',
          status,
          createdAt: minutesAgo(10),
        },
      });
      const result = check(
        'backup-recovery-point-age',
        service([table('t', {}, { backup: partial })]),
        DAILY_TIER,
      );
      expect(result.resources[0].detail).toBe(
        `newest recovery point rp-2 is ${status}, not COMPLETED; the newest COMPLETED one is 50 min old`,
      );
      expect(result.status).toBe('fail');
    }
  });

  it('backup-recovery-point-age says a 1-minute RPO cannot be met by backups, and allows two hours', () => {
    const tier0 = { ...TIER, rpoMinutes: 1 };
    const ok = check('backup-recovery-point-age', service([table('t')]), tier0);
    expect(ok.status).toBe('pass');
    expect(ok.resources[0].detail).toBe(
      `newest recovery point 50 min old (${minutesAgo(
        50,
      )}), allowed 2 h; no backup can meet a 1 min RPO (AWS Backup runs at most hourly; replication carries it), so backups are judged against an hourly schedule`,
    );
    const point = {
      ...goodBackup().newestRecoveryPoint!,
      createdAt: minutesAgo(150),
    };
    expect(
      check(
        'backup-recovery-point-age',
        service([
          table(
            't',
            {},
            { backup: goodBackup({ newestRecoveryPoint: point }) },
          ),
        ]),
        tier0,
      ).status,
    ).toBe('fail');
  });

  it('backup-recovery-point-age fails when no recovery point was listed, naming the last backup', () => {
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
    expect(none.status).toBe('fail');
    expect(none.resources[0].detail).toContain('no recovery point listed');
    expect(none.resources[0].detail).toContain('last backup');
  });

  it("backup-recovery-point-retention compares the newest point's lifecycle with backupRetentionDays, and passes one kept until deleted", () => {
    const point = goodBackup().newestCompletedRecoveryPoint!;
    const short = goodBackup({
      newestCompletedRecoveryPoint: { ...point, deleteAt: daysAgo(-5) },
    });
    const result = check(
      'backup-recovery-point-retention',
      service([table('t', {}, { backup: short })]),
    );
    expect(result.resources[0].detail).toBe(
      `recovery point ${point.arn} kept 5 d, tier-1 requires 14 d`,
    );
    const forever = goodBackup({
      newestCompletedRecoveryPoint: { ...point, deleteAt: undefined },
    });
    expect(
      check(
        'backup-recovery-point-retention',
        service([table('t', {}, { backup: forever })]),
      ).status,
    ).toBe('pass');
  });

  it('backup-recovery-point-encrypted fails unencrypted recovery points and a store with none to check', () => {
    const result = check(
      'backup-recovery-point-encrypted',
      service([
        table(
          't',
          {},
          { backup: goodBackup({ unencryptedRecoveryPoints: ['rp-9'] }) },
        ),
      ]),
    );
    expect(result.resources[0].detail).toBe('not encrypted: rp-9');
    expect(
      check(
        'backup-recovery-point-encrypted',
        service([
          table(
            't',
            {},
            { backup: goodBackup({ newestRecoveryPoint: undefined }) },
          ),
        ]),
      ).status,
    ).toBe('fail');
  });

  it('backup-vault-locked fails a vault without Vault Lock and answers error when the lock was not read', () => {
    const point = goodBackup().newestCompletedRecoveryPoint!;
    const unlocked = goodBackup({
      newestCompletedRecoveryPoint: { ...point, vaultLocked: false },
    });
    const result = check(
      'backup-vault-locked',
      service([table('t', {}, { backup: unlocked })]),
    );
    expect(result.resources[0].detail).toBe(
      `vault ${point.vault} has no Vault Lock`,
    );
    const unknown = goodBackup({
      newestCompletedRecoveryPoint: { ...point, vaultLocked: undefined },
    });
    expect(
      check(
        'backup-vault-locked',
        service([table('t', {}, { backup: unknown })]),
      ).status,
    ).toBe('error');
  });

  it('backup-copy-cross-region needs a completed copy in the recovery region', () => {
    const result = check(
      'backup-copy-cross-region',
      service([
        bucket(
          'receipts',
          {},
          {
            backup: goodBackup({
              copyRegions: ['us-east-1'],
              newestCopyByRegion: { 'us-east-1': minutesAgo(30) },
            }),
          },
        ),
      ]),
    );
    expect(result.resources[0].detail).toBe(
      'no completed copy job to eu-west-1 (copies in: us-east-1)',
    );
    expect(result.fix).toContain('copy_action');
  });

  it('backup-copy-cross-region fails a copy older than the RPO allows (freshness, not only existence)', () => {
    const stale = goodBackup({
      newestCopyByRegion: { [RECOVERY]: daysAgo(3) },
    });
    const result = check(
      'backup-copy-cross-region',
      service([bucket('receipts', {}, { backup: stale })]),
      DAILY_TIER,
    );
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      `newest completed copy to eu-west-1 3 d old (${daysAgo(
        3,
      )}), allowed 24 h`,
    );
  });

  it('backup-copy-cross-account passes a copy to another account and fails without one', () => {
    expect(
      check('backup-copy-cross-account', service([table('t')])).status,
    ).toBe('pass');
    expect(
      check(
        'backup-copy-cross-account',
        service([table('t', {}, { backup: goodBackup({ copyAccounts: [] }) })]),
      ).status,
    ).toBe('fail');
  });

  it('backup-restore-tested passes a recent restore test within the RTO, naming the plan, the region and the validation', () => {
    const result = check('backup-restore-tested', service([table('ledger')]));
    expect(result.resources[0].detail).toBe(
      `restored ${daysAgo(
        10,
      )} in ${ACCOUNT}/eu-west-1 by restore testing plan monthly-restore-test in 42 min (RTO 1 h), validation SUCCESSFUL`,
    );
  });

  it('backup-restore-tested says an Aurora restore time is a lower bound (no DB instances in it)', () => {
    const aur = goodBackup({
      latestRestore: {
        ...goodBackup().latestRestore!,
        durationIsLowerBound: true,
      },
    });
    const result = check(
      'backup-restore-tested',
      service([aurora('ledger', {}, { backup: aur })]),
    );
    expect(result.resources[0].detail).toContain(
      'in at least 42 min (an Aurora restore creates the cluster only: creating its DB instances comes on top)',
    );
  });

  it('backup-restore-tested fails a failed restore and a restore whose validation failed, showing them', () => {
    const failed = goodBackup({
      latestRestore: {
        ...goodBackup().latestRestore!,
        status: 'FAILED',
        statusMessage: 'Insufficient capacity',
      },
    });
    const result = check(
      'backup-restore-tested',
      service([table('ledger', {}, { backup: failed })]),
    );
    expect(result.resources[0].detail).toBe(
      `restore job restore-1 in ${ACCOUNT}/eu-west-1 is FAILED: Insufficient capacity (restore testing plan monthly-restore-test)`,
    );
    expect(result.fix).toContain('failed validation');
    const unvalidated = goodBackup({
      latestRestore: {
        ...goodBackup().latestRestore!,
        validationStatus: 'FAILED',
      },
    });
    expect(
      check(
        'backup-restore-tested',
        service([table('ledger', {}, { backup: unvalidated })]),
      ).resources[0].detail,
    ).toContain('completed but its validation is FAILED');
  });

  it('backup-restore-tested answers error, not fail, when no restore was found and a scope could not be read', () => {
    const unread = goodBackup({
      latestRestore: undefined,
      restores: [],
      restoreScopesUnread: [`${ACCOUNT}/${RECOVERY}`],
    });
    expect(
      check(
        'backup-restore-tested',
        service([table('ledger', {}, { backup: unread })]),
      ).status,
    ).toBe('error');
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
      service([table('ledger', {}, { backup: slow })]),
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

const broken = {
  broken: () => table('card-token-vault', {}, { backup: undefined }),
  brokenError: 'AWS Backup facts were not collected',
  none: 'No data stores tagged service=wallet-api',
};
const withBackup = (overrides: Parameters<typeof goodBackup>[0]) => () =>
  table('card-token-vault', {}, { backup: goodBackup(overrides) });

const CONTRACT: ContractCase[] = [
  {
    id: 'backup-protected',
    pass: () => table('card-token-vault'),
    fail: withBackup({
      protectedByPlan: false,
      planNames: [],
      rules: [],
    }),
    ...broken,
  },
  {
    id: 'backup-plan-frequency-retention',
    pass: () => table('card-token-vault'),
    fail: withBackup({
      rules: [{ ...goodBackup().rules[0], everyMinutes: 1440 }],
    }),
    ...broken,
  },
  {
    id: 'backup-recovery-point-age',
    pass: () => table('card-token-vault'),
    fail: withBackup({
      newestRecoveryPoint: {
        ...goodBackup().newestRecoveryPoint!,
        createdAt: minutesAgo(200),
      },
    }),
    ...broken,
  },
  {
    id: 'backup-recovery-point-retention',
    pass: () => table('card-token-vault'),
    fail: withBackup({
      newestCompletedRecoveryPoint: {
        ...goodBackup().newestCompletedRecoveryPoint!,
        deleteAt: daysAgo(-3),
      },
    }),
    ...broken,
  },
  {
    id: 'backup-recovery-point-encrypted',
    pass: () => table('card-token-vault'),
    fail: withBackup({ unencryptedRecoveryPoints: ['rp-9'] }),
    ...broken,
  },
  {
    id: 'backup-vault-locked',
    pass: () => table('card-token-vault'),
    fail: withBackup({
      newestCompletedRecoveryPoint: {
        ...goodBackup().newestCompletedRecoveryPoint!,
        vaultLocked: false,
      },
    }),
    ...broken,
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
    id: 'backup-copy-cross-account',
    pass: () => table('card-token-vault'),
    fail: withBackup({ copyAccounts: [] }),
    ...broken,
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
