import {
  ACCOUNT,
  aurora,
  bucket,
  cache,
  call,
  DAILY_TIER,
  daysAgo,
  goodBackup,
  key,
  minutesAgo,
  NOW,
  PRIMARY,
  RECOVERY,
  secret,
  service,
  table,
  TAGGING_GAP,
  TIER,
  undescribed,
} from './__fixtures__/facts';
import {
  dedupeCalls,
  evaluateControl,
  evaluateControls,
  formatMinutes,
} from './checks';
import { DR_CONTROL_IDS } from './controls';
import type { CollectedResource, ServiceFacts } from './facts';
import type { DrTier } from './tiers';

const check = (controlId: string, facts: ServiceFacts, tier: DrTier = TIER) =>
  evaluateControl(controlId, facts, tier, NOW);

/**
 * For every control over resources: a resource that passes, one that fails, and the resource
 * with its describe call (or, for AWS Backup controls, its AWS Backup read) failed.
 */
const CASES: Array<{
  id: string;
  pass: () => CollectedResource;
  fail: () => CollectedResource;
  broken: () => CollectedResource;
  brokenError: string;
  none: string;
}> = [
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
    none: 'No Aurora clusters tagged service=wallet-api',
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
    none: 'No Aurora clusters tagged service=wallet-api',
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
    none: 'No Aurora clusters tagged service=wallet-api',
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
    none: 'No Aurora clusters tagged service=wallet-api',
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
    none: 'No Aurora clusters tagged service=wallet-api',
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
    none: 'No Aurora clusters tagged service=wallet-api',
  },
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
  {
    id: 'dynamodb-pitr',
    pass: () => table('card-token-vault'),
    fail: () => table('card-token-vault', { pointInTimeRecovery: false }),
    broken: () =>
      undescribed(
        table('card-token-vault'),
        'dynamodb:DescribeContinuousBackups failed: AccessDeniedException: no',
      ),
    brokenError: 'dynamodb:DescribeContinuousBackups failed',
    none: 'No DynamoDB tables tagged service=wallet-api',
  },
  {
    id: 'dynamodb-global-table',
    pass: () => table('card-token-vault'),
    fail: () => table('card-token-vault', { replicaRegions: [] }),
    broken: () =>
      undescribed(
        table('card-token-vault'),
        'dynamodb:DescribeTable failed: ResourceNotFoundException: gone',
      ),
    brokenError: 'ResourceNotFoundException: gone',
    none: 'No DynamoDB tables tagged service=wallet-api',
  },
  {
    id: 's3-versioning',
    pass: () => bucket('receipts'),
    fail: () => bucket('receipts', { versioning: 'Suspended' }),
    broken: () =>
      undescribed(
        bucket('receipts'),
        's3:GetBucketVersioning failed: AccessDenied: Access Denied',
      ),
    brokenError: 'AccessDenied: Access Denied',
    none: 'No S3 buckets tagged service=wallet-api',
  },
  {
    id: 's3-replication',
    pass: () => bucket('receipts'),
    fail: () => bucket('receipts', { replicationRules: [] }),
    broken: () =>
      undescribed(
        bucket('receipts'),
        's3:GetBucketReplication failed: AccessDenied: Access Denied',
      ),
    brokenError: 'GetBucketReplication failed',
    none: 'No S3 buckets tagged service=wallet-api',
  },
  {
    id: 'elasticache-failover',
    pass: () => cache('sessions'),
    fail: () => cache('sessions', { automaticFailover: 'disabled' }),
    broken: () =>
      undescribed(
        cache('sessions'),
        'elasticache:DescribeReplicationGroups failed: AccessDenied: no',
      ),
    brokenError: 'DescribeReplicationGroups failed',
    none: 'No ElastiCache replication groups tagged service=wallet-api',
  },
  {
    id: 'elasticache-global-datastore',
    pass: () => cache('sessions'),
    fail: () => cache('sessions', { globalDatastore: undefined }),
    broken: () =>
      undescribed(
        cache('sessions'),
        'elasticache:DescribeGlobalReplicationGroups failed: AccessDenied: no',
      ),
    brokenError: 'DescribeGlobalReplicationGroups failed',
    none: 'No ElastiCache replication groups tagged service=wallet-api',
  },
  {
    id: 'kms-multi-region',
    pass: () => key('mrk-1'),
    fail: () => key('mrk-1', { multiRegion: false, replicaRegions: [] }),
    broken: () =>
      undescribed(
        key('mrk-1'),
        'kms:DescribeKey failed: AccessDeniedException: no',
      ),
    brokenError: 'kms:DescribeKey failed',
    none: 'No KMS keys tagged service=wallet-api',
  },
  {
    id: 'secrets-replicated',
    pass: () => secret('wallet/db'),
    fail: () => secret('wallet/db', { replicas: [] }),
    broken: () =>
      undescribed(
        secret('wallet/db'),
        'secretsmanager:DescribeSecret failed: AccessDeniedException: no',
      ),
    brokenError: 'secretsmanager:DescribeSecret failed',
    none: 'No secrets tagged service=wallet-api',
  },
];

