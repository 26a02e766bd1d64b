import { InputError } from '@backstage/errors';
import yaml from 'yaml';
import { CATALOG_NAME, requireInput } from './inputRules';
import {
  SLO_TIER_DEFAULTS,
  ServiceKind,
  SloTierDefaults,
} from './sloTierDefaults';

// The OpenSLO file payments:slo:defaults writes: availability and latency ratio SLOs (and
// freshness for consumers) over Prometheus, with objectives from the DR tier or the team's own.

/** The action's id, named in the file's header comment and the errors. */
export const SLO_DEFAULTS_ACTION_ID = 'payments:slo:defaults';

export const SLO_TIERS = Object.keys(SLO_TIER_DEFAULTS) as [
  string,
  ...string[],
];

export const DEFAULT_SLO_PATH = 'slos/slos.yaml';
export const SLO_WINDOW = '28d';

/** The metrics of each kind of service, as our instrumentation exports them. */
const METRICS: Record<
  ServiceKind,
  {
    events: string;
    /** Selector of the failed events among `events`. */
    bad: string;
    histogram: string;
    what: string;
    availabilityDescription: string;
  }
> = {
  'http-service': {
    events: 'http_server_requests_total',
    bad: 'code!~"5.."',
    histogram: 'http_server_request_duration_seconds',
    what: 'requests',
    availabilityDescription:
      'Share of requests answered without a server error.',
  },
  'event-consumer': {
    events: 'messages_processed_total',
    bad: 'outcome!="error"',
    histogram: 'message_processing_duration_seconds',
    what: 'messages',
    availabilityDescription: 'Share of messages processed without an error.',
  },
};

/** The consumer's histogram of message age when handled (seconds since the source took the message). */
export const MESSAGE_AGE_SECONDS = 'message_age_seconds';

// The SLO names add at most 17 characters (-availability-sli) and must stay 63-character DNS labels.
export const MAX_SERVICE_LENGTH = 63 - '-availability-sli'.length;
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const METRIC_PREFIX = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export interface SloDefaultsInput {
  service: string;
  system?: string;
  kind: ServiceKind;
  tier: string;
  metricPrefix?: string;
  /** The team's availability objective (percent); null or absent = the tier's default. */
  availabilityTarget?: number | null;
  /** The team's latency threshold (ms, a bucket boundary of the histogram); null or absent = the tier's default. */
  latencyThresholdMs?: number | null;
}

/** The longest latency threshold an objective may name: the histograms' last bucket is 60 s. */
export const MAX_LATENCY_THRESHOLD_MS = 60_000;

/** The default objectives of a tier; throws an InputError naming the tiers that have them. */
export function sloTierDefaults(tier: string): SloTierDefaults {
  const defaults = Object.prototype.hasOwnProperty.call(SLO_TIER_DEFAULTS, tier)
    ? SLO_TIER_DEFAULTS[tier]
    : undefined;
  if (!defaults) {
    throw new InputError(
      `input.tier '${tier}' has no default SLOs; use one of ${Object.keys(
        SLO_TIER_DEFAULTS,
      ).join(', ')}`,
    );
  }
  return defaults;
}

function checkInput(input: SloDefaultsInput) {
  const { service, system, metricPrefix } = input;
  if (service.length > MAX_SERVICE_LENGTH || !DNS_LABEL.test(service)) {
    throw new InputError(
      `input.service '${service}' must be a lower-case catalog name of letters, digits and '-' (at most ${MAX_SERVICE_LENGTH} characters), since the SLO names are <service>-availability and <service>-latency; use the Component name, e.g. refund-service`,
    );
  }
  if (metricPrefix !== undefined && !METRIC_PREFIX.test(metricPrefix)) {
    throw new InputError(
      `input.metricPrefix '${metricPrefix}' is not the start of a Prometheus metric name; use letters, digits, _ and : (not starting with a digit), e.g. payments_, or leave it out`,
    );
  }
  // The system label of the SLOs: a catalog System name, e.g. parameters.system | parseEntityRef | pick('name').
  requireInput('system', system, CATALOG_NAME);
  const { availabilityTarget, latencyThresholdMs } = input;
  if (
    availabilityTarget !== undefined &&
    availabilityTarget !== null &&
    !(availabilityTarget > 0 && availabilityTarget < 100)
  ) {
    throw new InputError(
      `input.availabilityTarget ${availabilityTarget} is not a percentage an objective can meet; give a number above 0 and below 100, e.g. 99.9, or leave it out for the tier's default`,
    );
  }
  if (
    latencyThresholdMs !== undefined &&
    latencyThresholdMs !== null &&
    !(
      Number.isInteger(latencyThresholdMs) &&
      latencyThresholdMs > 0 &&
      latencyThresholdMs <= MAX_LATENCY_THRESHOLD_MS
    )
  ) {
    throw new InputError(
      `input.latencyThresholdMs ${latencyThresholdMs} is not a latency threshold; give whole milliseconds from 1 to ${MAX_LATENCY_THRESHOLD_MS} that are a bucket boundary of the service's histogram, e.g. 250, or leave it out for the tier's default`,
    );
  }
}

/** The `le` matcher of a bucket: a whole number of seconds is written "1" or "1.0" (see freshnessSlo). */
function leMatcher(ms: number): string {
  return ms % 1000 === 0
    ? `le=~"${ms / 1000}(\\\\.0)?"`
    : `le="${leLabel(ms)}"`;
}

