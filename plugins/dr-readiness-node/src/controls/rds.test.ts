import {
  aurora,
  goodBackup,
  rdsInstance,
  PRIMARY,
  RECOVERY,
  service,
  TIER,
  undescribed,
} from '../__fixtures__/facts';
import {
  check,
  describeContract,
  type ContractCase,
} from '../__fixtures__/contract';

describe('Aurora controls', () => {
  it('rds-global-or-replica passes through a global cluster member or a cross-Region replica', () => {
    expect(
      check('rds-global-or-replica', service([aurora('ledger')])).resources[0]
        .detail,
    ).toBe('global cluster wallet-global has a member in eu-west-1');
    const replicated = aurora('ledger', {
      globalCluster: undefined,
      replicaRegions: [RECOVERY],
    });
    expect(
      check('rds-global-or-replica', service([replicated])).resources[0].detail,
    ).toBe('cross-Region replica cluster in eu-west-1');
  });

  it('rds-global-or-replica fails a cluster replicated to the wrong region, saying where it goes', () => {
    const result = check(
      'rds-global-or-replica',
      service([
        aurora('ledger', {
          globalCluster: {
            identifier: 'g',
            memberRegions: [PRIMARY, 'us-east-1'],
          },
        }),
      ]),
    );
    expect(result.summary).toBe(
      '1 of 1 database has no replica in the recovery region: ledger (Aurora, only us-east-1)',
    );
    expect(result.fix).toContain('aws_rds_global_cluster');
    expect(result.fix).toContain('eu-west-1');
  });

  it('treats a cluster with a ReplicationSource as a recovery copy for primary-only controls', () => {
    const secondary = aurora('ledger-dr', {
      replicationSource: 'arn:aws:rds:eu-west-2:318402765190:cluster:ledger',
      multiAz: false,
    });
    const result = check(
      'rds-multi-az',
      service([aurora('ledger'), secondary]),
    );
    expect(result.status).toBe('pass');
    expect(result.resources[1].status).toBe('not_applicable');
    expect(result.resources[1].detail).toContain(
      'replica of arn:aws:rds:eu-west-2:318402765190:cluster:ledger',
    );
  });

  it('checks deletion protection on recovery copies too', () => {
    const secondary = aurora(
      'ledger-dr',
      { deletionProtection: false },
      { region: RECOVERY },
    );
    const result = check(
      'rds-deletion-protection',
      service([aurora('ledger'), secondary]),
    );
    expect(result.summary).toBe(
      '1 of 2 databases has deletion protection off: ledger-dr (Aurora)',
    );
    expect(result.fix).toBe(
      'Set deletion_protection = true on the aws_rds_cluster ledger-dr.',
    );
  });

  it('rds-multi-az fails a single-AZ cluster and says to add a reader in another AZ', () => {
    const result = check(
      'rds-multi-az',
      service([aurora('ledger', { multiAz: false })]),
    );
    expect(result.summary).toBe(
      '1 of 1 database is not Multi-AZ: ledger (Aurora)',
    );
    expect(result.resources[0].detail).toBe(
      'MultiAZ false: every instance is in one Availability Zone',
    );
    expect(result.fix).toContain('aws_rds_cluster_instance');
  });

  it('rds-backup-retention compares with the tier and gives the value to set', () => {
    const result = check(
      'rds-backup-retention',
      service([aurora('ledger', { backupRetentionDays: 3 })]),
    );
    expect(result.summary).toBe(
      '1 of 1 database keeps automated backups too briefly: ledger (Aurora, 3 days)',
    );
    expect(result.resources[0].detail).toBe(
      'backup retention 3 days, tier-1 requires 14',
    );
    expect(result.fix).toBe(
      'Set backup_retention_period = 14 (or more) on the aws_rds_cluster ledger.',
    );
    expect(result.facts).toMatchObject({
      requirement: { backupRetentionDays: 14 },
    });
  });

  it('rds-backup-retention answers error naming the config key when the tier sets no retention', () => {
    const result = check('rds-backup-retention', service([aurora('ledger')]), {
      ...TIER,
      backupRetentionDays: undefined,
    });
    expect(result.status).toBe('error');
    expect(result.fix).toBe(
      'Set drReadiness.tiers (id tier-1).backupRetentionDays in app-config.yaml.',
    );
  });

  it('rds-encrypted-kms says encryption needs a snapshot restore', () => {
    const result = check(
      'rds-encrypted-kms',
      service([aurora('ledger', { storageEncrypted: false })]),
    );
    expect(result.summary).toBe(
      '1 of 1 database is not encrypted: ledger (Aurora)',
    );
    expect(result.fix).toContain('cannot be turned on in place');
    expect(result.fix).toContain('storage_encrypted = true');
  });

  it('rds-backup-cross-region accepts an AWS Backup copy in the recovery region', () => {
    const result = check(
      'rds-backup-cross-region',
      service([aurora('ledger', { globalCluster: undefined })]),
    );
    expect(result.resources[0].detail).toBe('AWS Backup copies in eu-west-1');
  });

  it('rds-backup-cross-region does not accept global cluster membership: replication is not a backup', () => {
    const member = aurora(
      'ledger',
      {},
      { backup: goodBackup({ copyRegions: [] }) },
    );
    const result = check('rds-backup-cross-region', service([member]));
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      'no AWS Backup copy in eu-west-1 (copies in: none) (global cluster wallet-global is replication, not a backup)',
    );
    expect(result.summary).toBe(
      '1 of 1 database has no backups in the recovery region: ledger (Aurora, global cluster only)',
    );
    // Without AWS Backup facts a global member is unknown, not passed through its replication.
    const unread = check(
      'rds-backup-cross-region',
      service([aurora('ledger', {}, { backup: undefined })]),
    );
    expect(unread.status).toBe('error');
  });

  it('rds-backup-cross-region accepts an RDS DB instance whose automated backups are replicated to the recovery region', () => {
    const result = check(
      'rds-backup-cross-region',
      service([rdsInstance('payouts-ledger', {}, { backup: undefined })]),
    );
    expect(result.status).toBe('pass');
    expect(result.resources[0].detail).toBe(
      'automated backups replicated to eu-west-1',
    );
    const readReplicaOnly = check(
      'rds-backup-cross-region',
      service([
        rdsInstance(
          'payouts-ledger',
          { automatedBackupReplicationRegions: [] },
          { backup: goodBackup({ copyRegions: [] }) },
        ),
      ]),
    );
    expect(readReplicaOnly.status).toBe('fail');
    expect(readReplicaOnly.fix).toContain(
      'aws_db_instance_automated_backups_replication to eu-west-1',
    );
  });
});

