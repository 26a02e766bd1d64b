import type { Config } from '@backstage/config';

/** A DR tier: how fast a service must be back (RTO) and how much data it may lose (RPO). */
export interface DrTier {
  id: string;
  title: string;
  rtoMinutes: number;
  rpoMinutes: number;
}

const TIER_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Thrown when `drReadiness.tiers` is missing or wrong; the message names the key and the fix. */
export class DrTierConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrTierConfigError';
  }
}

/**
 * Reads and checks `drReadiness.tiers`. Every problem is reported at once, each with its
 * config key, so a broken tier list stops startup with a message that says what to change.
 */
export function readDrTiers(config: Config): DrTier[] {
  const entries = config.getOptionalConfigArray('drReadiness.tiers');
  if (!entries || entries.length === 0) {
    throw new DrTierConfigError(
      'drReadiness.tiers is missing or empty: declare at least one tier with id, rtoMinutes and rpoMinutes (see app-config.yaml).',
    );
  }
  const problems: string[] = [];
  const tiers: DrTier[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const key = `drReadiness.tiers[${index}]`;
    const id = entry.getOptionalString('id');
    if (!id || !TIER_ID.test(id)) {
      problems.push(
        `${key}.id must be a lower-case id such as "tier-0" (got ${JSON.stringify(id ?? null)})`,
      );
      return;
    }
    if (seen.has(id)) {
      problems.push(`${key}.id "${id}" is declared twice: give each tier its own id`);
    }
    seen.add(id);
    const minutes = (field: 'rtoMinutes' | 'rpoMinutes') => {
      const value = entry.getOptional(field);
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        problems.push(
          `${key}.${field} must be a positive number of minutes (got ${JSON.stringify(value ?? null)})`,
        );
        return NaN;
      }
      return value;
    };
    tiers.push({
      id,
      title: entry.getOptionalString('title') ?? id,
      rtoMinutes: minutes('rtoMinutes'),
      rpoMinutes: minutes('rpoMinutes'),
    });
  });
  if (problems.length > 0) {
    throw new DrTierConfigError(
      `Invalid DR tier configuration:\n  - ${problems.join('\n  - ')}`,
    );
  }
  return tiers;
}

/** Looks a tier up by the id written in an entity's annotation. */
export function findDrTier(tiers: DrTier[], id: string): DrTier | undefined {
  return tiers.find(tier => tier.id === id);
}
