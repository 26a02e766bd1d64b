/** The kinds of service payments:slo:defaults writes SLOs for. */
export const SERVICE_KINDS = ['http-service', 'event-consumer'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** Availability and latency objectives of a tier. */
export interface SloTierDefaults {
  /** Percent of events that must succeed. */
  availabilityTarget: number;
  /** Percent of events that must finish within the threshold. */
  latencyTarget: number;
  /**
   * Latency thresholds per service kind, in ms. Each is a bucket boundary of the usual client
   * histograms (0.25, 0.5, 2.5, 7.5 s) and never a whole number of seconds, whose `le` label is
   * written "1" by some clients and "1.0" by others (and by Prometheus 3's normalisation).
   */
  latencyThresholdMs: Record<ServiceKind, number>;
  /**
   * Event consumers: seconds from a message being sent to it being handled (message_age_seconds)
   * that `freshnessTarget` percent of messages must beat. A bucket boundary of the consumer's
   * MESSAGE_AGE_BUCKETS.
   */
  freshnessThresholdSeconds: number;
  freshnessTarget: number;
}

/** Objectives by DR tier: the more critical the tier, the tighter (tier-0 as card authorisation). */
export const SLO_TIER_DEFAULTS: Record<string, SloTierDefaults> = {
  'tier-0': {
    availabilityTarget: 99.95,
    latencyTarget: 99,
    latencyThresholdMs: { 'http-service': 250, 'event-consumer': 500 },
    freshnessThresholdSeconds: 30,
    freshnessTarget: 99,
  },
  'tier-1': {
    availabilityTarget: 99.9,
    latencyTarget: 99,
    latencyThresholdMs: { 'http-service': 500, 'event-consumer': 2500 },
    freshnessThresholdSeconds: 60,
    freshnessTarget: 99,
  },
  'tier-2': {
    availabilityTarget: 99.5,
    latencyTarget: 99,
    latencyThresholdMs: { 'http-service': 500, 'event-consumer': 2500 },
    freshnessThresholdSeconds: 300,
    freshnessTarget: 99,
  },
  'tier-3': {
    availabilityTarget: 99,
    latencyTarget: 99,
    latencyThresholdMs: { 'http-service': 2500, 'event-consumer': 7500 },
    freshnessThresholdSeconds: 900,
    freshnessTarget: 99,
  },
};
