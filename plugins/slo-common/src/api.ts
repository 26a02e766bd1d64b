/**
 * The SLO API's answers (plugins/slo-backend, routes under /api/slo), read by the SLO frontend.
 * Ratios are 0-1 (attainment 0.9994); times are ISO strings; weeks are ISO weeks named by their
 * Monday, `YYYY-MM-DD`.
 */
import type { CanaryAnswer, DeployTrack } from './canary';

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
  /**
   * Where a recording-rules evaluation (slo.evaluation.source: recordingRules) read this SLO: the
   * recorded series (and when the rules wrote them), or raw queries and why (rules not loaded,
   * stale, failing, or nothing recorded for this kind of SLO). Absent when every SLO is read raw.
   */
  evaluatedFrom?: {
    source: 'recordingRules' | 'raw';
    recordedAt?: string;
    reason?: string;
  };
  /**
   * Every objective, judged on its own (the top-level fields are the worst of them). Absent on
   * statuses stored before objectives were evaluated one by one.
   */
  objectives?: SloObjectiveStatus[];
}

/** One objective of an SLO as evaluated: its target, attainment, budget and burn. */
export interface SloObjectiveStatus {
  displayName?: string;
  target: number;
  timeSliceTarget?: number;
  attainment?: number;
  budget?: SloStatus['budget'];
  burn: SloStatus['burn'];
  hasData: boolean;
  message?: string;
}

/** A definition that could not be used, shown on its entity; the other SLOs still show. */
export interface SloDefinitionProblem {
  entityRef: string;
  source: string;
  message: string;
  /** `warning`: the SLO is still used, with the default the message names; absent means an error. */
  severity?: 'error' | 'warning';
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
  /** Corrections (not revoked) overlapping the window, drawn as shaded ranges. */
  corrections?: SloCorrection[];
  /** Deploys of the SLO's component in the window: the deploy gate's calls. */
  deploys?: BurnDownDeploy[];
  /** Why there are no points though Prometheus has data: the SLO is not counted by events. */
  unavailable?: string;
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
  /** Actions: due date (YYYY-MM-DD), and who closed it (ticked it done) when. */
  due?: string;
  closedBy?: string;
  closedAt?: string;
  /** In a later week's review: the week the open action item was recorded in. */
  carriedOverFrom?: string;
  /** Open past its due date (by the end of the review's week, or today for this week). */
  overdue?: boolean;
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
  /** Corrections overlapping the week (not revoked). */
  corrections?: SloCorrection[];
}

export interface WeeklyReview {
  week: string;
  previousWeek: string;
  /** Weeks with snapshots, newest first, for the week picker. */
  weeks: string[];
  groups: Array<{
    product?: string;
    team?: string;
    lines: WeeklySloLine[];
    /** The team's sign-off of its section for the week. */
    signOff?: ReviewSignOff;
  }>;
  /** Deploy approvals and exceptions recorded in the week (the error-budget policy), newest first. */
  approvals?: DeployApproval[];
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
  /** The deploy asked about (GET /gate deployId, commit, change; change defaults to feature). */
  deployId?: string;
  commit?: string;
  change?: DeployChangeKind;
  /** The error-budget policy's answer (slo.budgetPolicies); name `none` when none applies. */
  policy?: { name: string; outcome: string; message: string };
  /** The approval or exception that let this deploy through. */
  approval?: DeployApproval;
  /** Where an approver records an approval for this deploy (when the gate was given a deployId). */
  approvalUrl?: string;
  /** The track asked about (GET /gate track); with `canary`, the canary's own verdict below. */
  track?: DeployTrack;
  /** The canary judged on its own SLI over [canarySince, evaluatedAt]; must allow too. */
  canary?: CanaryAnswer;
}

/** The catalog annotation pointing at a Component's OpenSLO file (URL or path relative to the entity's file). */
export const SLO_DEFINITIONS_ANNOTATION = 'payments-platform/slo-definitions';

/** Names the error-budget policy (slo.budgetPolicies.policies) a Component deploys under, over its tier's. */
export const ERROR_BUDGET_POLICY_ANNOTATION =
  'payments-platform/error-budget-policy';

export const SLO_ROUTES = {
  overview: '/overview',
  entity: (entityRef: string) =>
    `/entity?entityRef=${encodeURIComponent(entityRef)}`,
  burnDown: (key: string) => `/burn-down?key=${encodeURIComponent(key)}`,
  review: (week?: string) => (week ? `/reviews/${week}` : '/reviews/current'),
  reviewNotes: (week: string) => `/reviews/${week}/notes`,
  reviewNote: (week: string, id: string) =>
    `/reviews/${week}/notes/${encodeURIComponent(id)}`,
  reviewMarkdown: (week: string, team?: string) =>
    team
      ? `/reviews/${week}/export.md?team=${encodeURIComponent(team)}`
      : `/reviews/${week}/export.md`,
  reviewSignOffs: (week: string) => `/reviews/${week}/sign-offs`,
  corrections: (sloKey?: string) =>
    sloKey
      ? `/corrections?sloKey=${encodeURIComponent(sloKey)}`
      : '/corrections',
  correction: (id: string) => `/corrections/${encodeURIComponent(id)}`,
  gate: (componentRef: string) =>
    `/gate?componentRef=${encodeURIComponent(componentRef)}`,
  rules: (entityRef?: string) =>
    entityRef ? `/rules?entityRef=${encodeURIComponent(entityRef)}` : '/rules',
} as const;

