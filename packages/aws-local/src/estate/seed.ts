import fs from 'node:fs';
import { parse } from 'yaml';

/** One AWS account of the demo organisation. */
export interface DemoAccount {
  name: string;
  id: string;
  environment: string;
  /** The payer account: Cost Explorer called from it sees every linked account. */
  management: boolean;
}

export interface TagKeys {
  product: string;
  team: string;
  service: string;
  environment: string;
  costCentre: string;
  dataClassification: string;
  pciScope: string;
}

export interface EstateSeed {
  seed: string;
  epoch: string;
  accounts: DemoAccount[];
  regions: string[];
  tagKeys: TagKeys;
  pciProducts: string[];
  cost: {
    monthlyGrowthPercent: number;
    seasonality: Record<number, number>;
    dailyNoisePercent: number;
    weekendComputeFactor: number;
    stagingFactor: number;
    untaggedPercent: number;
    /** Day of the month AWS issues last month's invoice; until then that month stays Estimated. */
    invoiceDay: number;
    charges: ChargeSeed;
  };
  /** Cost allocation tag keys that are not activated in the payer account (AWS cannot group by them). */
  inactiveCostAllocationTags: string[];
  anomaly: {
    service: string;
    awsService: string;
    startDaysBeforeAsOf: number;
    days: number;
    factor: number;
    cause: string;
  };
  scale: { extraProducts: number; servicesPerProduct: number };
  dr: DrSeed;
}

/**
 * Charges no cost allocation tag can carry: tax, support, credits, refunds, Savings Plans and
 * reserved instance fees, and a Marketplace subscription (RECORD_TYPE / BILLING_ENTITY).
 */
export interface ChargeSeed {
  /** Tax on each account's usage, percent. */
  taxPercent: number;
  /** Business support, percent of the organisation's usage, billed to the management account. */
  supportPercent: number;
  /** A credit (a negative amount) on the management account, USD a month at the epoch. */
  creditMonthlyUsd: number;
  /** One refund (a negative amount) on one day, this many days before the estate's today. */
  refund: { usd: number; daysBeforeAsOf: number };
  /** Savings Plans recurring fee, percent of the organisation's usage. */
  savingsPlanFeePercent: number;
  /** Reserved instance recurring fee, percent of the organisation's usage. */
  reservedInstanceFeePercent: number;
  /** A SaaS subscription bought through AWS Marketplace, USD a month at the epoch. */
  marketplaceMonthlyUsd: number;
}

export const DEFAULT_CHARGES: ChargeSeed = {
  taxPercent: 4,
  supportPercent: 7,
  creditMonthlyUsd: 1500,
  refund: { usd: 2400, daysBeforeAsOf: 45 },
  savingsPlanFeePercent: 3,
  reservedInstanceFeePercent: 2,
  marketplaceMonthlyUsd: 900,
};

/** The deliberate DR gaps the demo estate carries; each breaks exactly one DR control. */
export const DR_GAP_KINDS = [
  'pitr-disabled',
  'short-backup-retention',
  'deletion-protection-off',
  'no-global-datastore',
  'versioning-suspended',
  'not-backed-up',
  'untagged-store',
  'stale-restore-test',
  'slow-restore',
  'recovery-points-without-plan',
  'recovery-point-unencrypted',
  'recovery-point-partial',
  'vault-not-locked',
  'restore-failed',
  'restore-unvalidated',
  'backup-frequency-too-low',
  'no-secondary-record',
  'single-region-key',
  'secret-replication-failed',
  'health-check-disabled',
  'health-check-inverted',
  'secondary-in-primary-region',
  'replication-destination-missing',
  'replication-destination-same-region',
  'replication-time-control-off',
  'replication-prefix-filter',
  'replication-lag-over-rpo',
  'replication-metrics-missing',
  'replica-creating',
  'replica-inaccessible-key',
  'pitr-short-window',
  'replica-key-pending-deletion',
  'single-az-instance',
  'no-cross-region-backup',
] as const;
export type DrGapKind = (typeof DR_GAP_KINDS)[number];

/** One entry of `dr.gaps`: a service (Component) and what is wrong with its DR set-up. */
export interface DrGapSeed {
  service: string;
  gap: DrGapKind;
  /** The catalog Resource it applies to, when the service owns more than one of that type. */
  store?: string;
  /** short-backup-retention: the retention (days); stale-restore-test: age of the newest restore test (days). */
  days?: number;
  /** slow-restore: how long the newest restore took (minutes). */
  minutes?: number;
}

