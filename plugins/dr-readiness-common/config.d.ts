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
       * Recovery point objective in minutes.
       * @visibility frontend
       */
      rpoMinutes: number;
    }>;
  };
}
