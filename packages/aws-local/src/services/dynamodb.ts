import { awsJsonProtocol } from '../protocols/awsJson';
import { AwsError, AwsServiceDefinition, CallContext } from '../protocols/types';
import type { DynamoTable } from '../estate/dr';
import { pageSize } from './common';

const PITR_DAYS = 35;

function validation(message: string): never {
  throw new AwsError('ValidationException', message);
}

/** A table of the caller's account in the signing region, by name or ARN; ResourceNotFoundException otherwise. */
function findTable(input: Record<string, unknown>, ctx: CallContext): DynamoTable {
  const name = input.TableName;
  if (typeof name !== 'string' || name === '') {
    validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
  }
  const table = ctx.estate.dr.scope(ctx.account.id, ctx.region).tables.find(t => t.name === name || t.arn === name);
  if (!table) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
  return table;
}

/** Amazon DynamoDB over awsJson1_0: tables, their global-table replicas and point-in-time recovery. */
export const dynamoDbService: AwsServiceDefinition = {
  signingName: 'dynamodb',
  statsPrefix: 'dynamodb',
  protocol: awsJsonProtocol('1.0', 'DynamoDB_20120810'),
  operations: {
    ListTables: (input: Record<string, unknown>, ctx: CallContext) => {
      const limit = pageSize(input.Limit, 'Limit', { min: 1, max: 100, default: 100 }, 'ValidationException');
      const tables = ctx.estate.dr.scope(ctx.account.id, ctx.region).tables; // sorted by name
      const start = input.ExclusiveStartTableName;
      let from = 0;
      if (typeof start === 'string' && start !== '') {
        from = tables.findIndex(t => t.name > start);
        if (from < 0) from = tables.length;
      }
      const page = tables.slice(from, from + limit);
      const more = from + limit < tables.length;
      return { TableNames: page.map(t => t.name), LastEvaluatedTableName: more ? page[page.length - 1].name : undefined };
    },

    DescribeTable: (input: Record<string, unknown>, ctx: CallContext) => {
      const t = findTable(input, ctx);
      return {
        Table: {
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
          TableName: t.name,
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
          TableStatus: 'ACTIVE',
          CreationDateTime: t.created,
          ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
          TableSizeBytes: t.itemCount * 412,
          ItemCount: t.itemCount,
          TableArn: t.arn,
          TableId: t.tableId,
          BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: t.created },
          StreamSpecification: t.replicaRegions.length > 0 ? { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined,
          // A global table (version 2019.11.21) lists its replicas in the other regions.
          GlobalTableVersion: t.replicaRegions.length > 0 ? '2019.11.21' : undefined,
          Replicas:
            t.replicaRegions.length > 0
              ? t.replicaRegions.map(region => ({
                  RegionName: region,
                  ReplicaStatus: 'ACTIVE',
                  KMSMasterKeyId: ctx.estate.dr.scope(t.accountId, region).tables.find(r => r.name === t.name)?.kmsKeyArn,
                  ReplicaTableClassSummary: { TableClass: 'STANDARD' },
                }))
              : undefined,
          SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: t.kmsKeyArn },
          TableClassSummary: { TableClass: 'STANDARD' },
        },
      };
    },

    DescribeContinuousBackups: (input: Record<string, unknown>, ctx: CallContext) => {
      const t = findTable(input, ctx);
      const now = ctx.now.getTime();
      return {
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: t.pointInTimeRecovery
            ? {
                PointInTimeRecoveryStatus: 'ENABLED',
                RecoveryPeriodInDays: PITR_DAYS,
                EarliestRestorableDateTime: new Date(Math.max(t.created.getTime(), now - PITR_DAYS * 86_400_000)),
                LatestRestorableDateTime: new Date(now - 5 * 60_000),
              }
            : { PointInTimeRecoveryStatus: 'DISABLED' },
        },
      };
    },
  },
};
