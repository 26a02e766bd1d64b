/** The OpenSLO duration-shorthand units: minutes, hours, days, weeks, months, quarters, years. */
export type DurationUnit = 'm' | 'h' | 'd' | 'w' | 'M' | 'Q' | 'Y';

/** What a calendar-aligned window restarts on. */
export type CalendarUnit =
  | 'minute'
  | 'hour'
  | 'day'
  | 'week'
  | 'month'
  | 'quarter'
  | 'year';

/** An OpenSLO duration such as `28d` or `1M`, with its length in seconds. */
export interface SloDuration {
  /** As written, e.g. `28d`. */
  text: string;
  count: number;
  unit: DurationUnit;
  /** Months, quarters and years count as 30, 90 and 365 days, as the OpenSLO Go SDK does. */
  seconds: number;
}

/** How the error budget is counted (OpenSLO `budgetingMethod`). */
export type BudgetingMethod = 'Occurrences' | 'Timeslices' | 'RatioTimeslices';

/** How a threshold SLI compares its value: `lte` means a value <= the objective's value is good. */
export type ThresholdOperator = 'lte' | 'gte' | 'lt' | 'gt';

/** The SLO's time window: rolling (the last N days) or aligned to the calendar. */
export type SloWindow = RollingSloWindow | CalendarSloWindow;

export interface RollingSloWindow {
  kind: 'rolling';
  /** As written, e.g. `28d`. */
  duration: string;
  seconds: number;
  /** Length in days (may be fractional for windows written in m or h). */
  days: number;
}

export interface CalendarSloWindow {
  kind: 'calendar';
  /** As written, e.g. `1M`. */
  duration: string;
  /** How many units one window spans, e.g. 1 for `1M`. */
  count: number;
  unit: CalendarUnit;
  /** When the first window starts, `YYYY-MM-DD HH:MM:SS` in timeZone. */
  startTime: string;
  /** IANA time zone name, e.g. `Europe/London`. */
  timeZone: string;
  /** Nominal length in days (a month counts 30) for scaling burn-rate windows. */
  days: number;
}

/** One objective of an SLO, with its target as a ratio. */
export interface SloObjective {
  displayName?: string;
  /** Share of good events (or slices) to reach, 0 <= target < 1; targetPercent is converted. */
  target: number;
  /** Timeslices only: a slice is good when its SLI reaches this ratio. */
  timeSliceTarget?: number;
  /** Timeslices and RatioTimeslices: the length of one slice. */
  timeSliceWindow?: SloDuration;
}

/** Where an SLI's numbers come from. */
export interface MetricSource {
  /** `Prometheus`, from the metricSource or its DataSource; undefined when it names a DataSource in another file. */
  type?: string;
  /** The DataSource named by metricSourceRef. */
  dataSource?: string;
  /** The DataSource's connectionDetails.url (same file only); used only when it matches a configured source. */
  url?: string;
}

/**
 * An event-ratio SLI. Queries are PromQL templates returning the number of events (an increase)
 * over `{{.window}}`; fill them in with queryForWindow. Exactly one of good and bad is set.
 */
export interface RatioIndicator {
  kind: 'ratio';
  name: string;
  displayName?: string;
  good?: string;
  bad?: string;
  total: string;
  source: MetricSource;
}

/** A precomputed ratio (OpenSLO `raw`): no event counts, so no traffic guard is possible. */
export interface RawRatioIndicator {
  kind: 'raw-ratio';
  name: string;
  displayName?: string;
  /** PromQL template over `{{.window}}` returning the ratio. */
  query: string;
  /** `success`: the query is good/total; `failure`: bad/total. */
  rawType: 'success' | 'failure';
  source: MetricSource;
}

/** A value compared with a threshold, e.g. p99 latency from a histogram <= 0.3 s. */
export interface ThresholdIndicator {
  kind: 'threshold';
  name: string;
  displayName?: string;
  /** PromQL returning the value, sampled as written (e.g. `histogram_quantile(0.99, ...)`). */
  query: string;
  op: ThresholdOperator;
  value: number;
  source: MetricSource;
}

export type SloIndicator =
  | RatioIndicator
  | RawRatioIndicator
  | ThresholdIndicator;

/** Where a definition was read: the file as given to parseOpenSlo and the document's position. */
export interface SloSource {
  file: string;
  /** 0-based index of the YAML document in the file. */
  document: number;
  /** 0-based index in the document when the document is a list of objects. */
  item?: number;
  /** 1-based line where the object starts. */
  line?: number;
}

/** An SLO ready for the maths: references resolved, targets as ratios, queries as templates. */
export interface SloDefinition {
  name: string;
  displayName?: string;
  description?: string;
  /** The service (catalog Component) the SLO belongs to. */
  service: string;
  labels: Record<string, string[]>;
  annotations: Record<string, string>;
  window: SloWindow;
  budgetingMethod: BudgetingMethod;
  /** At least one; exactly one for threshold indicators. */
  objectives: SloObjective[];
  indicator: SloIndicator;
  /** Names of the AlertPolicies the SLO uses (references are not resolved across files). */
  alertPolicies: string[];
  /** Burn-rate alerts from those policies' AlertConditions; absent: the default 4-row table. */
  alertWindows?: SloAlertWindow[];
  source: SloSource;
}

/** One burn-rate AlertCondition of an AlertPolicy the SLO names, read for status and rules. */
export interface SloAlertWindow {
  policy: string;
  condition: string;
  /** The AlertCondition's severity as written, e.g. critical. */
  declaredSeverity: string;
  /** page for page, critical, high, p1, sev1 (any case); ticket otherwise. */
  severity: 'page' | 'ticket';
  /** condition.threshold: the burn rate that fires the alert. */
  factor: number;
  /** condition.lookbackWindow, in seconds. */
  longSeconds: number;
  /** 1/12 of the long window (SRE workbook), at least a minute; the spec has no short window. */
  shortSeconds: number;
  /** condition.alertAfter, in seconds: how long the condition holds before the alert fires. */
  alertAfterSeconds?: number;
}

/** The kind of mistake a problem reports, for grouping and for tests. */
export type SloProblemRule =
  | 'yaml'
  | 'api-version'
  | 'kind'
  | 'required'
  | 'unknown-field'
  | 'type'
  | 'range'
  | 'enum'
  | 'conflict'
  | 'name'
  | 'duration'
  | 'query'
  | 'reference'
  | 'duplicate'
  | 'unsupported';

/** One mistake in one document, precise enough to fix without reading the validator. */
export interface SloProblem {
  file: string;
  /** 0-based index of the YAML document in the file. */
  document: number;
  /** 0-based index in the document when the document is a list of objects. */
  item?: number;
  /** The object's kind and name when they could be read. */
  kind?: string;
  name?: string;
  /** Dotted path inside the object, e.g. `spec.objectives[0].target`; empty for the whole document. */
  path: string;
  rule: SloProblemRule;
  /** The whole sentence: file, document, object, path, value, what is wrong and the fix. */
  message: string;
  /** 1-based line of the offending value (or of its parent when the value is missing). */
  line?: number;
  /** warning: the object is still used (e.g. a default was applied); absent means error. */
  severity?: 'error' | 'warning';
}
