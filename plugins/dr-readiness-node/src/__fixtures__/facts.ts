import type {
  ApiCallRecord,
  BackupFacts,
  CollectedResource,
  CollectionGap,
  DynamoTableFacts,
  ElastiCacheFacts,
  KmsKeyFacts,
  RdsClusterFacts,
  RdsInstanceFacts,
  S3BucketFacts,
  SecretFacts,
  ServiceFacts,
  DrTier,
} from '@internal/dr-readiness-common';

/** Hand-built facts for the checks' tests: one service in eu-west-2 recovering to eu-west-1. */

export const NOW = new Date('2026-11-25T12:00:00.000Z');
export const ACCOUNT = '318402765190';
export const PRIMARY = 'eu-west-2';
export const RECOVERY = 'eu-west-1';

export const minutesAgo = (minutes: number) =>
  new Date(NOW.getTime() - minutes * 60_000).toISOString();
export const daysAgo = (days: number) => minutesAgo(days * 1440);

export function call(
  sdkService: string,
  operation: string,
  requestId: string,
  region = PRIMARY,
): ApiCallRecord {
  return {
    service: sdkService,
    operation,
    accountId: ACCOUNT,
    region,
    at: '2026-11-25T11:59:00.000Z',
    requestId,
  };
}

export const TIER: DrTier = {
  id: 'tier-1',
  title: 'Tier 1',
  rtoMinutes: 60,
  rpoMinutes: 15,
  backupRetentionDays: 14,
  restoreTestWithinDays: 30,
  controls: [],
};

export const DAILY_TIER: DrTier = {
  ...TIER,
  id: 'tier-2',
  rtoMinutes: 240,
  rpoMinutes: 1440,
};

/** AWS Backup facts of a well-protected store. */
export function goodBackup(overrides: Partial<BackupFacts> = {}): BackupFacts {
  const point = {
    arn: 'arn:aws:backup:eu-west-2:318402765190:recovery-point:rp-1',
    createdAt: minutesAgo(50),
    status: 'COMPLETED',
    encrypted: true,
    vault: 'arn:aws:backup:eu-west-2:318402765190:backup-vault:payments',
    vaultLocked: true,
    deleteAt: daysAgo(-35),
  };
  const restore = {
    jobId: 'restore-1',
    accountId: ACCOUNT,
    region: RECOVERY,
    status: 'COMPLETED',
    validationStatus: 'SUCCESSFUL',
    completedAt: daysAgo(10),
    durationMinutes: 42,
    durationIsLowerBound: false,
    restoreTestingPlan: 'monthly-restore-test',
  };
  return {
    protectedByPlan: true,
    planNames: ['payments-daily'],
    rules: [
      {
        plan: 'payments-daily',
        rule: 'hourly',
        schedule: 'cron(5 * ? * * *)',
        everyMinutes: 60,
        deleteAfterDays: 35,
        copies: [
          {
            vaultArn: `arn:aws:backup:${RECOVERY}:${ACCOUNT}:backup-vault:payments`,
            region: RECOVERY,
            accountId: ACCOUNT,
          },
        ],
      },
    ],
    hasRecoveryPoints: true,
    lastBackupAt: point.createdAt,
    newestRecoveryPoint: point,
    newestCompletedRecoveryPoint: point,
    unencryptedRecoveryPoints: [],
    copyRegions: [RECOVERY],
    copyAccounts: ['529603178421'],
    newestCopyByRegion: { [RECOVERY]: minutesAgo(30) },
    latestRestore: restore,
    latestGoodRestore: restore,
    restores: [restore],
    ...overrides,
  };
}

type Extra = Partial<Omit<CollectedResource, 'facts'>>;

function collected(
  arn: string,
  resourceType: CollectedResource['resourceType'],
  facts: CollectedResource['facts'],
  extra: Extra,
  region: string,
): CollectedResource {
  const sdkService = resourceType.split(':')[0];
  return {
    arn,
    resourceType,
    accountId: ACCOUNT,
    region,
    tags: { service: 'wallet-api' },
    facts,
    calls: [
      call('tagging', 'GetResources', 'req-tagging', region),
      call(
        sdkService,
        `Describe-${arn.split(/[:/]/).pop()}`,
        `req-${arn.split(/[:/]/).pop()}`,
        region,
      ),
      ...(extra.backup
        ? [call('backup', 'ListProtectedResources', 'req-backup', region)]
        : []),
    ],
    ...extra,
  };
}

export function aurora(
  identifier: string,
  facts: Partial<RdsClusterFacts> = {},
  extra: Extra = {},
): CollectedResource {
  const region = extra.region ?? PRIMARY;
  return collected(
    `arn:aws:rds:${region}:${ACCOUNT}:cluster:${identifier}`,
    'rds:cluster',
    {
      kind: 'rds:cluster',
      identifier,
      engine: 'aurora-postgresql',
      multiAz: true,
      availabilityZones: [`${region}a`, `${region}b`, `${region}c`],
      backupRetentionDays: 14,
      deletionProtection: true,
      storageEncrypted: true,
      kmsKeyId: `arn:aws:kms:${region}:${ACCOUNT}:key/mrk-1`,
      globalCluster: {
        identifier: 'wallet-global',
        memberRegions: [PRIMARY, RECOVERY],
      },
      replicaRegions: [],
      ...facts,
    },
    { backup: goodBackup(), ...extra },
    region,
  );
}