/** Why a time range is left out of an SLO's budget. */
export type SloCorrectionCategory = 'maintenance' | 'provider' | 'other';

export const SLO_CORRECTION_CATEGORIES: SloCorrectionCategory[] = [
  'maintenance',
  'provider',
  'other',
];

/**
 * A time range excluded from an SLO's error budget (planned maintenance, a provider's outage
 * that is not ours): events or slices inside it count neither as good nor as bad.
 */
export interface SloCorrection {
  id: string;
  sloKey: string;
  /** ISO times: from inclusive, to exclusive. */
  from: string;
  to: string;
  category: SloCorrectionCategory;
  reason: string;
  /** The signed-in user who recorded it, and when. */
  author: string;
  createdAt: string;
  /** Revoked corrections count again; kept with who revoked them when. */
  revokedBy?: string;
  revokedAt?: string;
}

export interface NewSloCorrection {
  sloKey: string;
  from: string;
  to: string;
  category: SloCorrectionCategory;
  reason: string;
}

/** A team's sign-off of its section of a week's review. */
export interface ReviewSignOff {
  week: string;
  /** The owner group, e.g. `group:default/ledger-team`. */
  team: string;
  signedBy: string;
  signedAt: string;
}

/** A deploy of an SLO's component: one deploy gate call, marked on the burn-down. */
export interface BurnDownDeploy {
  time: string;
  decision: 'allow' | 'deny';
  deployId?: string;
  commit?: string;
  change?: string;
  approvedBy?: string;
}

/** What a deploy changes, as the pipeline says (GET /gate change=...). */
export type DeployChangeKind = 'feature' | 'fix' | 'rollback';

/** An approval (lifts `requires: approval`) or exception (also lifts `allows` and a spent budget) for one deploy. */
export interface DeployApproval {
  id: string;
  componentRef: string;
  deployId: string;
  commit?: string;
  kind: 'approval' | 'exception';
  reason: string;
  /** The signed-in user who recorded it (Backstage identity). */
  approvedBy: string;
  approvedAt: string;
  expiresAt: string;
}

/** One call of the deploy gate, as recorded (table slo_gate_calls). */
export interface GateCall {
  id: string;
  componentRef: string;
  deployId?: string;
  commit?: string;
  change: DeployChangeKind;
  decision: 'allow' | 'deny';
  policyOutcome?: string;
  calledAt: string;
  /** Who approved (or excepted) the deploy when the call was let through by an approval. */
  approvedBy?: string;
  /** The track the call was about, and the canary's own verdict (track canary). */
  track?: DeployTrack;
  canaryVerdict?: 'allow' | 'deny';
}

/** A recorded gate call with what the pipeline was told. */
export interface GateCallDetail extends GateCall {
  policy?: { name: string; outcome: string; message: string };
  reasons: DeployGateAnswer['reasons'];
}

/** GET /approvals: a component's recent gate calls and approvals; with deployId, that deploy's. */
export interface DeployApprovals {
  componentRef: string;
  deployId?: string;
  /** The latest gate call of that deploy (with deployId). */
  deploy?: GateCallDetail;
  calls: GateCall[];
  approvals: DeployApproval[];
}

/** POST /approvals. */
export interface NewDeployApproval {
  componentRef: string;
  deployId: string;
  commit?: string;
  reason: string;
  kind: 'approval' | 'exception';
}

export const SLO_DEPLOY_ROUTES = {
  gate: (
    componentRef: string,
    deploy: {
      deployId?: string;
      commit?: string;
      change?: DeployChangeKind;
      track?: DeployTrack;
      canarySince?: string;
    } = {},
  ) =>
    `/gate?${new URLSearchParams({
      componentRef,
      ...Object.fromEntries(
        Object.entries(deploy).filter(([, v]) => v !== undefined) as Array<
          [string, string]
        >,
      ),
    })}`,
  approvals: (componentRef: string, deployId?: string) =>
    `/approvals?${new URLSearchParams({
      componentRef,
      ...(deployId ? { deployId } : {}),
    })}`,
  newApproval: '/approvals',
} as const;

/**
 * A definition problem that is a warning: the SLO is still used, with a default the message names
 * (e.g. a missing timeWindow, an alert policy from another file).
 */
export const isDefinitionWarning = (problem: { severity?: string }) =>
  problem.severity === 'warning';
