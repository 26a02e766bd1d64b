/**
 * The SLO plugin's shared shapes: an SLO definition as read from OpenSLO files, the SLO API's
 * answers and routes, and the review-note permission. Types and constants only, so the SLO pages
 * build without the engine; parsing, the maths and the rules are in @internal/slo-node.
 *
 * @packageDocumentation
 */
export type {
  BudgetingMethod,
  CalendarSloWindow,
  CalendarUnit,
  DurationUnit,
  MetricSource,
  RatioIndicator,
  RawRatioIndicator,
  RollingSloWindow,
  SloAlertWindow,
  SloDefinition,
  SloDuration,
  SloIndicator,
  SloObjective,
  SloProblem,
  SloProblemRule,
  SloSource,
  SloWindow,
  ThresholdIndicator,
  ThresholdOperator,
} from './types';
export * from './api';
export * from './permissions';
export type {
  CanaryAnswer,
  CanaryJudgement,
  CanaryTrackEvents,
  DeployTrack,
} from './canary';
