import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parseTaxonomy } from '@internal/taxonomy-common';
import fs from 'node:fs';
import {
  CatalogDataStore,
  CatalogService,
  CatalogSnapshot,
  readCatalog,
} from './catalog';
import { DrGap, DrPosture } from './dr';
import {
  addMonths,
  dayOf,
  dayOfMonth,
  formatDay,
  monthOfDay,
  parseDay,
  startOfMonth,
  weekdayOfDay,
} from './dates';
import { hashString, mix, stableUuid, unitFloat } from './random';
import {
  AwsConfigSeed,
  DEFAULT_AWS_CONFIG,
  DemoAccount,
  DrGapKind,
  EstateSeed,
  checkAwsConfig,
  loadEstateSeed,
} from './seed';
import { unallocatedResources } from './unallocatedResources';
import {
  BillingEntity,
  RecordType,
  TAGGABLE_RECORD_TYPES,
  chargeLines,
} from './charges';

/** A taggable AWS resource as the Resource Groups Tagging API reports it. */
export interface EstateResource {
  arn: string;
  /** Tagging API form, `service:type` (e.g. `rds:cluster`, `s3:bucket`). */
  resourceType: string;
  accountId: string;
  region: string;
  /** The service (catalog Component) the resource belongs to, when it belongs to one. */
  service?: string;
  /** The catalog Resource (data store) it implements, for data stores. */
  store?: string;
  tags: Record<string, string>;
  role: 'primary' | 'replica';
  /**
   * Its tags were removed (dr.gaps `untagged-store`): the Tagging API still lists it, with
   * `Tags: []`, when asked without tag filters, and never for a tag filter.
   */
  previouslyTagged?: boolean;
}

/** One line of the bill: a daily cost curve for one account x region x AWS service x tag set. */
export interface CostSeries {
  key: string;
  hash: number;
  accountId: string;
  region: string;
  /** The SERVICE dimension, as Cost Explorer names it (e.g. `Amazon Relational Database Service`). */
  awsService: string;
  usageType: string;
  tags: Record<string, string>;
  /** Unblended USD per day at the epoch, before growth, seasonality and noise. */
  baseDaily: number;
  /** 0, 0.5 or 1: how strongly card volume (seasonality) drives this cost. */
  volumeSensitivity: 0 | 0.5 | 1;
  /** Multiplier on Saturdays and Sundays (autoscaled compute runs smaller). */
  weekendFactor: number;
  /** Amortized / unblended (savings plans and reserved instances lower amortized cost). */
  amortizedRatio: number;
  unitPrice: number;
  usageUnit: string;
  anomalous: boolean;
  /** Cost Explorer's RECORD_TYPE: only usage lines can carry tags. */
  recordType: RecordType;
  /** Cost Explorer's BILLING_ENTITY: `AWS`, or `AWS Marketplace` for third-party software. */
  billingEntity: BillingEntity;
  /** Charged once, on the estate's refund day (`baseDaily` is the whole amount). */
  oneOff?: boolean;
  /** Free-tier usage: present on the bill at 0 USD; `baseDaily` is its usage per day. */
  free?: boolean;
  /**
   * The resources (ARNs, in `resources`) whose usage this line is, as a CUR export's
   * line_item_resource_id names them; the line's amount is split evenly between them. None for
   * charges (tax, support, fees, credits) and usage of no one resource (compute, metrics, traffic).
   */
  resourceArns?: string[];
}

type SeriesInput = Omit<
  CostSeries,
  'key' | 'hash' | 'anomalous' | 'recordType' | 'billingEntity'
> &
  Partial<Pick<CostSeries, 'recordType' | 'billingEntity'>>;

export interface EstateOptions {
  seedFile?: string;
  /** The Location file the catalog is read from (default: the repository's catalog/all.yaml). */
  catalogFile?: string;
  /** Pins the estate's today (YYYY-MM-DD); costs exist up to the day before. Default: the clock's day. */
  asOf?: string;
  /**
   * The clock the estate's today follows when `asOf` does not pin it (the server's clock; default:
   * the real one): a server running past midnight serves the new day's figures.
   */
  now?: () => Date;
  /** The tagging taxonomy the seed's tag keys must come from (default: the repository's taxonomy.yaml). */
  taxonomyFile?: string;
  /** Overrides of the seed's scale (benchmarks grow the estate this way). */
  scale?: Partial<EstateSeed['scale']>;
  /** Overrides of the seed's `dr.config`: the AWS Config aggregator (tests leave a source out this way). */
  awsConfig?: Partial<AwsConfigSeed>;
}

export const DEFAULT_SEED_FILE = resolvePackagePath(
  '@internal/aws-local',
  'demo-estate.yaml',
);
export const DEFAULT_CATALOG_FILE = resolvePackagePath(
  '@internal/aws-local',
  '../../catalog/all.yaml',
);
export const DEFAULT_TAXONOMY_FILE = resolvePackagePath(
  '@internal/aws-local',
  '../../taxonomy.yaml',
);

const NET_DISCOUNT = 0.97; // enterprise discount applied in the Net* metrics
const LATEST_DAY_COMPLETENESS = 0.9; // yesterday's figures are still arriving

/** Region code used in usage types, as AWS writes it. */
const USAGE_REGION: Record<string, string> = {
  'eu-west-2': 'EUW2',
  'eu-west-1': 'EU',
  'us-east-1': 'USE1',
};
const usageRegion = (region: string) =>
  USAGE_REGION[region] ?? region.toUpperCase().replace(/-/g, '');

interface StoreProfile {
  awsService: string;
  usage: string;
  unitPrice: number;
  usageUnit: string;
  /** USD per day in production at the epoch, by tier. */
  daily: (tier: string) => number;
  replicaShare: number;
  volumeSensitivity: 0 | 0.5 | 1;
  amortizedRatio: number;
  backedUp: boolean;
}

