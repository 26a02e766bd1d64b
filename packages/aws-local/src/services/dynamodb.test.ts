import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  CreateTableCommandInput,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeGlobalTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  GlobalTableNotFoundException,
  ListTablesCommand,
  PutItemCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateItemCommand,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import {
  PRIMARY,
  PROD,
  RECOVERY,
  assumedConfig,
  gapOf,
  resetFaults,
} from './__testUtils__/clients';

describe('DynamoDB on the loopback endpoint', () => {
  let aws: AwsLocal;
  let dynamo: DynamoDBClient;
  beforeAll(async () => {
    aws = await startAwsLocal({
      asOf: '2026-11-25',
      scale: { extraProducts: 10 },
    });
    dynamo = new DynamoDBClient(await assumedConfig(aws, PROD, PRIMARY));
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  it('pages through the table names with ExclusiveStartTableName / LastEvaluatedTableName', async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListTables(
      { client: dynamo, pageSize: 5 },
      {},
    )) {
      pages += 1;
      names.push(...page.TableNames!);
    }
    const expected = aws.estate.resources
      .filter(
        r =>
          r.resourceType === 'dynamodb:table' &&
          r.accountId === PROD &&
          r.region === PRIMARY,
      )
      .map(r => r.arn.split('/').pop()!)
      .sort();
    expect(expected.length).toBeGreaterThan(5);
    expect(names).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 5));
    const { LastEvaluatedTableName } = await dynamo.send(
      new ListTablesCommand({ Limit: 100 }),
    );
    expect(LastEvaluatedTableName).toBeUndefined();
  });

  it('describes a tier-0 table as a global table with its eu-west-1 replica and KMS encryption', async () => {
    const { Table } = await dynamo.send(
      new DescribeTableCommand({ TableName: 'custody-withdrawals-table-prod' }),
    );
    expect(Table).toMatchObject({
      TableName: 'custody-withdrawals-table-prod',
      TableArn: `arn:aws:dynamodb:${PRIMARY}:${PROD}:table/custody-withdrawals-table-prod`,
      TableStatus: 'ACTIVE',
      GlobalTableVersion: '2019.11.21',
      // The seed's replica-creating gap: the eu-west-1 replica is still being built.
      Replicas: [{ RegionName: RECOVERY, ReplicaStatus: 'CREATING' }],
      SSEDescription: { Status: 'ENABLED', SSEType: 'KMS' },
    });
    expect(Table!.SSEDescription!.KMSMasterKeyArn).toMatch(/:key\/mrk-/);
    expect(Table!.CreationDateTime).toBeInstanceOf(Date);
    // A global table keeps its name in every region.
    const recovery = new DynamoDBClient(
      await assumedConfig(aws, PROD, RECOVERY),
    );
    const replica = await recovery.send(
      new DescribeTableCommand({ TableName: 'custody-withdrawals-table-prod' }),
    );
    expect(replica.Table!.Replicas).toEqual([
      expect.objectContaining({ RegionName: PRIMARY, ReplicaStatus: 'ACTIVE' }),
    ]);
    const pitr = await dynamo.send(
      new DescribeContinuousBackupsCommand({ TableName: Table!.TableArn }),
    );
    expect(
      pitr.ContinuousBackupsDescription!.PointInTimeRecoveryDescription,
    ).toMatchObject({
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: 35,
    });
    expect(
      pitr.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!
        .LatestRestorableDateTime,
    ).toBeInstanceOf(Date);
  });

  it('reports a replica that lost its KMS key as INACCESSIBLE_ENCRYPTION_CREDENTIALS, with the time it did', async () => {
    const gap = gapOf(aws, 'replica-inaccessible-key');
    const { Table } = await dynamo.send(
      new DescribeTableCommand({ TableName: gap.resourceArn }),
    );
    expect(Table!.Replicas).toEqual([
      expect.objectContaining({
        RegionName: RECOVERY,
        ReplicaStatus: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS',
        ReplicaInaccessibleDateTime: expect.any(Date),
      }),
    ]);
  });

  it('reports a PITR recovery period shorter than 35 days (pitr-short-window)', async () => {
    const gap = gapOf(aws, 'pitr-short-window');
    const pitr = await dynamo.send(
      new DescribeContinuousBackupsCommand({ TableName: gap.resourceArn }),
    );
    const description =
      pitr.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    expect(description).toMatchObject({
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: 7,
    });
    expect(
      description.LatestRestorableDateTime!.getTime() -
        description.EarliestRestorableDateTime!.getTime(),
    ).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it('shows a version 2017.11.29 global table only through DescribeGlobalTable; other tables are GlobalTableNotFoundException', async () => {
    const [service] = aws.estate.seed.dr.legacyGlobalTables;
    const legacy = aws.estate.resources.find(
      r =>
        r.service === service &&
        r.accountId === PROD &&
        r.role === 'primary' &&
        r.resourceType === 'dynamodb:table',
    )!;
    const name = legacy.arn.split('/').pop()!;
    const { Table } = await dynamo.send(
      new DescribeTableCommand({ TableName: name }),
    );
    expect(Table!.Replicas).toBeUndefined();
    expect(Table).toMatchObject({
      GlobalTableVersion: '2017.11.29',
      StreamSpecification: {
        StreamEnabled: true,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    const global = await dynamo.send(
      new DescribeGlobalTableCommand({ GlobalTableName: name }),
    );
    expect(global.GlobalTableDescription).toMatchObject({
      GlobalTableName: name,
      GlobalTableStatus: 'ACTIVE',
      ReplicationGroup: [
        { RegionName: PRIMARY, ReplicaStatus: 'ACTIVE' },
        { RegionName: RECOVERY, ReplicaStatus: 'ACTIVE' },
      ],
    });
    await expect(
      dynamo.send(
        new DescribeGlobalTableCommand({
          GlobalTableName: 'custody-withdrawals-table-prod',
        }),
      ),
    ).rejects.toBeInstanceOf(GlobalTableNotFoundException);
  });

  it("reports the token vault's point-in-time recovery as DISABLED, the deliberate gap", async () => {
    const gap = gapOf(aws, 'pitr-disabled');
    expect(gap.service).toBe('card-tokenisation-vault');
    const { ContinuousBackupsDescription } = await dynamo.send(
      new DescribeContinuousBackupsCommand({
        TableName: gap.resourceArn.split('/').pop(),
      }),
    );
    expect(
      ContinuousBackupsDescription!.PointInTimeRecoveryDescription,
    ).toEqual({ PointInTimeRecoveryStatus: 'DISABLED' });
  });

  it('answers an unknown table with ResourceNotFoundException', async () => {
    await expect(
      dynamo.send(new DescribeTableCommand({ TableName: 'no-such-table' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      dynamo.send(
        new DescribeContinuousBackupsCommand({ TableName: 'no-such-table' }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: no-such-table not found',
    });
  });

  it('retries a throttled call and denies a denied region with AccessDeniedException', async () => {
    aws.setFaults({ throttleNext: 1 });
    const output = await dynamo.send(new ListTablesCommand({}));
    expect(output.$metadata.attempts).toBe(2);
    expect(aws.stats().operations['dynamodb:ListTables']).toMatchObject({
      throttled: 1,
      succeeded: 1,
    });
    aws.setFaults({ deny: ['prod/eu-west-1'] });
    const recovery = new DynamoDBClient(
      await assumedConfig(aws, PROD, RECOVERY),
    );
    await expect(
      recovery.send(new ListTablesCommand({})),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('DynamoDB tables and items made by callers', () => {
  let aws: AwsLocal;
  let dynamo: DynamoDBClient;
  const table = (TableName: string): CreateTableCommandInput => ({
    TableName,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const key = (id: string) => ({
    pk: { S: `processed#${id}` },
    sk: { S: 'processed' },
  });

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
    dynamo = new DynamoDBClient(await assumedConfig(aws, PROD, PRIMARY));
    await dynamo.send(new CreateTableCommand(table('payments-idempotency')));
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  it('creates an ACTIVE table, lists it with the estate tables, and refuses to create it twice', async () => {
    const { TableDescription } = await dynamo.send(
      new CreateTableCommand(table('orders-created')),
    );
    expect(TableDescription).toMatchObject({
      TableName: 'orders-created',
      TableStatus: 'ACTIVE',
      TableArn: `arn:aws:dynamodb:${PRIMARY}:${PROD}:table/orders-created`,
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      ItemCount: 0,
    });
    const { TableNames } = await dynamo.send(new ListTablesCommand({}));
    expect(TableNames).toEqual(
      expect.arrayContaining([
        'orders-created',
        'payments-idempotency',
        'custody-withdrawals-table-prod',
      ]),
    );
    expect(TableNames).toEqual([...TableNames!].sort());
    const { Table } = await dynamo.send(
      new DescribeTableCommand({ TableName: 'orders-created' }),
    );
    expect(Table!.KeySchema).toEqual(table('orders-created').KeySchema);

    const again = await dynamo
      .send(new CreateTableCommand(table('orders-created')))
      .catch(e => e);
    expect(again).toBeInstanceOf(ResourceInUseException);
    expect(again.message).toBe('Table already exists: orders-created');
    // An estate table's name is taken too.
    await expect(
      dynamo.send(
        new CreateTableCommand(table('custody-withdrawals-table-prod')),
      ),
    ).rejects.toBeInstanceOf(ResourceInUseException);

    await dynamo.send(new DeleteTableCommand({ TableName: 'orders-created' }));
    await expect(
      dynamo.send(new DescribeTableCommand({ TableName: 'orders-created' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('rejects a key schema whose attributes are not defined, as DynamoDB words it', async () => {
    await expect(
      dynamo.send(
        new CreateTableCommand({
          ...table('bad-keys'),
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [pk, sk], AttributeDefinitions: [id]',
    });
  });

  it('puts an item once under attribute_not_exists(pk); the second put fails with ConditionalCheckFailedException', async () => {
    const item = {
      ...key('evt-1'),
      processedAt: { N: '1795000000' },
      tags: { SS: ['card', 'refund'] },
    };
    const put = () =>
      dynamo.send(
        new PutItemCommand({
          TableName: 'payments-idempotency',
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await put();
    const second = await put().catch(e => e);
    expect(second).toBeInstanceOf(ConditionalCheckFailedException);
    expect(second.message).toBe('The conditional request failed');
    expect(second.Item).toBeUndefined();

    // ReturnValuesOnConditionCheckFailure returns the item that failed the condition.
    const withItem = await dynamo
      .send(
        new PutItemCommand({
          TableName: 'payments-idempotency',
          Item: item,
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'pk' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .catch(e => e);
    expect(withItem).toBeInstanceOf(ConditionalCheckFailedException);
    expect(withItem.Item).toEqual(item);

    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName: 'payments-idempotency',
        Key: key('evt-1'),
        ConsistentRead: true,
      }),
    );
    expect(Item).toEqual(item);
    expect(
      (
        await dynamo.send(
          new GetItemCommand({
            TableName: 'payments-idempotency',
            Key: key('evt-2'),
          }),
        )
      ).Item,
    ).toBeUndefined();
  });

  it('checks attribute_exists and comparisons with ExpressionAttributeNames and Values', async () => {
    const TableName = 'payments-idempotency';
    const missing = dynamo.send(
      new PutItemCommand({
        TableName,
        Item: { ...key('evt-3'), state: { S: 'done' } },
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk' },
      }),
    );
    await expect(missing).rejects.toBeInstanceOf(
      ConditionalCheckFailedException,
    );
    await dynamo.send(
      new PutItemCommand({
        TableName,
        Item: {
          ...key('evt-3'),
          state: { S: 'pending' },
          attempts: { N: '1' },
        },
      }),
    );
    await dynamo.send(
      new PutItemCommand({
        TableName,
        Item: { ...key('evt-3'), state: { S: 'done' }, attempts: { N: '2' } },
        ConditionExpression:
          'attribute_exists(#pk) AND #state = :pending AND attempts < :max',
        ExpressionAttributeNames: { '#pk': 'pk', '#state': 'state' },
        ExpressionAttributeValues: {
          ':pending': { S: 'pending' },
          ':max': { N: '3' },
        },
      }),
    );
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName,
        Key: key('evt-3'),
        ProjectionExpression: '#state, attempts',
        ExpressionAttributeNames: { '#state': 'state' },
      }),
    );
    expect(Item).toEqual({ state: { S: 'done' }, attempts: { N: '2' } });
  });

  it('updates an item with SET / ADD / REMOVE, creating it when missing', async () => {
    const TableName = 'payments-idempotency';
    const update = () =>
      dynamo.send(
        new UpdateItemCommand({
          TableName,
          Key: key('evt-4'),
          UpdateExpression:
            'SET attempts = if_not_exists(attempts, :zero) + :one, lastError = :error ADD seen :channel',
          ExpressionAttributeValues: {
            ':zero': { N: '0' },
            ':one': { N: '1' },
            ':error': { S: 'timeout' },
            ':channel': { SS: ['sqs'] },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
    await update();
    const { Attributes } = await update();
    expect(Attributes).toEqual({
      ...key('evt-4'),
      attempts: { N: '2' },
      lastError: { S: 'timeout' },
      seen: { SS: ['sqs'] },
    });
    const removed = await dynamo.send(
      new UpdateItemCommand({
        TableName,
        Key: key('evt-4'),
        UpdateExpression: 'REMOVE lastError',
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    expect(removed.Attributes).toEqual({ lastError: { S: 'timeout' } });
    await expect(
      dynamo.send(
        new UpdateItemCommand({
          TableName,
          Key: key('evt-4'),
          UpdateExpression: 'SET pk = :other',
          ExpressionAttributeValues: { ':other': { S: 'x' } },
        }),
      ),
    ).rejects.toMatchObject({
      message:
        'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    });
  });

  it('deletes an item, returning it with ReturnValues ALL_OLD', async () => {
    const TableName = 'payments-idempotency';
    await dynamo.send(
      new PutItemCommand({
        TableName,
        Item: { ...key('evt-5'), state: { S: 'done' } },
      }),
    );
    const { Attributes } = await dynamo.send(
      new DeleteItemCommand({
        TableName,
        Key: key('evt-5'),
        ReturnValues: 'ALL_OLD',
      }),
    );
    expect(Attributes).toEqual({ ...key('evt-5'), state: { S: 'done' } });
    expect(
      (await dynamo.send(new GetItemCommand({ TableName, Key: key('evt-5') })))
        .Item,
    ).toBeUndefined();
    await expect(
      dynamo.send(
        new DeleteItemCommand({
          TableName,
          Key: key('evt-5'),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it.each([
    [
      'an item without its key',
      { Item: { sk: { S: 'processed' } } },
      'One or more parameter values were invalid: Missing the key pk in the item',
    ],
    [
      'a key of the wrong type',
      { Item: { pk: { N: '1' }, sk: { S: 'processed' } } },
      'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
    ],
    [
      'an unused expression value',
      {
        Item: key('evt-6'),
        ConditionExpression: 'attribute_not_exists(pk)',
        ExpressionAttributeValues: { ':unused': { S: 'x' } },
      },
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}',
    ],
    [
      'an undefined expression name',
      { Item: key('evt-6'), ConditionExpression: 'attribute_not_exists(#pk)' },
      'An expression attribute name used in the document path is not defined; attribute name: #pk',
    ],
  ])(
    'rejects a PutItem with %s with a ValidationException',
    async (_case, input, message) => {
      await expect(
        dynamo.send(
          new PutItemCommand({ TableName: 'payments-idempotency', ...input }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationException', message });
    },
  );

  it('rejects a GetItem Key that is only part of the key', async () => {
    await expect(
      dynamo.send(
        new GetItemCommand({
          TableName: 'payments-idempotency',
          Key: { pk: { S: 'x' } },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'The provided key element does not match the schema',
    });
  });

  it("keeps the estate's tables read-only and unknown tables unknown", async () => {
    await expect(
      dynamo.send(
        new PutItemCommand({
          TableName: 'custody-withdrawals-table-prod',
          Item: key('x'),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    await expect(
      dynamo.send(
        new GetItemCommand({ TableName: 'no-such-table', Key: key('x') }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
