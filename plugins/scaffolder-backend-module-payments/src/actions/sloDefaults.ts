import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseOpenSlo } from '@internal/slo-node';
import yaml from 'yaml';
import { CATALOG_NAME, requireInput } from './inputRules';
import {
  SERVICE_KINDS,
  SLO_TIER_DEFAULTS,
  ServiceKind,
  SloTierDefaults,
} from './sloTierDefaults';

export const SLO_DEFAULTS_ACTION_ID = 'payments:slo:defaults';

export { SERVICE_KINDS, SLO_TIER_DEFAULTS } from './sloTierDefaults';
export type { ServiceKind, SloTierDefaults } from './sloTierDefaults';

const SLO_TIERS = Object.keys(SLO_TIER_DEFAULTS) as [string, ...string[]];

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
const MAX_SERVICE_LENGTH = 63 - '-availability-sli'.length;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const METRIC_PREFIX = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export interface SloDefaultsInput {
  service: string;
  system?: string;
  kind: ServiceKind;
  tier: string;
  metricPrefix?: string;
}

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
  const defaults = sloTierDefaults(tier);
  const metrics = METRICS[kind];
  const thresholdMs = defaults.latencyThresholdMs[kind];
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
        `${selector},le="${leLabel(thresholdMs)}"`,
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

/** The workspace-relative target path, or an InputError naming targetPath and the fix. */
function targetFile(workspacePath: string, targetPath: string): string {
  const segments = targetPath.split(/[\\/]+/);
  if (
    targetPath.trim() === '' ||
    path.isAbsolute(targetPath) ||
    segments.includes('..')
  ) {
    throw new InputError(
      `input.targetPath '${targetPath}' must be a relative path inside the workspace without '..', e.g. ${DEFAULT_SLO_PATH}`,
    );
  }
  try {
    return resolveSafeChildPath(workspacePath, targetPath);
  } catch {
    throw new InputError(
      `input.targetPath '${targetPath}' leads outside the workspace (through a link); write to a plain path such as ${DEFAULT_SLO_PATH}`,
    );
  }
}

