import {
  DescribeContinuousBackupsCommand,
  DescribeGlobalTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GlobalTableNotFoundException,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { CollectedResource } from '@internal/dr-readiness-common';
import { CallCounter, CallTarget, Limiter } from '../calls';
import { describeTable, dynamoTableFacts } from './dynamodb';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const ARN = 'arn:aws:dynamodb:eu-west-2:318402765190:table/fx-rates-legacy';

function target(): CallTarget {
  return {
    service: 'dynamodb',
    accountId: '318402765190',
    region: 'eu-west-2',
    limiter: new Limiter(4),
    counter: new CallCounter(),
    now: () => NOW,
  };
}

const resource = (): CollectedResource => ({
  arn: ARN,
  resourceType: 'dynamodb:table',
  accountId: '318402765190',
  region: 'eu-west-2',
  tags: {},
  calls: [],
});

const $metadata = { requestId: 'req', attempts: 1 };

/** A DynamoDB client answering DescribeTable with `table`, and DescribeGlobalTable with `global` (or its absence). */
function client(table: TableDescription, global?: object) {
  const sent: string[] = [];
  const fake = {
    send: async (command: object) => {
      sent.push(command.constructor.name);
      if (command instanceof DescribeTableCommand)
        return { $metadata, Table: table };
      if (command instanceof DescribeContinuousBackupsCommand)
        return {
          $metadata,
          ContinuousBackupsDescription: {
            ContinuousBackupsStatus: 'ENABLED',
            PointInTimeRecoveryDescription: {
              PointInTimeRecoveryStatus: 'ENABLED',
              RecoveryPeriodInDays: 35,
            },
          },
        };
      if (command instanceof DescribeGlobalTableCommand) {
        if (!global)
          throw new GlobalTableNotFoundException({
            message: 'Global table not found',
            $metadata,
          });
        return { $metadata, GlobalTableDescription: global };
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    },
  };
  return { client: fake as unknown as DynamoDBClient, sent };
}

const LEGACY_STREAM = {
  StreamEnabled: true,
  StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
};

describe('describeTable and global tables version 2017.11.29', () => {
  it('reads DescribeGlobalTable for a table without Replicas whose stream a 2017.11.29 global table needs', async () => {
    const { client: c, sent } = client(
      { TableName: 'fx-rates-legacy', StreamSpecification: LEGACY_STREAM },
      {
        GlobalTableName: 'fx-rates-legacy',
        GlobalTableStatus: 'ACTIVE',
        ReplicationGroup: [
          { RegionName: 'eu-west-2', ReplicaStatus: 'ACTIVE' },
          { RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' },
        ],
      },
    );
    const r = resource();
    await describeTable(c, target(), r);
    expect(sent).toContain('DescribeGlobalTableCommand');
    expect(r.facts).toMatchObject({
      replicaRegions: ['eu-west-1'],
      replicas: [{ region: 'eu-west-1', status: 'ACTIVE' }],
      globalTableVersion: '2017.11.29',
    });
    expect(r.calls.map(call => call.operation)).toEqual([
      'DescribeTable',
      'DescribeContinuousBackups',
      'DescribeGlobalTable',
    ]);
  });

  it('takes GlobalTableNotFoundException as "not global", keeping the answer as evidence', async () => {
    const { client: c } = client({
      TableName: 'fx-rates-legacy',
      StreamSpecification: LEGACY_STREAM,
    });
    const r = resource();
    await describeTable(c, target(), r);
    expect(r.error).toBeUndefined();
    expect(r.facts).toMatchObject({ replicaRegions: [], replicas: [] });
    expect(r.calls.map(call => call.operation)).toContain(
      'DescribeGlobalTable',
    );
  });

  it('does not call DescribeGlobalTable for a 2019.11.21 global table or a table without a stream', async () => {
    for (const table of [
      {
        TableName: 't',
        Replicas: [{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }],
        StreamSpecification: LEGACY_STREAM,
      } as TableDescription,
      { TableName: 't' },
    ]) {
      const { client: c, sent } = client(table);
      await describeTable(c, target(), resource());
      expect(sent).not.toContain('DescribeGlobalTableCommand');
    }
  });

  it('uses the global table status when a 2017.11.29 replica carries no ReplicaStatus', () => {
    expect(
      dynamoTableFacts('t', { TableName: 't' }, undefined, 'eu-west-2', {
        GlobalTableStatus: 'CREATING',
        ReplicationGroup: [{ RegionName: 'eu-west-1' }],
      }).replicas,
    ).toEqual([{ region: 'eu-west-1', status: 'CREATING' }]);
  });
});
