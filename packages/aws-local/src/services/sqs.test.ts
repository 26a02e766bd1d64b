import {
  BatchEntryIdsNotDistinct,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { awsLocalClientConfig } from '../clientConfig';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import {
  PRIMARY,
  PROD,
  RECOVERY,
  assumedConfig,
  resetFaults,
} from './__testUtils__/clients';

describe('SQS on the loopback endpoint', () => {
  let aws: AwsLocal;
  let sqs: SQSClient;
  let queues = 0;
  /** A fresh queue per test, so tests never see each other's messages. */
  const createQueue = async (
    attributes?: Record<string, string>,
    client = sqs,
  ) => {
    queues += 1;
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({
        QueueName: `orders-${queues}`,
        Attributes: attributes,
      }),
    );
    return QueueUrl!;
  };
  const arnOf = async (queueUrl: string) =>
    (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['QueueArn'],
        }),
      )
    ).Attributes!.QueueArn;

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
    sqs = new SQSClient(await assumedConfig(aws, PROD, PRIMARY));
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  it('creates a queue at <endpoint>/<account>/<name>; the same name and attributes again is the same queue', async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'payments-in',
        Attributes: { VisibilityTimeout: '45' },
      }),
    );
    expect(QueueUrl).toBe(`${aws.endpoint}/${PROD}/payments-in`);
    const again = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'payments-in',
        Attributes: { VisibilityTimeout: '45' },
      }),
    );
    expect(again.QueueUrl).toBe(QueueUrl);
    const exists = await sqs
      .send(
        new CreateQueueCommand({
          QueueName: 'payments-in',
          Attributes: { VisibilityTimeout: '60' },
        }),
      )
      .catch(e => e);
    expect(exists).toBeInstanceOf(QueueNameExists);
    expect(exists.message).toBe(
      'A queue already exists with the same name and a different value for attribute VisibilityTimeout',
    );
    expect(
      (await sqs.send(new GetQueueUrlCommand({ QueueName: 'payments-in' })))
        .QueueUrl,
    ).toBe(QueueUrl);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:${PRIMARY}:${PROD}:payments-in`,
      VisibilityTimeout: '45',
      MessageRetentionPeriod: '345600',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    expect(Number(Attributes!.CreatedTimestamp)).toBeGreaterThan(1_700_000_000);
  });

  it('rejects FIFO queue names and unknown attributes by name', async () => {
    await expect(
      sqs.send(new CreateQueueCommand({ QueueName: 'payments.fifo' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message:
        "aws-local serves standard queues only; 'payments.fifo' names a FIFO queue. Use a name without .fifo.",
    });
    await expect(
      sqs.send(
        new CreateQueueCommand({
          QueueName: 'bad',
          Attributes: { VisibilityTimeout: '99999' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidAttributeValue',
      message:
        'Invalid value for the parameter VisibilityTimeout. Reason: Must be a whole number from 0 to 43200.',
    });
    await expect(
      sqs.send(
        new CreateQueueCommand({
          QueueName: 'bad',
          Attributes: { Colour: 'blue' } as Record<string, string>,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidAttributeName',
      message: 'Unknown Attribute Colour.',
    });
  });

  it('sends, receives and deletes a message with String, Number and Binary attributes (the SDK checks the body MD5s)', async () => {
    const QueueUrl = await createQueue();
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: '{"paymentId":"p-1","amount":"12.50"}',
        MessageAttributes: {
          'Idempotency-Key': { DataType: 'String', StringValue: 'pay-1' },
          Attempt: { DataType: 'Number', StringValue: '1' },
          Signature: {
            DataType: 'Binary',
            BinaryValue: new Uint8Array([0, 1, 2, 255]),
          },
        },
      }),
    );
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);

    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: [
          'ApproximateReceiveCount',
          'SentTimestamp',
        ],
      }),
    );
    expect(Messages).toHaveLength(1);
    const [message] = Messages!;
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: '{"paymentId":"p-1","amount":"12.50"}',
      MD5OfBody: sent.MD5OfMessageBody,
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      Attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      MessageAttributes: {
        'Idempotency-Key': { DataType: 'String', StringValue: 'pay-1' },
        Attempt: { DataType: 'Number', StringValue: '1' },
      },
    });
    expect(
      Array.from(message.MessageAttributes!.Signature.BinaryValue!),
    ).toEqual([0, 1, 2, 255]);
    expect(message.ReceiptHandle).toBeTruthy();

    await sqs.send(
      new DeleteMessageCommand({
        QueueUrl,
        ReceiptHandle: message.ReceiptHandle,
      }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
        ],
      }),
    );
    expect(Attributes).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  it('computes MD5OfMessageAttributes as AWS does (the value of the AWS Lambda SQS event example)', async () => {
    const QueueUrl = await createQueue();
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'Sample content.',
        MessageAttributes: {
          'sample-attribute': {
            DataType: 'String',
            StringValue: 'sample-value',
          },
        },
      }),
    );
    expect(sent.MD5OfMessageAttributes).toBe(
      '7c815262be77a62f56671125069ca888',
    );
    expect(sent.MD5OfMessageBody).toBe('b58e1d0a86521415d25b85b89f6ad6cd');
    // Only the attributes asked for come back, with the MD5 of those.
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['other'] }),
    );
    expect(Messages![0].MessageAttributes).toBeUndefined();
    expect(Messages![0].MD5OfMessageAttributes).toBeUndefined();
  });

  it('hides a received message for its visibility timeout and then delivers it again with a new receipt handle', async () => {
    const QueueUrl = await createQueue();
    await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'retry me' }),
    );
    const first = (
      await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1 }),
      )
    ).Messages![0];
    expect(
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages,
    ).toBeUndefined();
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Attributes).toEqual({ ApproximateNumberOfMessagesNotVisible: '1' });

    // A long poll returns once the visibility timeout ends.
    const again = (
      await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          WaitTimeSeconds: 5,
          MessageSystemAttributeNames: ['All'],
        }),
      )
    ).Messages![0];
    expect(again).toMatchObject({
      MessageId: first.MessageId,
      Attributes: { ApproximateReceiveCount: '2' },
    });
    expect(again.ReceiptHandle).not.toBe(first.ReceiptHandle);

    // As SQS documents: an older receive's handle succeeds but does not delete the message.
    await sqs.send(
      new DeleteMessageCommand({
        QueueUrl,
        ReceiptHandle: first.ReceiptHandle,
      }),
    );
    const stale = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(stale.Attributes).toEqual({
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    await sqs.send(
      new DeleteMessageCommand({
        QueueUrl,
        ReceiptHandle: again.ReceiptHandle,
      }),
    );
    // Deleting twice is fine; a handle SQS never issued is not.
    await sqs.send(
      new DeleteMessageCommand({
        QueueUrl,
        ReceiptHandle: again.ReceiptHandle,
      }),
    );
    const invalid = await sqs
      .send(
        new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'not-a-handle' }),
      )
      .catch(e => e);
    expect(invalid).toBeInstanceOf(ReceiptHandleIsInvalid);
    expect(invalid.message).toBe(
      'The input receipt handle "not-a-handle" is not a valid receipt handle.',
    );
  });

  it('makes a message visible at once with ChangeMessageVisibility 0', async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: '600' });
    await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'put it back' }),
    );
    const first = (await sqs.send(new ReceiveMessageCommand({ QueueUrl })))
      .Messages![0];
    expect(
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages,
    ).toBeUndefined();
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: first.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const again = (await sqs.send(new ReceiveMessageCommand({ QueueUrl })))
      .Messages![0];
    expect(again.MessageId).toBe(first.MessageId);
    // The first receive's handle no longer changes it.
    await expect(
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: first.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining(
        'Reason: Message does not exist or is not available for visibility timeout change.',
      ),
    });
  });

  it('moves a message to the dead-letter queue on the receive after maxReceiveCount', async () => {
    const dlqUrl = await createQueue();
    const dlqArn = await arnOf(dlqUrl);
    const redrivePolicy = JSON.stringify({
      deadLetterTargetArn: dlqArn,
      maxReceiveCount: 2,
    });
    const QueueUrl = await createQueue({
      RedrivePolicy: redrivePolicy,
      VisibilityTimeout: '0',
    });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['RedrivePolicy', 'QueueArn'],
      }),
    );
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: dlqArn,
      maxReceiveCount: 2,
    });

    const { MessageId } = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'poison',
        MessageAttributes: {
          Kind: { DataType: 'String', StringValue: 'refund' },
        },
      }),
    );
    const counts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      counts.push(Messages![0].Attributes!.ApproximateReceiveCount!);
    }
    expect(counts).toEqual(['1', '2']);
    expect(
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages,
    ).toBeUndefined();

    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    expect(Messages).toHaveLength(1);
    expect(Messages![0]).toMatchObject({
      MessageId,
      Body: 'poison',
      MessageAttributes: {
        Kind: { DataType: 'String', StringValue: 'refund' },
      },
      Attributes: { DeadLetterQueueSourceArn: Attributes!.QueueArn },
    });
  });

  it('rejects a redrive policy whose dead-letter queue does not exist', async () => {
    const QueueUrl = await createQueue();
    const policy = JSON.stringify({
      deadLetterTargetArn: `arn:aws:sqs:${PRIMARY}:${PROD}:nowhere`,
      maxReceiveCount: 3,
    });
    await expect(
      sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl,
          Attributes: { RedrivePolicy: policy },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: `Value ${policy} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
    });
  });

  it('holds a long poll until a message is sent, while other requests are answered', async () => {
    const QueueUrl = await createQueue();
    const poll = sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        WaitTimeSeconds: 20,
        MessageAttributeNames: ['All'],
      }),
    );
    // The endpoint keeps answering while the poll waits.
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '0' });
    // Give the poll time to be waiting on the server before the message arrives.
    await new Promise(resolve => setTimeout(resolve, 200));
    const { MessageId } = await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'wake up' }),
    );
    const { Messages } = await poll;
    expect(Messages!.map(m => m.MessageId)).toEqual([MessageId]);
  });

  it('ends a long poll on an empty queue after WaitTimeSeconds with no messages', async () => {
    const QueueUrl = await createQueue();
    const output = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }),
    );
    expect(output.Messages).toBeUndefined();
  });

  it.each([
    [
      { MaxNumberOfMessages: 11 },
      'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    ],
    [
      { MaxNumberOfMessages: 0 },
      'Value 0 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    ],
    [
      { WaitTimeSeconds: 21 },
      'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
    ],
  ])(
    'rejects ReceiveMessage with %j naming the field',
    async (parameters, message) => {
      const QueueUrl = await createQueue();
      await expect(
        sqs.send(new ReceiveMessageCommand({ QueueUrl, ...parameters })),
      ).rejects.toMatchObject({ name: 'InvalidParameterValue', message });
    },
  );

  it('answers an unknown queue with QueueDoesNotExist, in another region too', async () => {
    await expect(
      sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
    const QueueUrl = await createQueue();
    const missing = await sqs
      .send(
        new SendMessageCommand({
          QueueUrl: `${aws.endpoint}/${PROD}/no-such-queue`,
          MessageBody: 'x',
        }),
      )
      .catch(e => e);
    expect(missing).toBeInstanceOf(QueueDoesNotExist);
    expect(missing).toMatchObject({
      name: 'QueueDoesNotExist',
      message: 'The specified queue does not exist.',
      $metadata: { httpStatusCode: 400 },
    });
    const recovery = new SQSClient(await assumedConfig(aws, PROD, RECOVERY));
    await expect(
      recovery.send(new ReceiveMessageCommand({ QueueUrl })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
    // Another account's queue URL is denied.
    const management = new SQSClient(
      awsLocalClientConfig(aws.endpoint, PRIMARY),
    );
    await expect(
      management.send(new ReceiveMessageCommand({ QueueUrl })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('sends, changes and deletes in batches, reporting each entry', async () => {
    const QueueUrl = await createQueue();
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          {
            Id: 'b',
            MessageBody: 'second',
            MessageAttributes: {
              Amount: { DataType: 'Number', StringValue: 'twelve' },
            },
          },
          { Id: 'c', MessageBody: 'third', DelaySeconds: 0 },
        ],
      }),
    );
    expect(sent.Successful!.map(e => e.Id)).toEqual(['a', 'c']);
    expect(sent.Failed).toEqual([
      {
        Id: 'b',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message:
          "Can't cast the value of message (user) attribute 'Amount' to a number.",
      },
    ]);
    await expect(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'x', MessageBody: '1' },
            { Id: 'x', MessageBody: '2' },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(BatchEntryIdsNotDistinct);

    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages!.map(m => m.Body)).toEqual(['first', 'third']);
    const changed = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: Messages!.map((m, i) => ({
          Id: `m${i}`,
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 120,
        })),
      }),
    );
    expect(changed.Successful).toHaveLength(2);
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          ...Messages!.map((m, i) => ({
            Id: `m${i}`,
            ReceiptHandle: m.ReceiptHandle,
          })),
          { Id: 'bogus', ReceiptHandle: 'bogus' },
        ],
      }),
    );
    expect(deleted.Successful!.map(e => e.Id)).toEqual(['m0', 'm1']);
    expect(deleted.Failed).toEqual([
      expect.objectContaining({
        Id: 'bogus',
        Code: 'ReceiptHandleIsInvalid',
        SenderFault: true,
      }),
    ]);
  });

  it('lists queues by prefix with MaxResults / NextToken, purges and deletes them', async () => {
    for (const name of ['ledger-a', 'ledger-b', 'ledger-c'])
      await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await sqs.send(
        new ListQueuesCommand({
          QueueNamePrefix: 'ledger-',
          MaxResults: 2,
          NextToken,
        }),
      );
      names.push(...page.QueueUrls!.map(url => url.split('/').pop()!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(names).toEqual(['ledger-a', 'ledger-b', 'ledger-c']);

    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: 'ledger-a' }),
    );
    await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'gone soon' }),
    );
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    expect(
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages,
    ).toBeUndefined();
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    const { QueueUrls } = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: 'ledger-' }),
    );
    expect(QueueUrls!.map(url => url.split('/').pop())).toEqual([
      'ledger-b',
      'ledger-c',
    ]);
  });

  it('retries a throttled call (RequestThrottled), counts it, and denies a denied account', async () => {
    const QueueUrl = await createQueue();
    aws.setFaults({ throttleNext: 1 });
    const output = await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'after a retry' }),
    );
    expect(output.$metadata.attempts).toBe(2);
    expect(aws.stats().operations['sqs:SendMessage']).toMatchObject({
      throttled: 1,
      succeeded: 1,
    });
    aws.setFaults({ deny: ['prod'] });
    await expect(
      sqs.send(new ReceiveMessageCommand({ QueueUrl })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(aws.stats().operations['sqs:ReceiveMessage']).toMatchObject({
      accessDenied: 1,
    });
  });

  it('keeps queues per server, and ends a waiting long poll when its server closes', async () => {
    const other = await startAwsLocal({ estate: aws.estate });
    const client = new SQSClient({
      ...awsLocalClientConfig(other.endpoint, PRIMARY),
      maxAttempts: 1,
    });
    expect(
      (await client.send(new ListQueuesCommand({}))).QueueUrls,
    ).toBeUndefined();
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: 'closing' }),
    );
    const poll = client
      .send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }))
      .then(
        () => 'answered',
        () => 'failed',
      );
    await client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await other.close();
    await expect(poll).resolves.toMatch(/answered|failed/);
  });
});