/** A ratio SLO in the house style of catalog/slos/*.yaml. */
function ratioSlo(options: {
  name: string;
  displayName: string;
  description: string;
  service: string;
  labels: Record<string, string>;
  good: string;
  total: string;
  targetPercent: number;
}) {
  const { name, displayName, description, service, labels } = options;
  const metricSource = (query: string) => {
    // Single-quoted, as in catalog/slos/*.yaml.
    const quoted = new yaml.Scalar(query);
    quoted.type = 'QUOTE_SINGLE';
    return { metricSource: { type: 'Prometheus', spec: { query: quoted } } };
  };
  return {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: {
      name,
      displayName,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
    },
    spec: {
      description,
      service,
      indicator: {
        metadata: { name: `${name}-sli` },
        spec: {
          ratioMetric: {
            counter: true,
            good: metricSource(options.good),
            total: metricSource(options.total),
          },
        },
      },
      timeWindow: [{ duration: SLO_WINDOW, isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [{ displayName, targetPercent: options.targetPercent }],
    },
  };
}

/** Formats seconds for an `le` label as client libraries do: 0.25, 2.5. */
function leLabel(ms: number): string {
  return String(ms / 1000);
}

/**
 * The consumer-lag SLO: share of messages handled within the tier's threshold of being sent
 * (message_age_seconds, from SQS SentTimestamp or the Kafka message timestamp). The `le` matcher
 * takes "30" and "30.0": a whole number of seconds is written either way (client, Prometheus 3).
 */
function freshnessSlo(input: SloDefaultsInput, labels: Record<string, string>) {
  const { service, tier, metricPrefix = '' } = input;
  const defaults = sloTierDefaults(tier);
  const seconds = defaults.freshnessThresholdSeconds;
  const le = Number.isInteger(seconds)
    ? `le=~"${seconds}(\\\\.0)?"`
    : `le="${seconds}"`;
  const metric = `${metricPrefix}${MESSAGE_AGE_SECONDS}`;
  return ratioSlo({
    name: `${service}-freshness`,
    displayName: `${service} messages handled within ${seconds} s`,
    description: `Share of messages handled within ${seconds} s of being sent (consumer lag).`,
    service,
    labels,
    good: `sum(increase(${metric}_bucket{service="${service}",${le}}[{{.window}}]))`,
    total: `sum(increase(${metric}_count{service="${service}"}[{{.window}}]))`,
    targetPercent: defaults.freshnessTarget,
  });
}

/** The OpenSLO v1 documents (availability and latency; freshness for consumers) for a service, as file text. */
export function defaultSloFile(input: SloDefaultsInput) {
  checkInput(input);
  const { service, system, kind, tier, metricPrefix = '' } = input;
  const tierDefaults = sloTierDefaults(tier);
  // The team's objectives (the templates' optional answers) over the tier's.
  const defaults = {
    ...tierDefaults,
    availabilityTarget:
      input.availabilityTarget ?? tierDefaults.availabilityTarget,
  };
  const metrics = METRICS[kind];
  const thresholdMs =
    input.latencyThresholdMs ?? tierDefaults.latencyThresholdMs[kind];
  const labels: Record<string, string> = {
    ...(system ? { system } : {}),
    'dr-tier': tier,
  };
  const selector = `service="${service}"`;
  const increase = (metric: string, matchers: string) =>
    `sum(increase(${metricPrefix}${metric}{${matchers}}[{{.window}}]))`;

  const availabilityName = `${service}-availability`;
  const latencyName = `${service}-latency`;
  const documents = [
    ratioSlo({
      name: availabilityName,
      displayName: `${service} availability`,
      description: metrics.availabilityDescription,
      service,
      labels,
      good: increase(metrics.events, `${selector},${metrics.bad}`),
      total: increase(metrics.events, selector),
      targetPercent: defaults.availabilityTarget,
    }),
    ratioSlo({
      name: latencyName,
      displayName: `${service} under ${thresholdMs} ms`,
      description: `Share of ${metrics.what} ${
        kind === 'http-service' ? 'answered' : 'processed'
      } within ${thresholdMs} ms.`,
      service,
      labels,
      good: increase(
        `${metrics.histogram}_bucket`,
        `${selector},${leMatcher(thresholdMs)}`,
      ),
      total: increase(`${metrics.histogram}_count`, selector),
      targetPercent: defaults.latencyTarget,
    }),
  ];
  if (kind === 'event-consumer') documents.push(freshnessSlo(input, labels));
  const header = `# SLOs of ${service} (${kind}, ${tier}), written by ${SLO_DEFAULTS_ACTION_ID}: availability, latency${
    kind === 'event-consumer' ? ' and freshness (consumer lag)' : ''
  } over ${SLO_WINDOW} rolling.\n`;
  const text =
    header +
    documents
      .map(document => yaml.stringify(document, { lineWidth: 0 }))
      .join('---\n');
  return {
    text,
    slos: documents.map(document => document.metadata.name),
    availabilityTarget: defaults.availabilityTarget,
    latencyTarget: defaults.latencyTarget,
    latencyThresholdMs: thresholdMs,
    ...(kind === 'event-consumer'
      ? { freshnessThresholdSeconds: defaults.freshnessThresholdSeconds }
      : {}),
  };
}