describe('RDS DB instances (no cluster)', () => {
  it('rds-multi-az fails a single-AZ instance with the aws_db_instance fix, beside a Multi-AZ Aurora cluster', () => {
    const result = check(
      'rds-multi-az',
      service([
        aurora('ledger'),
        rdsInstance('fx-audit', {
          multiAz: false,
          availabilityZone: 'eu-west-2b',
        }),
      ]),
    );
    expect(result.summary).toBe(
      '1 of 2 databases is not Multi-AZ: fx-audit (RDS, single-AZ)',
    );
    expect(result.resources[1].detail).toBe(
      'MultiAZ false: a single-AZ instance in eu-west-2b',
    );
    expect(result.fix).toBe(
      'Set multi_az = true on the aws_db_instance fx-audit.',
    );
  });

  it('covers instances in retention, deletion protection, encryption and cross-Region replicas', () => {
    const bad = rdsInstance('fx-audit', {
      backupRetentionDays: 1,
      deletionProtection: false,
      storageEncrypted: false,
      replicaRegions: [],
    });
    for (const id of [
      'rds-backup-retention',
      'rds-deletion-protection',
      'rds-encrypted-kms',
      'rds-global-or-replica',
    ])
      expect([id, check(id, service([bad])).status]).toEqual([id, 'fail']);
    expect(check('rds-deletion-protection', service([bad])).fix).toBe(
      'Set deletion_protection = true on the aws_db_instance fx-audit.',
    );
    expect(
      check('rds-global-or-replica', service([rdsInstance('fx-audit')]))
        .resources[0].detail,
    ).toBe('cross-Region replica instance in eu-west-1');
  });

  it('treats a read replica instance as a recovery copy for primary-only controls', () => {
    const replica = rdsInstance('fx-audit-replica', {
      multiAz: false,
      replicationSource: 'arn:aws:rds:eu-west-2:318402765190:db:fx-audit',
    });
    const result = check(
      'rds-multi-az',
      service([rdsInstance('fx-audit'), replica]),
    );
    expect(result.status).toBe('pass');
    expect(result.resources[1].status).toBe('not_applicable');
  });

  it('rds-backup-cross-region fails with the copy_action to add', () => {
    const result = check(
      'rds-backup-cross-region',
      service([
        aurora(
          'ledger',
          { globalCluster: undefined },
          { backup: goodBackup({ copyRegions: ['us-east-1'] }) },
        ),
      ]),
    );
    expect(result.resources[0].detail).toBe(
      'no AWS Backup copy in eu-west-1 (copies in: us-east-1)',
    );
    expect(result.fix).toContain(
      'copy_action { destination_vault_arn = <a vault in eu-west-1> }',
    );
  });
});

