import { backupFactsOf } from './backup';
import { dynamoTableFacts } from './dynamodb';
import { elastiCacheFacts } from './elasticache';
import { kmsKeyFacts } from './kms';
import { rdsClusterFacts } from './rds';
import { replicationRulesOf } from './s3';
import { secretFacts } from './secretsManager';

describe('describers turn the SDK shapes into facts', () => {
  it('RDS cluster with its global cluster and replicas', () => {
    expect(
      rdsClusterFacts(
        'arn:aws:rds:eu-west-1:1:cluster:ledger',
        {
          DBClusterIdentifier: 'ledger',
          Engine: 'aurora-postgresql',
          MultiAZ: true,
          AvailabilityZones: ['eu-west-1a', 'eu-west-1b'],
          BackupRetentionPeriod: 7,
          StorageEncrypted: true,
          ReadReplicaIdentifiers: [
            'arn:aws:rds:eu-central-1:1:cluster:ledger-replica',
            'local-replica',
          ],
        },
        {
          GlobalClusterIdentifier: 'ledger-global',
          GlobalClusterMembers: [
            { DBClusterArn: 'arn:aws:rds:eu-west-1:1:cluster:ledger' },
            { DBClusterArn: 'arn:aws:rds:eu-central-1:1:cluster:ledger-2' },
          ],
        },
        'eu-west-1',
      ),
    ).toEqual({
      kind: 'rds:cluster',
      identifier: 'ledger',
      engine: 'aurora-postgresql',
      multiAz: true,
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      backupRetentionDays: 7,
      deletionProtection: false,
      storageEncrypted: true,
      kmsKeyId: undefined,
      globalCluster: {
        identifier: 'ledger-global',
        memberRegions: ['eu-central-1', 'eu-west-1'],
      },
      replicaRegions: ['eu-central-1', 'eu-west-1'],
      replicationSource: undefined,
    });
  });

  it('ElastiCache group in a global datastore', () => {
    const facts = elastiCacheFacts(
      'arn:aws:elasticache:eu-west-1:1:replicationgroup:sessions',
      {
        ReplicationGroupId: 'sessions',
        AutomaticFailover: 'enabled',
        GlobalReplicationGroupInfo: { GlobalReplicationGroupId: 'g-1' },
      },
      {
        Members: [
          { ReplicationGroupRegion: 'eu-west-1' },
          { ReplicationGroupRegion: 'eu-central-1' },
        ],
      },
    );
    expect(facts).toMatchObject({
      engine: 'redis',
      automaticFailover: 'enabled',
      multiAz: 'disabled',
      atRestEncryption: false,
      globalDatastore: {
        identifier: 'g-1',
        memberRegions: ['eu-central-1', 'eu-west-1'],
      },
    });
  });

  it('DynamoDB table: replicas other than its own region, PITR', () => {
    expect(
      dynamoTableFacts(
        'ledger',
        {
          Replicas: [{ RegionName: 'eu-west-1' }, { RegionName: 'us-east-1' }],
          SSEDescription: { SSEType: 'KMS', KMSMasterKeyArn: 'k' },
        },
        {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: {
            PointInTimeRecoveryStatus: 'ENABLED',
          },
        },
        'eu-west-1',
      ),
    ).toEqual({
      kind: 'dynamodb:table',
      tableName: 'ledger',
      pointInTimeRecovery: true,
      replicaRegions: ['us-east-1'],
      sseType: 'KMS',
      kmsKeyArn: 'k',
    });
  });

  it('KMS key, S3 rules and secrets', () => {
    expect(kmsKeyFacts('arn:aws:kms:eu-west-1:1:key/abc', undefined)).toEqual({
      kind: 'kms:key',
      keyId: 'abc',
      keyState: '',
      multiRegion: false,
      replicaRegions: [],
    });
    expect(
      replicationRulesOf([
        { Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::dr' } },
      ]),
    ).toEqual([
      { id: '', status: 'Enabled', destinationBucketArn: 'arn:aws:s3:::dr' },
    ]);
    expect(
      secretFacts('arn:s', {
        Name: 'db',
        ReplicationStatus: [{ Region: 'eu-central-1', Status: 'InSync' }],
      }),
    ).toEqual({
      kind: 'secretsmanager:secret',
      name: 'db',
      kmsKeyId: undefined,
      replicas: [{ region: 'eu-central-1', status: 'InSync' }],
    });
  });

  it('AWS Backup: recovery point, copy regions, newest restore', () => {
    const completed = new Date('2025-03-01T10:30:00.000Z');
    expect(
      backupFactsOf(
        {
          ResourceArn: 'arn:r',
          LastBackupTime: new Date('2025-03-01T00:00:00.000Z'),
          LastRecoveryPointArn: 'rp',
          LastBackupVaultArn: 'vault',
        },
        [
          {
            DestinationBackupVaultArn:
              'arn:aws:backup:eu-central-1:1:backup-vault:dr',
          },
          {
            DestinationBackupVaultArn:
              'arn:aws:backup:eu-west-1:1:backup-vault:local',
          },
        ],
        {
          RestoreJobId: 'job-1',
          SourceResourceArn: 'arn:r',
          CreationDate: new Date('2025-03-01T10:00:00.000Z'),
          CompletionDate: completed,
          Status: 'COMPLETED',
        },
        'eu-west-1',
      ),
    ).toEqual({
      protectedByPlan: true,
      planNames: [],
      newestRecoveryPoint: {
        arn: 'rp',
        createdAt: '2025-03-01T00:00:00.000Z',
        status: 'COMPLETED',
        encrypted: true,
        vault: 'vault',
      },
      copyRegions: ['eu-central-1'],
      latestRestore: {
        jobId: 'job-1',
        completedAt: completed.toISOString(),
        durationMinutes: 30,
        status: 'COMPLETED',
        restoreTestingPlan: undefined,
      },
    });
  });
});