const TIER_SCALE: Record<string, number> = {
  'tier-0': 1.6,
  'tier-1': 1.2,
  'tier-2': 0.8,
  'tier-3': 0.5,
};
const tierScale = (tier: string) => TIER_SCALE[tier] ?? 0.5;

const STORES: Record<string, StoreProfile> = {
  'rds:cluster': {
    awsService: 'Amazon Relational Database Service',
    usage: 'InstanceUsage:db.r6g.xlarge',
    unitPrice: 0.52,
    usageUnit: 'Hrs',
    daily: t => 95 * tierScale(t),
    replicaShare: 0.6,
    volumeSensitivity: 0.5,
    amortizedRatio: 0.74,
    backedUp: true,
  },
  // A plain RDS DB instance (no Aurora cluster), Multi-AZ in production.
  'rds:db': {
    awsService: 'Amazon Relational Database Service',
    usage: 'Multi-AZUsage:db.m6g.large',
    unitPrice: 0.36,
    usageUnit: 'Hrs',
    daily: t => 18 * tierScale(t),
    replicaShare: 0.5,
    volumeSensitivity: 0.5,
    amortizedRatio: 0.8,
    backedUp: true,
  },
  'dynamodb:table': {
    awsService: 'Amazon DynamoDB',
    usage: 'WriteRequestUnits',
    unitPrice: 0.00000125,
    usageUnit: 'WriteRequestUnits',
    daily: t => 28 * tierScale(t),
    replicaShare: 0.85,
    volumeSensitivity: 1,
    amortizedRatio: 1,
    backedUp: true,
  },
  'elasticache:replicationgroup': {
    awsService: 'Amazon ElastiCache',
    usage: 'NodeUsage:cache.r6g.large',
    unitPrice: 0.25,
    usageUnit: 'Hrs',
    daily: t => 34 * tierScale(t),
    replicaShare: 0.9,
    volumeSensitivity: 0,
    amortizedRatio: 0.8,
    backedUp: false,
  },
  's3:bucket': {
    awsService: 'Amazon Simple Storage Service',
    usage: 'TimedStorage-ByteHrs',
    unitPrice: 0.024,
    usageUnit: 'GB-Mo',
    daily: t => 6 * tierScale(t),
    replicaShare: 0.7,
    volumeSensitivity: 0,
    amortizedRatio: 1,
    backedUp: false,
  },
  'sqs:queue': {
    awsService: 'Amazon Simple Queue Service',
    usage: 'Requests-RBP',
    unitPrice: 0.0000004,
    usageUnit: 'Requests',
    daily: t => 2.5 * tierScale(t),
    replicaShare: 0,
    volumeSensitivity: 1,
    amortizedRatio: 1,
    backedUp: false,
  },
};

/** The tagging mistakes real estates have; each applies when the catalog has the service. */
const TAGGING_MISTAKES: Array<{
  service: string;
  environment: string;
  awsService: string;
  set?: Record<string, string>;
  remove?: Array<keyof EstateSeed['tagKeys']>;
}> = [
  {
    service: 'card-authorisation-service',
    environment: 'staging',
    awsService: 'Amazon Elastic Compute Cloud - Compute',
    set: { product: 'card-acq' },
  },
  {
    service: 'payout-scheduler',
    environment: 'production',
    awsService: 'Amazon Simple Queue Service',
    set: { team: 'payout-team' },
  },
  {
    service: 'regulatory-reporting',
    environment: 'production',
    awsService: 'AmazonCloudWatch',
    remove: ['costCentre', 'dataClassification'],
  },
];

/**
 * Spend nobody tagged, as a share of the untagged total. Traffic (NAT, data transfer, log
 * ingestion) follows card volume as the tagged spend does, so the untagged share stays about the
 * same in every month of the year.
 */
const UNTAGGED_SPEND: Array<{
  environment: string;
  regionIndex: number;
  awsService: string;
  usage: string;
  weight: number;
  volumeSensitivity: 0 | 0.5 | 1;
  bucket?: string;
}> = [
  {
    environment: 'production',
    regionIndex: 0,
    awsService: 'EC2 - Other',
    usage: 'NatGateway-Bytes',
    weight: 0.45,
    volumeSensitivity: 1,
  },
  {
    environment: 'production',
    regionIndex: 0,
    awsService: 'AmazonCloudWatch',
    usage: 'DataProcessing-Bytes',
    weight: 0.25,
    volumeSensitivity: 0.5,
  },
  {
    environment: 'staging',
    regionIndex: 0,
    awsService: 'EC2 - Other',
    usage: 'EBS:SnapshotUsage',
    weight: 0.15,
    volumeSensitivity: 0,
  },
  {
    environment: 'shared',
    regionIndex: 0,
    awsService: 'Amazon Simple Storage Service',
    usage: 'TimedStorage-ByteHrs',
    weight: 0.1,
    volumeSensitivity: 0,
    bucket: 'athena-query-results',
  },
  {
    environment: 'production',
    regionIndex: 1,
    awsService: 'EC2 - Other',
    usage: 'DataTransfer-Regional-Bytes',
    weight: 0.05,
    volumeSensitivity: 1,
  },
];