export interface DrSeed {
  /** AWS Backup retention of recovery points (and Aurora backup retention), days by DR tier. */
  backupRetentionDays: Record<string, number>;
  /** The public hosted zone holding the failover records of `payments-platform/public-hostname`. */
  hostedZone: string;
  gaps: DrGapSeed[];
  /** Services whose production secret denies the scan's role DescribeSecret: DR "unknown", not "fail". */
  unreadableSecrets: string[];
  /** Services whose DynamoDB global tables are version 2017.11.29: replicas only DescribeGlobalTable shows (passing shape). */
  legacyGlobalTables: string[];
  /** Services whose multi-Region key has its primary in the recovery region, a replica in the primary (passing shape). */
  keyPrimaryInRecoveryRegion: string[];
  /**
   * Services whose failover records are aliases with EvaluateTargetHealth and no health check:
   * Route 53 fails over on the load balancer's health (a passing shape, not a gap).
   */
  aliasFailover: string[];
  /** Services with a scratch bucket tagged with them that no catalog Resource declares (shown as undeclared). */
  undeclaredBuckets: string[];
  /** The AWS Config aggregator the loopback serves (services/config); defaults when absent. */
  config?: AwsConfigSeed;
}

/** Why an account x region's resources are missing from the aggregator's query results. */
export type AwsConfigGapReason = 'recorder-off' | 'not-aggregated';

export interface AwsConfigSeed {
  /** The organization aggregator's name (in the management account, primary region). */
  aggregatorName: string;
  /** Account x regions whose resources the aggregator lacks, and why. */
  missingSources: Array<{
    /** Account name or id. */
    account: string;
    region: string;
    reason: AwsConfigGapReason;
  }>;
  /** Resource types the recorders skip (their items are ResourceNotRecorded: advanced queries never return them). */
  unrecordedTypes: string[];
}

export const DEFAULT_AWS_CONFIG: AwsConfigSeed = {
  aggregatorName: 'payments-org',
  missingSources: [],
  unrecordedTypes: ['AWS::Backup::RecoveryPoint'],
};

const DEFAULT_RETENTION_DAYS: Record<string, number> = {
  'tier-0': 35,
  'tier-1': 35,
  'tier-2': 14,
  'tier-3': 7,
};

/** A seed file that cannot be used, naming the file, the field and the fix. */
export class EstateSeedError extends Error {
  constructor(file: string, field: string, problem: string) {
    super(`${file}: ${field} ${problem}`);
    this.name = 'EstateSeedError';
  }
}

type Raw = Record<string, unknown>;

class SeedReader {
  constructor(private readonly file: string) {}

  fail(field: string, problem: string): never {
    throw new EstateSeedError(this.file, field, problem);
  }

  object(value: unknown, field: string): Raw {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(field, 'must be a mapping');
    }
    return value as Raw;
  }

  string(
    value: unknown,
    field: string,
    pattern?: RegExp,
    hint?: string,
  ): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(field, `must be a non-empty string${hint ? ` (${hint})` : ''}`);
    }
    if (pattern && !pattern.test(value)) {
      this.fail(
        field,
        `is '${value}'; it must be ${hint ?? `like ${pattern}`}`,
      );
    }
    return value;
  }

  number(value: unknown, field: string, min: number, max: number): number {
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < min ||
      value > max
    ) {
      this.fail(
        field,
        `is ${JSON.stringify(
          value,
        )}; it must be a number from ${min} to ${max}`,
      );
    }
    return value;
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value) || value.length === 0) {
      this.fail(field, 'must be a non-empty list');
    }
    return value;
  }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT_ID = /^\d{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads and validates the seed file; every problem names the field and what it must be. */
export function loadEstateSeed(file: string): EstateSeed {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new EstateSeedError(
      file,
      'file',
      `cannot be read (${
        (error as Error).message
      }); set AWS_LOCAL_SEED_FILE to an existing seed file`,
    );
  }
  return parseEstateSeed(parse(text), file);
}

