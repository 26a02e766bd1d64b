/** What a deploy changes, as the pipeline says: a new feature, a fix, or a rollback to an earlier release. */
export type DeployChange = 'feature' | 'fix' | 'rollback';

export const DEPLOY_CHANGES: readonly DeployChange[] = [
  'feature',
  'fix',
  'rollback',
];

/**
 * One threshold of an error-budget policy: exactly one condition (`belowRemaining`, `exhausted`,
 * `burn` or `noData`) and what it triggers (`requires: approval`, `allows: [...]`, or both).
 */
export interface BudgetPolicyRule {
  /** Holds while the worst objective has less than this share of its budget left (0-1). */
  belowRemaining?: number;
  /** Holds while an objective's budget is spent. */
  exhausted?: true;
  /** Holds during a burn of this level or worse (`ticket` includes `page`). */
  burn?: 'page' | 'ticket';
  /** Holds while an objective (or the whole service) has no data; may only allow a rollback. */
  noData?: true;
  /** Deploys (but rollbacks) need a named approval for that deploy. */
  requires?: 'approval';
  /** Only these changes may deploy while the condition holds. */
  allows?: DeployChange[];
}

export interface BudgetPolicy {
  name: string;
  rules: BudgetPolicyRule[];
}

/** `slo.budgetPolicies`: named policies and which one a service gets. */
export interface BudgetPolicies {
  policies: Record<string, BudgetPolicy>;
  /** DR tier (the Component's `payments-platform/dr-tier`) -> policy name. */
  tiers: Record<string, string>;
  /** The policy of a service without a tier mapping or annotation; none when absent. */
  defaultPolicy?: string;
  /** Hours an approval or exception for a deploy stays valid (default 24). */
  approvalValidHours: number;
}

export const DEFAULT_APPROVAL_VALID_HOURS = 24;

/** The policy of a service when none is configured: the gate's hard rules only. */
export const NO_BUDGET_POLICY: BudgetPolicy = { name: 'none', rules: [] };

