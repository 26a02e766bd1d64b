import { SourceConfig } from './config.js';
import { Message, MessageSource } from './messages.js';
{% if values.source == 'sqs' %}
import { DeleteMessageCommand, MessageAttributeValue, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from './aws.js';

type SqsConfig = Extract<SourceConfig, { kind: 'sqs' }>;

/** SQS allows 256 characters in a string attribute we add; longer failure reasons are cut. */
const MAX_REASON = 256;

/**
 * Payment events from an SQS queue.
 * - receive: long poll (WaitTimeSeconds) for up to 10 messages with all their attributes and
 *   SentTimestamp (message_age_seconds); the idempotency key is the `Idempotency-Key` attribute
 *   (the payment service's outbox also sends `Event-Id`), else the MessageId.
 * - ack: DeleteMessage with the receipt handle of this delivery.
 * - deadLetter: the body and attributes go to the dead-letter queue with Failure-Reason,
 *   Failure-Attempts and Original-Message-Id, then the original is deleted. The queue's redrive
 *   policy (terraform: maxReceiveCount) catches what this consumer never gets to dead-letter,
 *   e.g. a crash mid-message, so keep the visibility timeout above the time of all attempts.
 * Credentials and region come from the SDK's default chain (IRSA on EKS); AWS_ENDPOINT_URL_SQS or
 * AWS_ENDPOINT_URL points it at a local endpoint.
 */
export class SqsMessageSource implements MessageSource {
  private readonly client: SQSClient;

  constructor(private readonly config: SqsConfig, client?: SQSClient) {
    // Long polling holds a receive for waitTimeSeconds: the request timeout must be longer.
    this.client = client ?? new SQSClient(awsClientConfig(undefined, { requestTimeoutMs: (config.waitTimeSeconds + 5) * 1000 }));
  }

  private url(kind: 'queueUrl' | 'dlqUrl'): string {
    const url = this.config[kind];
    if (!url) throw new Error(`${kind === 'queueUrl' ? 'SQS_QUEUE_URL' : 'SQS_DLQ_URL'} is not set: give the URL of the ${kind === 'queueUrl' ? 'queue' : 'dead-letter queue'} (terraform output)`);
    return url;
  }

  async receive(max: number): Promise<Message[]> {
    const output = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.url('queueUrl'),
        MaxNumberOfMessages: Math.min(10, Math.max(1, Math.floor(max))),
        WaitTimeSeconds: this.config.waitTimeSeconds,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    return (output.Messages ?? []).map(message => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
        if (value.StringValue !== undefined) headers[name] = value.StringValue;
      }
      const id = message.MessageId ?? '';
      const sentAt = Number(message.Attributes?.SentTimestamp);
      return {
        id,
        key: headers['Idempotency-Key'] ?? id,
        body: message.Body ?? '',
        headers,
        receipt: message.ReceiptHandle,
        ...(Number.isFinite(sentAt) && sentAt > 0 ? { sentAt } : {}),
      };
    });
  }

  async ack(message: Message): Promise<void> {
    if (!message.receipt) throw new Error(`message ${message.id} has no receipt handle: it did not come from this queue`);
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.url('queueUrl'), ReceiptHandle: message.receipt }));
  }

  async deadLetter(message: Message, reason: string, attempts: number): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) attributes[name] = { DataType: 'String', StringValue: value };
    attributes['Failure-Reason'] = { DataType: 'String', StringValue: (reason || 'unknown').slice(0, MAX_REASON) };
    attributes['Failure-Attempts'] = { DataType: 'Number', StringValue: String(attempts) };
    attributes['Original-Message-Id'] = { DataType: 'String', StringValue: message.id };
    await this.client.send(new SendMessageCommand({ QueueUrl: this.url('dlqUrl'), MessageBody: message.body, MessageAttributes: attributes }));
    await this.ack(message);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

export function createMessageSource(config: SourceConfig): MessageSource {
  return new SqsMessageSource(config);
}
{% else %}
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import { Consumer as KafkaConsumer, IHeaders, Kafka, KafkaConfig, logLevel, Producer } from 'kafkajs';

type MskConfig = Extract<SourceConfig, { kind: 'msk' }>;

interface Delivery {
  topic: string;
  partition: number;
  offset: string;
  /** Lets kafkajs go on to the partition's next message. */
  release: () => void;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) text[name] = first.toString();
  }
  return text;
}