describe('evaluateControl: every control over resources', () => {
  it('has a case here for every control but route53-failover', () => {
    expect(CASES.map(c => c.id).sort()).toEqual(
      DR_CONTROL_IDS.filter(id => id !== 'route53-failover').sort(),
    );
  });

  describe.each(CASES)(
    '$id',
    ({ id, pass, fail, broken, brokenError, none }) => {
      it('passes a compliant resource, with no fix, keeping the calls its facts came from', () => {
        const resource = pass();
        const result = check(id, service([resource]));
        expect(result.status).toBe('pass');
        expect(result.fix).toBeUndefined();
        expect(result.resources).toEqual([
          {
            arn: resource.arn,
            accountId: ACCOUNT,
            region: PRIMARY,
            status: 'pass',
            detail: expect.any(String),
          },
        ]);
        // Discovery, plus the describe call or the AWS Backup listing the control read.
        expect(result.calls[0]).toEqual(resource.calls[0]);
        expect(result.calls.length).toBeGreaterThan(1);
        expect(resource.calls).toEqual(expect.arrayContaining(result.calls));
      });

      it('fails a non-compliant resource, naming it and the fix', () => {
        const resource = fail();
        const result = check(id, service([resource]));
        expect(result.status).toBe('fail');
        expect(result.summary).toMatch(/^1 of 1 /);
        expect(result.fix).toEqual(expect.stringContaining('aws_'));
        expect(result.resources[0]).toMatchObject({
          arn: resource.arn,
          status: 'fail',
        });
      });

      it('fails when any resource fails, even if another passes', () => {
        const result = check(
          id,
          service([pass(), { ...fail(), arn: `${fail().arn}-2` }]),
        );
        expect(result.status).toBe('fail');
        expect(result.summary).toMatch(/^1 of 2 /);
      });

      it('does not apply when the service has no such resource, and says so', () => {
        const result = check(id, service([]));
        expect(result.status).toBe('not_applicable');
        expect(result.summary).toBe(none);
        expect(result.fix).toBeUndefined();
      });

      it('answers error, never fail, when the resource could not be read', () => {
        const result = check(
          id,
          service([pass(), { ...broken(), arn: `${broken().arn}-2` }]),
        );
        expect(result.status).toBe('error');
        expect(result.summary).toContain('1 of 2 ');
        expect(result.summary).toContain('could not be checked');
        expect(result.summary).toContain(brokenError);
        expect(result.fix).toContain('rescan');
      });

      it('answers error naming the gap when nothing was found and an account/region could not be read', () => {
        const result = check(id, service([], { gaps: [TAGGING_GAP] }));
        expect(result.status).toBe('error');
        expect(result.summary).toContain(
          'could not list resources in 318402765190/eu-west-1: AccessDeniedException: User is not authorized to perform: tag:GetResources (tagging:GetResources)',
        );
        expect(result.facts).toMatchObject({ gaps: [TAGGING_GAP] });
      });
    },
  );
});

