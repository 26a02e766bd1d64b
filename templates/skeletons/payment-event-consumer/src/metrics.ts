import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Track } from './runtime.js';

/*
 * The metric names and labels the SLOs in slos/slos.yaml query (written by the portal's
 * payments:slo:defaults action, kind event-consumer): availability = messages with an outcome
 * other than "error" / all messages, latency = messages in the bucket at the threshold / all
 * messages. Rename nothing here without changing the SLO file, or the deploy gate and the error
 * budget go blind.
 */
export const MESSAGES_PROCESSED_TOTAL = 'messages_processed_total';
export const MESSAGE_PROCESSING_DURATION_SECONDS = 'message_processing_duration_seconds';
/** Consumer lag: seconds from the source taking a message (SQS SentTimestamp, Kafka timestamp) to its outcome; the freshness SLO. */
export const MESSAGE_AGE_SECONDS = 'message_age_seconds';

/** Bucket bounds in seconds; every freshness SLO threshold must be one of them (30 s tier-0, 60 s tier-1, 300 s tier-2, 900 s tier-3). */
export const AGE_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * What became of a message: processed, a duplicate of one already processed (skipped), or an
 * error (it failed every attempt and went to the dead-letter ${{ 'queue' if values.source == 'sqs' else 'topic' }}).
 */
export type MessageOutcome = 'processed' | 'duplicate' | 'error';

/**
 * Bucket bounds in seconds; every consumer latency SLO threshold must be one of them
 * (0.5 s for tier-0, 2.5 s for tiers 1 and 2, 7.5 s for tier-3).
 */
export const PROCESSING_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 7.5, 10, 30, 60];

export interface ConsumerMetrics {
  registry: Registry;
  observe(outcome: MessageOutcome, seconds: number): void;
  /** The age of a message when handled, in seconds. */
  observeAge(seconds: number): void;
}

export function createConsumerMetrics(serviceName: string, options: { defaultMetrics?: boolean; track?: Track } = {}): ConsumerMetrics {
  // One registry per consumer, not prom-client's global one, so tests can start several.
  const registry = new Registry();
  // `track` (TRACK: stable or canary) on every series, so the deploy gate judges the canary's own SLI.
  registry.setDefaultLabels({ service: serviceName, track: options.track ?? 'stable' });
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const processed = new Counter({
    name: MESSAGES_PROCESSED_TOTAL,
    help: 'Messages handled, by outcome (processed, duplicate, error).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: MESSAGE_PROCESSING_DURATION_SECONDS,
    help: 'Time from receiving a message to its outcome, retries included, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: PROCESSING_BUCKETS,
    registers: [registry],
  });
  const age = new Histogram({
    name: MESSAGE_AGE_SECONDS,
    help: 'Age of a message when handled: seconds since the source took it (SQS SentTimestamp, Kafka message timestamp).',
    buckets: AGE_BUCKETS,
    registers: [registry],
  });
  // Every outcome from the start, so the SLO ratios have series before the first error.
  for (const outcome of ['processed', 'duplicate', 'error'] as const) processed.inc({ outcome }, 0);
  return {
    registry,
    observe(outcome, seconds) {
      processed.inc({ outcome });
      duration.observe({ outcome }, seconds);
    },
    observeAge(seconds) {
      age.observe(seconds);
    },
  };
}