/** The platform's shared infrastructure in the shared account, split across products by the cost plugin. */
const SHARED_PLATFORM: Array<{
  service: string;
  awsService: string;
  usage: string;
  daily: number;
  weekendFactor: number;
  unitPrice: number;
  usageUnit: string;
}> = [
  {
    service: 'msk-cluster',
    awsService: 'Amazon Managed Streaming for Apache Kafka',
    usage: 'Kafka.m5.large',
    daily: 160,
    weekendFactor: 1,
    unitPrice: 0.226,
    usageUnit: 'Hrs',
  },
  {
    service: 'eks-control-plane',
    awsService: 'Amazon Elastic Container Service for Kubernetes',
    usage: 'AmazonEKS-Hours:perCluster',
    daily: 14.4,
    weekendFactor: 1,
    unitPrice: 0.1,
    usageUnit: 'Hrs',
  },
  {
    service: 'ci-runners',
    awsService: 'Amazon Elastic Compute Cloud - Compute',
    usage: 'BoxUsage:c6i.2xlarge',
    daily: 62,
    weekendFactor: 0.35,
    unitPrice: 0.408,
    usageUnit: 'Hrs',
  },
  {
    service: 'observability',
    awsService: 'Amazon Managed Service for Prometheus',
    usage: 'AMP:MetricSampleCount',
    daily: 38,
    weekendFactor: 1,
    unitPrice: 0.0000009,
    usageUnit: 'Samples',
  },
  {
    service: 'dns',
    awsService: 'Amazon Route 53',
    usage: 'DNS-Queries',
    daily: 2.2,
    weekendFactor: 1,
    unitPrice: 0.0000004,
    usageUnit: 'Queries',
  },
];
export const SHARED_PRODUCT = 'shared';

/** Spend a resource tag can reach: usage (however priced) billed by AWS itself. */
export function isTaggable(series: CostSeries): boolean {
  return (
    series.billingEntity === 'AWS' &&
    TAGGABLE_RECORD_TYPES.includes(series.recordType)
  );
}

/** What the estate's today decides: the data window and where the anomaly lies. */
interface CostWindow {
  asOfDay: number;
  firstDay: number;
  lastDay: number;
  anomaly: EstateAnomaly;
  /** The day the one-off refund is on the bill. */
  refundDay: number;
}

export interface EstateAnomaly {
  id: string;
  service: string;
  awsService: string;
  accountId: string;
  region: string;
  usageType: string;
  startDay: number;
  /** Last day of the anomaly (inclusive). */
  endDay: number;
  cause: string;
}

/**
 * The demo estate: accounts, regions, tagged resources and a daily cost curve per bill line,
 * all derived from the catalog and the seed. Pure: nothing varies but the seed and the estate's
 * today (`asOf`, or the day of the clock it was given), and the cost story is laid out relative
 * to that day, so it is the same story on any date.
 */
export class DemoEstate {
  readonly resources: EstateResource[] = [];
  readonly series: CostSeries[] = [];
  readonly products: string[] = [];
  readonly teams = new Map<string, { costCentre?: string }>();
  readonly services: CatalogService[] = [];
  /** The catalog's data stores (Resources with an AWS resource type), by name: what services declare. */
  readonly dataStores = new Map<string, CatalogDataStore>();
  /** What RDS, ElastiCache, DynamoDB, S3, KMS, Secrets Manager, Backup and Route 53 report (see dr.ts). */
  readonly dr: DrPosture;

  private readonly seedHash: number;
  private readonly epochDay: number;
  private readonly dayFactorCache = new Map<number, [number, number, number]>();
  private readonly pinnedDay?: number;
  private readonly clock: () => Date;
  private readonly anomalySeries: CostSeries;
  private window: CostWindow;

  static load(options: EstateOptions = {}): DemoEstate {
    const seedFile = options.seedFile ?? DEFAULT_SEED_FILE;
    const seed = loadEstateSeed(seedFile);
    // The taxonomy is the one source of tag names: the estate may not tag with keys it lacks.
    const taxonomyFile = options.taxonomyFile ?? DEFAULT_TAXONOMY_FILE;
    const taxonomy = parseTaxonomy(
      fs.readFileSync(taxonomyFile, 'utf8'),
      taxonomyFile,
    );
    for (const [role, key] of Object.entries(seed.tagKeys)) {
      if (!taxonomy.tag(key)) {
        throw new Error(
          `${seedFile}: tagKeys.${role} is '${key}', which ${taxonomyFile} does not declare; use one of ${taxonomy.tags
            .map(t => t.key)
            .join(', ')}`,
        );
      }
    }
    const catalog = readCatalog(options.catalogFile ?? DEFAULT_CATALOG_FILE);
    const dr = options.awsConfig
      ? {
          ...seed.dr,
          config: checkAwsConfig(
            { ...DEFAULT_AWS_CONFIG, ...seed.dr.config, ...options.awsConfig },
            seed.accounts,
          ),
        }
      : seed.dr;
    return new DemoEstate(
      { ...seed, dr, scale: { ...seed.scale, ...options.scale } },
      catalog,
      options.asOf,
      options.now,
    );
  }

  constructor(
    readonly seed: EstateSeed,
    catalog: CatalogSnapshot,
    asOf?: string,
    now: () => Date = () => new Date(),
  ) {
    if (asOf !== undefined && parseDay(asOf) === undefined) {
      throw new Error(
        `asOf is '${asOf}'; it must be a date 'YYYY-MM-DD' (AWS_LOCAL_AS_OF)`,
      );
    }
    this.pinnedDay = asOf ? parseDay(asOf)! : undefined;
    this.clock = now;
    this.seedHash = hashString(seed.seed);
    this.epochDay = parseDay(seed.epoch)!;

    for (const [name, team] of catalog.teams)
      this.teams.set(name, { costCentre: team.costCentre });
    this.products.push(...catalog.products.map(p => p.name));
    this.services.push(...catalog.services);
    this.addSyntheticProducts(catalog);
    for (const [name, store] of catalog.dataStores)
      this.dataStores.set(name, store);

    const prod = this.accountFor('production');
    const staging = this.accountFor('staging');
    const shared = this.accountFor('shared');
    const storeOwners = new Map<string, string>();
    for (const service of this.services) {
      for (const store of service.resources)
        if (!storeOwners.has(store)) storeOwners.set(store, service.name);
    }
    for (const service of this.services) {
      this.addServiceEstate(service, prod, catalog, storeOwners);
      this.addServiceEstate(service, staging, catalog, storeOwners);
    }
    this.addSharedPlatform(shared, catalog);
    this.applyTaggingMistakes();
    this.untagStores();
    this.addUntaggedSpend();
    this.resources.push(
      ...unallocatedResources({
        seed,
        accountFor: env => this.accountFor(env),
        services: this.services.slice(0, catalog.services.length),
        series: this.series,
        platformTeam: catalog.teams.has('platform-team')
          ? 'platform-team'
          : [...this.teams.keys()][0],
      }),
    );
    this.linkUnallocatedResources();
    this.addCharges();
    this.dr = new DrPosture(this);

    const anomalous = this.series.filter(
      s =>
        s.tags[seed.tagKeys.service] === seed.anomaly.service &&
        s.awsService === seed.anomaly.awsService &&
        s.accountId === prod.id,
    );
    if (anomalous.length === 0) {
      throw new Error(
        `anomaly.service '${seed.anomaly.service}' has no '${seed.anomaly.awsService}' spend in the production account; ` +
          'pick a Component whose dependsOn includes a Resource of that AWS service',
      );
    }
    anomalous.forEach(s => (s.anomalous = true));
    this.anomalySeries = anomalous[0];
    this.window = this.windowFor(this.pinnedDay ?? dayOf(now()));
  }

