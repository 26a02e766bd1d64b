import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import { PRIMARY, PROD, RECOVERY, assumedConfig, gapOf, resetFaults } from './__testUtils__/clients';

describe('DynamoDB on the loopback endpoint', () => {
  let aws: AwsLocal;
  let dynamo: DynamoDBClient;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25', scale: { extraProducts: 10 } });
    dynamo = new DynamoDBClient(await assumedConfig(aws, PROD, PRIMARY));
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  it('pages through the table names with ExclusiveStartTableName / LastEvaluatedTableName', async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListTables({ client: dynamo, pageSize: 5 }, {})) {
      pages += 1;
      names.push(...page.TableNames!);
    }
    const expected = aws.estate.resources
      .filter(r => r.resourceType === 'dynamodb:table' && r.accountId === PROD && r.region === PRIMARY)
      .map(r => r.arn.split('/').pop()!)
      .sort();
    expect(expected.length).toBeGreaterThan(5);
    expect(names).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 5));
    const { LastEvaluatedTableName } = await dynamo.send(new ListTablesCommand({ Limit: 100 }));
    expect(LastEvaluatedTableName).toBeUndefined();
  });

  it('describes a tier-0 table as a global table with its eu-west-1 replica and KMS encryption', async () => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: 'custody-withdrawals-table-prod' }));
    expect(Table).toMatchObject({
      TableName: 'custody-withdrawals-table-prod',
      TableArn: `arn:aws:dynamodb:${PRIMARY}:${PROD}:table/custody-withdrawals-table-prod`,
      TableStatus: 'ACTIVE',
      GlobalTableVersion: '2019.11.21',
      Replicas: [{ RegionName: RECOVERY, ReplicaStatus: 'ACTIVE' }],
      SSEDescription: { Status: 'ENABLED', SSEType: 'KMS' },
    });
    expect(Table!.SSEDescription!.KMSMasterKeyArn).toMatch(/:key\/mrk-/);
    expect(Table!.CreationDateTime).toBeInstanceOf(Date);
    // A global table keeps its name in every region.
    const recovery = new DynamoDBClient(await assumedConfig(aws, PROD, RECOVERY));
    const replica = await recovery.send(new DescribeTableCommand({ TableName: 'custody-withdrawals-table-prod' }));
    expect(replica.Table!.Replicas).toEqual([expect.objectContaining({ RegionName: PRIMARY, ReplicaStatus: 'ACTIVE' })]);
    const pitr = await dynamo.send(new DescribeContinuousBackupsCommand({ TableName: Table!.TableArn }));
    expect(pitr.ContinuousBackupsDescription!.PointInTimeRecoveryDescription).toMatchObject({ PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 });
    expect(pitr.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!.LatestRestorableDateTime).toBeInstanceOf(Date);
  });

  it("reports the token vault's point-in-time recovery as DISABLED, the deliberate gap", async () => {
    const gap = gapOf(aws, 'pitr-disabled');
    expect(gap.service).toBe('card-tokenisation-vault');
    const { ContinuousBackupsDescription } = await dynamo.send(new DescribeContinuousBackupsCommand({ TableName: gap.resourceArn.split('/').pop() }));
    expect(ContinuousBackupsDescription!.PointInTimeRecoveryDescription).toEqual({ PointInTimeRecoveryStatus: 'DISABLED' });
  });

  it('answers an unknown table with ResourceNotFoundException', async () => {
    await expect(dynamo.send(new DescribeTableCommand({ TableName: 'no-such-table' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(dynamo.send(new DescribeContinuousBackupsCommand({ TableName: 'no-such-table' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: no-such-table not found',
    });
  });

  it('retries a throttled call and denies a denied region with AccessDeniedException', async () => {
    aws.setFaults({ throttleNext: 1 });
    const output = await dynamo.send(new ListTablesCommand({}));
    expect(output.$metadata.attempts).toBe(2);
    expect(aws.stats().operations['dynamodb:ListTables']).toMatchObject({ throttled: 1, succeeded: 1 });
    aws.setFaults({ deny: ['prod/eu-west-1'] });
    const recovery = new DynamoDBClient(await assumedConfig(aws, PROD, RECOVERY));
    await expect(recovery.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
