import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MessageHandler } from './handler.js';
import { ProcessedStore } from './idempotency.js';
import { Logger } from './logger.js';
import { Message, MessageSource } from './messages.js';
import { ConsumerMetrics, MessageOutcome } from './metrics.js';

export interface ConsumerOptions {
  serviceName: string;
  source: MessageSource;
  store: ProcessedStore;
  handler: MessageHandler;
  metrics: ConsumerMetrics;
  logger: Logger;
  /** Attempts at one message before it is dead-lettered (at least 1). */
  maxAttempts: number;
  /** First retry delay in ms; doubles with every attempt. */
  retryBaseDelayMs: number;
  /** Messages asked for per receive. */
  batchSize?: number;
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * The consumer loop: receive, skip keys already processed, handle with retries, dead-letter what
 * fails every attempt, ack. At-least-once delivery plus the processed-key store gives an effect
 * once per idempotency key.
 */
export class Consumer {
  private running = false;
  private loop?: Promise<void>;
  private lastError?: string;

  constructor(private readonly options: ConsumerOptions) {}

  /** Whether the loop is running and its last receive worked. */
  get healthy(): boolean {
    return this.running && this.lastError === undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops receiving, finishes the message in hand, closes the source. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.options.source.close();
  }

  /** Receives once and handles what came; returns how many messages were handled. */
  async pollOnce(): Promise<number> {
    const messages = await this.options.source.receive(this.options.batchSize ?? 10);
    for (const message of messages) await this.handle(message);
    return messages.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.pollOnce();
        this.lastError = undefined;
      } catch (error) {
        this.lastError = (error as Error).message;
        this.options.logger.log('error', 'receive failed', { error: this.lastError });
        await sleep(1000);
      }
    }
  }

  /** One message, start to outcome. */
  async handle(message: Message): Promise<MessageOutcome> {
    const { source, store, handler, metrics, logger, maxAttempts, retryBaseDelayMs } = this.options;
    const started = process.hrtime.bigint();
    const tracer = trace.getTracer(this.options.serviceName);
    return tracer.startActiveSpan('process payment event', { kind: SpanKind.CONSUMER, attributes: { 'messaging.message.id': message.id } }, async span => {
      let outcome: MessageOutcome;
      let attempts = 0;
      if (await store.has(message.key)) {
        outcome = 'duplicate';
        await source.ack(message);
      } else {
        let lastError = '';
        outcome = 'error';
        while (attempts < Math.max(1, maxAttempts)) {
          attempts += 1;
          try {
            await handler(message);
            outcome = (await store.markProcessed(message.key)) ? 'processed' : 'duplicate';
            break;
          } catch (error) {
            lastError = (error as Error).message;
            logger.log('warn', 'attempt failed', { messageId: message.id, key: message.key, attempt: attempts, error: lastError });
            if (attempts < maxAttempts) await sleep(retryBaseDelayMs * 2 ** (attempts - 1));
          }
        }
        if (outcome === 'error') {
          await source.deadLetter(message, lastError, attempts);
          span.setStatus({ code: SpanStatusCode.ERROR, message: lastError });
        } else {
          await source.ack(message);
        }
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(outcome, seconds);
      span.setAttribute('payments.outcome', outcome);
      span.end();
      logger.log(outcome === 'error' ? 'error' : 'info', 'message', {
        messageId: message.id,
        key: message.key,
        outcome,
        attempts,
        durationMs: Math.round(seconds * 1e6) / 1e3,
      });
      return outcome;
    });
  }
}
