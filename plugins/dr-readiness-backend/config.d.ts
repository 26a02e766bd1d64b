export interface Config {
  /** DR readiness (plugins/dr-readiness-backend); tiers are declared by @internal/dr-readiness-common. */
  drReadiness?: {
    /**
     * Where the scan reads its facts (default `aws`).
     * - `aws`: the AWS APIs in every account x region of `scan` (Tagging API discovery, batch
     *   listings, and per-resource calls where AWS has no batch call). Right for a few accounts
     *   and a few hundred services.
     * - `config`: an AWS Config aggregator (`config` below): one SelectAggregateResourceConfig
     *   query per resource type over every account and region, pages of 100, so calls grow with
     *   resource types and pages, not services. Switch to it with many accounts or thousands of
     *   services, once Config records AWS::RDS::DBCluster, AWS::RDS::DBInstance,
     *   AWS::DynamoDB::Table, AWS::S3::Bucket, AWS::KMS::Key and AWS::SecretsManager::Secret in
     *   every scanned account and region and the aggregator is authorised for all of them. What
     *   Config does not record (PITR recovery period, S3 Replication Time Control, secret
     *   replication status, ElastiCache, AWS Backup jobs, replication lag, Route 53) is still read
     *   with the AWS APIs, so the `aws` integration's roles are still needed. An account x region
     *   the aggregator does not read (no source, recorder off) is reported as unknown, never as
     *   having no resources.
     */
    source?: 'aws' | 'config';
    /** The AWS Config aggregator `source: config` queries (required then). */
    config?: {
      /** The aggregator's name, e.g. `payments-org`. */
      aggregatorName: string;
      /** The region the aggregator lives in, e.g. `eu-west-2`. */
      region: string;
      /**
       * The account the aggregator lives in (usually the organization's management or delegated
       * administrator account), in quotes; credentials come from the `aws` integration for it.
       * Unset: the default credentials.
       */
      accountId?: string;
      /**
       * Hours (0-168, default 24) later scheduled scans may rest on what earlier ones read while
       * Config shows no change: configuration items (a later scan queries only the items
       * captured since, and checks Config's count of each type), per-resource reads of what
       * Config does not record (a secret's replication status, a DynamoDB table's PITR period, a
       * bucket's replication rules) while the resource's item says the same of what the read
       * depends on (its continuous backups status, its replication configuration, a secret's
       * name and key; not its item count or description), and AWS Backup plan
       * versions and selections (immutable). The evidence keeps each call's own time; a rescan
       * always reads. 0 reads everything every scan.
       */
      fallbackMaxAgeHours?: number;
    };
    scan?: {
      /**
       * Accounts whose resources are scanned. Credentials come from the `aws` integration config
       * (`aws.accountDefaults.roleName` or `aws.accounts[]`): a read-only role in each account.
       */
      accounts?: Array<{ accountId: string; name?: string }>;
      /** Regions scanned in every account; the first is the primary, the second the recovery region. */
      regions?: string[];
      /** Only resources whose `environment` tag is one of these (default [production]; [] = all). */
      environments?: string[];
      /** Account holding the public hosted zones and Route 53 health checks (default: the first account). */
      route53AccountId?: string;
      /** AWS calls in flight at once over all accounts and regions (default 8). */
      concurrency?: number;
      /** SDK attempts per call; throttling is retried with backoff (default 6). */
      maxAttempts?: number;
    };
    schedule?: {
      /** Minutes between scheduled scans (default 360; at least 0.25). One run per cluster, however many replicas. */
      everyMinutes?: number;
      /** Seconds after startup before the first scan (default 15). */
      initialDelaySeconds?: number;
      /**
       * Minutes before a scan is abandoned (default 30; at least 0.25): the scan stops and is marked
       * interrupted, and the scheduler's lock of a replica that died mid-scan expires after it.
       */
      timeoutMinutes?: number;
    };
    /**
     * Services the catalog has with a DR tier but no scan has covered yet (scaffolded since the
     * last scheduled scan, or not yet loaded by the catalog when it ran) are scanned on their own
     * by a short-cadence task, one run per cluster, recorded as `catch-up` scans. A run with
     * nothing new reads the catalog and the database and makes no AWS call; none runs before the
     * first scheduled scan has completed or while one is running.
     */
    catchUp?: {
      /** Seconds between catch-up runs (default 60; 1 to 3600). */
      everySeconds?: number;
      /** Services one catch-up scan covers at most; the rest wait for the next run (default 20; 1 to 20, the Tagging API's limit of values per tag filter). */
      maxServices?: number;
    };
    rescan?: {
      /**
       * Seconds between on-demand rescans of the same service (default 300); also how long a
       * service waits after a rescan or catch-up of it failed before a catch-up tries it again.
       */
      minIntervalSeconds?: number;
      /**
       * On-demand rescans one person may have running at once, counted over every replica
       * through the database (default 2; a whole number from 1 to 50, at most maxConcurrent).
       * Asking for more answers 429 with Retry-After.
       */
      maxConcurrentPerUser?: number;
      /**
       * On-demand rescans running at once in the whole portal, over every replica (default 4; a
       * whole number from 1 to 50). Scheduled and catch-up scans are not counted: one of each
       * runs per cluster. Asking for more answers 429 with Retry-After.
       */
      maxConcurrent?: number;
    };
    /** Days of per-scan results and evidence kept; scores (history) are kept for good (default 400). */
    evidenceRetentionDays?: number;
    /** Days of history the scorecard trend and the DR tab chart show (default 90). */
    historyDays?: number;
    /** The embedded default's demo only; production sets `waivers: []`. */
    demo?: {
      /**
       * Waivers kept recorded relative to the clock, so the demo shows a waived and an expired
       * waiver on any day: before each scheduled scan, one whose `reason` has no unrevoked
       * waiver still valid for half its term (or, when `expiresInDays` is negative, no expired
       * one) is recorded again `recordedDaysAgo` days before now. A revoked one stays revoked.
       */
      waivers?: Array<{
        entityRef: string;
        controlId: string;
        reason: string;
        approver: string;
        /** Who recorded it; not the approver. */
        recordedBy: string;
        recordedDaysAgo: number;
        expiresInDays: number;
      }>;
      /**
       * Failover drills kept recorded relative to the clock, so the demo shows a measured RTO that
       * passes and one older than its tier's window on any day: before each scheduled scan, one
       * with no drill of its service, kind and notes ended within twice `endedDaysAgo` is
       * recorded again, ending `endedDaysAgo` days before now.
       */
      drills?: Array<{
        entityRef: string;
        /** region-failover, aurora-global-failover, dynamodb-global-failover, restore-from-backup or dns-failover. */
        kind: string;
        endedDaysAgo: number;
        durationMinutes: number;
        /** Who ran it (a user entity ref). */
        recordedBy: string;
        notes: string;
        link?: string;
      }>;
    };
  };
}
