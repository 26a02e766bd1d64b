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
          Replicas: [
            { RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' },
            { RegionName: 'us-east-1', ReplicaStatus: 'CREATING' },
          ],
          SSEDescription: { SSEType: 'KMS', KMSMasterKeyArn: 'k' },
        },
        {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: {
            PointInTimeRecoveryStatus: 'ENABLED',
            RecoveryPeriodInDays: 7,
          },
        },
        'eu-west-1',
      ),
    ).toEqual({
      kind: 'dynamodb:table',
      tableName: 'ledger',
      pointInTimeRecovery: true,
      pitrRecoveryPeriodDays: 7,
      replicaRegions: ['us-east-1'],
      replicas: [{ region: 'us-east-1', status: 'CREATING' }],
      globalTableVersion: '2019.11.21',
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
});
