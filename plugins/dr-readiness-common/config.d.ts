export interface Config {
  /** DR readiness: tiers shared by the catalog, the scaffolder and the DR-readiness plugin. */
  drReadiness?: {
    /**
     * The DR tiers a service can declare with the `payments-platform/dr-tier` annotation.
     * @visibility frontend
     */
    tiers: Array<{
      /**
       * Tier id as written in the annotation, e.g. `tier-0`.
       * @visibility frontend
       */
      id: string;
      /**
       * Human title, e.g. `Tier 0 - payment-critical`.
       * @visibility frontend
       */
      title?: string;
      /**
       * Recovery time objective in minutes.
       * @visibility frontend
       */
      rtoMinutes: number;
      /**
       * Recovery point objective in minutes. The AWS Backup controls compare recovery points,
       * copies and plan schedules with it; under 60 minutes no backup can meet it (AWS Backup
       * runs at most hourly) and they judge backups against an hourly schedule instead, saying so.
       * @visibility frontend
       */
      rpoMinutes: number;
      /**
       * The controls the tier requires, each with its weight (a positive number) in the score.
       * Ids are those of the registry in @internal/dr-readiness-node (`DR_CONTROLS`), e.g. `rds-multi-az`.
       * Required by the DR-readiness plugin; the catalog and the scaffolder do without. A tier
       * asks for backups copied to another account by listing `backup-copy-cross-account`.
       * @visibility frontend
       */
      controls?: Array<{
        /**
         * Control id, e.g. `dynamodb-pitr`.
         * @visibility frontend
         */
        id: string;
        /**
         * Weight in the score (a positive number).
         * @visibility frontend
         */
        weight: number;
      }>;
      /**
       * Minimum automated backup retention of Aurora/RDS clusters in days (at most 35, the RDS
       * maximum), checked by `rds-backup-retention`. Required by the DR-readiness plugin.
       * @visibility frontend
       */
      backupRetentionDays?: number;
      /**
       * Maximum age in days of the newest successful restore (test) of each store, checked by
       * `backup-restore-tested`. Required by the DR-readiness plugin.
       * @visibility frontend
       */
      restoreTestWithinDays?: number;
      /**
       * Maximum age in days of the newest succeeded failover drill (recorded through the DR tab or
       * POST /services/:namespace/:name/drills), checked by `failover-drill-within-rto`. Optional:
       * 180 days when unset.
       * @visibility frontend
       */
      drillWithinDays?: number;
      /**
       * How traffic moves to the recovery region: `automatic` (Route 53 fails over when the
       * primary's deep health check fails) or `manual` (the incident commander inverts the
       * failover switch health check). Optional: `manual` when unset.
       * @visibility frontend
       */
      failoverMode?: 'automatic' | 'manual';
    }>;
    /**
     * Readiness levels by score (passed weight / counted weight, 0..1). Defaults: readyAt 1,
     * partialAt 0.7.
     * @visibility frontend
     */
    levels?: {
      /**
       * Score at or above which a service with nothing errored is `ready`.
       * @visibility frontend
       */
      readyAt?: number;
      /**
       * Score at or above which a service is `partial` (below it: `not-ready`).
       * @visibility frontend
       */
      partialAt?: number;
    };
  };
}
