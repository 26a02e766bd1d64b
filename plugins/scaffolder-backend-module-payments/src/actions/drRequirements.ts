import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DrTier } from '@internal/dr-readiness-common';
import { findDrControl, findDrTier } from '@internal/dr-readiness-node';
import yaml from 'yaml';

export const DR_REQUIREMENTS_ACTION_ID = 'payments:dr:requirements';

/** What a new service's infrastructure must build for its tier, each need from its control. */
export const NEED_CONTROLS = {
  auroraGlobalCluster: 'rds-global-or-replica',
  dynamodbGlobalTable: 'dynamodb-global-table',
  dynamodbPitr: 'dynamodb-pitr',
  s3Replication: 's3-replication',
  kmsMultiRegion: 'kms-multi-region',
  secretReplication: 'secrets-replicated',
  route53Failover: 'route53-failover',
  elasticacheGlobalDatastore: 'elasticache-global-datastore',
  backupCopyCrossRegion: 'backup-copy-cross-region',
  restoreTesting: 'backup-restore-tested',
  backupVaultLock: 'backup-vault-locked',
} as const;

export type DrNeeds = Record<keyof typeof NEED_CONTROLS, boolean>;

/** Controls that put data or traffic in the recovery region: a tier requiring any is replicated. */
export const CROSS_REGION_CONTROLS = [
  'rds-global-or-replica',
  'dynamodb-global-table',
  's3-replication',
  'elasticache-global-datastore',
  'kms-multi-region',
  'secrets-replicated',
  'route53-failover',
  'backup-copy-cross-region',
  'rds-backup-cross-region',
];

/** The requirements of one tier, as the action outputs them. */
export function drRequirements(tier: DrTier) {
  const tierControls = tier.controls ?? [];
  const ids = new Set(tierControls.map(control => control.id));
  const needs = Object.fromEntries(
    Object.entries(NEED_CONTROLS).map(([need, id]) => [need, ids.has(id)]),
  ) as DrNeeds;
  return {
    tier: tier.id,
    title: tier.title,
    rtoMinutes: tier.rtoMinutes,
    rpoMinutes: tier.rpoMinutes,
    ...(tier.backupRetentionDays === undefined
      ? {}
      : { backupRetentionDays: tier.backupRetentionDays }),
    ...(tier.restoreTestWithinDays === undefined
      ? {}
      : { restoreTestWithinDays: tier.restoreTestWithinDays }),
    controls: tierControls.map(({ id, weight }) => ({
      id,
      // readDrTiers has already rejected unknown control ids.
      title: findDrControl(id)?.title ?? id,
      weight,
    })),
    replicated: CROSS_REGION_CONTROLS.some(id => ids.has(id)),
    // Manual unless the tier says otherwise: a human decides to move payment traffic.
    failoverMode: tier.failoverMode ?? 'manual',
    needs,
  };
}

/** Shown in the scaffolder's action list (/create/actions). */
const DR_REQUIREMENTS_EXAMPLES = [
  {
    description: 'Look up the requirements of the chosen tier',
    example: yaml.stringify({
      steps: [
        {
          id: 'dr',
          action: DR_REQUIREMENTS_ACTION_ID,
          name: 'DR requirements',
          input: { tier: '${{ parameters.drTier }}' },
        },
      ],
    }),
  },
  {
    description:
      'Render the infrastructure a tier needs (in the skeleton: {% if values.dr.needs.dynamodbGlobalTable %} replica { ... } {% endif %})',
    example: yaml.stringify({
      steps: [
        {
          id: 'dr',
          action: DR_REQUIREMENTS_ACTION_ID,
          input: { tier: 'tier-1' },
        },
        {
          id: 'fetch',
          action: 'fetch:template',
          input: {
            url: './skeleton',
            values: {
              dr: '${{ steps.dr.output }}',
            },
          },
        },
      ],
    }),
  },
];

/**
 * `payments:dr:requirements`: what a DR tier (config `drReadiness.tiers`, the same list the DR
 * readiness plugin scores against) requires of a new service, so the skeleton renders the
 * matching infrastructure (global tables, replication, failover records, backups).
 */
