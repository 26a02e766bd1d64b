import type { DBCluster, DBInstance } from '@aws-sdk/client-rds';
import type { KeyMetadata } from '@aws-sdk/client-kms';
import type {
  ContinuousBackupsDescription,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { dynamoTableFacts } from '../describers/dynamodb';
import { kmsKeyFacts } from '../describers/kms';
import { rdsClusterFacts } from '../describers/rds';
import { rdsInstanceFacts } from '../describers/rdsInstances';
import { needsContinuousBackups, tableOfItem } from './dynamodb';
import { ConfigItem, parseItem, queryOf, tagsOfItem } from './items';
import { keyOfItem } from './kms';
import { clusterOfItem, instanceOfItem, isClusterMember } from './rds';
import { recorderGaps } from './recorder';
import { sourceProblem } from './query';
import { bucketName, bucketOfItem } from './s3';

/*
 * Configuration items as AWS Config records them (Java-bean / Jackson casing, from the
 * awslabs/aws-config-resource-schema property files), against the describe APIs' SDK shapes:
 * the describers' own mapping must give the same facts from either.
 */

const CLUSTER_ARN = 'arn:aws:rds:eu-west-2:318402765190:cluster:ledger-aurora';

describe('Config items through the describers’ mapping', () => {
  it('reads an Aurora cluster item as DescribeDBClusters gives it', () => {
    const sdk: DBCluster = {
      DBClusterIdentifier: 'ledger-aurora',
      DBClusterArn: CLUSTER_ARN,
      Engine: 'aurora-postgresql',
      MultiAZ: true,
      AvailabilityZones: ['eu-west-2a', 'eu-west-2b'],
      BackupRetentionPeriod: 14,
      DeletionProtection: true,
      StorageEncrypted: true,
      KmsKeyId: 'arn:aws:kms:eu-west-2:318402765190:key/k1',
      ReadReplicaIdentifiers: [
        'arn:aws:rds:eu-west-1:318402765190:cluster:ledger-aurora-eu-west-1',
      ],
      ReplicationSourceIdentifier: undefined,
    };
    const item = {
      dbclusterIdentifier: 'ledger-aurora',
      dbclusterArn: CLUSTER_ARN,
      engine: 'aurora-postgresql',
      multiAZ: true,
      availabilityZones: ['eu-west-2a', 'eu-west-2b'],
      backupRetentionPeriod: 14,
      deletionProtection: true,
      storageEncrypted: true,
      kmsKeyId: 'arn:aws:kms:eu-west-2:318402765190:key/k1',
      readReplicaIdentifiers: [
        'arn:aws:rds:eu-west-1:318402765190:cluster:ledger-aurora-eu-west-1',
      ],
      replicationSourceIdentifier: null,
    };
    expect(
      rdsClusterFacts(CLUSTER_ARN, clusterOfItem(item), undefined, 'eu-west-2'),
    ).toEqual(rdsClusterFacts(CLUSTER_ARN, sdk, undefined, 'eu-west-2'));
    expect(
      rdsClusterFacts(CLUSTER_ARN, clusterOfItem(item), undefined, 'eu-west-2'),
    ).toMatchObject({ multiAz: true, backupRetentionDays: 14 });
  });

  it('reads a DB instance item, and tells an Aurora member from a standalone instance', () => {
    const arn = 'arn:aws:rds:eu-west-2:318402765190:db:payout-db';
    const sdk: DBInstance = {
      DBInstanceIdentifier: 'payout-db',
      Engine: 'postgres',
      MultiAZ: false,
      AvailabilityZone: 'eu-west-2a',
      BackupRetentionPeriod: 0,
      DeletionProtection: false,
      StorageEncrypted: true,
      ReadReplicaDBInstanceIdentifiers: [
        'arn:aws:rds:eu-west-1:318402765190:db:payout-db-eu-west-1',
      ],
      DBInstanceAutomatedBackupsReplications: [
        {
          DBInstanceAutomatedBackupsArn:
            'arn:aws:rds:eu-west-1:318402765190:auto-backup:ab-1',
        },
      ],
    };
    const item = {
      dBInstanceIdentifier: 'payout-db',
      engine: 'postgres',
      multiAZ: false,
      availabilityZone: 'eu-west-2a',
      backupRetentionPeriod: 0,
      deletionProtection: false,
      storageEncrypted: true,
      readReplicaDBInstanceIdentifiers: [
        'arn:aws:rds:eu-west-1:318402765190:db:payout-db-eu-west-1',
      ],
      dBInstanceAutomatedBackupsReplications: [
        {
          dBInstanceAutomatedBackupsArn:
            'arn:aws:rds:eu-west-1:318402765190:auto-backup:ab-1',
        },
      ],
    };
    const facts = rdsInstanceFacts(arn, instanceOfItem(item), 'eu-west-2');
    expect(facts).toEqual(rdsInstanceFacts(arn, sdk, 'eu-west-2'));
    expect(facts).toMatchObject({
      replicaRegions: ['eu-west-1'],
      automatedBackupReplicationRegions: ['eu-west-1'],
      backupRetentionDays: 0,
    });
    expect(isClusterMember(item)).toBe(false);
    expect(isClusterMember({ ...item, dBClusterIdentifier: 'c1' })).toBe(true);
  });

  it('reads a table item with its continuous backups, and asks DescribeContinuousBackups for the PITR window', () => {
    const table: TableDescription = {
      TableName: 'ledger',
      GlobalTableVersion: '2019.11.21',
      Replicas: [
        {
          RegionName: 'eu-west-1',
          ReplicaStatus: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS',
        },
      ],
      SSEDescription: {
        SSEType: 'KMS',
        KMSMasterKeyArn: 'arn:aws:kms:eu-west-2:318402765190:key/k2',
      },
    };
    const backups: ContinuousBackupsDescription = {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
    };
    const item: ConfigItem = {
      configuration: {
        tableName: 'ledger',
        globalTableVersion: '2019.11.21',
        replicas: [
          {
            regionName: 'eu-west-1',
            replicaStatus: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS',
          },
        ],
        ssedescription: {
          ssetype: 'KMS',
          kmsmasterKeyArn: 'arn:aws:kms:eu-west-2:318402765190:key/k2',
        },
      },
      supplementaryConfiguration: {
        ContinuousBackupsDescription: {
          continuousBackupsStatus: 'ENABLED',
          pointInTimeRecoveryDescription: {
            pointInTimeRecoveryStatus: 'ENABLED',
          },
        },
      },
    };
    const read = tableOfItem(item);
    expect(
      dynamoTableFacts('ledger', read.table, read.backups, 'eu-west-2'),
    ).toEqual(dynamoTableFacts('ledger', table, backups, 'eu-west-2'));
    // PITR on without RecoveryPeriodInDays (Config does not record it): read the window.
    expect(needsContinuousBackups(read.backups)).toBe(true);
    expect(
      needsContinuousBackups({
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: {
          PointInTimeRecoveryStatus: 'DISABLED',
        },
      }),
    ).toBe(false);
    // No ContinuousBackupsDescription in the item: unknown, not "disabled".
    expect(tableOfItem({ configuration: {} }).backups).toBeUndefined();
    expect(needsContinuousBackups(undefined)).toBe(true);
  });

  it('reads a multi-Region key item (KMS spells it Arn) as DescribeKey gives it', () => {
    const arn = 'arn:aws:kms:eu-west-1:318402765190:key/mrk-1';
    const sdk: KeyMetadata = {
      KeyId: 'mrk-1',
      KeyState: 'PendingDeletion',
      MultiRegion: true,
      MultiRegionConfiguration: {
        MultiRegionKeyType: 'REPLICA',
        PrimaryKey: {
          Arn: 'arn:aws:kms:eu-west-2:318402765190:key/mrk-1',
          Region: 'eu-west-2',
        },
        ReplicaKeys: [{ Arn: arn, Region: 'eu-west-1' }],
      },
    };
    const item = {
      keyId: 'mrk-1',
      arn,
      keyState: 'PendingDeletion',
      multiRegion: true,
      multiRegionConfiguration: {
        multiRegionKeyType: 'REPLICA',
        primaryKey: {
          arn: 'arn:aws:kms:eu-west-2:318402765190:key/mrk-1',
          region: 'eu-west-2',
        },
        replicaKeys: [{ arn, region: 'eu-west-1' }],
      },
    };
    expect(kmsKeyFacts(arn, keyOfItem(item))).toEqual(kmsKeyFacts(arn, sdk));
  });

  it('reads versioning and whether replication is configured from a bucket item', () => {
    const replicated: ConfigItem = {
      resourceName: 'ledger-exports',
      arn: 'arn:aws:s3:::ledger-exports',
      supplementaryConfiguration: {
        BucketVersioningConfiguration: { status: 'Suspended' },
        BucketReplicationConfiguration: {
          roleARN: 'arn:aws:iam::318402765190:role/replication',
          rules: {
            r1: {
              destinationConfig: { bucketARN: 'arn:aws:s3:::ledger-dr' },
              status: 'Enabled',
            },
          },
        },
      },
    };
    expect(bucketOfItem(replicated)).toEqual({
      versioning: 'Suspended',
      replicationConfigured: true,
    });
    expect(bucketName(replicated)).toBe('ledger-exports');
    expect(
      bucketOfItem({
        supplementaryConfiguration: {
          BucketVersioningConfiguration: { status: 'Off' },
        },
      }),
    ).toEqual({ versioning: 'Off', replicationConfigured: false });
    // Versioning absent from the item: unknown (read with GetBucketVersioning), never "Off".
    expect(bucketOfItem({}).versioning).toBeUndefined();
    expect(bucketName({ arn: 'arn:aws:s3:::from-arn' })).toBe('from-arn');
  });
});

describe('Config query results', () => {
  it('parses a result and its tags in either of Config’s forms', () => {
    const item = parseItem(
      JSON.stringify({
        arn: 'arn:aws:s3:::b',
        tags: [
          { key: 'service', value: 'ledger', tag: 'service=ledger' },
          { value: 'keyless' },
        ],
        configuration: JSON.stringify({ name: 'b' }),
      }),
    );
    expect(item.configuration).toEqual({ name: 'b' });
    expect(tagsOfItem(item)).toEqual({ service: 'ledger' });
    expect(tagsOfItem({ tags: { service: 'ledger', team: 'core' } })).toEqual({
      service: 'ledger',
      team: 'core',
    });
    expect(tagsOfItem({})).toEqual({});
  });

  it('asks for one resource type per query with the properties the facts need', () => {
    expect(queryOf('AWS::S3::Bucket')).toBe(
      "SELECT resourceId, resourceName, arn, accountId, awsRegion, tags, configuration, supplementaryConfiguration, configurationItemStatus, configurationItemCaptureTime WHERE resourceType = 'AWS::S3::Bucket'",
    );
    // A rescan asks only for its services' items; a quote in a value cannot end the literal.
    expect(
      queryOf('AWS::KMS::Key', {
        tagKey: 'service',
        values: ['ledger', "o'brien"],
      }),
    ).toMatch(
      / WHERE resourceType = 'AWS::KMS::Key' AND tags\.tag IN \('service=ledger', 'service=o''brien'\)$/,
    );
  });
});

describe('what the aggregator does not read', () => {
  const aggregator = { ConfigurationAggregatorName: 'payments-org' };
  const scope = { accountId: '318402765190', region: 'eu-west-2' };

  it('takes a source whose last update succeeded, and reports a failed or absent one with its fix', () => {
    expect(
      sourceProblem(scope, aggregator, [
        {
          SourceId: scope.accountId,
          SourceType: 'ACCOUNT',
          AwsRegion: 'eu-west-2',
          LastUpdateStatus: 'SUCCEEDED',
        },
      ]),
    ).toBeUndefined();
    expect(
      sourceProblem(scope, aggregator, [
        {
          SourceId: scope.accountId,
          SourceType: 'ACCOUNT',
          AwsRegion: 'eu-west-2',
          LastUpdateStatus: 'FAILED',
          LastErrorCode: 'NoAvailableConfigurationRecorderException',
          LastErrorMessage: 'no recorder',
        },
      ]),
    ).toEqual({
      code: 'NoAvailableConfigurationRecorderException',
      message: expect.stringContaining('is FAILED: no recorder'),
    });
    // Another region's source does not cover this one.
    expect(
      sourceProblem(scope, aggregator, [
        {
          SourceId: scope.accountId,
          SourceType: 'ACCOUNT',
          AwsRegion: 'eu-west-1',
          LastUpdateStatus: 'SUCCEEDED',
        },
      ]),
    ).toMatchObject({ code: 'SourceNotAggregated' });
  });

  it('makes each DR type a recorder skips a gap of that type, and says nothing without a recorder item', () => {
    const recorder = (configuration: unknown): ConfigItem => ({
      accountId: scope.accountId,
      awsRegion: scope.region,
      resourceName: 'default',
      configuration,
    });
    const excluding = recorder({
      recording: true,
      recordingGroup: {
        allSupported: false,
        recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
        exclusionByResourceTypes: {
          resourceTypes: ['AWS::SecretsManager::Secret'],
        },
      },
    });
    expect(
      recorderGaps([excluding], [scope], ['kms:key', 'secretsmanager:secret']),
    ).toEqual([
      expect.objectContaining({
        ...scope,
        operation: 'config:SelectAggregateResourceConfig',
        code: 'ResourceTypeNotRecorded',
        resourceType: 'secretsmanager:secret',
      }),
    ]);
    const including = recorder({
      Recording: true,
      RecordingGroup: {
        AllSupported: false,
        ResourceTypes: ['AWS::KMS::Key'],
      },
    });
    expect(
      recorderGaps([including], [scope], ['kms:key', 's3:bucket']).map(
        g => g.resourceType,
      ),
    ).toEqual(['s3:bucket']);
    expect(
      recorderGaps(
        [
          recorder({
            recording: false,
            recordingGroup: { allSupported: true },
          }),
        ],
        [scope],
        ['kms:key'],
      ),
    ).toHaveLength(1);
    expect(recorderGaps([], [scope], ['kms:key'])).toEqual([]);
  });
});