const CONTRACT: ContractCase[] = [
  {
    id: 'rds-global-or-replica',
    pass: () => aurora('ledger'),
    fail: () => aurora('ledger', { globalCluster: undefined }),
    broken: () =>
      undescribed(
        aurora('ledger'),
        'rds:DescribeDBClusters failed: AccessDeniedException: not authorized',
      ),
    brokenError:
      'rds:DescribeDBClusters failed: AccessDeniedException: not authorized',
    none: 'No databases tagged service=wallet-api',
  },
  {
    id: 'rds-multi-az',
    pass: () => aurora('ledger'),
    fail: () => aurora('ledger', { multiAz: false }),
    broken: () =>
      undescribed(
        aurora('ledger'),
        'rds:DescribeDBClusters failed: ThrottlingException: Rate exceeded',
      ),
    brokenError: 'ThrottlingException: Rate exceeded',
    none: 'No databases tagged service=wallet-api',
  },
  {
    id: 'rds-backup-retention',
    pass: () => aurora('ledger', { backupRetentionDays: 14 }),
    fail: () => aurora('ledger', { backupRetentionDays: 13 }),
    broken: () =>
      undescribed(
        aurora('ledger'),
        'rds:DescribeDBClusters failed: AccessDeniedException: no',
      ),
    brokenError: 'AccessDeniedException: no',
    none: 'No databases tagged service=wallet-api',
  },
  {
    id: 'rds-deletion-protection',
    pass: () => aurora('ledger'),
    fail: () => aurora('ledger', { deletionProtection: false }),
    broken: () =>
      undescribed(
        aurora('ledger'),
        'rds:DescribeDBClusters failed: AccessDeniedException: no',
      ),
    brokenError: 'AccessDeniedException: no',
    none: 'No databases tagged service=wallet-api',
  },
  {
    id: 'rds-encrypted-kms',
    pass: () => aurora('ledger'),
    fail: () =>
      aurora('ledger', { storageEncrypted: false, kmsKeyId: undefined }),
    broken: () =>
      undescribed(
        aurora('ledger'),
        'rds:DescribeDBClusters failed: AccessDeniedException: no',
      ),
    brokenError: 'AccessDeniedException: no',
    none: 'No databases tagged service=wallet-api',
  },
  {
    id: 'rds-multi-az',
    pass: () => rdsInstance('fx-audit'),
    fail: () => rdsInstance('fx-audit', { multiAz: false }),
    broken: () =>
      undescribed(
        rdsInstance('fx-audit'),
        'rds:DescribeDBInstances failed: ThrottlingException: Rate exceeded',
      ),
    brokenError: 'rds:DescribeDBInstances failed',
    none: 'No databases tagged service=wallet-api',
  },
  {
    id: 'rds-backup-cross-region',
    pass: () => aurora('ledger', { globalCluster: undefined }),
    fail: () =>
      aurora(
        'ledger',
        { globalCluster: undefined },
        { backup: goodBackup({ copyRegions: [] }) },
      ),
    broken: () =>
      aurora('ledger', { globalCluster: undefined }, { backup: undefined }),
    brokenError: 'AWS Backup facts were not collected',
    none: 'No databases tagged service=wallet-api',
  },
];

describeContract(CONTRACT);
