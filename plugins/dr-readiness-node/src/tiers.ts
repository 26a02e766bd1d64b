import type { Config } from '@backstage/config';
import { DR_FAILOVER_MODES } from '@internal/dr-readiness-common';
import type {
  DrFailoverMode,
  DrPolicy,
  DrTier,
  DrTierPolicy,
  ReadinessThresholds,
  TierControl,
} from '@internal/dr-readiness-common';
import { DR_CONTROL_IDS } from './controls';
import { unknownControlMessage } from './unknownControl';

/*
 * Reading and checking `drReadiness.tiers` and `drReadiness.levels` against the registry of
 * controls. The tier types are in @internal/dr-readiness-common, which the frontend reads.
 */

export const DEFAULT_READINESS_THRESHOLDS: ReadinessThresholds = {
  readyAt: 1,
  partialAt: 0.7,
};

const TIER_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Aurora/RDS keeps automated backups for at most 35 days; longer needs AWS Backup retention. */
const RDS_MAX_RETENTION_DAYS = 35;

/** Thrown when `drReadiness.tiers` is missing or wrong; the message names the key and the fix. */
export class DrTierConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrTierConfigError';
  }
}

const isPositiveNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

const show = (value: unknown) => JSON.stringify(value ?? null);

/** `failoverMode` of one tier entry (optional); an unknown mode is a problem naming the field. */
function readFailoverMode(
  entry: Config,
  key: string,
  problems: string[],
): DrFailoverMode | undefined {
  const value = entry.getOptional('failoverMode');
  if (value === undefined) return undefined;
  if (DR_FAILOVER_MODES.includes(value as DrFailoverMode))
    return value as DrFailoverMode;
  problems.push(
    `${key}.failoverMode must be one of ${DR_FAILOVER_MODES.join(
      ', ',
    )} (got ${show(value)})`,
  );
  return undefined;
}

type TierPolicyFields = Pick<
  DrTier,
  | 'controls'
  | 'backupRetentionDays'
  | 'restoreTestWithinDays'
  | 'drillWithinDays'
  | 'failoverMode'
>;

