/** Domain types of the cost backend: no AWS SDK types beyond the sources. */

export type Granularity = 'MONTHLY' | 'DAILY';

/** One grouping dimension of a usage query: a taxonomy tag or an AWS dimension. */
export type Grouping =
  | { tag: string }
  | { dimension: 'SERVICE' | 'LINKED_ACCOUNT' };

/** A filter on usage: all listed conditions must hold. */
export interface UsageFilter {
  /** Tags that must be missing. */
  tagsAbsent?: string[];
  /** Tags that must be present (any value). */
  tagsPresent?: string[];
  linkedAccounts?: string[];
  /** Accounts left out (shared accounts, whose spend is a pool of its own). */
  excludeLinkedAccounts?: string[];
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

export interface UsageResult {
  rows: UsageRow[];
  /** Account id -> name, where Cost Explorer described accounts. */
  accountNames: Record<string, string>;
  /** Cost Explorer requests made (each page is one, and is billed). */
  calls: number;
}

export interface ForecastPeriod {
  start: string;
  end: string;
  mean: number;
  low: number;
  high: number;
}

export interface Anomaly {
  id: string;
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
  forecast(
    start: string,
    end: string,
    metric: string,
  ): Promise<{ periods: ForecastPeriod[]; calls: number }>;
  anomalies(since: string): Promise<{ anomalies: Anomaly[]; calls: number }>;
}

/** A failure reading one account, kept as data: its figures become stale, the rest still refresh. */
export class SourceError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'SourceError';
  }
}