export function parseEstateSeed(document: unknown, file = 'seed'): EstateSeed {
  const r = new SeedReader(file);
  const root = r.object(document, '(document)');

  const accounts = r.array(root.accounts, 'accounts').map((entry, i) => {
    const a = r.object(entry, `accounts[${i}]`);
    return {
      name: r.string(a.name, `accounts[${i}].name`),
      id: r.string(
        a.id,
        `accounts[${i}].id`,
        ACCOUNT_ID,
        "a quoted 12-digit account id, e.g. '123456789012'",
      ),
      environment: r.string(a.environment, `accounts[${i}].environment`),
      management: a.management === true,
    };
  });
  if (accounts.filter(a => a.management).length !== 1) {
    r.fail(
      'accounts',
      'must mark exactly one account with management: true (the payer account Cost Explorer is called from)',
    );
  }
  for (const env of ['production', 'staging', 'shared']) {
    if (!accounts.some(a => a.environment === env)) {
      r.fail('accounts', `needs an account with environment: ${env}`);
    }
  }
  const regions = r
    .array(root.regions, 'regions')
    .map((region, i) =>
      r.string(
        region,
        `regions[${i}]`,
        REGION,
        'an AWS region name such as eu-west-2',
      ),
    );
  if (regions.length < 2)
    r.fail('regions', 'needs a primary and a recovery region');

  const tagKeysRaw = r.object(root.tagKeys, 'tagKeys');
  const tagKeyNames = [
    'product',
    'team',
    'service',
    'environment',
    'costCentre',
    'dataClassification',
    'pciScope',
  ] as const;
  const tagKeys = Object.fromEntries(
    tagKeyNames.map(k => [
      k,
      r.string(
        tagKeysRaw[k],
        `tagKeys.${k}`,
        /^[\w.:/=+@-]{1,128}$/,
        'a tag key of letters, digits and _ . : / = + @ -',
      ),
    ]),
  ) as unknown as TagKeys;

  const cost = r.object(root.cost, 'cost');
  const seasonalityRaw = r.object(cost.seasonality, 'cost.seasonality');
  const seasonality: Record<number, number> = {};
  for (let month = 1; month <= 12; month++) {
    seasonality[month] = r.number(
      seasonalityRaw[month],
      `cost.seasonality.${month}`,
      0.1,
      5,
    );
  }
  const anomaly = r.object(root.anomaly, 'anomaly');
  const scale = r.object(root.scale ?? {}, 'scale');
  const dr = parseDr(r, root.dr);
  if (dr.config) checkAwsConfig(dr.config, accounts, file);

  return {
    seed: r.string(String(root.seed ?? ''), 'seed'),
    epoch: r.string(root.epoch, 'epoch', DATE, "a quoted date 'YYYY-MM-DD'"),
    accounts,
    regions,
    tagKeys,
    pciProducts: Array.isArray(root.pciProducts)
      ? root.pciProducts.map((p, i) => r.string(p, `pciProducts[${i}]`))
      : [],
    cost: {
      monthlyGrowthPercent: r.number(
        cost.monthlyGrowthPercent,
        'cost.monthlyGrowthPercent',
        -50,
        100,
      ),
      seasonality,
      dailyNoisePercent: r.number(
        cost.dailyNoisePercent,
        'cost.dailyNoisePercent',
        0,
        50,
      ),
      weekendComputeFactor: r.number(
        cost.weekendComputeFactor,
        'cost.weekendComputeFactor',
        0,
        2,
      ),
      stagingFactor: r.number(cost.stagingFactor, 'cost.stagingFactor', 0, 2),
      untaggedPercent: r.number(
        cost.untaggedPercent,
        'cost.untaggedPercent',
        0,
        90,
      ),
      invoiceDay: r.number(cost.invoiceDay ?? 5, 'cost.invoiceDay', 2, 28),
      charges: parseCharges(r, cost.charges),
    },
    inactiveCostAllocationTags: parseInactiveTags(
      r,
      root.inactiveCostAllocationTags,
      tagKeys,
    ),
    anomaly: {
      service: r.string(
        anomaly.service,
        'anomaly.service',
        undefined,
        'a Component name from the catalog',
      ),
      awsService: r.string(
        anomaly.awsService,
        'anomaly.awsService',
        undefined,
        'an AWS service name as Cost Explorer shows it',
      ),
      startDaysBeforeAsOf: r.number(
        anomaly.startDaysBeforeAsOf,
        'anomaly.startDaysBeforeAsOf',
        2,
        39,
      ),
      days: r.number(anomaly.days, 'anomaly.days', 1, 30),
      factor: r.number(anomaly.factor, 'anomaly.factor', 1.5, 100),
      cause: r.string(anomaly.cause, 'anomaly.cause'),
    },
    scale: {
      extraProducts: r.number(
        scale.extraProducts ?? 0,
        'scale.extraProducts',
        0,
        100000,
      ),
      servicesPerProduct: r.number(
        scale.servicesPerProduct ?? 3,
        'scale.servicesPerProduct',
        1,
        50,
      ),
    },
    dr,
  };
}

