import type { CollectedResource } from '@internal/dr-readiness-common';
import type { AwsClients } from '../clients';
import type { ConfigItem } from './items';
import {
  bucketFallback,
  FallbackContext,
  secretFallback,
  tableFallback,
} from './perResource';

/*
 * What makes each per-resource read happen again: the recorded fields it depends on. A new
 * configuration item that changed anything else (DynamoDB's item count, a bucket's lifecycle,
 * a secret's description) keeps the read; only `dependsOn` is compared, so no AWS call is made.
 */

const ACCOUNT = '318402765190';
const REGION = 'eu-west-2';

function item(
  resourceType: string,
  arn: string,
  configuration: Record<string, unknown>,
  supplementaryConfiguration: Record<string, unknown> = {},
): ConfigItem {
  return {
    resourceType,
    resourceId: arn,
    arn,
    accountId: ACCOUNT,
    awsRegion: REGION,
    configuration,
    supplementaryConfiguration,
    configurationItemCaptureTime: '2026-11-25T08:00:00.000Z',
    configurationItemStatus: 'OK',
  } as ConfigItem;
}

const context = (configItem: ConfigItem): FallbackContext => ({
  resource: {
    arn: configItem.arn!,
    resourceType: 'dynamodb:table',
    accountId: ACCOUNT,
    region: REGION,
    tags: {},
    calls: [],
  } as CollectedResource,
  item: configItem,
  clients: {} as AwsClients,
  scope: { accountId: ACCOUNT, region: REGION },
  target: () => {
    throw new Error('no AWS call: only dependsOn is read here');
  },
});

const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/ledger-entries`;
const table = (itemCount: number, pitr: string, streams = false) =>
  item(
    'AWS::DynamoDB::Table',
    TABLE,
    {
      tableName: 'ledger-entries',
      tableArn: TABLE,
      tableStatus: 'ACTIVE',
      itemCount,
      tableSizeBytes: itemCount * 412,
      ...(streams
        ? {
            streamSpecification: {
              streamEnabled: true,
              streamViewType: 'NEW_AND_OLD_IMAGES',
            },
          }
        : {}),
    },
    {
      ContinuousBackupsDescription: {
        continuousBackupsStatus: pitr,
        pointInTimeRecoveryDescription: { pointInTimeRecoveryStatus: pitr },
      },
    },
  );
const tableKey = (i: ConfigItem) => tableFallback(context(i)).dependsOn;

const BUCKET = 'arn:aws:s3:::ledger-exports-prod';
const bucket = (expireDays: number, replicationStatus?: string) =>
  item(
    'AWS::S3::Bucket',
    BUCKET,
    { name: 'ledger-exports-prod' },
    {
      BucketVersioningConfiguration: { status: 'Enabled' },
      BucketLifecycleConfiguration: {
        rules: [{ id: 'old', noncurrentVersionExpirationInDays: expireDays }],
      },
      ...(replicationStatus
        ? {
            BucketReplicationConfiguration: {
              rules: {
                dr: {
                  destinationConfig: {
                    bucketARN: 'arn:aws:s3:::ledger-exports-dr',
                  },
                  status: replicationStatus,
                },
              },
            },
          }
        : {}),
    },
  );
const bucketKey = (i: ConfigItem, judgesReplication = true) =>
  bucketFallback(context(i), judgesReplication, {} as never).dependsOn;

const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:ledger-db-AbCdEf`;
const secret = (description: string, kmsKeyId: string, rotationDays = 30) =>
  item('AWS::SecretsManager::Secret', SECRET, {
    ARN: SECRET,
    Name: 'ledger-db',
    Description: description,
    KMSKeyId: kmsKeyId,
    RotationEnabled: true,
    RotationRules: { AutomaticallyAfterDays: rotationDays },
    Deleted: false,
  });
const secretKey = (i: ConfigItem) => secretFallback(context(i)).dependsOn;

describe('per-resource fallback reads: what makes them happen again', () => {
  it("keeps a table's read through a new item count, and reads again when PITR or its global-table shape changes", () => {
    expect(tableKey(table(1_000, 'ENABLED'))).toBe(
      tableKey(table(9_000, 'ENABLED')),
    );
    expect(tableKey(table(1_000, 'ENABLED'))).not.toBe(
      tableKey(table(1_000, 'DISABLED')),
    );
    // Streams with both images and no replicas listed: it may be a 2017.11.29 global table.
    expect(tableKey(table(1_000, 'ENABLED'))).not.toBe(
      tableKey(table(1_000, 'ENABLED', true)),
    );
  });

  it("keeps a bucket's read through a lifecycle change, and reads again when its replication or its tier's judging of it changes", () => {
    expect(bucketKey(bucket(30, 'Enabled'))).toBe(
      bucketKey(bucket(45, 'Enabled')),
    );
    expect(bucketKey(bucket(30, 'Enabled'))).not.toBe(
      bucketKey(bucket(30, 'Disabled')),
    );
    expect(bucketKey(bucket(30, 'Enabled'))).not.toBe(bucketKey(bucket(30)));
    expect(bucketKey(bucket(30, 'Enabled'))).not.toBe(
      bucketKey(bucket(30, 'Enabled'), false),
    );
  });

  it("keeps a secret's read through a new description or rotation schedule, and reads again when its key changes", () => {
    const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1111`;
    expect(secretKey(secret('Ledger DB (change 3)', key))).toBe(
      secretKey(secret('Ledger DB (change 4)', key, 7)),
    );
    expect(secretKey(secret('Ledger DB', key))).not.toBe(
      secretKey(secret('Ledger DB', `${key}-rotated`)),
    );
  });
});