describe('dynamodb-pitr', () => {
  it('names the failing table in one sentence, with the Terraform fix and only the facts it used', () => {
    const vault = table('card-token-vault', { pointInTimeRecovery: false });
    const ledger = table('wallet-ledger');
    const result = check('dynamodb-pitr', service([ledger, vault]));
    expect(result.summary).toBe(
      '1 of 2 DynamoDB tables has point-in-time recovery disabled: card-token-vault',
    );
    expect(result.fix).toBe(
      'Set point_in_time_recovery { enabled = true } on the aws_dynamodb_table card-token-vault (and point_in_time_recovery = true in each replica block).',
    );
    expect(result.facts).toEqual({
      service: 'wallet-api',
      tier: 'tier-1',
      recoveryRegion: RECOVERY,
      resources: [
        {
          arn: ledger.arn,
          accountId: ACCOUNT,
          region: PRIMARY,
          name: 'wallet-ledger',
          pointInTimeRecovery: true,
        },
        {
          arn: vault.arn,
          accountId: ACCOUNT,
          region: PRIMARY,
          name: 'card-token-vault',
          pointInTimeRecovery: false,
        },
      ],
    });
  });

  it('checks replicas in the recovery region too: they become the primary on failover', () => {
    const replica = table(
      'card-token-vault',
      { pointInTimeRecovery: false, replicaRegions: [PRIMARY] },
      { region: RECOVERY },
    );
    const result = check(
      'dynamodb-pitr',
      service([table('card-token-vault'), replica]),
    );
    expect(result.status).toBe('fail');
    expect(result.resources.map(r => [r.region, r.status])).toEqual([
      [PRIMARY, 'pass'],
      [RECOVERY, 'fail'],
    ]);
  });

  it('says all tables pass when several do', () => {
    expect(
      check('dynamodb-pitr', service([table('a'), table('b')])).summary,
    ).toBe('All 2 DynamoDB tables have point-in-time recovery enabled');
  });
});

describe('dynamodb-global-table', () => {
  it('requires a replica in the declared recovery region, not just anywhere', () => {
    const result = check(
      'dynamodb-global-table',
      service([
        table('card-token-vault', { replicaRegions: ['eu-central-1'] }),
      ]),
    );
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      'no global table replica in eu-west-1 (replicas in: eu-central-1)',
    );
    expect(result.fix).toContain('replica { region_name = "eu-west-1" }');
  });

  it('accepts a replica in any other region when the service declares no recovery region', () => {
    const result = check(
      'dynamodb-global-table',
      service(
        [table('card-token-vault', { replicaRegions: ['eu-central-1'] })],
        { recoveryRegion: undefined },
      ),
    );
    expect(result.status).toBe('pass');
  });

  it('does not ask the replica in the recovery region to replicate itself', () => {
    const replica = table(
      'card-token-vault',
      { replicaRegions: [PRIMARY] },
      { region: RECOVERY },
    );
    const result = check(
      'dynamodb-global-table',
      service([table('card-token-vault'), replica]),
    );
    expect(result.status).toBe('pass');
    expect(result.resources[1]).toEqual({
      arn: replica.arn,
      accountId: ACCOUNT,
      region: RECOVERY,
      status: 'not_applicable',
      detail:
        'recovery copy (in the recovery region eu-west-1): covered through its primary',
    });
  });

  it('does not apply when the only table is a recovery copy, and says why', () => {
    const replica = table(
      'card-token-vault',
      { replicaRegions: [PRIMARY] },
      { region: RECOVERY },
    );
    const result = check('dynamodb-global-table', service([replica]));
    expect(result.status).toBe('not_applicable');
    expect(result.summary).toBe(
      'No primary DynamoDB tables tagged service=wallet-api: card-token-vault is a recovery copy, covered through its primary',
    );
  });
});

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
      '1 of 1 Aurora cluster has no replica in the recovery region: ledger (only us-east-1)',
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
      '1 of 2 Aurora clusters has deletion protection off: ledger-dr',
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
      '1 of 1 Aurora cluster is not Multi-AZ: ledger',
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
      '1 of 1 Aurora cluster keeps automated backups too briefly: ledger (3 days)',
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
      '1 of 1 Aurora cluster is not encrypted: ledger',
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

  it('rds-backup-cross-region passes through a global cluster member even without AWS Backup facts', () => {
    const result = check(
      'rds-backup-cross-region',
      service([aurora('ledger', {}, { backup: undefined })]),
    );
    expect(result.status).toBe('pass');
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
      'no AWS Backup copy and no global cluster member in eu-west-1 (copies in: us-east-1)',
    );
    expect(result.fix).toContain(
      'copy_action { destination_vault_arn = <a vault in eu-west-1> }',
    );
  });
});

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