/** An RDS DB instance of no cluster (DescribeDBInstances): Multi-AZ, encrypted, backups replicated. */
export function rdsInstance(
  identifier: string,
  facts: Partial<RdsInstanceFacts> = {},
  extra: Extra = {},
): CollectedResource {
  const region = extra.region ?? PRIMARY;
  return collected(
    `arn:aws:rds:${region}:${ACCOUNT}:db:${identifier}`,
    'rds:db',
    {
      kind: 'rds:db',
      identifier,
      engine: 'postgres',
      multiAz: true,
      availabilityZone: `${region}a`,
      backupRetentionDays: 14,
      deletionProtection: true,
      storageEncrypted: true,
      kmsKeyId: `arn:aws:kms:${region}:${ACCOUNT}:key/mrk-1`,
      replicaRegions: [RECOVERY],
      automatedBackupReplicationRegions: [RECOVERY],
      ...facts,
    },
    { backup: goodBackup(), ...extra },
    region,
  );
}

export function table(
  tableName: string,
  facts: Partial<DynamoTableFacts> = {},
  extra: Extra = {},
): CollectedResource {
  const region = extra.region ?? PRIMARY;
  const replicaRegions = facts.replicaRegions ?? [RECOVERY];
  return collected(
    `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${tableName}`,
    'dynamodb:table',
    {
      kind: 'dynamodb:table',
      tableName,
      pointInTimeRecovery: true,
      pitrRecoveryPeriodDays: 35,
      replicaRegions,
      // Replicas ACTIVE unless a test says otherwise.
      replicas: replicaRegions.map(r => ({ region: r, status: 'ACTIVE' })),
      globalTableVersion: replicaRegions.length > 0 ? '2019.11.21' : undefined,
      sseType: 'KMS',
      ...facts,
    },
    { backup: goodBackup(), ...extra },
    region,
  );
}

export function bucket(
  name: string,
  facts: Partial<S3BucketFacts> = {},
  extra: Extra = {},
): CollectedResource {
  const region = extra.region ?? PRIMARY;
  return collected(
    `arn:aws:s3:::${name}`,
    's3:bucket',
    {
      kind: 's3:bucket',
      bucket: name,
      versioning: 'Enabled',
      replicationRules: [
        {
          id: 'to-dr',
          status: 'Enabled',
          destinationBucketArn: `arn:aws:s3:::${name}-dr`,
          deleteMarkerReplication: 'Enabled',
          destination: { region: RECOVERY },
        },
      ],
      ...facts,
    },
    { backup: goodBackup(), ...extra },
    region,
  );
}

export function cache(
  id: string,
  facts: Partial<ElastiCacheFacts> = {},
  extra: Extra = {},
): CollectedResource {
  const region = extra.region ?? PRIMARY;
  return collected(
    `arn:aws:elasticache:${region}:${ACCOUNT}:replicationgroup:${id}`,
    'elasticache:replicationgroup',
    {
      kind: 'elasticache:replicationgroup',
      replicationGroupId: id,
      engine: 'redis',
      automaticFailover: 'enabled',
      multiAz: 'enabled',
      atRestEncryption: true,
      globalDatastore: {
        identifier: 'ldgr-wallet-sessions',
        memberRegions: [PRIMARY, RECOVERY],
      },
      ...facts,
    },
    extra,
    region,
  );
}

export function key(
  keyId: string,
  facts: Partial<KmsKeyFacts> = {},
  extra: Extra = {},
): CollectedResource {
  const region = extra.region ?? PRIMARY;
  const arn = `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;
  const replicaRegions = facts.replicaRegions ?? [RECOVERY];
  const multiRegion = facts.multiRegion ?? true;
  return collected(
    arn,
    'kms:key',
    {
      kind: 'kms:key',
      keyId,
      keyState: 'Enabled',
      multiRegion,
      replicaRegions,
      // A multi-Region primary whose replicas the scan described: Enabled unless a test says otherwise.
      ...(multiRegion
        ? {
            multiRegionKeyType: 'PRIMARY',
            primaryKey: { arn, region, keyState: 'Enabled' },
            replicaKeys: replicaRegions.map(r => ({
              arn: `arn:aws:kms:${r}:${ACCOUNT}:key/${keyId}`,
              region: r,
              keyState: 'Enabled',
            })),
          }
        : {}),
      ...facts,
    },
    extra,
    region,
  );
}

export function secret(
  name: string,
  facts: Partial<SecretFacts> = {},
  extra: Extra = {},
): CollectedResource {
  const region = extra.region ?? PRIMARY;
  return collected(
    `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-AbCdEf`,
    'secretsmanager:secret',
    {
      kind: 'secretsmanager:secret',
      name,
      replicas: [{ region: RECOVERY, status: 'InSync' }],
      ...facts,
    },
    extra,
    region,
  );
}

/** The resource as it is when its describe call failed. */
export function undescribed(
  resource: CollectedResource,
  error: string,
): CollectedResource {
  return { ...resource, facts: undefined, error };
}

export function service(
  resources: CollectedResource[],
  extra: Partial<ServiceFacts> = {},
): ServiceFacts {
  return {
    service: 'wallet-api',
    primaryRegion: PRIMARY,
    recoveryRegion: RECOVERY,
    resources,
    gaps: [],
    scopes: [
      { accountId: ACCOUNT, region: PRIMARY },
      { accountId: ACCOUNT, region: RECOVERY },
    ],
    ...extra,
  };
}

export const TAGGING_GAP: CollectionGap = {
  accountId: ACCOUNT,
  region: RECOVERY,
  operation: 'tagging:GetResources',
  code: 'AccessDeniedException',
  message: 'User is not authorized to perform: tag:GetResources',
};
