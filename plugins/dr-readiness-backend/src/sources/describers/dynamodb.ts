import {
  ContinuousBackupsDescription,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  CollectedResource,
  DynamoTableFacts,
} from '@internal/dr-readiness-common';
import { isString, lastSegment } from '../arns';
import { CallTarget, sendRecorded } from '../calls';

/** The facts of one table: point-in-time recovery, global table replicas, encryption. */
export function dynamoTableFacts(
  tableName: string,
  table: TableDescription | undefined,
  backups: ContinuousBackupsDescription | undefined,
  region: string,
): DynamoTableFacts {
  return {
    kind: 'dynamodb:table',
    tableName,
    pointInTimeRecovery:
      backups?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ===
      'ENABLED',
    replicaRegions: (table?.Replicas ?? [])
      .map(r => r.RegionName)
      .filter(isString)
      .filter(r => r !== region)
      .sort(),
    sseType: table?.SSEDescription?.SSEType,
    kmsKeyArn: table?.SSEDescription?.KMSMasterKeyArn,
  };
}

/** One DynamoDB table: DescribeTable and DescribeContinuousBackups (AWS has no batch call). */
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
  resource.facts = dynamoTableFacts(
    TableName,
    table.output.Table,
    backups.output.ContinuousBackupsDescription,
    target.region,
  );
}
