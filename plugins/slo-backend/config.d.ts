export interface Config {
  /** SLOs from OpenSLO definitions and Prometheus (plugins/slo-backend). */
  slo?: {
    prometheus?: {
      /** Prometheus' base URL, e.g. http://prometheus.monitoring:9090 (locally http://127.0.0.1:9099). */
      baseUrl: string;
      /** Per-query timeout in seconds (default 10). */
      timeoutSeconds?: number;
      /** Queries in flight at once (default 8). */
      concurrency?: number;
    };
    schedule?: {
      /** Minutes between evaluations of every SLO (default 5). One run per cluster. */
      evaluateMinutes?: number;
      /** Seconds after startup before the first evaluation (default 10). */
      initialDelaySeconds?: number;
    };
    /** Days of daily snapshots reconstructed from Prometheus on the first evaluation (default 14). */
    snapshotBackfillDays?: number;
    rateLimit?: {
      /**
       * Requests a minute each caller (a signed-in user, or a token such as the deploy gate's) may
       * make to /entity, /burn-down, /gate and /rules, which evaluate live (default 120). More are
       * answered 429 with Retry-After.
       */
      requestsPerMinute?: number;
    };
  };
}