describe('S3 controls', () => {
  it('s3-versioning names the bucket and its state', () => {
    const result = check(
      's3-versioning',
      service([
        bucket('receipts', { versioning: 'Suspended' }),
        bucket('statements'),
      ]),
    );
    expect(result.summary).toBe(
      '1 of 2 S3 buckets does not have versioning enabled: receipts (Suspended)',
    );
    expect(result.fix).toContain(
      'versioning_configuration { status = "Enabled" }',
    );
  });

  it('s3-replication passes a bucket replicating to the service bucket in the recovery region, which is itself a copy', () => {
    const destination = bucket(
      'receipts-dr',
      { replicationRules: [] },
      { region: RECOVERY },
    );
    const result = check(
      's3-replication',
      service([bucket('receipts'), destination]),
    );
    expect(result.status).toBe('pass');
    expect(result.resources.map(r => r.detail)).toEqual([
      'replicates to arn:aws:s3:::receipts-dr (eu-west-1)',
      'recovery copy (in the recovery region eu-west-1): covered through its primary',
    ]);
  });

  it('s3-replication recognises a destination bucket as a copy even outside the recovery region', () => {
    const destination = bucket(
      'receipts-dr',
      { replicationRules: [] },
      { region: 'eu-central-1' },
    );
    const result = check(
      's3-replication',
      service([bucket('receipts'), destination], { recoveryRegion: undefined }),
    );
    expect(result.status).toBe('pass');
    expect(result.resources[1].detail).toBe(
      'recovery copy (replication destination of receipts): covered through its primary',
    );
  });

  it('s3-replication fails same-region replication: it does not survive a regional outage', () => {
    const destination = bucket(
      'receipts-dr',
      { replicationRules: [] },
      { region: PRIMARY },
    );
    const result = check(
      's3-replication',
      service([bucket('receipts'), destination]),
    );
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      'replicates only within eu-west-2, not to eu-west-1',
    );
  });

  it('s3-replication passes a destination it cannot place, saying the region is not verified', () => {
    const result = check('s3-replication', service([bucket('receipts')]));
    expect(result.status).toBe('pass');
    expect(result.resources[0].detail).toBe(
      'replicates to arn:aws:s3:::receipts-dr (region not verified: the destination is not tagged service=wallet-api)',
    );
  });

  it('s3-replication fails when every rule is disabled', () => {
    const result = check(
      's3-replication',
      service([
        bucket('receipts', {
          replicationRules: [
            {
              id: 'to-dr',
              status: 'Disabled',
              destinationBucketArn: 'arn:aws:s3:::x',
            },
          ],
        }),
      ]),
    );
    expect(result.resources[0].detail).toBe(
      'replication rules to-dr are disabled',
    );
    expect(result.fix).toContain('aws_s3_bucket_replication_configuration');
  });
});

describe('ElastiCache controls', () => {
  it('elasticache-failover needs both automatic failover and Multi-AZ', () => {
    const result = check(
      'elasticache-failover',
      service([cache('sessions', { multiAz: 'disabled' })]),
    );
    expect(result.summary).toBe(
      '1 of 1 ElastiCache replication group has automatic failover or Multi-AZ off: sessions (automatic failover enabled, Multi-AZ disabled)',
    );
    expect(result.fix).toContain(
      'automatic_failover_enabled = true and multi_az_enabled = true',
    );
  });

  it('elasticache-global-datastore fails a group outside any global datastore', () => {
    const result = check(
      'elasticache-global-datastore',
      service([cache('sessions', { globalDatastore: undefined })]),
    );
    expect(result.resources[0].detail).toBe(
      'not in a global datastore; needs a member in eu-west-1',
    );
    expect(result.fix).toContain('aws_elasticache_global_replication_group');
  });
});

