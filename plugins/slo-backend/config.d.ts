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
      /**
       * Headers sent with every query, e.g. Authorization: Bearer ${PROMETHEUS_TOKEN}.
       * @visibility secret
       */
      headers?: { [name: string]: string };
    };
    /**
     * Further Prometheus-compatible data sources (Prometheus, Thanos, Mimir), by the name an OpenSLO
     * SLI's metricSourceRef (its DataSource) uses. SLIs without one read slo.prometheus.
     */
    dataSources?: {
      [name: string]: {
        /** Base URL of the query API, e.g. https://thanos-query.monitoring:9090 or https://mimir/prometheus. */
        baseUrl: string;
        /** Per-query timeout in seconds (default: slo.prometheus's). */
        timeoutSeconds?: number;
        /** Queries in flight at once (default: slo.prometheus's). */
        concurrency?: number;
        /**
         * Headers sent with every query, e.g. Authorization: Bearer ${THANOS_TOKEN} or X-Scope-OrgID: payments for Mimir.
         * @visibility secret
         */
        headers?: { [name: string]: string };
      };
    };
    /**
     * Where the scheduled evaluation reads each SLO's events. Checked at startup: a mistake stops
     * the backend naming the key and the fix.
     */
    evaluation?: {
      /**
       * `raw` (default): PromQL per SLO and window (about 16 queries per SLO per evaluation), right
       * for tens of SLOs and needing nothing loaded into Prometheus.
       * `recordingRules`: the series of the rules GET /api/slo/rules generates, read with one
       * instant query per window for every SLO (plus one for the rules' info series), so an evaluation
       * costs about ten queries however many SLOs there are: switch at hundreds of SLOs. Requires
       * those rules loaded into the Prometheus of slo.prometheus (rule_files, or the Prometheus
       * Operator's PrometheusRule) and reloaded when the OpenSLO files change. SLOs whose rules are
       * missing, failing, from an older definition or stale, and SLOs no rule records (calendar
       * windows, Timeslices, threshold and raw-ratio SLIs, other data sources), are evaluated with
       * raw queries; each status says which path it took (evaluatedFrom).
       */
      source?: 'raw' | 'recordingRules';
      /**
       * Seconds after which an SLO's recorded series are stale (its rule group has not run since)
       * and the SLO is evaluated raw (default 180: three rule intervals; at least 60).
       */
      staleAfterSeconds?: number;
    };
    schedule?: {
      /** Minutes between evaluations of every SLO (default 5). One run per cluster. */
      evaluateMinutes?: number;
      /** Seconds after startup before the first evaluation (default 10). */
      initialDelaySeconds?: number;
    };
    /** Days of daily snapshots reconstructed from Prometheus on the first evaluation (default 14). */
    snapshotBackfillDays?: number;
    /**
     * Error-budget policies the deploy gate enforces. A Component deploys under the policy its
     * `payments-platform/error-budget-policy` annotation names, else its DR tier's
     * (`payments-platform/dr-tier`), else `default`; without any, the gate's hard rules only.
     * Checked at startup: a mistake stops the backend naming the key and the fix.
     */
    budgetPolicies?: {
      /**
       * Named policies: lists of thresholds, each with one condition (`belowRemaining: 0.25`,
       * `exhausted: true`, `burn: page|ticket`, `noData: true`) and what it triggers
       * (`requires: approval`, `allows: [feature, fix, rollback]`).
       */
      policies?: {
        [name: string]: Array<{
          belowRemaining?: number;
          exhausted?: boolean;
          burn?: 'page' | 'ticket';
          noData?: boolean;
          requires?: 'approval';
          allows?: Array<'feature' | 'fix' | 'rollback'>;
        }>;
      };
      /** DR tier -> policy name, e.g. tier-0: strict. */
      tiers?: { [tier: string]: string };
      /** The policy of Components without an annotation or a mapped tier. */
      default?: string;
      /** Hours an approval or exception for a deploy stays valid (default 24). */
      approvalValidHours?: number;
    };
    /**
     * How the deploy gate judges a canary on its own SLI (GET /gate track=canary&canarySince=...):
     * each SLO's events restricted to track="canary" and track="stable" over the canary window.
     * Missing evidence (no track label, too few canary events, an SLI that cannot be split by
     * track) always denies.
     */
    canary?: {
      /** Deny when the canary's bad ratio is over this multiple of (1 - target) (default 6). */
      maxBurnRate?: number;
      /** Deny when over (1 - target) and over this multiple of the stable track's bad ratio (default 2). */
      maxRatioToBaseline?: number;
      /** Deny with fewer canary events than this over the window (default 100). */
      minEvents?: number;
    };
    /** The embedded default's demo only; production leaves it out. */
    demo?: {
      /**
       * Deploys kept recorded in the current week: each is put to the gate (which its policy
       * must hold: needs-approval), then, with `approvedBy`, approved by that user with `reason`
       * and put to the gate again. Re-recorded each week, so the weekly review shows them.
       */
      deploys?: Array<{
        componentRef: string;
        deployId: string;
        commit?: string;
        change?: 'feature' | 'fix' | 'rollback';
        approvedBy?: string;
        reason?: string;
      }>;
      /**
       * Corrections kept in the past days: one is recorded by `author`, `daysAgo` (1-6) days
       * before today at `at` (HH:MM UTC) for `minutes`, whenever none with its reason started in
       * the last 7 days.
       */
      corrections?: Array<{
        sloKey: string;
        category: 'maintenance' | 'provider' | 'other';
        reason: string;
        author: string;
        daysAgo: number;
        at: string;
        minutes: number;
      }>;
      /**
       * Last week's review signed off by `team` (`signedOffBy`, on its Friday), with an action item
       * recorded on its Tuesday, due on its Friday and still open: carried over into this week.
       */
      reviews?: Array<{
        team: string;
        signedOffBy: string;
        actionItem: {
          sloKey: string;
          text: string;
          owner: string;
          author: string;
        };
      }>;
    };
    notifications?: {
      /**
       * Tell an SLO's owning team (the Component's owner Group) through the Backstage
       * notifications backend when a fast burn (page) or an exhausted budget starts and ends, once
       * per episode, and announce Monday's review (default true).
       */
      enabled?: boolean;
    };
    review?: {
      /** Time of day (HH:MM, 24-hour) on Mondays the week's review is announced to each team (default 09:00). */
      announceAt?: string;
      /** IANA time zone of announceAt, e.g. Europe/London (default UTC). */
      timeZone?: string;
    };
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