function parseCharges(r: SeedReader, value: unknown): ChargeSeed {
  const c = r.object(value ?? {}, 'cost.charges');
  const d = DEFAULT_CHARGES;
  const refund = r.object(c.refund ?? d.refund, 'cost.charges.refund');
  const percent = (key: keyof ChargeSeed) =>
    r.number(c[key] ?? d[key], `cost.charges.${key}`, 0, 50);
  const usd = (key: keyof ChargeSeed) =>
    r.number(c[key] ?? d[key], `cost.charges.${key}`, 0, 1_000_000);
  return {
    taxPercent: percent('taxPercent'),
    supportPercent: percent('supportPercent'),
    creditMonthlyUsd: usd('creditMonthlyUsd'),
    refund: {
      usd: r.number(
        refund.usd ?? d.refund.usd,
        'cost.charges.refund.usd',
        0,
        1_000_000,
      ),
      // Inside the 13 months of history, after its first month.
      daysBeforeAsOf: r.number(
        refund.daysBeforeAsOf ?? d.refund.daysBeforeAsOf,
        'cost.charges.refund.daysBeforeAsOf',
        1,
        360,
      ),
    },
    savingsPlanFeePercent: percent('savingsPlanFeePercent'),
    reservedInstanceFeePercent: percent('reservedInstanceFeePercent'),
    marketplaceMonthlyUsd: usd('marketplaceMonthlyUsd'),
  };
}

function parseInactiveTags(
  r: SeedReader,
  value: unknown,
  tagKeys: TagKeys,
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    r.fail('inactiveCostAllocationTags', 'must be a list of tag keys');
  const known = Object.values(tagKeys);
  return value.map((key, i) => {
    const field = `inactiveCostAllocationTags[${i}]`;
    const tagKey = r.string(key, field);
    if (!known.includes(tagKey))
      r.fail(field, `is '${tagKey}'; use one of tagKeys: ${known.join(', ')}`);
    return tagKey;
  });
}

function parseDr(r: SeedReader, value: unknown): DrSeed {
  const dr = r.object(value ?? {}, 'dr');
  const retentionRaw = r.object(
    dr.backupRetentionDays ?? DEFAULT_RETENTION_DAYS,
    'dr.backupRetentionDays',
  );
  const backupRetentionDays = Object.fromEntries(
    Object.entries(retentionRaw).map(([tier, days]) => [
      tier,
      r.number(days, `dr.backupRetentionDays.${tier}`, 1, 35),
    ]),
  );
  const hostedZone = r.string(
    dr.hostedZone ?? 'payments.example.com',
    'dr.hostedZone',
    /^([a-z0-9-]+\.)+[a-z]{2,}\.?$/,
    'a DNS domain such as payments.example.com',
  );
  if (dr.gaps !== undefined && !Array.isArray(dr.gaps))
    r.fail('dr.gaps', 'must be a list of { service, gap }');
  const gaps = ((dr.gaps ?? []) as unknown[]).map(
    (entry: unknown, i: number) => {
      const field = `dr.gaps[${i}]`;
      const g = r.object(entry, field);
      const gap = r.string(g.gap, `${field}.gap`) as DrGapKind;
      if (!DR_GAP_KINDS.includes(gap))
        r.fail(
          `${field}.gap`,
          `is '${gap}'; use one of ${DR_GAP_KINDS.join(', ')}`,
        );
      const parsed: DrGapSeed = {
        service: r.string(
          g.service,
          `${field}.service`,
          undefined,
          'a Component name from the catalog',
        ),
        gap,
      };
      if (g.store !== undefined)
        parsed.store = r.string(
          g.store,
          `${field}.store`,
          undefined,
          'a Resource name from the catalog',
        );
      if (g.days !== undefined)
        parsed.days = r.number(g.days, `${field}.days`, 1, 1000);
      if (g.minutes !== undefined)
        parsed.minutes = r.number(g.minutes, `${field}.minutes`, 1, 10000);
      return parsed;
    },
  );
  if (
    dr.unreadableSecrets !== undefined &&
    !Array.isArray(dr.unreadableSecrets)
  )
    r.fail('dr.unreadableSecrets', 'must be a list of Component names');
  const unreadableSecrets = ((dr.unreadableSecrets ?? []) as unknown[]).map(
    (service, i) =>
      r.string(
        service,
        `dr.unreadableSecrets[${i}]`,
        undefined,
        'a Component name from the catalog',
      ),
  );
  if (dr.aliasFailover !== undefined && !Array.isArray(dr.aliasFailover))
    r.fail('dr.aliasFailover', 'must be a list of Component names');
  const aliasFailover = ((dr.aliasFailover ?? []) as unknown[]).map(
    (service, i) =>
      r.string(
        service,
        `dr.aliasFailover[${i}]`,
        undefined,
        'a Component name from the catalog with a public hostname',
      ),
  );
  const serviceList = (field: string) => {
    const raw = dr[field];
    if (raw !== undefined && !Array.isArray(raw))
      r.fail(`dr.${field}`, 'must be a list of Component names');
    return ((raw ?? []) as unknown[]).map((service, i) =>
      r.string(
        service,
        `dr.${field}[${i}]`,
        undefined,
        'a Component name from the catalog',
      ),
    );
  };
  const legacyGlobalTables = serviceList('legacyGlobalTables');
  const keyPrimaryInRecoveryRegion = serviceList('keyPrimaryInRecoveryRegion');
  const undeclaredBuckets = serviceList('undeclaredBuckets');
  const config = parseAwsConfig(r, dr.config);
  return {
    config,
    undeclaredBuckets,
    legacyGlobalTables,
    keyPrimaryInRecoveryRegion,
    backupRetentionDays,
    hostedZone: hostedZone.replace(/\.$/, ''),
    gaps,
    unreadableSecrets,
    aliasFailover,
  };
}