describe('kms-multi-region', () => {
  it('tells a single-Region key apart from a multi-Region key without a replica: the fixes differ', () => {
    const result = check(
      'kms-multi-region',
      service([
        key('single', { multiRegion: false, replicaRegions: [] }),
        key('mrk-2', { replicaRegions: [] }),
      ]),
    );
    expect(result.summary).toBe(
      '2 of 2 KMS keys have no replica in the recovery region: single (single-Region), mrk-2 (no replica)',
    );
    expect(result.fix).toBe(
      'Add an aws_kms_replica_key in eu-west-1 with primary_key_arn set to mrk-2. single is a single-Region key, which cannot become multi-Region: create an aws_kms_key with multi_region = true and an aws_kms_replica_key in eu-west-1, move the alias and re-encrypt the data under it.',
    );
  });

  it('skips keys pending deletion and replica keys in the recovery region', () => {
    const result = check(
      'kms-multi-region',
      service([
        key('old', { keyState: 'PendingDeletion', multiRegion: false }),
        key('mrk-1', { replicaRegions: [] }, { region: RECOVERY }),
      ]),
    );
    expect(result.status).toBe('not_applicable');
    expect(result.summary).toBe(
      'No KMS keys to check: old (key is PendingDeletion), mrk-1 (recovery copy (in the recovery region eu-west-1): covered through its primary)',
    );
  });
});

describe('secrets-replicated', () => {
  it('fails a replica that is not InSync, with what to look at', () => {
    const result = check(
      'secrets-replicated',
      service([
        secret('wallet/db', {
          replicas: [{ region: RECOVERY, status: 'Failed' }],
        }),
      ]),
    );
    expect(result.summary).toBe(
      '1 of 1 secret is not replicated InSync to the recovery region: wallet/db (eu-west-1 Failed)',
    );
    expect(result.fix).toContain('is not InSync');
  });

  it('fails a secret without a replica, giving the replica block to add', () => {
    const result = check(
      'secrets-replicated',
      service([
        secret('wallet/db', {
          replicas: [{ region: 'us-east-1', status: 'InSync' }],
        }),
      ]),
    );
    expect(result.resources[0].detail).toBe('no replica in eu-west-1');
    expect(result.fix).toContain('replica { region = "eu-west-1" }');
  });
});

describe('route53-failover', () => {
  const route53 = (
    overrides: Partial<NonNullable<ServiceFacts['route53']>> = {},
  ): ServiceFacts['route53'] => ({
    hostname: 'wallet.pay.example.com',
    healthChecks: [
      {
        id: 'hc-1',
        type: 'HTTPS',
        fqdn: 'wallet-euw2.pay.example.com',
        resourcePath: '/health',
      },
    ],
    failoverRecords: [
      {
        zoneId: 'Z1',
        name: 'wallet.pay.example.com.',
        type: 'A',
        failover: 'PRIMARY',
        setIdentifier: 'euw2',
        healthCheckId: 'hc-1',
      },
      {
        zoneId: 'Z1',
        name: 'wallet.pay.example.com.',
        type: 'A',
        failover: 'SECONDARY',
        setIdentifier: 'euw1',
      },
    ],
    calls: [
      call('route53', 'ListResourceRecordSets', 'r53-1', 'us-east-1'),
      call('route53', 'ListResourceRecordSets', 'r53-1', 'us-east-1'),
    ],
    ...overrides,
  });

  it('passes with a health-checked PRIMARY and a SECONDARY record, deduplicating the calls', () => {
    const result = check(
      'route53-failover',
      service([], { route53: route53() }),
    );
    expect(result.status).toBe('pass');
    expect(result.summary).toBe(
      'wallet.pay.example.com fails over: PRIMARY A record with health check hc-1 and a SECONDARY record',
    );
    expect(result.calls).toHaveLength(1);
  });

  it('does not apply without a public hostname, and says which annotation declares one', () => {
    const result = check('route53-failover', service([]));
    expect(result.status).toBe('not_applicable');
    expect(result.summary).toContain(
      'annotation payments-platform/public-hostname',
    );
  });

  it('answers error when Route 53 could not be read', () => {
    const result = check(
      'route53-failover',
      service([], {
        route53: route53({
          error: 'Route 53 could not be read in 318402765190: AccessDenied: no',
        }),
      }),
    );
    expect(result.status).toBe('error');
    expect(result.summary).toBe(
      'Route 53 could not be read for wallet.pay.example.com: Route 53 could not be read in 318402765190: AccessDenied: no',
    );
    expect(result.fix).toContain('route53:ListResourceRecordSets');
  });

  it('fails without a SECONDARY record, or when the PRIMARY has no health check', () => {
    const noSecondary = check(
      'route53-failover',
      service([], {
        route53: route53({ failoverRecords: [route53()!.failoverRecords[0]] }),
      }),
    );
    expect(noSecondary.summary).toBe(
      'wallet.pay.example.com does not fail over: no SECONDARY failover record',
    );
    expect(noSecondary.fix).toContain(
      'failover_routing_policy { type = "PRIMARY" }',
    );

    const unchecked = check(
      'route53-failover',
      service([], {
        route53: route53({
          healthChecks: [],
          failoverRecords: route53()!.failoverRecords.map(r => ({
            ...r,
            healthCheckId: undefined,
          })),
        }),
      }),
    );
    expect(unchecked.summary).toBe(
      'wallet.pay.example.com does not fail over: the PRIMARY record has no health check, so Route 53 never fails over',
    );
  });

  it('fails a PRIMARY whose health check no longer exists', () => {
    const result = check(
      'route53-failover',
      service([], { route53: route53({ healthChecks: [] }) }),
    );
    expect(result.summary).toBe(
      'wallet.pay.example.com does not fail over: health check hc-1 of the PRIMARY A record does not exist',
    );
  });
});