  /** The estate's today: `asOf`, or the clock's day (UTC). */
  get asOfDay(): number {
    return this.today().asOfDay;
  }

  /** First day with cost data: the 1st of the month 13 months before today's (Cost Explorer's history). */
  get firstDay(): number {
    return this.today().firstDay;
  }

  /** Last day with cost data: yesterday (today's figures arrive tomorrow). */
  get lastDay(): number {
    return this.today().lastDay;
  }

  /** The one anomaly, `anomaly.startDaysBeforeAsOf` days before today. */
  get anomaly(): EstateAnomaly {
    return this.today().anomaly;
  }

  // Moves the window on when the clock has reached another day; cheap enough for once a request.
  private today(): CostWindow {
    const day = this.pinnedDay ?? dayOf(this.clock());
    if (day !== this.window.asOfDay) this.window = this.windowFor(day);
    return this.window;
  }

  private windowFor(asOfDay: number): CostWindow {
    const { anomaly } = this.seed;
    const lastDay = asOfDay - 1;
    const startDay = asOfDay - anomaly.startDaysBeforeAsOf;
    const prod = this.accountFor('production');
    return {
      asOfDay,
      lastDay,
      // From the month's 1st, so 31 March reaches back to 1 February of the year before, not 1 March.
      firstDay: addMonths(startOfMonth(asOfDay), -13),
      refundDay: asOfDay - this.seed.cost.charges.refund.daysBeforeAsOf,
      anomaly: {
        id: stableUuid(`${this.seed.seed}:anomaly:${formatDay(startDay)}`),
        service: anomaly.service,
        awsService: anomaly.awsService,
        accountId: prod.id,
        region: this.anomalySeries.region,
        usageType: this.anomalySeries.usageType,
        startDay,
        endDay: Math.min(startDay + anomaly.days - 1, lastDay),
        cause: anomaly.cause,
      },
    };
  }

  get accounts(): DemoAccount[] {
    return this.seed.accounts;
  }

  get regions(): string[] {
    return this.seed.regions;
  }

  get managementAccount(): DemoAccount {
    return this.seed.accounts.find(a => a.management)!;
  }

  /**
   * The deliberate DR gaps (`dr.gaps` of the seed) the catalog has services for, each resolved to
   * the resource it breaks: what a DR scan must find, for tests to assert against.
   */
  get drGaps(): DrGap[] {
    return this.dr.gaps;
  }

  accountById(id: string): DemoAccount | undefined {
    return this.seed.accounts.find(a => a.id === id);
  }

  /** Accepts an account name (`prod`) or id. */
  findAccount(nameOrId: string): DemoAccount | undefined {
    return this.seed.accounts.find(
      a => a.id === nameOrId || a.name === nameOrId,
    );
  }

  /**
   * Unblended USD of one bill line on one day, or 0 outside the data window. Growth compounds
   * from the epoch, seasonality follows the calendar month, noise is a hash of (seed, line, day).
   * Answers for the today last read (asOfDay, firstDay, lastDay or anomaly read the clock): a
   * request reads one of them first, so its many calls here never do.
   */
  dailyCost(series: CostSeries, day: number): number {
    const { firstDay, lastDay, anomaly, refundDay } = this.window;
    if (day < firstDay || day > lastDay || series.free) return 0;
    if (series.oneOff) return day === refundDay ? series.baseDaily : 0;
    const factors = this.dayFactors(day);
    let value = series.baseDaily * factors[series.volumeSensitivity * 2];
    const weekday = weekdayOfDay(day);
    if (weekday === 0 || weekday === 6) value *= series.weekendFactor;
    const noise = this.seed.cost.dailyNoisePercent / 100;
    value *= 1 + noise * (unitFloat(series.hash, day) * 2 - 1);
    if (series.anomalous && day >= anomaly.startDay && day <= anomaly.endDay) {
      value *= this.seed.anomaly.factor;
    }
    if (day === lastDay) value *= LATEST_DAY_COMPLETENESS;
    return value;
  }

  /** What the bill line would have cost without noise or anomaly: the forecast's mean and the anomaly's baseline. */
  expectedDailyCost(series: CostSeries, day: number): number {
    if (series.free || series.oneOff) return 0;
    const factors = this.dayFactors(day);
    let value = series.baseDaily * factors[series.volumeSensitivity * 2];
    const weekday = weekdayOfDay(day);
    if (weekday === 0 || weekday === 6) value *= series.weekendFactor;
    return value;
  }

