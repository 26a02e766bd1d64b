import {
  ContinuousBackupsDescription,
  DescribeContinuousBackupsCommand,
  DescribeGlobalTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GlobalTableDescription,
  ReplicaDescription,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  CollectedResource,
  DynamoTableFacts,
} from '@internal/dr-readiness-common';
import { lastSegment } from '../arns';
import { AwsCallError, CallTarget, sendRecorded } from '../calls';

/** The version of global tables DescribeTable cannot show replicas of (DescribeGlobalTable can). */
export const LEGACY_GLOBAL_TABLE_VERSION = '2017.11.29';

/** Replicas with their status, the table's own region excluded. */
function replicasOf(
  replicas: ReplicaDescription[],
  region: string,
  fallbackStatus?: string,
): Array<{ region: string; status: string }> {
  return replicas
    .flatMap(r =>
      r.RegionName && r.RegionName !== region
        ? [
            {
              region: r.RegionName,
              // 2017.11.29 global tables may leave ReplicaStatus out: the global table's own status then stands for it.
              status: r.ReplicaStatus ?? fallbackStatus ?? 'UNKNOWN',
            },
          ]
        : [],
    )
    .sort((a, b) => a.region.localeCompare(b.region));
}

/**
 * The facts of one table: point-in-time recovery and its recovery period, global table replicas
 * with their status (DescribeTable for version 2019.11.21, DescribeGlobalTable for 2017.11.29),
 * encryption.
 */
export function dynamoTableFacts(
  tableName: string,
  table: TableDescription | undefined,
  backups: ContinuousBackupsDescription | undefined,
  region: string,
  legacy?: GlobalTableDescription,
): DynamoTableFacts {
  const pitr = backups?.PointInTimeRecoveryDescription;
  const enabled = pitr?.PointInTimeRecoveryStatus === 'ENABLED';
  const replicas = legacy
    ? replicasOf(
        legacy.ReplicationGroup ?? [],
        region,
        legacy.GlobalTableStatus,
      )
    : replicasOf(table?.Replicas ?? [], region);
  return {
    kind: 'dynamodb:table',
    tableName,
    pointInTimeRecovery: enabled,
    ...(enabled && pitr?.RecoveryPeriodInDays !== undefined
      ? { pitrRecoveryPeriodDays: pitr.RecoveryPeriodInDays }
      : {}),
    replicaRegions: replicas.map(r => r.region),
    replicas,
    ...(replicas.length > 0
      ? {
          globalTableVersion: legacy
            ? LEGACY_GLOBAL_TABLE_VERSION
            : table?.GlobalTableVersion ?? '2019.11.21',
        }
      : {}),
    sseType: table?.SSEDescription?.SSEType,
    kmsKeyArn: table?.SSEDescription?.KMSMasterKeyArn,
  };
}

/**
 * A table that may be a version 2017.11.29 global table: DescribeTable lists no replicas, and
 * either says the version or has the NEW_AND_OLD_IMAGES stream such a global table requires.
 * Only these cost a DescribeGlobalTable call.
 */
export function mayBeLegacyGlobalTable(
  table: TableDescription | undefined,
): boolean {
  if (!table || (table.Replicas ?? []).length > 0) return false;
  if (table.GlobalTableVersion === LEGACY_GLOBAL_TABLE_VERSION) return true;
  return (
    table.StreamSpecification?.StreamEnabled === true &&
    table.StreamSpecification.StreamViewType === 'NEW_AND_OLD_IMAGES'
  );
}

/**
 * DescribeGlobalTable for a table that may be a 2017.11.29 global table; undefined when AWS
 * answers GlobalTableNotFoundException (it is not one: the answer is evidence of that).
 */
export async function readLegacyGlobalTable(
  client: DynamoDBClient,
  target: CallTarget,
  resource: CollectedResource,
  tableName: string,
): Promise<GlobalTableDescription | undefined> {
  try {
    const global = await sendRecorded(target, 'DescribeGlobalTable', o =>
      client.send(
        new DescribeGlobalTableCommand({ GlobalTableName: tableName }),
        o,
      ),
    );
    resource.calls.push(global.call);
    return global.output.GlobalTableDescription;
  } catch (error) {
    if (
      !(error instanceof AwsCallError) ||
      error.code !== 'GlobalTableNotFoundException'
    )
      throw error;
    resource.calls.push(error.call);
    return undefined;
  }
}

/**
 * One DynamoDB table: DescribeTable and DescribeContinuousBackups (AWS has no batch call), and
 * DescribeGlobalTable only for a table that may be a 2017.11.29 global table
 * (GlobalTableNotFoundException: it is not one).
 */
export async function describeTable(
  client: DynamoDBClient,
  target: CallTarget,
  resource: CollectedResource,
): Promise<void> {
  const TableName = lastSegment(resource.arn);
  const [table, backups] = await Promise.all([
    sendRecorded(target, 'DescribeTable', options =>
      client.send(new DescribeTableCommand({ TableName }), options),
    ),
    sendRecorded(target, 'DescribeContinuousBackups', options =>
      client.send(new DescribeContinuousBackupsCommand({ TableName }), options),
    ),
  ]);
  resource.calls.push(table.call, backups.call);
  const legacy = mayBeLegacyGlobalTable(table.output.Table)
    ? await readLegacyGlobalTable(client, target, resource, TableName)
    : undefined;
  resource.facts = dynamoTableFacts(
    TableName,
    table.output.Table,
    backups.output.ContinuousBackupsDescription,
    target.region,
    legacy,
  );
}