/**
 * Payment events from a Kafka topic on Amazon MSK (kafkajs).
 * - The consumer group is the service, so the replicas share the partitions. Offsets are
 *   committed by hand, after the message is processed or dead-lettered: a crash redelivers, the
 *   idempotency store makes that harmless.
 * - One message per partition is in hand at a time (kafkajs waits for its ack), which keeps
 *   per-partition order; partitionsConsumedConcurrently lets several partitions progress.
 * - The idempotency key is the `Idempotency-Key` header, else the message key, else
 *   topic/partition/offset.
 * - Authentication: IAM (SASL/OAUTHBEARER over TLS, token signed by the pod's role) or none for a
 *   local broker (KAFKA_AUTH=none).
 * - The dead-letter producer is idempotent (`idempotent: true`, one request in flight), so a
 *   retried send does not duplicate a dead letter. With IAM authentication the broker then
 *   requires `kafka-cluster:WriteDataIdempotently` on the cluster ARN in the pod role's policy
 *   (terraform/consumer.tf grants it), besides `kafka-cluster:WriteData` on the dead-letter topic;
 *   without it the producer's InitProducerId is refused and the consumer cannot start.
 * - The message timestamp (CreateTime, or LogAppendTime per the topic) is the message's age.
 */
export class MskMessageSource implements MessageSource {
  private readonly kafka: Kafka;
  private consumer?: KafkaConsumer;
  private producer?: Producer;
  private starting?: Promise<void>;
  private readonly buffer: Message[] = [];
  private readonly deliveries = new Map<string, Delivery>();
  private wake?: () => void;
  private closed = false;

  constructor(private readonly config: MskConfig, kafkaConfig: Partial<KafkaConfig> = {}) {
    const region = config.region;
    this.kafka = new Kafka({
      clientId: config.groupId,
      brokers: config.brokers,
      logLevel: logLevel.WARN,
      ...(config.auth === 'iam'
        ? {
            ssl: true,
            sasl: {
              mechanism: 'oauthbearer' as const,
              oauthBearerProvider: async () => {
                if (!region) throw new Error('AWS_REGION is not set: the MSK IAM token is signed for the cluster region');
                return { value: (await generateAuthToken({ region })).token };
              },
            },
          }
        : {}),
      ...kafkaConfig,
    });
  }

  private topic(kind: 'topic' | 'dlqTopic'): string {
    const topic = this.config[kind];
    if (!topic) throw new Error(`${kind === 'topic' ? 'KAFKA_TOPIC' : 'KAFKA_DLQ_TOPIC'} is not set`);
    return topic;
  }

  private start(): Promise<void> {
    this.starting ??= (async () => {
      const consumer = this.kafka.consumer({ groupId: this.config.groupId });
      // Idempotent: needs kafka-cluster:WriteDataIdempotently on the cluster (see above).
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      this.consumer = consumer;
      this.producer = producer;
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topic: this.topic('topic'), fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: 3,
        eachMessage: ({ topic, partition, message }) =>
          new Promise<void>(release => {
            const id = `${topic}/${partition}/${message.offset}`;
            const headers = headerText(message.headers);
            this.deliveries.set(id, { topic, partition, offset: message.offset, release });
            const sentAt = Number(message.timestamp);
            this.buffer.push({
              id,
              key: headers['Idempotency-Key'] ?? message.key?.toString() ?? id,
              body: message.value?.toString() ?? '',
              headers,
              ...(Number.isFinite(sentAt) && sentAt > 0 ? { sentAt } : {}),
            });
            this.wake?.();
          }),
      });
    })();
    return this.starting;
  }

  async receive(max: number): Promise<Message[]> {
    if (this.closed) return [];
    await this.start();
    if (this.buffer.length === 0) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, 1000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    return this.buffer.splice(0, Math.max(1, max));
  }

  async ack(message: Message): Promise<void> {
    const delivery = this.deliveries.get(message.id);
    if (!delivery || !this.consumer) throw new Error(`message ${message.id} is not in hand: it did not come from this consumer`);
    const next = (BigInt(delivery.offset) + 1n).toString();
    await this.consumer.commitOffsets([{ topic: delivery.topic, partition: delivery.partition, offset: next }]);
    this.deliveries.delete(message.id);
    delivery.release();
  }

  async deadLetter(message: Message, reason: string, attempts: number): Promise<void> {
    const delivery = this.deliveries.get(message.id);
    if (!delivery || !this.producer) throw new Error(`message ${message.id} is not in hand: it did not come from this consumer`);
    await this.producer.send({
      topic: this.topic('dlqTopic'),
      messages: [
        {
          key: message.key,
          value: message.body,
          headers: {
            ...message.headers,
            'Failure-Reason': reason || 'unknown',
            'Failure-Attempts': String(attempts),
            'Original-Topic': delivery.topic,
            'Original-Partition': String(delivery.partition),
            'Original-Offset': delivery.offset,
          },
        },
      ],
    });
    await this.ack(message);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    // Unacked deliveries are released uncommitted: the group redelivers them.
    for (const delivery of this.deliveries.values()) delivery.release();
    this.deliveries.clear();
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }
}

export function createMessageSource(config: SourceConfig): MessageSource {
  return new MskMessageSource(config);
}
{% endif %}