describe('aggregation', () => {
  it('lets a fail win over an error, and mentions what could not be checked', () => {
    const result = check(
      'dynamodb-pitr',
      service([
        table('card-token-vault', { pointInTimeRecovery: false }),
        undescribed(
          table('wallet-ledger'),
          'dynamodb:DescribeTable failed: AccessDeniedException: no',
        ),
      ]),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(
      '1 of 2 DynamoDB tables has point-in-time recovery disabled: card-token-vault; 1 could not be checked: wallet-ledger: dynamodb:DescribeTable failed: AccessDeniedException: no',
    );
  });

  it('notes an unreadable account/region on a pass without turning it into an error', () => {
    const result = check(
      'dynamodb-pitr',
      service([table('card-token-vault')], { gaps: [TAGGING_GAP] }),
    );
    expect(result.status).toBe('pass');
    expect(result.summary).toBe(
      'The DynamoDB table card-token-vault has point-in-time recovery enabled; not checked: could not list resources in 318402765190/eu-west-1: AccessDeniedException: User is not authorized to perform: tag:GetResources (tagging:GetResources)',
    );
  });

  it('ignores gaps of other services when nothing was found', () => {
    const gap = { ...TAGGING_GAP, operation: 'kms:DescribeKey' };
    expect(check('dynamodb-pitr', service([], { gaps: [gap] })).status).toBe(
      'not_applicable',
    );
  });

  it('keeps each call once, in first-seen order', () => {
    const a = call('dynamodb', 'DescribeTable', 'req-a');
    const b = call('dynamodb', 'DescribeTable', 'req-b');
    expect(dedupeCalls([a, b, { ...a }, b])).toEqual([a, b]);
  });
});

describe('evaluateControls', () => {
  it('answers one result per control the tier requires, in the tier order', () => {
    const tier: DrTier = {
      ...TIER,
      controls: [
        { id: 'dynamodb-pitr', weight: 5 },
        { id: 'route53-failover', weight: 3 },
        { id: 'rds-multi-az', weight: 8 },
      ],
    };
    const results = evaluateControls(
      service([table('card-token-vault')]),
      tier,
      NOW,
    );
    expect(results.map(r => [r.controlId, r.status])).toEqual([
      ['dynamodb-pitr', 'pass'],
      ['route53-failover', 'not_applicable'],
      ['rds-multi-az', 'not_applicable'],
    ]);
  });

  it('answers error for an id that is not a control, suggesting the right one', () => {
    const [result] = evaluateControls(
      service([]),
      { ...TIER, controls: [{ id: 'rds-multiaz', weight: 1 }] },
      NOW,
    );
    expect(result.status).toBe('error');
    expect(result.summary).toContain(
      '"rds-multiaz" is not a control; did you mean "rds-multi-az"?',
    );
  });

  it('evaluates nothing for a tier that declares no controls', () => {
    expect(
      evaluateControls(
        service([table('t')]),
        { ...TIER, controls: undefined },
        NOW,
      ),
    ).toEqual([]);
  });
});

describe('formatMinutes', () => {
  it.each([
    [0, '0 min'],
    [45, '45 min'],
    [60, '1 h'],
    [95, '1 h 35 min'],
    [1440, '24 h'],
    [2880, '2 d'],
    [4570, '3 d 4 h'],
  ])('%i minutes is %s', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });
});