function parseAwsConfig(r: SeedReader, value: unknown): AwsConfigSeed {
  if (value === undefined) return { ...DEFAULT_AWS_CONFIG };
  const c = r.object(value, 'dr.config');
  const aggregatorName = r.string(
    c.aggregatorName ?? DEFAULT_AWS_CONFIG.aggregatorName,
    'dr.config.aggregatorName',
    /^[\w-]{1,256}$/,
    'letters, digits, _ and -, as AWS Config names aggregators',
  );
  if (c.missingSources !== undefined && !Array.isArray(c.missingSources))
    r.fail(
      'dr.config.missingSources',
      'must be a list of { account, region, reason }',
    );
  const missingSources = ((c.missingSources ?? []) as unknown[]).map(
    (entry, i) => {
      const field = `dr.config.missingSources[${i}]`;
      const m = r.object(entry, field);
      const reason = r.string(m.reason ?? 'recorder-off', `${field}.reason`);
      if (reason !== 'recorder-off' && reason !== 'not-aggregated')
        r.fail(
          `${field}.reason`,
          `is '${reason}'; use recorder-off or not-aggregated`,
        );
      return {
        account: r.string(
          m.account,
          `${field}.account`,
          undefined,
          'an account name or id of accounts',
        ),
        region: r.string(
          m.region,
          `${field}.region`,
          REGION,
          'a region such as eu-west-1',
        ),
        reason: reason as AwsConfigGapReason,
      };
    },
  );
  if (c.unrecordedTypes !== undefined && !Array.isArray(c.unrecordedTypes))
    r.fail(
      'dr.config.unrecordedTypes',
      'must be a list of resource types such as AWS::Backup::RecoveryPoint',
    );
  const unrecordedTypes = (
    (c.unrecordedTypes ?? DEFAULT_AWS_CONFIG.unrecordedTypes) as unknown[]
  ).map((t, i) =>
    r.string(
      t,
      `dr.config.unrecordedTypes[${i}]`,
      /^AWS::\w+::\w+$/,
      'a resource type such as AWS::Backup::RecoveryPoint',
    ),
  );
  return { aggregatorName, missingSources, unrecordedTypes };
}

/** `dr.config`'s missing sources must name accounts of the seed; the error names the field and the choices. */
export function checkAwsConfig(
  config: AwsConfigSeed,
  accounts: DemoAccount[],
  file = 'seed',
): AwsConfigSeed {
  config.missingSources.forEach((m, i) => {
    if (!accounts.some(a => a.name === m.account || a.id === m.account))
      throw new EstateSeedError(
        file,
        `dr.config.missingSources[${i}].account`,
        `is '${m.account}'; use the name or id of one of accounts (${accounts
          .map(a => a.name)
          .join(', ')})`,
      );
    if (m.reason !== 'recorder-off' && m.reason !== 'not-aggregated')
      throw new EstateSeedError(
        file,
        `dr.config.missingSources[${i}].reason`,
        `is '${String(m.reason)}'; use recorder-off or not-aggregated`,
      );
  });
  return config;
}
