export interface Config {
  /** Cost per product, team and service (plugins/cost-backend). */
  cost?: {
    /** Cost Explorer metric: AmortizedCost (default), UnblendedCost, BlendedCost, NetAmortizedCost or NetUnblendedCost. */
    metric?: string;
    /**
     * The currency the portal shows (ISO 4217, default USD). Cost Explorer reports amounts in USD
     * (each amount's Unit): when they differ, amounts are shown in AWS's unit, never relabelled,
     * unless exchangeRate converts them.
     */
    currency?: string;
    /** Converts AWS's amounts into currency; the pages say so, with the rate and its date. */
    exchangeRate?: {
      /** The unit AWS reports, e.g. USD. */
      from: string;
      /** Must equal currency, e.g. EUR. */
      to: string;
      /** Units of `to` per 1 `from`, e.g. 0.92. */
      rate: number;
      /** The day the rate is from, YYYY-MM-DD. */
      asOf: string;
    };
    /**
     * Charges no tag can carry, spread over products (shown apart from direct cost), e.g.
     * [{recordTypes: [Support, Credit], split: proportional}]. Unlisted charges stay lines of their own.
     */
    chargeSpread?: Array<{
      /** Cost Explorer RECORD_TYPE values: Tax, Support, Credit, Refund, Fee, RIFee, SavingsPlanRecurringFee, ... */
      recordTypes: string[];
      /** proportional (to each product's direct spend, default) or even. */
      split?: string;
    }>;
    /**
     * Where usage comes from: costExplorer (default) reads Cost Explorer's API (GetCostAndUsage,
     * about 15 grouped queries per refresh whose pages, at $0.01 each, grow with products);
     * dataExport reads a CUR 2.0 or FOCUS 1.x Data Export (Parquet in S3) with SQL: two queries per
     * refresh whatever the number of products. Switch to dataExport for many accounts or products
     * (hundreds of pages per refresh), for resource-level lines (which resource is untagged), or to
     * stop paying per request. Forecast, anomalies and cost allocation tag status are still read from
     * Cost Explorer either way (exports do not carry them).
     */
    source?: 'costExplorer' | 'dataExport';
    /** The data export read when source is dataExport. */
    dataExport?: {
      /** cur2 (default: a CUR 2.0 Data Export) or focus1 (FOCUS 1.x with AWS columns). */
      format?: 'cur2' | 'focus1';
      /**
       * duckdb (default): query a local copy of the export in-process (the embedded default, small
       * estates, tests); athena: query it where it lies in S3 through Athena (production).
       */
      engine?: 'duckdb' | 'athena';
      /**
       * duckdb: the local folder holding the export's Parquet files (searched recursively, hive
       * partitions BILLING_PERIOD=YYYY-MM), e.g. .data/aws-local/exports.
       */
      path?: string;
      /** athena: the Glue table over the export (AWS's CUR 2.0 CloudFormation/crawler template makes one). */
      athena?: {
        /** Glue database, e.g. payments_cost. */
        database: string;
        /** Glue table over the export's Parquet, e.g. cur2. */
        table: string;
        /** Athena workgroup (engine v3), e.g. cost-portal; give it a bytes-scanned limit. */
        workGroup: string;
        /** s3:// prefix for query results; may be left out when the workgroup enforces one. */
        outputLocation?: string;
        /** Athena's region (default cost.region, then us-east-1): where the export bucket is. */
        region?: string;
        /** Glue Data Catalog (default AwsDataCatalog). */
        catalog?: string;
      };
    };
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
      /** Minutes between checks that tell owning teams of budget crossings and anomalies (default 60). One run per cluster. */
      notifyMinutes?: number;
    };
    /**
     * Monthly budgets per product, in cost.currency. They win over the System annotation
     * payments-platform/monthly-budget, which teams may set themselves.
     */
    budgets?: Array<{
      /** The product (System name), e.g. payouts. */
      product: string;
      /** The monthly budget, e.g. 42000. */
      monthly: number;
    }>;
    /** Prometheus for unit metrics with a query (default: slo.prometheus.baseUrl). */
    prometheus?: {
      baseUrl?: string;
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
    /**
     * The AWS Cost Category the portal generates (GET /api/cost/cost-category.json and .tf): one
     * value per product matching its services' product tag, shared pools as split charge rules.
     */
    costCategory?: {
      /** The definition's name (default Product). */
      name?: string;
      /** The value of spend no rule matches (default Unallocated). */
      defaultValue?: string;
    };
    /**
     * Group products by this AWS Cost Category (GroupBy COST_CATEGORY) instead of the product tag,
     * for organisations that allocate in AWS. Spend under its default value
     * (cost.costCategory.defaultValue) counts as unallocated.
     */
    productCostCategory?: string;
    /**
     * The resources behind unallocated spend: listed with the Resource Groups Tagging API per
     * account x region, once per cluster. Without regions nothing is listed.
     */
    untaggedResources?: {
      /** Accounts to list (default cost.accounts); each read through the aws integration's role. */
      accounts?: Array<{ accountId: string; name?: string }>;
      /** Regions to list, e.g. [eu-west-2, eu-west-1]. */
      regions?: string[];
      /** Minutes between listings (default 1440). */
      refreshMinutes?: number;
    };
    /** Business metrics for cost per 1,000 units, per product. */
    unitMetrics?: Array<{
      product: string;
      /** What is counted, e.g. payments authorised. */
      metric: string;
      /** Units per month, by YYYY-MM. */
      monthly?: { [month: string]: number };
      /** Units in every month not listed in monthly. */
      everyMonth?: number;
      /**
       * Instead of monthly/everyMonth: PromQL giving a month's units, evaluated at the month's end;
       * $__range becomes the month's length, e.g. sum(increase(payments_total[$__range])).
       */
      query?: string;
    }>;
  };
}
