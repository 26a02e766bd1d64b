export interface Config {
  /** Cost per product, team and service (plugins/cost-backend). */
  cost?: {
    /** Cost Explorer metric: AmortizedCost (default), UnblendedCost, BlendedCost, NetAmortizedCost or NetUnblendedCost. */
    metric?: string;
    /** Billing currency shown in the portal (default USD). */
    currency?: string;
    /** Months of monthly history read on the first refresh (default 13, Cost Explorer's limit). */
    historyMonths?: number;
    /** Days of daily figures re-read on every refresh, since AWS revises recent days (default 40). */
    dailyDays?: number;
    /** Cost Explorer's region (default us-east-1). */
    region?: string;
    /** SDK attempts per call, retries with backoff on throttling (default 5). */
    maxAttempts?: number;
    schedule?: {
      /** Minutes between usage refreshes (default 360). One run per cluster, however many replicas. */
      usageMinutes?: number;
      /** Minutes between forecast refreshes (default 1440). */
      forecastMinutes?: number;
      /** Minutes between anomaly refreshes (default 720). */
      anomaliesMinutes?: number;
      /** Seconds after startup before the first refresh (default 10). */
      initialDelaySeconds?: number;
    };
    /**
     * Read each account separately, with credentials from the `aws` integration config
     * (`aws.accounts[].roleName` to assume a role). Without it, Cost Explorer is read once from the
     * management account with the default credential chain, which sees every linked account.
     */
    accounts?: Array<{
      accountId: string;
      name?: string;
    }>;
    /**
     * How shared cost pools (product tag values the taxonomy marks `shared`) are split across
     * products. Pools without a rule are split proportionally to direct spend.
     */
    sharedCosts?: Array<{
      /** The product tag value of the pool, e.g. shared (give this or account). */
      pool?: string;
      /** A shared account (12-digit id): its whole spend is the pool, whatever its tags (give this or pool). */
      account?: string;
      /** even, proportional (to each product's direct spend) or fixed. */
      split: string;
      /** For fixed: product -> percent (at most 100 in total). */
      percentages?: { [product: string]: number };
    }>;
    /** Business metrics for cost per 1,000 units, per product. */
    unitMetrics?: Array<{
      product: string;
      /** What is counted, e.g. payments authorised. */
      metric: string;
      /** Units per month, by YYYY-MM. */
      monthly?: { [month: string]: number };
      /** Units in every month not listed in monthly. */
      everyMonth?: number;
    }>;
  };
}