  /** Usage of a free-tier line on one day (its cost is 0), or 0 outside the data window. */
  freeUsage(series: CostSeries, day: number): number {
    const { firstDay, lastDay } = this.window;
    if (!series.free || day < firstDay || day > lastDay) return 0;
    return (
      series.baseDaily * this.dayFactors(day)[series.volumeSensitivity * 2]
    );
  }

  /** Every metric Cost Explorer offers, from one unblended amount. */
  metricsFor(series: CostSeries, unblended: number): Record<string, number> {
    const amortized = unblended * series.amortizedRatio;
    return {
      UnblendedCost: unblended,
      BlendedCost: unblended,
      AmortizedCost: amortized,
      NetUnblendedCost: unblended * NET_DISCOUNT,
      NetAmortizedCost: amortized * NET_DISCOUNT,
      UsageQuantity: unblended / series.unitPrice,
      NormalizedUsageAmount: unblended / series.unitPrice,
    };
  }

  /**
   * Whether Cost Explorer still marks this day's figures Estimated: today's month, and last month
   * until AWS issues its invoice (`cost.invoiceDay`, around the 3rd-5th).
   */
  isEstimated(day: number): boolean {
    const { asOfDay } = this.today();
    const thisMonth = startOfMonth(asOfDay);
    if (day >= thisMonth) return true;
    const invoiced = dayOfMonth(asOfDay) >= this.seed.cost.invoiceDay;
    return !invoiced && day >= addMonths(thisMonth, -1);
  }