/** Shown in the scaffolder's action list (/create/actions). */
const SLO_DEFAULTS_EXAMPLES = [
  {
    description: 'Default SLOs of an HTTP service',
    example: yaml.stringify({
      steps: [
        {
          id: 'slos',
          action: SLO_DEFAULTS_ACTION_ID,
          name: 'Default SLOs',
          input: {
            service: '${{ parameters.name }}',
            system: '${{ parameters.system | parseEntityRef | pick("name") }}',
            kind: 'http-service',
            tier: '${{ parameters.drTier }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'An event consumer whose metrics carry a prefix, written where catalog-info.yaml points (payments-platform/slo-definitions: ./openslo.yaml)',
    example: yaml.stringify({
      steps: [
        {
          id: 'slos',
          action: SLO_DEFAULTS_ACTION_ID,
          input: {
            service: 'payout-instructions-consumer',
            kind: 'event-consumer',
            tier: 'tier-1',
            targetPath: 'openslo.yaml',
            metricPrefix: 'payouts_',
          },
        },
      ],
    }),
  },
];

/** The action's description in the scaffolder's action list, with the objectives of every tier. */
const SLO_DEFAULTS_DESCRIPTION = `Writes the default OpenSLO v1 SLOs of a new service into the workspace: availability and latency ratio SLOs over Prometheus (http-service: http_server_requests_total and http_server_request_duration_seconds; event-consumer: messages_processed_total with an outcome label and message_processing_duration_seconds, plus a freshness (consumer lag) SLO over message_age_seconds; selected by the service label), 28-day rolling windows, objectives by DR tier (${Object.entries(
  SLO_TIER_DEFAULTS,
)
  .map(
    ([tier, d]) =>
      `${tier}: ${d.availabilityTarget}% available, ${d.latencyTarget}% within ${d.latencyThresholdMs['http-service']} ms (consumers ${d.latencyThresholdMs['event-consumer']} ms, ${d.freshnessTarget}% of messages handled within ${d.freshnessThresholdSeconds} s of being sent)`,
  )
  .join(
    '; ',
  )}). Writes in dry runs too: the workspace is then a temporary folder.`;

/**
 * `payments:slo:defaults`: writes the default OpenSLO v1 file of a new service (availability
 * and latency, ratio SLIs over Prometheus counters, 28-day rolling windows), with objectives
 * from its DR tier, so the SLO plugin picks it up through `payments-platform/slo-definitions`.
 */
export function createSloDefaultsAction() {
  return createTemplateAction({
    id: SLO_DEFAULTS_ACTION_ID,
    description: SLO_DEFAULTS_DESCRIPTION,
    supportsDryRun: true,
    examples: SLO_DEFAULTS_EXAMPLES,
    schema: {
      input: {
        service: z =>
          z
            .string()
            .max(MAX_SERVICE_LENGTH)
            .regex(
              DNS_LABEL,
              "a lower-case catalog name of letters, digits and '-', e.g. refund-service",
            )
            .describe(
              'The service (catalog Component name): the service label of its metrics and the SLO names <service>-availability and <service>-latency',
            ),
        system: z =>
          z
            .string()
            .regex(CATALOG_NAME.pattern, CATALOG_NAME.fix)
            .optional()
            .describe(
              'The product (catalog System name, e.g. card-acquiring), written as the system label of the SLOs',
            ),
        kind: z =>
          z
            .enum(SERVICE_KINDS)
            .describe(
              'http-service (requests and their latency) or event-consumer (messages processed and their processing time)',
            ),
        tier: z =>
          z
            .enum(SLO_TIERS)
            .describe(
              `The DR tier, which sets the objectives: ${SLO_TIERS.join(', ')}`,
            ),
        targetPath: z =>
          z
            .string()
            .default(DEFAULT_SLO_PATH)
            .describe(
              `Where to write the file, relative to the workspace (default ${DEFAULT_SLO_PATH})`,
            ),
        metricPrefix: z =>
          z
            .string()
            .regex(
              METRIC_PREFIX,
              'the start of a Prometheus metric name: letters, digits, _ and :, e.g. payments_',
            )
            .optional()
            .describe(
              'Prefix of the metric names when the service namespaces its metrics, e.g. payments_',
            ),
      },
      output: {
        path: z =>
          z
            .string()
            .describe(
              'The file written, relative to the workspace, e.g. slos/slos.yaml',
            ),
        slos: z => z.array(z.string()).describe('Names of the SLOs written'),
        availabilityTarget: z =>
          z.number().describe('Availability objective, percent'),
        latencyTarget: z =>
          z
            .number()
            .describe(
              'Latency objective, percent of events within the threshold',
            ),
        latencyThresholdMs: z =>
          z.number().describe('Latency threshold, milliseconds'),
        freshnessThresholdSeconds: z =>
          z
            .number()
            .optional()
            .describe(
              'event-consumer: seconds within which messages must be handled after being sent (freshness SLO over message_age_seconds)',
            ),
      },
    },
    async handler(ctx) {
      const { targetPath = DEFAULT_SLO_PATH, ...input } = ctx.input;
      const file = targetFile(ctx.workspacePath, targetPath);
      const generated = defaultSloFile(input);
      const relative = path
        .relative(ctx.workspacePath, file)
        .split(path.sep)
        .join('/');

      await writeValidated(file, relative, generated);
      ctx.logger.info(
        `Wrote ${generated.slos.join(' and ')} to ${relative}: ${
          generated.availabilityTarget
        }% available, ${generated.latencyTarget}% within ${
          generated.latencyThresholdMs
        } ms`,
      );
      ctx.output('path', relative);
      ctx.output('slos', generated.slos);
      ctx.output('availabilityTarget', generated.availabilityTarget);
      ctx.output('latencyTarget', generated.latencyTarget);
      ctx.output('latencyThresholdMs', generated.latencyThresholdMs);
      if (generated.freshnessThresholdSeconds !== undefined)
        ctx.output(
          'freshnessThresholdSeconds',
          generated.freshnessThresholdSeconds,
        );
    },
  });
}

/** Writes the generated file, never one the SLO plugin would reject. */
async function writeValidated(
  file: string,
  relative: string,
  generated: { text: string; slos: string[] },
) {
  const { slos, problems } = parseOpenSlo(generated.text, relative);
  if (problems.length > 0 || slos.length !== generated.slos.length) {
    throw new Error(
      `The generated SLOs do not validate (a bug in ${SLO_DEFAULTS_ACTION_ID}):\n${problems
        .map(problem => problem.message)
        .join('\n')}`,
    );
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, generated.text, 'utf8');
}
