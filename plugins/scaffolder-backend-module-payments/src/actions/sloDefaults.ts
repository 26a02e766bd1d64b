import fs from 'node:fs/promises';
import path from 'node:path';
import {
  resolveSafeChildPath,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseOpenSlo } from '@internal/slo-node';
import yaml from 'yaml';
import { CATALOG_NAME } from './inputRules';
import {
  DEFAULT_SLO_PATH,
  defaultSloFile,
  DNS_LABEL,
  MAX_LATENCY_THRESHOLD_MS,
  MAX_SERVICE_LENGTH,
  METRIC_PREFIX,
  SLO_DEFAULTS_ACTION_ID,
  SLO_TIERS,
} from './sloFile';
import { SERVICE_KINDS, SLO_TIER_DEFAULTS } from './sloTierDefaults';

export {
  defaultSloFile,
  MESSAGE_AGE_SECONDS,
  SLO_DEFAULTS_ACTION_ID,
  SLO_WINDOW,
  DEFAULT_SLO_PATH,
  sloTierDefaults,
} from './sloFile';
export type { SloDefaultsInput } from './sloFile';

export { SERVICE_KINDS, SLO_TIER_DEFAULTS } from './sloTierDefaults';
export type { ServiceKind, SloTierDefaults } from './sloTierDefaults';

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

/** The generated values the action outputs under the same names. */
const OUTPUT_KEYS = [
  'slos',
  'availabilityTarget',
  'latencyTarget',
  'latencyThresholdMs',
  'freshnessThresholdSeconds',
] as const;

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
        availabilityTarget: z =>
          z
            .number()
            .gt(0)
            .lt(100)
            .nullish()
            .describe(
              "The team's availability objective in percent, e.g. 99.95; empty for the tier's default",
            ),
        latencyThresholdMs: z =>
          z
            .number()
            .int()
            .positive()
            .max(MAX_LATENCY_THRESHOLD_MS)
            .nullish()
            .describe(
              "The team's latency threshold in ms, a bucket boundary of the service's histogram, e.g. 250; empty for the tier's default",
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
      const { relative, generated } = await writeSloFile(
        ctx.workspacePath,
        targetPath,
        input,
        ctx.logger,
      );
      ctx.output('path', relative);
      for (const key of OUTPUT_KEYS) {
        if (generated[key] !== undefined) ctx.output(key, generated[key]);
      }
    },
  });
}

/** Generates the SLO file and writes it at targetPath (workspace-relative, validated). */
async function writeSloFile(
  workspacePath: string,
  targetPath: string,
  input: Parameters<typeof defaultSloFile>[0],
  logger: LoggerService,
) {
  const file = targetFile(workspacePath, targetPath);
  const generated = defaultSloFile(input);
  const relative = path.relative(workspacePath, file).split(path.sep).join('/');
  await writeValidated(file, relative, generated);
  logger.info(
    `Wrote ${generated.slos.join(' and ')} to ${relative}: ${
      generated.availabilityTarget
    }% available, ${generated.latencyTarget}% within ${
      generated.latencyThresholdMs
    } ms`,
  );
  return { relative, generated };
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
