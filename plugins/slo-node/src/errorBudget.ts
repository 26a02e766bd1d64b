import { dropFloatNoise } from './arithmetic';
import type {
  SloDefinition,
  SloObjective,
  ThresholdOperator,
} from '@internal/slo-common';

/** Events over one window: good and total, or bad and total for bad/total SLIs. */
export type EventCounts =
  | { good: number; total: number }
  | { bad: number; total: number };

/** Why there is nothing to measure: nothing came back, nothing happened, or the numbers contradict each other. */
export type NoDataReason = 'missing' | 'no-events' | 'inconsistent';

/** Counts that can be measured, or why not; never a made-up 100%. */
export type EventReading =
  | { hasData: true; good: number; bad: number; total: number }
  | { hasData: false; reason: NoDataReason; message: string };

/** Reads event counts: missing, zero, negative or contradictory counts are no data, each with its reason. */
export function readEvents(counts: EventCounts | undefined): EventReading {
  if (counts === undefined) {
    return {
      hasData: false,
      reason: 'missing',
      message: 'no data: the query returned nothing',
    };
  }
  const { total } = counts;
  const good = 'good' in counts ? counts.good : total - counts.bad;
  const given = 'good' in counts ? counts.good : counts.bad;
  const name = 'good' in counts ? 'good' : 'bad';
  if (![total, given].every(n => Number.isFinite(n) && n >= 0)) {
    return {
      hasData: false,
      reason: 'inconsistent',
      message: `no data: ${name} ${given} and total ${total} are not event counts`,
    };
  }
  if (total === 0) {
    return {
      hasData: false,
      reason: 'no-events',
      message: 'no data: no events in the window, so nothing was measured',
    };
  }
  if (given > total) {
    return {
      hasData: false,
      reason: 'inconsistent',
      message: `no data: ${name} events (${given}) exceed total events (${total}); check that the queries select the same requests`,
    };
  }
  return {
    hasData: true,
    good: dropFloatNoise(good),
    bad: dropFloatNoise(total - good),
    total,
  };
}

function assertTarget(target: number) {
  if (!(target >= 0 && target < 1)) {
    throw new RangeError(
      `An SLO target is a ratio from 0 up to (not including) 1, not ${target}`,
    );
  }
}

/** Attainment and error budget over a window with events. */
export interface MeasuredErrorBudget {
  hasData: true;
  target: number;
  good: number;
  bad: number;
  total: number;
  /** good / total over the whole window. */
  attainment: number;
  /** Bad events the target allows: (1 - target) * total. */
  allowed: number;
  /** Bad events so far. */
  consumed: number;
  /** 1 - consumed / allowed: 1 untouched, 0 spent, negative overspent (never clamped). */
  remaining: number;
  /** consumed >= allowed. */
  exhausted: boolean;
}

export interface MissingErrorBudget {
  hasData: false;
  target: number;
  reason: NoDataReason;
  message: string;
}

export type ErrorBudget = MeasuredErrorBudget | MissingErrorBudget;

/**
 * Attainment and error budget from the event totals of the whole window (sum good / sum total).
 * Not the average of per-interval ratios: that weighs a quiet hour with 10 requests like a busy
 * hour with 10,000, so a few failures at night would swing the result (biased under spiky traffic).
 * Works for slices too: pass the good and total slices from countSlices.
 */
export function errorBudget(
  counts: EventCounts | undefined,
  target: number,
): ErrorBudget {
  assertTarget(target);
  const events = readEvents(counts);
  if (!events.hasData) {
    return {
      hasData: false,
      target,
      reason: events.reason,
      message: events.message,
    };
  }
  const { good, bad, total } = events;
  const allowed = dropFloatNoise((1 - target) * total);
  return {
    hasData: true,
    target,
    good,
    bad,
    total,
    attainment: dropFloatNoise(good / total),
    allowed,
    consumed: bad,
    remaining: dropFloatNoise(1 - bad / allowed),
    exhausted: bad >= allowed,
  };
}

/** Cumulative events from the start of the window up to `time` (e.g. epoch milliseconds). */
export type CumulativeEvents = EventCounts & { time: number };

export interface BudgetBurnDownPoint {
  time: number;
  /** Share of the budget earned so far that is left; null before the first event. */
  remaining: number | null;
  budget: ErrorBudget;
}

/**
 * The remaining error budget along the window, from cumulative event counts (build them from
 * raw counters with cumulativeIncrease). At each point the budget is the one the events so far
 * earned: future traffic is unknown, so it is not promised in advance.
 */
export function budgetBurnDown(
  points: readonly CumulativeEvents[],
  target: number,
): BudgetBurnDownPoint[] {
  return points.map(point => {
    const budget = errorBudget(point, target);
    return {
      time: point.time,
      remaining: budget.hasData ? budget.remaining : null,
      budget,
    };
  });
}

/** What makes one time slice (or one sample of a threshold SLI) good. */
export type SliceCriterion =
  | { kind: 'ratio'; timeSliceTarget: number }
  | { kind: 'threshold'; op: ThresholdOperator; value: number };

export interface SliceCounts {
  good: number;
  total: number;
  /** Slices without a value (no data, NaN); left out of total rather than counted good or bad. */
  missing: number;
}

export function isGoodSlice(value: number, criterion: SliceCriterion): boolean {
  if (criterion.kind === 'ratio') return value >= criterion.timeSliceTarget;
  switch (criterion.op) {
    case 'lte':
      return value <= criterion.value;
    case 'lt':
      return value < criterion.value;
    case 'gte':
      return value >= criterion.value;
    default:
      return value > criterion.value;
  }
}

/**
 * Counts good slices for the Timeslices method (or good samples of a threshold SLI).
 * A slice without a value is missing, not good: an empty histogram_quantile is NaN, not fast.
 */
export function countSlices(
  values: ReadonlyArray<number | null | undefined>,
  criterion: SliceCriterion,
): SliceCounts {
  let good = 0;
  let total = 0;
  let missing = 0;
  for (const value of values) {
    if (value === null || value === undefined || !Number.isFinite(value)) {
      missing++;
      continue;
    }
    total++;
    if (isGoodSlice(value, criterion)) good++;
  }
  return { good, total, missing };
}

/**
 * For RatioTimeslices: the SLO is the average of the slices' ratios, so good is their sum and
 * total their number; errorBudget of the result gives that average as attainment.
 */
export function ratioTimesliceCounts(
  ratios: ReadonlyArray<number | null | undefined>,
): SliceCounts {
  let good = 0;
  let total = 0;
  let missing = 0;
  for (const ratio of ratios) {
    if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) {
      missing++;
      continue;
    }
    total++;
    good += ratio;
  }
  return { good: dropFloatNoise(good), total, missing };
}

/**
 * The criterion for a good slice of an SLO: a threshold SLI's op and value, or a ratio SLI's
 * timeSliceTarget under Timeslices; undefined when the SLO does not count slices.
 */
export function sliceCriterion(
  slo: SloDefinition,
  objective: SloObjective = slo.objectives[0],
): SliceCriterion | undefined {
  const { indicator } = slo;
  if (indicator.kind === 'threshold') {
    return { kind: 'threshold', op: indicator.op, value: indicator.value };
  }
  if (
    slo.budgetingMethod === 'Timeslices' &&
    objective.timeSliceTarget !== undefined
  ) {
    return { kind: 'ratio', timeSliceTarget: objective.timeSliceTarget };
  }
  return undefined;
}
