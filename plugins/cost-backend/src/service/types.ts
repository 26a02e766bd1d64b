/** Domain types of the cost backend: no AWS SDK types beyond the sources. */

export type Granularity = 'MONTHLY' | 'DAILY';

/** One grouping dimension of a usage query: a taxonomy tag or an AWS dimension. */
export type Grouping =
  | { tag: string }
  /** An AWS Cost Category (keys `Name$value`); its default value reads as '' (no product), as an untagged line does. */
  | { costCategory: string; defaultValue?: string }
  | {
      dimension:
        | 'SERVICE'
        | 'LINKED_ACCOUNT'
        | 'RECORD_TYPE'
        | 'BILLING_ENTITY';
    };

/** A filter on usage: all listed conditions must hold. */
export interface UsageFilter {
  /** Tags that must be missing. */
  tagsAbsent?: string[];
  /** Tags that must be present (any value). */
  tagsPresent?: string[];
  linkedAccounts?: string[];
  /** Accounts left out (shared accounts, whose spend is a pool of its own). */
  excludeLinkedAccounts?: string[];
  /**
   * Only spend a tag can carry: AWS usage (RECORD_TYPE Usage, DiscountedUsage,
   * SavingsPlanCoveredUsage, BILLING_ENTITY AWS), not tax, support, credits, fees or marketplace.
   */
  taggableOnly?: boolean;
}

export interface UsageQuery {
  start: string; // YYYY-MM-DD, inclusive
  end: string; // YYYY-MM-DD, exclusive
  granularity: Granularity;
  metric: string;
  groupBy: [Grouping, Grouping];
  filter?: UsageFilter;
  /** Stops reading pages (the replica is stopping, or the refresh ran past its timeout). */
  signal?: AbortSignal;
}

/** One amount for one period and group, pages already merged. */
export interface UsageRow {
  periodStart: string;
  key1: string;
  key2: string;
  amount: number;
  provisional: boolean;
}

/** One period Cost Explorer answered for (ResultsByTime has one per period, groups or not). */
export interface UsagePeriod {
  start: string;
  /** Cost Explorer still marks the period Estimated (the current month; last month until its invoice). */
  estimated: boolean;
}

export interface UsageResult {
  rows: UsageRow[];
  /** Every period answered, in order: which months came back final and which are still estimated. */
  periods: UsagePeriod[];
  /** Account id -> name, where Cost Explorer described accounts. */
  accountNames: Record<string, string>;
  /** Cost Explorer requests made (each page is one, and is billed). */
  calls: number;
  /** The `Unit` of every amount read (AWS prices in USD), when the source reports it. */
  units?: string[];
}

/** What a batch of usage queries cost the source that answered it (a data export's SQL engine). */
export interface UsageBatchStats {
  /** SQL queries run (Athena: StartQueryExecution calls). */
  queries: number;
  /** Bytes the engine scanned (Athena's DataScannedInBytes; DuckDB: the Parquet files read). */
  bytesScanned: number;
  /** Result rows read back. */
  rows: number;
  /** AWS requests made for them (Athena's Start/Get/GetQueryResults; 0 for DuckDB). */
  awsCalls: number;
}

/** The answers to a batch of usage queries, in the order asked. */
export interface UsageBatchResult {
  results: UsageResult[];
  stats: UsageBatchStats;
}

/** A cost allocation tag key as ListCostAllocationTags reports it; `NotFound` = not listed (never on a bill). */
export interface CostAllocationTagState {
  tagKey: string;
  status: 'Active' | 'Inactive' | 'NotFound';
  lastUpdated?: string;
  lastUsed?: string;
}

export interface ForecastPeriod {
  start: string;
  end: string;
  mean: number;
  low: number;
  high: number;
  /** How many account scopes' forecasts were added up (stored forecasts only). */
  scopes?: number;
}

/** One combination of AWS service, account, region and usage type an anomaly is traced to. */
export interface AnomalyRootCause {
  awsService?: string;
  accountId?: string;
  accountName?: string;
  region?: string;
  usageType?: string;
  /** Dollar impact AWS attributes to this cause. */
  contribution?: number;
}

/** A Cost Anomaly Detection monitor: anomalies are found per monitor, and monitors overlap. */
export interface AnomalyMonitor {
  arn: string;
  name?: string;
}

export interface Anomaly {
  id: string;
  /** The monitor that found it; the same spike found by two monitors comes as two anomalies. */
  monitor?: AnomalyMonitor;
  /** Every root cause AWS gives, largest contribution first; the fields below are the first's. */
  rootCauses: AnomalyRootCause[];
  start: string;
  end?: string;
  awsService: string;
  accountId?: string;
  accountName?: string;
  region?: string;
  usageType?: string;
  actual: number;
  expected: number;
  impact: number;
  impactPercent: number;
}

/** Where cost is read: the management account (whole organisation) or one linked account. */
export interface AccountScope {
  /** 'organization' or the account id. */
  id: string;
  accountId?: string;
  name?: string;
}

/** What the refresh needs from Cost Explorer; the AWS source implements it. */
export interface CostSource {
  readonly scope: AccountScope;
  usage(query: UsageQuery): Promise<UsageResult>;
  /**
   * Answers several usage queries at once (a data export answers every monthly view from one SQL
   * query, so queries per refresh stay flat in products); the refresh uses it when present.
   */
  usageBatch?(
    queries: UsageQuery[],
    signal?: AbortSignal,
  ): Promise<UsageBatchResult>;
  forecast(
    start: string,
    end: string,
    metric: string,
  ): Promise<{ periods: ForecastPeriod[]; calls: number }>;
  anomalies(since: string): Promise<{ anomalies: Anomaly[]; calls: number }>;
  /** The activation status of these tag keys (ListCostAllocationTags, every page). */
  costAllocationTags?(
    tagKeys: string[],
    signal?: AbortSignal,
  ): Promise<{ tags: CostAllocationTagState[]; calls: number }>;
  /** ListCostAllocationTagBackfillHistory: the payer's backfills (linked accounts may not read it). */
  costAllocationTagBackfills?(
    signal?: AbortSignal,
  ): Promise<{ backfills: TagBackfill[]; calls: number }>;
}

/** A cost allocation tag backfill: once SUCCEEDED, the keys active then group spend from `from` on. */
export interface TagBackfill {
  /** YYYY-MM-DD, the first day of a month. */
  from: string;
  status: string;
  /** ISO time it completed, once it has. */
  completedAt?: string;
}

/** A failure reading one account, kept as data: its figures become stale, the rest still refresh. */
export class SourceError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'SourceError';
  }
}
