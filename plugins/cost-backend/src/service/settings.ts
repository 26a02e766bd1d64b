import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { Taxonomy } from '@internal/taxonomy-common';
import type { SharedCostRule, UnitMetric } from './readers/types';
import { CostTagKeys } from './CostRefresh';
import { ConfiguredBudget, readBudgetConfig } from './budgets';
import { readUnitMetrics } from './unitMetricSettings';
import {
  ExchangeRate,
  readChargeSpread,
  readExchangeRate,
} from './chargeSettings';
import type { ChargeSpreadRule } from './chargeTypes';
import type { CostCategorySettings } from './costCategory/definition';
import { readCostCategorySettings } from './costCategory/settings';
import {
  readUntaggedResourceSettings,
  UntaggedResourceSettings,
} from './untaggedResources/settings';

const SHARED_ACCOUNT_PREFIX = 'account:';

/** The pool name of a shared account's spend. */
export function sharedAccountPool(accountId: string): string {
  return `${SHARED_ACCOUNT_PREFIX}${accountId}`;
}

const METRICS = [
  'AmortizedCost',
  'UnblendedCost',
  'BlendedCost',
  'NetAmortizedCost',
  'NetUnblendedCost',
];
const SPLITS = ['even', 'proportional', 'fixed'];

export interface CostSettings {
  metric: string;
  currency: string;
  historyMonths: number;
  dailyDays: number;
  usageMinutes: number;
  forecastMinutes: number;
  anomaliesMinutes: number;
  initialDelaySeconds: number;
  sharedRules: SharedCostRule[];
  unitMetrics: UnitMetric[];
  budgets: ConfiguredBudget[];
  keys: CostTagKeys;
  /** Charges (by RECORD_TYPE) spread over products (`cost.chargeSpread`). */
  chargeSpread: ChargeSpreadRule[];
  /** Converts AWS's amounts into `currency` (`cost.exchangeRate`). */
  exchangeRate?: ExchangeRate;
  /** The generated AWS Cost Category (`cost.costCategory`). */
  costCategory: CostCategorySettings;
  untaggedResources: UntaggedResourceSettings;
}

function fail(key: string, problem: string): never {
  throw new InputError(`Invalid config ${key}: ${problem}`);
}

function positive(
  config: Config,
  key: string,
  fallback: number,
  max: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isFinite(value) || value < 0 || value > max)
    fail(key, `${value} must be a number from 0 to ${max}`);
  return value;
}

/**
 * Reads `cost.*` with the taxonomy's tag keys; every problem names the key and the fix. Nothing
 * here depends on the date: settings read at start-up stay right however long the backend runs.
 */
export function readCostSettings(
  config: Config,
  taxonomy: Taxonomy,
): CostSettings {
  const metric = config.getOptionalString('cost.metric') ?? 'AmortizedCost';
  if (!METRICS.includes(metric))
    fail(
      'cost.metric',
      `'${metric}' is not a Cost Explorer cost metric; use one of ${METRICS.join(
        ', ',
      )}`,
    );

  const pools = new Set(taxonomy.sharedProductValues);
  const sharedRules: SharedCostRule[] = (
    config.getOptionalConfigArray('cost.sharedCosts') ?? []
  ).map((rule, i) => {
    const key = `cost.sharedCosts[${i}]`;
    const account = rule.getOptionalString('account');
    const poolTag = rule.getOptionalString('pool');
    if (Boolean(account) === Boolean(poolTag))
      fail(
        key,
        'needs exactly one of pool (a product tag value) or account (a 12-digit account id)',
      );
    if (account && !/^\d{12}$/.test(account))
      fail(`${key}.account`, `'${account}' is not a 12-digit AWS account id`);
    const pool = account ? sharedAccountPool(account) : poolTag!;
    const split = rule.getString('split');
    if (!SPLITS.includes(split))
      fail(
        `${key}.split`,
        `'${split}' is not a split rule; use even, proportional or fixed`,
      );
    const percentages = rule.getOptional<Record<string, number>>('percentages');
    if (split === 'fixed') {
      if (!percentages)
        fail(
          `${key}.percentages`,
          'is required for split: fixed (product -> percent)',
        );
      const total = Object.values(percentages).reduce((a, b) => a + b, 0);
      if (total > 100)
        fail(
          `${key}.percentages`,
          `add up to ${total}%; they must be at most 100%`,
        );
    }
    pools.delete(pool);
    return { pool, split: split as SharedCostRule['split'], percentages };
  });
  // Pools the taxonomy declares without a rule are split by direct spend.
  for (const pool of pools) sharedRules.push({ pool, split: 'proportional' });

  const unitMetrics = readUnitMetrics(config);

  const environment = taxonomy.tag('environment') ? 'environment' : undefined;
  const currency = config.getOptionalString('cost.currency') ?? 'USD';
  if (!/^[A-Z]{3}$/.test(currency))
    fail(
      'cost.currency',
      `'${currency}' must be a three-letter ISO 4217 currency code in capitals, e.g. USD or EUR`,
    );
  const { costCategory, productCostCategory } = readCostCategorySettings(
    config,
    taxonomy.productCostCategory,
  );
  return {
    costCategory,
    untaggedResources: readUntaggedResourceSettings(config),
    metric,
    currency,
    chargeSpread: readChargeSpread(config),
    exchangeRate: readExchangeRate(config, currency),
    historyMonths: positive(config, 'cost.historyMonths', 13, 13),
    dailyDays: positive(config, 'cost.dailyDays', 40, 90),
    usageMinutes:
      positive(config, 'cost.schedule.usageMinutes', 360, 10080) || 360,
    forecastMinutes:
      positive(config, 'cost.schedule.forecastMinutes', 1440, 10080) || 1440,
    anomaliesMinutes:
      positive(config, 'cost.schedule.anomaliesMinutes', 720, 10080) || 720,
    initialDelaySeconds: positive(
      config,
      'cost.schedule.initialDelaySeconds',
      10,
      3600,
    ),
    sharedRules,
    unitMetrics,
    budgets: readBudgetConfig(config),
    keys: {
      product: taxonomy.productKey,
      service: taxonomy.serviceKey,
      team: taxonomy.teamKey,
      environment,
      required: taxonomy.requiredKeys,
      sharedAccounts: sharedRules
        .filter(r => r.pool.startsWith(SHARED_ACCOUNT_PREFIX))
        .map(r => r.pool.slice(SHARED_ACCOUNT_PREFIX.length)),
      productCostCategory,
    },
  };
}
