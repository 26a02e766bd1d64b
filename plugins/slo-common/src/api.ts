/**
 * The SLO API's answers (plugins/slo-backend, routes under /api/slo), read by the SLO frontend.
 * Ratios are 0-1 (attainment 0.9994); times are ISO strings; weeks are ISO weeks named by their
 * Monday, `YYYY-MM-DD`.
 */

export type SloBurnStatus = 'page' | 'ticket' | 'ok' | 'no-data';

/** Where an SLO comes from and who it belongs to. */
export interface SloIdentity {
  /** Unique across the portal: `<component ref>#<slo name>`. */
  key: string;
  name: string;
  displayName?: string;
  description?: string;
  /** The catalog Component, e.g. `component:default/ledger-writer`. */
  entityRef: string;
  /** The Component's System name (product) and owner group ref (team), when the catalog has them. */
  product?: string;
  team?: string;
  /** The OpenSLO file it was read from. */
  source: string;
}

/** One SLO's state as last evaluated against Prometheus. */
export interface SloStatus extends SloIdentity {
  target: number;
  /** e.g. `28d rolling`, `calendar month`. */
  windowLabel: string;
  budgetingMethod: string;
  indicatorKind: 'ratio' | 'threshold' | 'raw-ratio';
  /** False when Prometheus had no events (or no samples) for the window: never shown as 100%. */
  hasData: boolean;
  /** Why there is no data, or why a page was downgraded (low traffic). */
  message?: string;
  attainment?: number;
  budget?: {
    /** Share of the error budget left, 1 = untouched; negative when overspent. */
    remaining: number;
    /** Bad events (or bad slices) allowed in the window, and spent. */
    allowed: number;
    consumed: number;
    exhausted: boolean;
  };
  burn: {
    status: SloBurnStatus;
    message: string;
    /** The highest long-window burn rate and its window. */
    worst?: { window: string; rate: number };
    /** Burn rate per window label (5m, 1h, ...); null without data. */
    rates: Array<{ window: string; rate: number | null }>;
  };
  evaluatedAt: string;
}

/** A definition that could not be used, shown on its entity; the other SLOs still show. */
export interface SloDefinitionProblem {
  entityRef: string;
  source: string;
  message: string;
}

export interface PrometheusConnection {
  /** The Prometheus base URL the backend queries (absent when none is configured). */
  url?: string;
  connected: boolean;
  /** What went wrong on the last evaluation, e.g. connection refused. */
  error?: string;
  /** When SLOs were last evaluated (the dashboard shows this, it does not query Prometheus). */
  evaluatedAt?: string;
  /** PromQL queries the last evaluation made, in total. */
  queries?: number;
}

export interface SloOverview {
  slos: SloStatus[];
  problems: SloDefinitionProblem[];
  prometheus: PrometheusConnection;
}

export interface EntitySlos {
  entityRef: string;
  slos: Array<SloStatus & { definitionYaml: string }>;
  problems: SloDefinitionProblem[];
  prometheus: PrometheusConnection;
  /** True when the entity has no `payments-platform/slo-definitions` annotation; `hint` says what to add. */
  unannotated?: boolean;
  hint?: string;
  /**
   * True when the SLOs were evaluated for this answer because no scheduled evaluation has seen
   * them yet (a service created minutes ago); the next scheduled evaluation stores them.
   */
  evaluatedLive?: boolean;
}

export interface BurnDown {
  key: string;
  /** Remaining budget over the window, oldest first; null where Prometheus had no data. */
  points: Array<{ time: string; remaining: number | null }>;
}

export interface ReviewNote {
  id: string;
  sloKey: string;
  week: string;
  kind: 'note' | 'action';
  text: string;
  /** For actions: who owns it, and whether it is done. */
  owner?: string;
  done?: boolean;
  author: string;
  createdAt: string;
}

/** One SLO in one week's review, from the stored daily snapshots. */
export interface WeeklySloLine {
  slo: SloIdentity & { target: number; windowLabel: string };
  /** End of the week (or latest) snapshot; absent when none was taken that week. */
  attainment?: number;
  budgetRemaining?: number;
  /** Attainment change against the week before, in percentage points; absent without both weeks. */
  attainmentChange?: number;
  budgetRemainingChange?: number;
  /** The budget ran out, or a page-level burn was seen, during the week. */
  breached: boolean;
  worstBurn: SloBurnStatus;
  notes: ReviewNote[];
}

export interface WeeklyReview {
  week: string;
  previousWeek: string;
  /** Weeks with snapshots, newest first, for the week picker. */
  weeks: string[];
  groups: Array<{ product?: string; team?: string; lines: WeeklySloLine[] }>;
}

export interface DeployGateAnswer {
  componentRef: string;
  decision: 'allow' | 'deny';
  reasons: Array<{
    code: string;
    slo?: string;
    blocking: boolean;
    message: string;
    numbers: Record<string, number | string | null>;
  }>;
  slos: SloStatus[];
  evaluatedAt: string;
}

/** The catalog annotation pointing at a Component's OpenSLO file (URL or path relative to the entity's file). */
export const SLO_DEFINITIONS_ANNOTATION = 'payments-platform/slo-definitions';

export const SLO_ROUTES = {
  overview: '/overview',
  entity: (entityRef: string) =>
    `/entity?entityRef=${encodeURIComponent(entityRef)}`,
  burnDown: (key: string) => `/burn-down?key=${encodeURIComponent(key)}`,
  review: (week?: string) => (week ? `/reviews/${week}` : '/reviews/current'),
  reviewNotes: (week: string) => `/reviews/${week}/notes`,
  reviewNote: (week: string, id: string) =>
    `/reviews/${week}/notes/${encodeURIComponent(id)}`,
  reviewMarkdown: (week: string) => `/reviews/${week}/export.md`,
  gate: (componentRef: string) =>
    `/gate?componentRef=${encodeURIComponent(componentRef)}`,
  rules: (entityRef?: string) =>
    entityRef ? `/rules?entityRef=${encodeURIComponent(entityRef)}` : '/rules',
} as const;
