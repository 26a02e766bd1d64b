import { SourceConfig } from './config.js';
import { Message, MessageSource } from './messages.js';

{% if values.source == 'sqs' %}
/*
 * STUB: the SQS adapter. It needs @aws-sdk/client-sqs, which this repository does not depend on
 * yet: `npm install @aws-sdk/client-sqs`, then implement the four methods:
 *   receive    ReceiveMessageCommand { QueueUrl, MaxNumberOfMessages: max (<= 10), WaitTimeSeconds: 20,
 *              MessageAttributeNames: ['Idempotency-Key'] }; key = the attribute, else MessageId
 *   ack        DeleteMessageCommand { QueueUrl, ReceiptHandle }
 *   deadLetter SendMessageCommand to dlqUrl (reason and attempts as message attributes), then ack
 *   close      client.destroy()
 * Keep the queue's visibility timeout (terraform: 60 s) above the time of all attempts at one message.
 */
export class SqsMessageSource implements MessageSource {
  constructor(private readonly config: Extract<SourceConfig, { kind: 'sqs' }>) {}

  async receive(_max: number): Promise<Message[]> {
    throw new Error(`SqsMessageSource is a stub: add @aws-sdk/client-sqs and implement it (queue ${this.config.queueUrl ?? 'unset'})`);
  }

  async ack(_message: Message): Promise<void> {
    throw new Error('SqsMessageSource is a stub');
  }

  async deadLetter(_message: Message, _reason: string, _attempts: number): Promise<void> {
    throw new Error('SqsMessageSource is a stub');
  }

  async close(): Promise<void> {}
}

export function createMessageSource(config: SourceConfig): MessageSource {
  return new SqsMessageSource(config);
}
{% else %}
/*
 * STUB: the Amazon MSK adapter. It needs kafkajs (and IAM authentication, e.g.
 * aws-msk-iam-sasl-signer-js), which this repository does not depend on yet:
 * `npm install kafkajs aws-msk-iam-sasl-signer-js`, then implement the four methods:
 *   receive    a consumer in groupId subscribed to topic, autoCommit off, eachBatch feeding a buffer;
 *              key = the Idempotency-Key header, else the message key, else topic/partition/offset
 *   ack        commitOffsets for the message's partition (offset + 1), in order per partition
 *   deadLetter a producer send to dlqTopic (reason and attempts as headers), then ack
 *   close      consumer.disconnect() and producer.disconnect()
 */
export class MskMessageSource implements MessageSource {
  constructor(private readonly config: Extract<SourceConfig, { kind: 'msk' }>) {}

  async receive(_max: number): Promise<Message[]> {
    throw new Error(`MskMessageSource is a stub: add kafkajs and implement it (topic ${this.config.topic ?? 'unset'})`);
  }

  async ack(_message: Message): Promise<void> {
    throw new Error('MskMessageSource is a stub');
  }

  async deadLetter(_message: Message, _reason: string, _attempts: number): Promise<void> {
    throw new Error('MskMessageSource is a stub');
  }

  async close(): Promise<void> {}
}

export function createMessageSource(config: SourceConfig): MessageSource {
  return new MskMessageSource(config);
}
{% endif %}