  summary() {
    const tagKeys = this.seed.tagKeys;
    const { asOfDay, firstDay, lastDay, anomaly } = this.today();
    let total = 0;
    let usage = 0;
    let untagged = 0;
    const byRecordType: Record<string, number> = {};
    for (const s of this.series) {
      let cost = 0;
      for (let day = firstDay; day <= lastDay; day++)
        cost += this.dailyCost(s, day);
      total += cost;
      const key =
        s.billingEntity === 'AWS'
          ? s.recordType
          : `${s.recordType} (${s.billingEntity})`;
      byRecordType[key] = (byRecordType[key] ?? 0) + cost;
      if (!isTaggable(s)) continue;
      usage += cost;
      if (Object.keys(s.tags).length === 0) untagged += cost;
    }
    const cents = (n: number) => Math.round(n * 100) / 100;
    return {
      seed: this.seed.seed,
      asOf: formatDay(asOfDay),
      costWindow: {
        start: formatDay(firstDay),
        end: formatDay(lastDay),
      },
      accounts: this.accounts,
      regions: this.regions,
      tagKeys: Object.values(tagKeys),
      products: this.products.length,
      services: this.services.length,
      resources: this.resources.length,
      billLines: this.series.length,
      unblendedCostUsd: cents(total),
      /** Spend a tag can carry (usage billed by AWS) and the share of it nobody tagged. */
      taggableCostUsd: cents(usage),
      untaggedSharePercent: Math.round((untagged / usage) * 10000) / 100,
      /** Unblended USD by RECORD_TYPE (Marketplace apart): tax, support, fees, credits, refunds. */
      costByRecordType: Object.fromEntries(
        Object.entries(byRecordType)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => [k, cents(v)]),
      ),
      inactiveCostAllocationTags: this.seed.inactiveCostAllocationTags,
      anomaly: {
        ...anomaly,
        startDay: undefined,
        endDay: undefined,
        start: formatDay(anomaly.startDay),
        end: formatDay(anomaly.endDay),
      },
      dr: this.dr.summary(),
    };
  }

  // growth x seasonality^s for s = 0, 0.5, 1, cached per day
  private dayFactors(day: number): [number, number, number] {
    let factors = this.dayFactorCache.get(day);
    if (!factors) {
      const growth = Math.pow(
        1 + this.seed.cost.monthlyGrowthPercent / 100,
        (day - this.epochDay) / 30.4375,
      );
      const season = this.seed.cost.seasonality[monthOfDay(day)];
      factors = [growth, growth * Math.sqrt(season), growth * season];
      this.dayFactorCache.set(day, factors);
    }
    return factors;
  }

  private accountFor(environment: string): DemoAccount {
    return this.seed.accounts.find(a => a.environment === environment)!;
  }

  private addSyntheticProducts(catalog: CatalogSnapshot) {
    // rds:db (newer) stays out, so the synthetic estate, and the bench's figures, keep their mix.
    const types = Object.keys(STORES).filter(type => type !== 'rds:db');
    const tiers = [
      'tier-0',
      'tier-1',
      'tier-1',
      'tier-2',
      'tier-2',
      'tier-2',
      'tier-3',
      'tier-3',
    ];
    for (let p = 1; p <= this.seed.scale.extraProducts; p++) {
      const id = String(p).padStart(4, '0');
      const product = `product-${id}`;
      const team = `team-${id}`;
      this.products.push(product);
      this.teams.set(team, { costCentre: `CC-9${id}` });
      for (let s = 1; s <= this.seed.scale.servicesPerProduct; s++) {
        const name = `${product}-svc-${s}`;
        const h = mix(this.seedHash, hashString(name));
        const stores = [types[h % types.length]];
        if ((h >>> 8) % 3 === 0) stores.push(types[(h >>> 12) % types.length]);
        const resources = [...new Set(stores)].map(type => {
          const store = `${name}-${type.split(':')[0]}`;
          catalog.dataStores.set(store, { name: store, awsType: type });
          return store;
        });
        const tier = tiers[(h >>> 4) % tiers.length];
        // A third of the synthetic tier-0/1 services are public, so Route 53 grows with the estate.
        const publicHostname =
          (tier === 'tier-0' || tier === 'tier-1') && (h >>> 20) % 3 === 0
            ? `${name}.${this.seed.dr.hostedZone}`
            : undefined;
        this.services.push({
          name,
          product,
          team,
          tier,
          resources,
          ...(publicHostname ? { publicHostname } : {}),
        });
      }
    }
  }

  private serviceTags(
    service: CatalogService,
    account: DemoAccount,
  ): Record<string, string> {
    const k = this.seed.tagKeys;
    const pci = this.seed.pciProducts.includes(service.product);
    const tags: Record<string, string> = {
      [k.product]: service.product,
      [k.team]: service.team,
      [k.service]: service.name,
      [k.environment]: account.environment,
      [k.dataClassification]: pci ? 'restricted' : 'confidential',
      [k.pciScope]: pci ? 'in-scope' : 'out-of-scope',
    };
    const costCentre = this.teams.get(service.team)?.costCentre;
    if (costCentre) tags[k.costCentre] = costCentre;
    return tags;
  }

  private addSeries(partial: SeriesInput) {
    const key = [
      partial.accountId,
      partial.region,
      partial.awsService,
      partial.usageType,
      JSON.stringify(partial.tags),
    ].join('|');
    this.series.push({
      recordType: 'Usage',
      billingEntity: 'AWS',
      ...partial,
      key,
      hash: mix(this.seedHash, hashString(key)),
      anomalous: false,
    });
  }

  private addServiceEstate(
    service: CatalogService,
    account: DemoAccount,
    catalog: CatalogSnapshot,
    storeOwners: Map<string, string>,
  ) {
    const production = account.environment === 'production';
    const envScale = production ? 1 : this.seed.cost.stagingFactor;
    const envSuffix = production ? 'prod' : account.environment;
    const [primary, recovery] = this.seed.regions;
    const tags = this.serviceTags(service, account);
    const tierFactor = tierScale(service.tier);
    const replicated =
      production && (service.tier === 'tier-0' || service.tier === 'tier-1');

    const line = (
      region: string,
      awsService: string,
      usage: string,
      daily: number,
      rest: Partial<CostSeries> = {},
    ) =>
      this.addSeries({
        accountId: account.id,
        region,
        awsService,
        usageType: `${usageRegion(region)}-${usage}`,
        tags,
        baseDaily: daily * envScale,
        volumeSensitivity: 0,
        weekendFactor: 1,
        amortizedRatio: 1,
        unitPrice: 1,
        usageUnit: 'N/A',
        ...rest,
      });

    line(
      primary,
      'Amazon Elastic Compute Cloud - Compute',
      'BoxUsage:m6i.xlarge',
      55 * tierFactor,
      {
        volumeSensitivity: 1,
        weekendFactor: this.seed.cost.weekendComputeFactor,
        amortizedRatio: 0.78,
        unitPrice: 0.222,
        usageUnit: 'Hrs',
        recordType: 'SavingsPlanCoveredUsage',
      },
    );
    line(
      primary,
      'AmazonCloudWatch',
      'CW:MetricMonitorUsage',
      3.5 * tierFactor,
      { unitPrice: 0.3 / 30, usageUnit: 'Metrics' },
    );
    line(primary, 'AWS Key Management Service', 'KMS-Keys', 1.1, {
      unitPrice: 1 / 30,
      usageUnit: 'Keys',
    });
    line(primary, 'AWS Secrets Manager', 'AWSSecretsManager-Secrets', 0.45, {
      unitPrice: 0.4 / 30,
      usageUnit: 'Secrets',
    });

    const arnBase = (svc: string, region: string) =>
      `arn:aws:${svc}:${region}:${account.id}`;
    // Replicated tiers keep a multi-Region key and a replica secret in the recovery region, unless a DR gap says otherwise.
    const uuid = stableUuid(
      `${this.seed.seed}:kms:${account.id}:${service.name}`,
    );
    const multiRegionKey =
      replicated && !this.hasDrGap(service.name, 'single-region-key');
    const keyId = multiRegionKey ? `mrk-${uuid.replace(/-/g, '')}` : uuid;
    const secretSuffix = stableUuid(
      `${service.name}:${account.id}:secret`,
    ).slice(0, 6);
    const replicaSecret =
      replicated && !this.hasDrGap(service.name, 'secret-replication-failed');
    // The key and the secret bill in the primary region: the lines just added above.
    const lineOf = (awsService: string) => {
      let i = this.series.length - 1;
      while (this.series[i].awsService !== awsService) i--;
      return this.series[i];
    };
    lineOf('AWS Key Management Service').resourceArns = [
      `${arnBase('kms', primary)}:key/${keyId}`,
    ];
    lineOf('AWS Secrets Manager').resourceArns = [
      `${arnBase('secretsmanager', primary)}:secret:${
        service.name
      }/${envSuffix}/app-${secretSuffix}`,
    ];
    (multiRegionKey ? [primary, recovery] : [primary]).forEach((region, i) =>
      this.resources.push({
        arn: `${arnBase('kms', region)}:key/${keyId}`,
        resourceType: 'kms:key',
        accountId: account.id,
        region,
        service: service.name,
        tags,
        role: i === 0 ? 'primary' : 'replica',
      }),
    );
    (replicaSecret ? [primary, recovery] : [primary]).forEach((region, i) =>
      this.resources.push({
        arn: `${arnBase('secretsmanager', region)}:secret:${
          service.name
        }/${envSuffix}/app-${secretSuffix}`,
        resourceType: 'secretsmanager:secret',
        accountId: account.id,
        region,
        service: service.name,
        tags,
        role: i === 0 ? 'primary' : 'replica',
      }),
    );

    for (const storeName of service.resources) {
      if (storeOwners.get(storeName) !== service.name) continue; // a shared store is billed to its first user
      const store = catalog.dataStores.get(storeName);
      const profile = store && STORES[store.awsType];
      if (!store || !profile) continue; // e.g. kafka:topic lives on the shared MSK cluster
      const name = `${storeName}-${envSuffix}`;
      const regions =
        replicated && profile.replicaShare > 0
          ? [primary, recovery]
          : [primary];
      regions.forEach((region, i) => {
        const role = i === 0 ? 'primary' : 'replica';
        line(
          region,
          profile.awsService,
          profile.usage,
          profile.daily(service.tier) * (i === 0 ? 1 : profile.replicaShare),
          {
            volumeSensitivity: profile.volumeSensitivity,
            amortizedRatio: profile.amortizedRatio,
            unitPrice: profile.unitPrice,
            usageUnit: profile.usageUnit,
            // Reserved instances (and ElastiCache reserved nodes) price what amortizes below
            // its unblended cost: a bill, and a CUR export, call that DiscountedUsage.
            recordType:
              profile.amortizedRatio < 1 ? 'DiscountedUsage' : 'Usage',
          },
        );
        // A DynamoDB global table keeps its name in every region; other replicas are named for their region.
        const replicaName =
          store.awsType === 'dynamodb:table' ? name : `${name}-${region}`;
        const arn = this.storeArn(
          store.awsType,
          region,
          account.id,
          role === 'primary' ? name : replicaName,
        );
        this.series[this.series.length - 1].resourceArns = [arn];
        this.resources.push({
          arn,
          resourceType: store.awsType,
          accountId: account.id,
          region,
          service: service.name,
          store: storeName,
          tags,
          role,
        });
      });
      if (production && profile.backedUp) {
        line(
          primary,
          'AWS Backup',
          'WarmStorage-ByteHrs',
          profile.daily(service.tier) * 0.06,
          { unitPrice: 0.05 / 30, usageUnit: 'GB-Mo' },
        );
      }
    }
    // dr.undeclaredBuckets: a bucket tagged with the service that no catalog Resource declares.
    if (production && this.seed.dr.undeclaredBuckets.includes(service.name)) {
      this.resources.push({
        arn: `arn:aws:s3:::${service.name}-scratch-${envSuffix}-${account.id}`,
        resourceType: 's3:bucket',
        accountId: account.id,
        region: primary,
        service: service.name,
        tags,
        role: 'primary',
      });
    }
  }

  private hasDrGap(service: string, kind: DrGapKind): boolean {
    return this.seed.dr.gaps.some(g => g.service === service && g.gap === kind);
  }

  private storeArn(
    type: string,
    region: string,
    accountId: string,
    name: string,
  ): string {
    switch (type) {
      case 'rds:cluster':
        return `arn:aws:rds:${region}:${accountId}:cluster:${name}`;
      case 'rds:db':
        return `arn:aws:rds:${region}:${accountId}:db:${name}`;
      case 'dynamodb:table':
        return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
      case 'elasticache:replicationgroup':
        return `arn:aws:elasticache:${region}:${accountId}:replicationgroup:${name}`;
      case 's3:bucket':
        return `arn:aws:s3:::${name}-${accountId}`;
      case 'sqs:queue':
        return `arn:aws:sqs:${region}:${accountId}:${name}`;
      default:
        return `arn:aws:${type.split(':')[0]}:${region}:${accountId}:${name}`;
    }
  }

  private addSharedPlatform(shared: DemoAccount, catalog: CatalogSnapshot) {
    const k = this.seed.tagKeys;
    const platformTeam = catalog.teams.has('platform-team')
      ? 'platform-team'
      : [...this.teams.keys()][0];
    const [primary] = this.seed.regions;
    for (const item of SHARED_PLATFORM) {
      const tags: Record<string, string> = {
        [k.product]: SHARED_PRODUCT,
        [k.team]: platformTeam,
        [k.service]: item.service,
        [k.environment]: shared.environment,
        [k.dataClassification]: 'internal',
        [k.pciScope]: 'connected',
      };
      const costCentre = this.teams.get(platformTeam)?.costCentre;
      if (costCentre) tags[k.costCentre] = costCentre;
      this.addSeries({
        accountId: shared.id,
        region: primary,
        awsService: item.awsService,
        usageType: `${usageRegion(primary)}-${item.usage}`,
        tags,
        baseDaily: item.daily,
        volumeSensitivity: item.service === 'msk-cluster' ? 0.5 : 0,
        weekendFactor: item.weekendFactor,
        amortizedRatio: item.awsService.includes('Compute') ? 0.7 : 1,
        unitPrice: item.unitPrice,
        usageUnit: item.usageUnit,
        recordType: item.awsService.includes('Compute')
          ? 'SavingsPlanCoveredUsage'
          : 'Usage',
      });
      if (item.service === 'msk-cluster') {
        const arn = `arn:aws:kafka:${primary}:${
          shared.id
        }:cluster/payments-events/${stableUuid(`${this.seed.seed}:msk`)}-1`;
        this.series[this.series.length - 1].resourceArns = [arn];
        this.resources.push({
          arn,
          resourceType: 'kafka:cluster',
          accountId: shared.id,
          region: primary,
          service: item.service,
          tags,
          role: 'primary',
        });
      }
    }
  }

  private applyTaggingMistakes() {
    const k = this.seed.tagKeys;
    for (const mistake of TAGGING_MISTAKES) {
      const account = this.accountFor(mistake.environment);
      for (const series of this.series) {
        if (
          series.accountId !== account.id ||
          series.awsService !== mistake.awsService ||
          series.tags[k.service] !== mistake.service
        )
          continue;
        const tags = { ...series.tags };
        for (const [key, value] of Object.entries(mistake.set ?? {}))
          tags[k[key as keyof typeof k]] = value;
        for (const key of mistake.remove ?? []) delete tags[k[key]];
        series.tags = tags;
        series.key = `${series.key}|mistake`;
        for (const resource of this.resources) {
          if (
            resource.accountId === account.id &&
            resource.service === mistake.service &&
            STORES[resource.resourceType]?.awsService === mistake.awsService
          ) {
            resource.tags = tags;
          }
        }
      }
    }
  }

  /**
   * dr.gaps `untagged-store`: the production store (primary and replica) lost its tags, say in a
   * Terraform refactor that dropped the provider's default_tags. Discovery by tag no longer finds
   * it; only the catalog still says the service depends on it.
   */
  private untagStores() {
    const production = this.accountFor('production');
    for (const gap of this.seed.dr.gaps) {
      if (gap.gap !== 'untagged-store') continue;
      const stores = this.resources.filter(
        r =>
          r.accountId === production.id &&
          r.service === gap.service &&
          r.store !== undefined &&
          (gap.store === undefined || r.store === gap.store),
      );
      const store = gap.store ?? stores[0]?.store;
      for (const resource of stores.filter(r => r.store === store)) {
        resource.tags = {};
        resource.previouslyTagged = true;
      }
    }
  }

  private addUntaggedSpend() {
    // Scale the untagged lines so they are untaggedPercent of all spend at the epoch.
    const share = this.seed.cost.untaggedPercent / 100;
    const tagged = this.series.reduce(
      (sum, s) => sum + (s.baseDaily * (s.weekendFactor * 2 + 5)) / 7,
      0,
    );
    const untaggedTotal = (tagged * share) / (1 - share);
    for (const item of UNTAGGED_SPEND) {
      const account = this.accountFor(item.environment);
      const region = this.seed.regions[item.regionIndex];
      this.addSeries({
        accountId: account.id,
        region,
        awsService: item.awsService,
        usageType: `${usageRegion(region)}-${item.usage}`,
        tags: {},
        baseDaily: untaggedTotal * item.weight,
        volumeSensitivity: item.volumeSensitivity,
        weekendFactor: 1,
        amortizedRatio: 1,
        unitPrice: 0.045,
        usageUnit: 'GB',
      });
      if (item.bucket) {
        const arn = `arn:aws:s3:::${item.bucket}-${account.id}`;
        this.series[this.series.length - 1].resourceArns = [arn];
        this.resources.push({
          arn,
          resourceType: 's3:bucket',
          accountId: account.id,
          region,
          tags: {},
          role: 'primary',
        });
      }
    }
  }

  /**
   * The untagged lines' resources (unallocatedResources): the NAT gateway behind the NAT traffic,
   * the log groups behind log ingestion, the snapshots behind snapshot storage, the log group of a
   * CloudWatch tagging mistake.
   */
  private linkUnallocatedResources() {
    const byType = (accountId: string, type: string) =>
      this.resources.filter(
        r => r.accountId === accountId && r.resourceType === type,
      );
    for (const line of this.series) {
      let arns: string[] = [];
      if (line.usageType.endsWith('-NatGateway-Bytes'))
        arns = byType(line.accountId, 'ec2:natgateway').map(r => r.arn);
      else if (line.usageType.endsWith('-EBS:SnapshotUsage'))
        arns = byType(line.accountId, 'ec2:snapshot').map(r => r.arn);
      else if (line.usageType.endsWith('-DataProcessing-Bytes'))
        arns = byType(line.accountId, 'logs:log-group')
          .filter(r => Object.keys(r.tags).length === 1 && r.tags.Service)
          .map(r => r.arn);
      else if (
        line.awsService === 'AmazonCloudWatch' &&
        line.key.endsWith('|mistake')
      )
        arns = byType(line.accountId, 'logs:log-group')
          .filter(
            r =>
              r.region === line.region &&
              r.arn.endsWith(
                `/ecs/${line.tags[this.seed.tagKeys.service]}-audit`,
              ),
          )
          .map(r => r.arn);
      if (arns.length > 0) line.resourceArns = arns;
    }
  }

  /**
   * The charges no tag can carry (tax, support, fees, credits, a refund, a Marketplace
   * subscription), sized from the usage at the epoch, and one free-tier line at 0 USD.
   */
  private addCharges() {
    const usagePerDay = new Map<string, number>();
    for (const s of this.series) {
      usagePerDay.set(
        s.accountId,
        (usagePerDay.get(s.accountId) ?? 0) +
          (s.baseDaily * (s.weekendFactor * 2 + 5)) / 7,
      );
    }
    const lines = chargeLines(
      this.seed.cost.charges,
      this.seed.accounts,
      id => usagePerDay.get(id) ?? 0,
    );
    for (const line of lines) {
      this.addSeries({
        accountId: line.account.id,
        // Charges of no one region are in Cost Explorer's REGION 'NoRegion'.
        region: line.recordType === 'RIFee' ? this.seed.regions[0] : 'NoRegion',
        awsService: line.awsService,
        usageType:
          line.recordType === 'RIFee'
            ? `${usageRegion(this.seed.regions[0])}-${line.usageType}`
            : line.usageType,
        tags: {},
        baseDaily: line.baseDaily,
        volumeSensitivity: line.recordType === 'Tax' ? 0.5 : 0,
        weekendFactor: 1,
        amortizedRatio: line.amortizedRatio,
        unitPrice: 1,
        usageUnit: 'N/A',
        recordType: line.recordType,
        billingEntity: line.billingEntity,
        oneOff: line.oneOff,
      });
    }
    // Free-tier Lambda in the shared account: a group whose amount is 0, as AWS shows it.
    const shared = this.accountFor('shared');
    const platform = this.series.find(
      s => s.accountId === shared.id && Object.keys(s.tags).length > 0,
    );
    if (platform) {
      const [primary] = this.seed.regions;
      this.addSeries({
        accountId: shared.id,
        region: primary,
        awsService: 'AWS Lambda',
        usageType: `${usageRegion(primary)}-Lambda-GB-Second`,
        tags: platform.tags,
        baseDaily: 9000,
        volumeSensitivity: 0,
        weekendFactor: 1,
        amortizedRatio: 1,
        unitPrice: 1,
        usageUnit: 'Lambda-GB-Second',
        free: true,
      });
    }
  }
}
