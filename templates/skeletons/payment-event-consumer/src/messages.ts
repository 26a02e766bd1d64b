/** A payment event as the source delivers it. */
export interface Message {
  /** The source's id of this delivery (SQS MessageId, Kafka topic/partition/offset). */
  id: string;
  /**
   * The idempotency key: the producer's `Idempotency-Key` header (Kafka header or SQS message
   * attribute), else the message key. The same key is processed once, however often it arrives.
   */
  key: string;
  body: string;
  headers?: Record<string, string>;
  /** What the source needs to ack this delivery (SQS receipt handle); not part of the event. */
  receipt?: string;
  /** When the source took the message, ms since the epoch (SQS SentTimestamp, Kafka message timestamp): message_age_seconds. */
  sentAt?: number;
}

/**
 * Where messages come from and where failed ones go. Small on purpose: the consumer loop, its
 * retries, idempotency and metrics do not know whether this is MSK, SQS or a test.
 */
export interface MessageSource {
  /** Up to `max` messages; waits briefly (long poll) and may return none. */
  receive(max: number): Promise<Message[]>;
  /** The message is done with (processed or a duplicate): delete it / commit its offset. */
  ack(message: Message): Promise<void>;
  /** The message failed every attempt: publish it to the dead-letter queue or topic, then ack it. */
  deadLetter(message: Message, reason: string, attempts: number): Promise<void>;
  close(): Promise<void>;
}

export interface DeadLetter {
  message: Message;
  reason: string;
  attempts: number;
}

/** In-process source for tests and local runs. */
export class InMemoryMessageSource implements MessageSource {
  readonly acked: Message[] = [];
  readonly deadLettered: DeadLetter[] = [];
  private readonly pending: Message[] = [];
  private closed = false;

  constructor(messages: Message[] = []) {
    this.pending.push(...messages);
  }

  push(...messages: Message[]): void {
    this.pending.push(...messages);
  }

  get remaining(): number {
    return this.pending.length;
  }

  async receive(max: number): Promise<Message[]> {
    if (this.closed) return [];
    const batch = this.pending.splice(0, max);
    // Like a long poll that comes back empty, without keeping a test waiting.
    if (batch.length === 0) await new Promise(resolve => setTimeout(resolve, 10));
    return batch;
  }

  async ack(message: Message): Promise<void> {
    this.acked.push(message);
  }

  async deadLetter(message: Message, reason: string, attempts: number): Promise<void> {
    this.deadLettered.push({ message, reason, attempts });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