/** The policy fields of one tier entry; problems are pushed with their keys. */
function readTierPolicy(
  entry: Config,
  key: string,
  problems: string[],
): TierPolicyFields {
  const policy: TierPolicyFields = {};
  const days = (
    field: 'backupRetentionDays' | 'restoreTestWithinDays' | 'drillWithinDays',
  ) => {
    const value = entry.getOptional(field);
    if (value === undefined) return undefined;
    if (!isPositiveNumber(value) || !Number.isInteger(value)) {
      problems.push(
        `${key}.${field} must be a positive whole number of days (got ${show(
          value,
        )})`,
      );
      return undefined;
    }
    return value;
  };
  const backupRetentionDays = days('backupRetentionDays');
  const restoreTestWithinDays = days('restoreTestWithinDays');
  if (backupRetentionDays !== undefined)
    policy.backupRetentionDays = backupRetentionDays;
  if (restoreTestWithinDays !== undefined)
    policy.restoreTestWithinDays = restoreTestWithinDays;
  // Optional: failover-drill-within-rto falls back to DEFAULT_DRILL_WITHIN_DAYS.
  const drillWithinDays = days('drillWithinDays');
  if (drillWithinDays !== undefined) policy.drillWithinDays = drillWithinDays;
  const failoverMode = readFailoverMode(entry, key, problems);
  if (failoverMode !== undefined) policy.failoverMode = failoverMode;

  const raw = entry.getOptional('controls');
  if (raw === undefined) return policy;
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(
      `${key}.controls must be a non-empty list of { id, weight } (got ${show(
        raw,
      )}); the controls are: ${DR_CONTROL_IDS.join(', ')}`,
    );
    return policy;
  }
  const controls: TierControl[] = [];
  const seen = new Set<string>();
  raw.forEach((item: unknown, index: number) => {
    const itemKey = `${key}.controls[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(
        `${itemKey} must be an object { id, weight } (got ${show(item)})`,
      );
      return;
    }
    const { id, weight } = item as { id?: unknown; weight?: unknown };
    let valid = true;
    if (typeof id !== 'string' || id.length === 0) {
      problems.push(
        `${itemKey}.id must be a control id (got ${show(
          id,
        )}); the controls are: ${DR_CONTROL_IDS.join(', ')}`,
      );
      valid = false;
    } else if (!DR_CONTROL_IDS.includes(id)) {
      problems.push(`${itemKey}.id ${unknownControlMessage(id)}`);
      valid = false;
    } else if (seen.has(id)) {
      problems.push(
        `${itemKey}.id "${id}" is listed twice in ${key}.controls: keep one entry and put the whole weight on it`,
      );
      valid = false;
    }
    if (!isPositiveNumber(weight)) {
      problems.push(
        `${itemKey}.weight must be a positive number (got ${show(weight)})`,
      );
      valid = false;
    }
    if (valid) {
      seen.add(id as string);
      controls.push({ id: id as string, weight: weight as number });
    }
  });
  policy.controls = controls;

  // A field the tier's own controls depend on must be set, and be achievable.
  if (seen.has('rds-backup-retention')) {
    if (entry.getOptional('backupRetentionDays') === undefined) {
      problems.push(
        `${key}.backupRetentionDays is missing: ${key}.controls requires rds-backup-retention, which compares each cluster's retention with it`,
      );
    } else if (
      backupRetentionDays !== undefined &&
      backupRetentionDays > RDS_MAX_RETENTION_DAYS
    ) {
      problems.push(
        `${key}.backupRetentionDays is ${backupRetentionDays}, but Aurora/RDS keeps automated backups at most ${RDS_MAX_RETENTION_DAYS} days, so rds-backup-retention could never pass: use ${RDS_MAX_RETENTION_DAYS} or less (keep longer history with AWS Backup retention)`,
      );
    }
  }
  if (
    seen.has('backup-restore-tested') &&
    entry.getOptional('restoreTestWithinDays') === undefined
  ) {
    problems.push(
      `${key}.restoreTestWithinDays is missing: ${key}.controls requires backup-restore-tested, which needs the maximum age of the newest restore test`,
    );
  }
  return policy;
}

interface ReadTier {
  tier: DrTier;
  entry: Config;
  key: string;
}

function readTierList(config: Config, problems: string[]): ReadTier[] {
  const entries = config.getOptionalConfigArray('drReadiness.tiers');
  if (!entries || entries.length === 0) {
    throw new DrTierConfigError(
      'drReadiness.tiers is missing or empty: declare at least one tier with id, rtoMinutes and rpoMinutes (see app-config.yaml).',
    );
  }
  const tiers: ReadTier[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const key = `drReadiness.tiers[${index}]`;
    const id = entry.getOptionalString('id');
    if (!id || !TIER_ID.test(id)) {
      problems.push(
        `${key}.id must be a lower-case id such as "tier-0" (got ${JSON.stringify(
          id ?? null,
        )})`,
      );
      return;
    }
    if (seen.has(id)) {
      problems.push(
        `${key}.id "${id}" is declared twice: give each tier its own id`,
      );
    }
    seen.add(id);
    const minutes = (field: 'rtoMinutes' | 'rpoMinutes') => {
      const value = entry.getOptional(field);
      if (!isPositiveNumber(value)) {
        problems.push(
          `${key}.${field} must be a positive number of minutes (got ${JSON.stringify(
            value ?? null,
          )})`,
        );
        return NaN;
      }
      return value;
    };
    const tier: DrTier = {
      id,
      title: entry.getOptionalString('title') ?? id,
      rtoMinutes: minutes('rtoMinutes'),
      rpoMinutes: minutes('rpoMinutes'),
      ...readTierPolicy(entry, key, problems),
    };
    tiers.push({ tier, entry, key });
  });
  return tiers;
}