const CONDITIONS = ['belowRemaining', 'exhausted', 'burn', 'noData'] as const;
const RULE_KEYS = new Set<string>([...CONDITIONS, 'requires', 'allows']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fail(key: string, problem: string): never {
  throw new Error(`Invalid config: ${key} ${problem}`);
}

function readRule(value: unknown, key: string): BudgetPolicyRule {
  if (!isObject(value))
    fail(
      key,
      'must be a threshold such as { belowRemaining: 0.25, requires: approval } or { exhausted: true, allows: [fix, rollback] }',
    );
  for (const field of Object.keys(value))
    if (!RULE_KEYS.has(field))
      fail(
        `${key}.${field}`,
        `is not a threshold field; use one of ${[...RULE_KEYS].join(', ')}`,
      );
  const conditions = CONDITIONS.filter(c => value[c] !== undefined);
  if (conditions.length !== 1)
    fail(
      key,
      `must have exactly one condition of ${CONDITIONS.join(', ')} (has ${
        conditions.length ? conditions.join(', ') : 'none'
      })`,
    );
  const rule: BudgetPolicyRule = {};
  const { belowRemaining, exhausted, burn, noData, requires, allows } = value;
  if (belowRemaining !== undefined) {
    if (
      typeof belowRemaining !== 'number' ||
      !(belowRemaining > 0 && belowRemaining <= 1)
    )
      fail(
        `${key}.belowRemaining`,
        'must be the share of the budget left, above 0 and at most 1 (0.25 = under 25 % left); use exhausted: true for a spent budget',
      );
    rule.belowRemaining = belowRemaining;
  }
  if (exhausted !== undefined) {
    if (exhausted !== true)
      fail(`${key}.exhausted`, 'must be true (or left out)');
    rule.exhausted = true;
  }
  if (burn !== undefined) {
    if (burn !== 'page' && burn !== 'ticket')
      fail(`${key}.burn`, 'must be page or ticket');
    rule.burn = burn;
  }
  if (noData !== undefined) {
    if (noData !== true) fail(`${key}.noData`, 'must be true (or left out)');
    rule.noData = true;
  }
  if (requires !== undefined) {
    if (requires !== 'approval') fail(`${key}.requires`, 'must be approval');
    rule.requires = 'approval';
  }
  if (allows !== undefined) {
    if (
      !Array.isArray(allows) ||
      allows.length === 0 ||
      allows.some(a => !DEPLOY_CHANGES.includes(a as DeployChange))
    )
      fail(
        `${key}.allows`,
        `must be a non-empty list of ${DEPLOY_CHANGES.join(', ')}`,
      );
    rule.allows = [...new Set(allows as DeployChange[])];
    if (!rule.allows.includes('rollback'))
      fail(
        `${key}.allows`,
        'must include rollback: a rollback must always be possible (the way out of a bad release)',
      );
  }
  if (!rule.requires && !rule.allows)
    fail(
      key,
      'must say what it triggers: requires: approval, allows: [...], or both',
    );
  if (
    rule.noData &&
    (rule.requires || rule.allows?.some(a => a !== 'rollback'))
  )
    fail(
      key,
      'is a noData threshold: without evidence only a rollback may pass, so it takes allows: [rollback] and nothing else',
    );
  return rule;
}

function readPolicies(value: unknown, key: string) {
  if (!isObject(value))
    fail(key, 'must map policy names to lists of thresholds');
  const policies: Record<string, BudgetPolicy> = {};
  for (const [name, rules] of Object.entries(value)) {
    if (!Array.isArray(rules))
      fail(
        `${key}.${name}`,
        'must be a list of thresholds, e.g. [{ belowRemaining: 0.25, requires: approval }]',
      );
    policies[name] = {
      name,
      rules: rules.map((rule, i) => readRule(rule, `${key}.${name}[${i}]`)),
    };
  }
  return policies;
}

function policyName(
  value: unknown,
  key: string,
  policies: Record<string, BudgetPolicy>,
): string {
  if (typeof value !== 'string' || !policies[value])
    fail(
      key,
      `names policy '${String(
        value,
      )}', which slo.budgetPolicies.policies does not define (it defines ${
        Object.keys(policies).join(', ') || 'none'
      })`,
    );
  return value;
}

/**
 * Reads `slo.budgetPolicies` (plain config data); a mistake stops the backend with the key and the
 * fix. Absent config gives no policies: the gate keeps its hard rules only.
 */
export function readBudgetPolicies(
  value: unknown,
  key = 'slo.budgetPolicies',
): BudgetPolicies {
  if (value === undefined || value === null)
    return {
      policies: {},
      tiers: {},
      approvalValidHours: DEFAULT_APPROVAL_VALID_HOURS,
    };
  if (!isObject(value))
    fail(key, 'must be an object with policies, tiers and default');
  for (const field of Object.keys(value))
    if (!['policies', 'tiers', 'default', 'approvalValidHours'].includes(field))
      fail(
        `${key}.${field}`,
        'is not a key; use policies, tiers, default or approvalValidHours',
      );
  const policies = readPolicies(value.policies ?? {}, `${key}.policies`);
  const tiers: Record<string, string> = {};
  if (value.tiers !== undefined) {
    if (!isObject(value.tiers))
      fail(
        `${key}.tiers`,
        'must map DR tiers to policy names, e.g. tier-0: strict',
      );
    for (const [tier, name] of Object.entries(value.tiers))
      tiers[tier] = policyName(name, `${key}.tiers.${tier}`, policies);
  }
  const defaultPolicy =
    value.default === undefined
      ? undefined
      : policyName(value.default, `${key}.default`, policies);
  const hours = value.approvalValidHours ?? DEFAULT_APPROVAL_VALID_HOURS;
  if (typeof hours !== 'number' || !(hours > 0 && hours <= 24 * 30))
    fail(
      `${key}.approvalValidHours`,
      `must be a number of hours above 0 and at most 720 (default ${DEFAULT_APPROVAL_VALID_HOURS})`,
    );
  return { policies, tiers, defaultPolicy, approvalValidHours: hours };
}

/**
 * The policy a service deploys under: the one its `payments-platform/error-budget-policy`
 * annotation names, else its DR tier's, else the default, else none. An annotation naming an
 * unknown policy is an error (the gate denies with it), never a silent fallback.
 */
export function budgetPolicyFor(
  config: BudgetPolicies,
  service: { annotation?: string; tier?: string },
): BudgetPolicy | { error: string } {
  if (service.annotation) {
    return (
      config.policies[service.annotation] ?? {
        error: `the error-budget policy '${
          service.annotation
        }' named by the payments-platform/error-budget-policy annotation is not configured in slo.budgetPolicies.policies (configured: ${
          Object.keys(config.policies).join(', ') || 'none'
        })`,
      }
    );
  }
  const name =
    (service.tier && config.tiers[service.tier]) ?? config.defaultPolicy;
  return name ? config.policies[name] : NO_BUDGET_POLICY;
}
