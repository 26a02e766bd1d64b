import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import { PRIMARY, PROD, assumedConfig } from './__testUtils__/clients';

describe('DynamoDB TransactWriteItems and Scan on the loopback endpoint', () => {
  let aws: AwsLocal;
  let dynamo: DynamoDBClient;
  const create = (TableName: string) =>
    dynamo.send(
      new CreateTableCommand({
        TableName,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  const get = async (TableName: string, pk: string) =>
    (
      await dynamo.send(
        new GetItemCommand({ TableName, Key: { pk: { S: pk } } }),
      )
    ).Item;

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
    dynamo = new DynamoDBClient(await assumedConfig(aws, PROD, PRIMARY));
    await create('tx-keys');
    await create('tx-payments');
  });
  afterAll(() => aws.close());

  it('writes every item of a transaction, or none when one condition fails', async () => {
    const write = (key: string, paymentId: string) =>
      dynamo.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: 'tx-keys',
                Item: { pk: { S: key }, paymentId: { S: paymentId } },
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: {
                TableName: 'tx-payments',
                Item: { pk: { S: paymentId } },
              },
            },
          ],
        }),
      );
    await write('key-1', 'pay-1');
    expect(await get('tx-payments', 'pay-1')).toEqual({ pk: { S: 'pay-1' } });
    const refused = await write('key-1', 'pay-2').catch(e => e);
    expect(refused).toBeInstanceOf(TransactionCanceledException);
    expect(refused.CancellationReasons).toEqual([
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: { S: 'key-1' }, paymentId: { S: 'pay-1' } },
      },
      { Code: 'None' },
    ]);
    // All or nothing: the second payment was not written.
    expect(await get('tx-payments', 'pay-2')).toBeUndefined();
  });

  it('refuses two actions on one item and applies updates and deletes', async () => {
    const twice = await dynamo
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'tx-keys', Item: { pk: { S: 'k' } } } },
            { Delete: { TableName: 'tx-keys', Key: { pk: { S: 'k' } } } },
          ],
        }),
      )
      .catch(e => e);
    expect(twice.name).toBe('ValidationException');
    await dynamo.send(
      new PutItemCommand({ TableName: 'tx-keys', Item: { pk: { S: 'gone' } } }),
    );
    await dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Delete: { TableName: 'tx-keys', Key: { pk: { S: 'gone' } } } },
          {
            Update: {
              TableName: 'tx-payments',
              Key: { pk: { S: 'pay-1' } },
              UpdateExpression: 'SET #s = :s',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':s': { S: 'settled' } },
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
        ],
      }),
    );
    expect(await get('tx-keys', 'gone')).toBeUndefined();
    expect((await get('tx-payments', 'pay-1'))?.status).toEqual({
      S: 'settled',
    });
  });

  it('scans pages of Limit items, filter applied after the limit', async () => {
    await create('tx-scan');
    for (const n of [1, 2, 3, 4, 5])
      await dynamo.send(
        new PutItemCommand({
          TableName: 'tx-scan',
          Item: { pk: { S: `r${n}` }, n: { N: String(n) } },
        }),
      );
    const first = await dynamo.send(
      new ScanCommand({
        TableName: 'tx-scan',
        Limit: 2,
        FilterExpression: 'n > :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );
    expect(first.ScannedCount).toBe(2);
    expect(first.Items?.map(i => i.pk.S)).toEqual(['r2']);
    expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'r2' } });
    const rest = await dynamo.send(
      new ScanCommand({
        TableName: 'tx-scan',
        ExclusiveStartKey: first.LastEvaluatedKey,
      }),
    );
    expect(rest.Items?.map(i => i.pk.S)).toEqual(['r3', 'r4', 'r5']);
    expect(rest.LastEvaluatedKey).toBeUndefined();
  });
});