function fail(problems: string[]): never {
  throw new DrTierConfigError(
    `Invalid DR tier configuration:\n  - ${problems.join('\n  - ')}`,
  );
}

/**
 * Reads and checks `drReadiness.tiers`. Every problem is reported at once, each with its
 * config key, so a broken tier list stops startup with a message that says what to change.
 * The policy fields (controls, backupRetentionDays, restoreTestWithinDays) are checked when
 * present but not required: the catalog and the scaffolder need only the RTO and RPO.
 */
export function readDrTiers(config: Config): DrTier[] {
  const problems: string[] = [];
  const tiers = readTierList(config, problems);
  if (problems.length > 0) fail(problems);
  return tiers.map(({ tier }) => tier);
}

/** Reads `drReadiness.levels`, defaulting to readyAt 1 and partialAt 0.7; problems are pushed with their keys. */
function readLevels(config: Config, problems: string[]): ReadinessThresholds {
  const raw = config.getOptional('drReadiness.levels');
  if (raw === undefined) return { ...DEFAULT_READINESS_THRESHOLDS };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(
      `drReadiness.levels must be an object { readyAt, partialAt } (got ${show(
        raw,
      )})`,
    );
    return { ...DEFAULT_READINESS_THRESHOLDS };
  }
  const levels = { ...DEFAULT_READINESS_THRESHOLDS };
  let valid = true;
  for (const field of ['readyAt', 'partialAt'] as const) {
    const value = (raw as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value <= 0 ||
      value > 1
    ) {
      problems.push(
        `drReadiness.levels.${field} must be a score above 0 and at most 1, e.g. 0.7 (got ${show(
          value,
        )})`,
      );
      valid = false;
    } else {
      levels[field] = value;
    }
  }
  if (valid && levels.partialAt > levels.readyAt) {
    problems.push(
      `drReadiness.levels.partialAt (${levels.partialAt}) must not be above drReadiness.levels.readyAt (${levels.readyAt}): partial is the lower threshold`,
    );
  }
  return levels;
}

/** Reads `drReadiness.levels` alone (see `readDrPolicy`). */
export function readReadinessThresholds(config: Config): ReadinessThresholds {
  const problems: string[] = [];
  const levels = readLevels(config, problems);
  if (problems.length > 0) fail(problems);
  return levels;
}

/**
 * Reads the whole DR policy for the DR readiness plugin: the tiers with every policy field
 * required (controls, backupRetentionDays, restoreTestWithinDays) and the level thresholds.
 * Every problem is reported at once, each with its key.
 */
export function readDrPolicy(config: Config): DrPolicy {
  const problems: string[] = [];
  const tiers = readTierList(config, problems);
  const reported = (key: string) =>
    problems.some(problem => problem.startsWith(`${key} `));
  for (const { tier, entry, key } of tiers) {
    if (entry.getOptional('controls') === undefined) {
      problems.push(
        `${key}.controls is missing: list the controls tier "${
          tier.id
        }" requires as { id, weight }; the controls are: ${DR_CONTROL_IDS.join(
          ', ',
        )}`,
      );
    }
    for (const field of [
      'backupRetentionDays',
      'restoreTestWithinDays',
    ] as const) {
      if (
        entry.getOptional(field) === undefined &&
        !reported(`${key}.${field}`)
      ) {
        problems.push(
          `${key}.${field} is missing: the DR readiness plugin needs it for tier "${tier.id}" (a whole number of days)`,
        );
      }
    }
  }
  const levels = readLevels(config, problems);
  if (problems.length > 0) fail(problems);
  return { tiers: tiers.map(({ tier }) => tier as DrTierPolicy), levels };
}

/** Looks a tier up by the id written in an entity's annotation. */
export function findDrTier<T extends DrTier>(
  tiers: T[],
  id: string,
): T | undefined {
  return tiers.find(tier => tier.id === id);
}
