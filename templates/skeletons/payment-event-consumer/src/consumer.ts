import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MessageHandler } from './handler.js';
import { ClaimResult, ProcessedStore } from './idempotency.js';
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
  /**
   * Seconds a claim on a message holds (default 60): longer than all attempts at one message take,
   * or a slow handler's message is handled twice. A crashed handler's message is handled again after it.
   */
  leaseSeconds?: number;
  /** How often to look again at a message another consumer holds a claim on (default 200 ms). */
  claimPollMs?: number;
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * The consumer loop: receive, claim the key atomically (skip keys already done), handle with
 * retries, mark done, dead-letter what fails every attempt, ack. At-least-once delivery plus the
 * claim gives an effect once per idempotency key, across pods (canary and stable) as well: a pod
 * that finds another's live claim waits until that claim is done (a duplicate) or its lease
 * expires (the other crashed: this pod takes over).
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

  /** Claims the key; while another consumer's claim is live, looks again until it is done or its lease ran out. */
  private async claim(key: string): Promise<ClaimResult> {
    const { store, leaseSeconds = 60, claimPollMs = 200 } = this.options;
    const deadline = Date.now() + (leaseSeconds + 1) * 1000;
    let claim = await store.claim(key, leaseSeconds);
    while (claim === 'held' && Date.now() < deadline) {
      await sleep(claimPollMs);
      claim = await store.claim(key, leaseSeconds);
    }
    return claim;
  }

  /** One message, start to outcome. */
  async handle(message: Message): Promise<MessageOutcome> {
    const { source, store, handler, metrics, logger, maxAttempts, retryBaseDelayMs } = this.options;
    const started = process.hrtime.bigint();
    const tracer = trace.getTracer(this.options.serviceName);
    return tracer.startActiveSpan('process payment event', { kind: SpanKind.CONSUMER, attributes: { 'messaging.message.id': message.id } }, async span => {
      let outcome: MessageOutcome;
      let attempts = 0;
      const claim = await this.claim(message.key);
      if (claim === 'held') {
        // Still claimed after a whole lease: a third consumer took it over. Not acked: the source redelivers it.
        outcome = 'duplicate';
        logger.log('warn', 'message held by another consumer; left for redelivery', { messageId: message.id, key: message.key });
      } else if (claim === 'done') {
        outcome = 'duplicate';
        await source.ack(message);
      } else {
        let lastError = '';
        outcome = 'error';
        while (attempts < Math.max(1, maxAttempts)) {
          attempts += 1;
          try {
            await handler(message);
            await store.markDone(message.key);
            outcome = 'processed';
            break;
          } catch (error) {
            lastError = (error as Error).message;
            logger.log('warn', 'attempt failed', { messageId: message.id, key: message.key, attempt: attempts, error: lastError });
            if (attempts < maxAttempts) await sleep(retryBaseDelayMs * 2 ** (attempts - 1));
          }
        }
        if (outcome === 'error') {
          await source.deadLetter(message, lastError, attempts);
          await store.release(message.key);
          span.setStatus({ code: SpanStatusCode.ERROR, message: lastError });
        } else {
          await source.ack(message);
        }
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(outcome, seconds);
      if (message.sentAt !== undefined) metrics.observeAge(Math.max(0, (Date.now() - message.sentAt) / 1000));
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
