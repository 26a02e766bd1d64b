/**
 * The SLO engine, for the backend side: OpenSLO v1 files parsed and validated into SloDefinitions
 * (types in @internal/slo-common), and the maths on them: attainment and error budget, burn rates
 * and the multi-window alert status, the deploy gate decision and the Prometheus rules. Pure: the
 * SLO backend reads files and Prometheus, this package only computes.
 *
 * @packageDocumentation
 */
export { parseOpenSlo } from './parseOpenSlo';
export type { OpenSloParseResult } from './parseOpenSlo';
export { OPENSLO_API_VERSION, OPENSLO_KINDS } from './openSloFields';
export type { OpenSloKind } from './openSloFields';
export { formatPrometheusDuration, parseDuration } from './duration';
export { queryForWindow, WINDOW_PLACEHOLDER } from './queryTemplate';
export { windowStart } from './window';
export {
  budgetBurnDown,
  countSlices,
  errorBudget,
  isGoodSlice,
  ratioTimesliceCounts,
  readEvents,
  sliceCriterion,
} from './errorBudget';
export type {
  BudgetBurnDownPoint,
  CumulativeEvents,
  ErrorBudget,
  EventCounts,
  EventReading,
  MeasuredErrorBudget,
  MissingErrorBudget,
  NoDataReason,
  SliceCounts,
  SliceCriterion,
} from './errorBudget';
export { cumulativeIncrease, increaseWithResets } from './counters';
export type { CounterIncrease, CounterSample } from './counters';
export {
  BURN_RATE_ALERTS,
  BURN_RATE_BASE_PERIOD_DAYS,
  DEFAULT_MIN_EVENTS,
  burnRate,
  burnRateOptions,
  burnRateWindowLengths,
  burnRateWindows,
  evaluateBurnRate,
} from './burnRate';
export type {
  AlertSeverity,
  BurnRateAlert,
  BurnRateCheck,
  BurnRateEvaluation,
  BurnRateOptions,
  BurnRateStatus,
  BurnRateWindow,
  WindowEvents,
  WindowLength,
} from './burnRate';
export { decideDeploy } from './deployGate';
export type {
  DeployDecision,
  DeployGateOptions,
  DeployReason,
  DeployReasonCode,
  SloHealth,
} from './deployGate';
export {
  eventQueries,
  prometheusRules,
  prometheusRulesByDataSource,
  prometheusRulesYaml,
  recordedEventWindows,
  recordedSeries,
  rulesDigest,
  sliceRatioQuery,
  SLO_ALERT_NAME,
} from './prometheusRules';
export type {
  AlertingRule,
  DataSourceRules,
  PrometheusRule,
  PrometheusRuleGroup,
  RecordingRule,
} from './prometheusRules';
export { applyBudgetPolicy } from './budgetPolicy';
export type {
  BudgetPolicyDecision,
  BudgetPolicyOutcome,
  DeployApprovalGrant,
} from './budgetPolicy';
export {
  budgetPolicyFor,
  DEFAULT_APPROVAL_VALID_HOURS,
  DEPLOY_CHANGES,
  NO_BUDGET_POLICY,
  readBudgetPolicies,
} from './budgetPolicyConfig';
export type {
  BudgetPolicies,
  BudgetPolicy,
  BudgetPolicyRule,
  DeployChange,
} from './budgetPolicyConfig';
export { withLabelMatcher } from './labelMatcher';
export type { LabelMatcher, RestrictedQuery } from './labelMatcher';
export {
  canaryEventQueries,
  DEFAULT_CANARY_SETTINGS,
  judgeCanary,
  TRACK_LABEL,
} from './canary';
export type {
  CanaryCode,
  CanarySettings,
  CanaryVerdict,
  Track,
  TrackEvents,
  TrackQueries,
} from './canary';
