import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { awsLocalClientConfig } from '../clientConfig';
import { rawRequest } from '../testing';
import { AwsLocal, startAwsLocal } from './AwsLocalServer';

/**
 * The endpoint's `now` option is the one clock its services answer with, so a test (or a demo
 * run) decides what day AWS thinks it is, whatever the process clock says.
 */
describe("the loopback endpoint on the server's clock", () => {
  const START = Date.parse('2027-01-01T00:05:00Z');
  let now = START;
  let aws: AwsLocal;

  beforeEach(async () => {
    now = START;
    aws = await startAwsLocal({ now: () => new Date(now) });
  });
  afterEach(() => aws.close());

  it('stamps STS expirations, DynamoDB CreationDateTime and the stats it keeps', async () => {
    const sts = new STSClient(awsLocalClientConfig(aws.endpoint));
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${aws.estate.accounts[0].id}:role/reader`,
        RoleSessionName: 'clock',
        DurationSeconds: 900,
      }),
    );
    expect(Credentials!.Expiration).toEqual(new Date(START + 900_000));

    const dynamodb = new DynamoDBClient(awsLocalClientConfig(aws.endpoint));
    const { TableDescription } = await dynamodb.send(
      new CreateTableCommand({
        TableName: 'clock-test',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect(TableDescription!.CreationDateTime).toEqual(new Date(START));

    const stats = async () =>
      JSON.parse(
        (await rawRequest(aws.endpoint, { path: '/_aws-local/stats' })).body,
      );
    expect((await stats()).since).toBe(new Date(START).toISOString());
    now += 3_600_000;
    await rawRequest(aws.endpoint, {
      method: 'POST',
      path: '/_aws-local/stats/reset',
    });
    expect((await stats()).since).toBe(new Date(now).toISOString());
  });

  it('holds SQS delays and visibility timeouts by the server clock, not by waiting', async () => {
    const sqs = new SQSClient(awsLocalClientConfig(aws.endpoint));
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'clock-test' }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'settle',
        DelaySeconds: 60,
      }),
    );
    const receive = () =>
      sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          WaitTimeSeconds: 0,
          VisibilityTimeout: 600,
          MessageSystemAttributeNames: [
            'ApproximateReceiveCount',
            'SentTimestamp',
          ],
        }),
      );
    expect((await receive()).Messages).toBeUndefined();
    now += 61_000;
    const first = (await receive()).Messages!;
    expect(first.map(m => m.Body)).toEqual(['settle']);
    expect(first[0].Attributes!.SentTimestamp).toBe(String(START));
    // Invisible until 600 s have passed on the server's clock.
    now += 599_000;
    expect((await receive()).Messages).toBeUndefined();
    now += 2_000;
    const again = (await receive()).Messages!;
    expect(again[0].Attributes!.ApproximateReceiveCount).toBe('2');
  });
});