export function createDrRequirementsAction(options: { tiers: DrTier[] }) {
  const { tiers } = options;
  const tierIds = tiers.map(tier => tier.id);
  return createTemplateAction({
    id: DR_REQUIREMENTS_ACTION_ID,
    description: `Looks up a DR tier (${tierIds.join(
      ', ',
    )}) in drReadiness.tiers and outputs its RTO, RPO, backup policy, required controls and what the infrastructure needs (replication, failover, backups) for the skeleton to render.`,
    supportsDryRun: true,
    examples: DR_REQUIREMENTS_EXAMPLES,
    schema: {
      input: {
        tier: z =>
          (tierIds.length > 0
            ? z.enum(tierIds as [string, ...string[]])
            : z.string()
          ).describe(`The DR tier id, one of ${tierIds.join(', ')}`),
      },
      output: {
        tier: z => z.string().describe('The tier id'),
        title: z => z.string().describe('The tier title'),
        rtoMinutes: z =>
          z.number().describe('Recovery time objective, in minutes'),
        rpoMinutes: z =>
          z.number().describe('Recovery point objective, in minutes'),
        backupRetentionDays: z =>
          z
            .number()
            .optional()
            .describe(
              'Minimum Aurora/RDS automated backup retention, in days (absent when the tier declares none)',
            ),
        restoreTestWithinDays: z =>
          z
            .number()
            .optional()
            .describe(
              'Maximum age of the newest successful restore test, in days (absent when the tier declares none)',
            ),
        controls: z =>
          z
            .array(
              z.object({
                id: z.string().describe('Control id'),
                title: z.string().describe('Control title'),
                weight: z.number().describe('Weight in the readiness score'),
              }),
            )
            .describe('The controls the tier requires, in configured order'),
        replicated: z =>
          z
            .boolean()
            .describe(
              'True when the tier requires any cross-region control (the service runs in the recovery region too)',
            ),
        failoverMode: z =>
          z
            .enum(['automatic', 'manual'])
            .describe(
              'How traffic moves to the recovery region (drReadiness.tiers[].failoverMode, manual when unset): automatic = Route 53 on the deep health check; manual = the incident commander inverts the failover switch health check',
            ),
        needs: z =>
          z
            .object({
              auroraGlobalCluster: z
                .boolean()
                .describe('Aurora global cluster or cross-region replica'),
              dynamodbGlobalTable: z
                .boolean()
                .describe(
                  'DynamoDB global table with a recovery-region replica',
                ),
              dynamodbPitr: z
                .boolean()
                .describe('DynamoDB point-in-time recovery'),
              s3Replication: z
                .boolean()
                .describe('S3 cross-region replication'),
              kmsMultiRegion: z.boolean().describe('KMS multi-Region keys'),
              secretReplication: z
                .boolean()
                .describe('Secrets Manager replication to the recovery region'),
              route53Failover: z
                .boolean()
                .describe('Route 53 health check and failover records'),
              elasticacheGlobalDatastore: z
                .boolean()
                .describe('ElastiCache global datastore'),
              backupCopyCrossRegion: z
                .boolean()
                .describe('AWS Backup copies to the recovery region'),
              restoreTesting: z
                .boolean()
                .describe('AWS Backup restore testing within the RTO'),
              backupVaultLock: z
                .boolean()
                .describe(
                  'AWS Backup Vault Lock (compliance mode) on the vaults',
                ),
            })
            .describe('What the infrastructure must build, from the controls'),
      },
    },
    async handler(ctx) {
      const tier = requireTier(tiers, ctx.input.tier);
      const requirements = drRequirements(tier);
      ctx.logger.info(
        `${tier.id}: RTO ${tier.rtoMinutes} min, RPO ${tier.rpoMinutes} min, ${requirements.controls.length} controls`,
      );
      // Every requirement is an output of the same name; absent policy fields are left out.
      for (const [name, value] of Object.entries(requirements)) {
        if (value !== undefined) ctx.output(name as 'tier', value);
      }
    },
  });
}

function requireTier(tiers: DrTier[], id: string): DrTier {
  const tier = findDrTier(tiers, id);
  if (!tier) {
    throw new InputError(
      `input.tier '${id}' is not a DR tier; use one of ${tiers
        .map(t => t.id)
        .join(', ')} (drReadiness.tiers in app-config.yaml)`,
    );
  }
  return tier;
}
