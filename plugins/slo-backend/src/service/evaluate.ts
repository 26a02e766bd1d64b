import type {
  RatioIndicator,
  SloDefinition,
  SloIdentity,
  SloObjective,
  SloStatus,
} from '@internal/slo-common';
import {
  BurnRateEvaluation,
  ErrorBudget,
  EventCounts,
  WindowLength,
  budgetBurnDown,
  burnRateOptions,
  errorBudget,
  eventQueries,
  formatPrometheusDuration,
  windowStart,
} from '@internal/slo-node';
import { PrometheusQueries } from '../sources/PrometheusSource';
import type { EvaluationPath } from '../sources/RecordedSeriesSource';
import type { LoadedSlo } from './definitions';
import {
  judgeObjective,
  objectiveBreached,
  worstObjective,
} from './evaluateObjectives';
import {
  Correction,
  Measure,
  mergeCorrections,
  measureOccurrences,
  measureRatioSlices,
  measureRawRatio,
  measureThreshold,
  overlaps,
  sinceStart,
} from './evaluateSlices';

const DAY_MS = 86_400_000;

export function windowLabel(slo: SloDefinition): string {
  const w = slo.window;
  if (w.kind === 'rolling') return `${w.duration} rolling`;
  return `calendar ${w.count === 1 ? w.unit : `${w.count} ${w.unit}s`}`;
}

export interface Evaluation {
  /** The SLO's status: the worst objective's fields, and every objective's. */
  status: SloStatus;
  /** The worst objective's budget and burn. */
  budget: ErrorBudget;
  burn: BurnRateEvaluation;
  /** Every objective, judged on the same queries (the gate judges each). */
  objectives: Array<{
    objective: SloObjective;
    budget: ErrorBudget;
    burn: BurnRateEvaluation;
  }>;
}

/** The queries for an SLO's indicator and budgeting method, made once for all its objectives. */
function measure(
  slo: SloDefinition,
  prometheus: PrometheusQueries,
  now: Date,
  labels: WindowLength[],
  corrections: Correction[],
  recorded?: Record<string, EventCounts | undefined>,
): Promise<Measure> | Measure {
  const { indicator } = slo;
  if (indicator.kind === 'ratio') {
    const ratio = { ...slo, indicator };
    return slo.budgetingMethod === 'Occurrences'
      ? measureOccurrences(
          ratio,
          prometheus,
          now,
          labels,
          corrections,
          recorded,
        )
      : measureRatioSlices(ratio, prometheus, now, labels, corrections);
  }
  if (indicator.kind === 'threshold') {
    return measureThreshold(
      { ...slo, indicator },
      prometheus,
      now,
      labels,
      corrections,
    );
  }
  if (indicator.kind === 'raw-ratio') {
    return measureRawRatio(
      { ...slo, indicator },
      prometheus,
      now,
      labels,
      corrections,
    );
  }
  return () => ({ window: undefined, events: {} });
}

/**
 * One SLO against Prometheus, as the maths in slo-node defines it, every objective judged:
 * - ratio SLIs, Occurrences: event counts over the window and each burn-rate window;
 * - ratio SLIs, Timeslices / RatioTimeslices: the ratio of each slice over the window, counted as
 *   good slices (by timeSliceTarget) or averaged;
 * - threshold SLIs: the value sampled over the window, a sample good by the objective's op/value;
 * - raw-ratio SLIs: the query's ratio per window (not event-weighted, and the status says so).
 * The budget is always over the objective's `target`. `corrections` are left out of the budget.
 */
export async function evaluateSlo(
  slo: SloDefinition,
  identity: SloIdentity,
  prometheus: PrometheusQueries,
  now: Date,
  corrections?: Array<{ from: Date; to: Date }>,
  /** In a recording-rules evaluation: how this SLO is read (recorded counts, or raw and why). */
  given?: EvaluationPath,
): Promise<Evaluation> {
  let path = given;
  const lengths = new Map<string, WindowLength>();
  for (const objective of slo.objectives) {
    for (const w of burnRateOptions(slo, objective).windows) {
      lengths.set(w.long.label, w.long);
      lengths.set(w.short.label, w.short);
    }
  }
  // Recorded counts serve only if every window the evaluation reads was recorded.
  if (path?.path === 'recorded') {
    const { events } = path;
    const unrecorded = [sinceStart(slo, now), ...lengths.keys()].find(
      w => !(w in events),
    );
    if (unrecorded)
      path = {
        path: 'raw',
        reason: `the recording rules have no ${unrecorded} window for it`,
      };
  }
  const measured = await measure(
    slo,
    prometheus,
    now,
    [...lengths.values()],
    mergeCorrections(corrections),
    path?.path === 'recorded' ? path.events : undefined,
  );
  const objectives = slo.objectives.map(objective =>
    judgeObjective(slo, objective, measured(objective)),
  );
  const worst = worstObjective(objectives);
  const { displayName: _name, timeSliceTarget: _slice, ...top } = worst.status;
  const status: SloStatus = {
    ...identity,
    ...top,
    windowLabel: windowLabel(slo),
    budgetingMethod: slo.budgetingMethod,
    indicatorKind: slo.indicator.kind,
    evaluatedAt: now.toISOString(),
    ...(path ? { evaluatedFrom: evaluatedFrom(path) } : {}),
    objectives: objectives.map(o => o.status),
  };
  return {
    status,
    budget: worst.budget,
    burn: worst.burn,
    objectives: objectives.map(({ objective, budget, burn }) => ({
      objective,
      budget,
      burn,
    })),
  };
}

/**
 * The remaining budget along the window for the burn-down chart (ratio SLIs; 48 points), from two
 * range queries (good or bad, and total):
 * - rolling windows: at each point the budget left over the rolling window ending there, the
 *   status's own query, so the last point (at `now`) is the budget left now exactly, whatever
 *   the hour;
 * - calendar windows: spent since the period began, per-step increases summed up client-side
 *   (a step boundary between two samples is extrapolated by Prometheus' increase()).
 */
/**
 * Why an SLO has no burn-down: it is drawn from event counts, so for SLIs counted by events only
 * (a slice or a sample count drawn as events would disagree with the card).
 */
export function burnDownUnavailable(slo: SloDefinition): string | undefined {
  if (slo.indicator.kind === 'ratio' && slo.budgetingMethod === 'Occurrences')
    return undefined;
  const counted = {
    threshold: 'samples of a threshold',
    'raw-ratio': 'a precomputed (raw) ratio',
    ratio: `time slices (${slo.budgetingMethod})`,
  }[slo.indicator.kind];
  return `The burn-down is drawn for SLOs counted by events; this one counts ${counted}, so its budget left is the figure above.`;
}

export async function burnDownOf(
  slo: SloDefinition,
  prometheus: PrometheusQueries,
  now: Date,
  corrections?: Array<{ from: Date; to: Date }>,
) {
  if (burnDownUnavailable(slo)) return [];
  if (slo.indicator.kind !== 'ratio') return [];
  // The strictest objective: the one whose budget runs out first.
  const target = Math.max(...slo.objectives.map(o => o.target));
  const start = windowStart(slo, now).getTime();
  const stepSeconds = Math.max(
    60,
    Math.floor((now.getTime() - start) / 1000 / 48),
  );
  const stepMs = stepSeconds * 1000;
  const rolling = slo.window.kind === 'rolling';
  const q = eventQueries(
    slo.indicator,
    rolling ? sinceStart(slo, now) : formatPrometheusDuration(stepSeconds),
  );
  // Rolling: 48 points ending exactly at now. Calendar: one step after the period start on.
  const first = rolling
    ? new Date(now.getTime() - 47 * stepMs)
    : new Date(start + stepMs);
  const windowMs = now.getTime() - start;
  const [total, part, removed] = await Promise.all([
    prometheus.range(q.total, first, now, stepSeconds),
    prometheus.range((q.good ?? q.bad)!, first, now, stepSeconds),
    correctedSteps(slo.indicator, prometheus, {
      corrections: mergeCorrections(corrections),
      from: new Date(rolling ? first.getTime() - windowMs : start),
      to: now,
      grid: first.getTime(),
      stepSeconds,
    }),
  ]);
  const partAt = new Map(part.map(p => [p.time, p.value ?? 0]));
  // Events inside corrections: for a rolling point those in its own window, for a calendar one all so far.
  const removedBy = (time: number) => {
    const from = rolling ? time - windowMs : start;
    return removed
      .filter(r => r.time > from && r.time <= time)
      .reduce(
        (sum, r) => ({ total: sum.total + r.total, part: sum.part + r.part }),
        { total: 0, part: 0 },
      );
  };
  // Rolling: each point is its own window. Calendar: the steps so far, added up.
  let sumTotal = 0;
  let sumPart = 0;
  const points = total.map(p => {
    const stepTotal = p.value ?? 0;
    const stepPart = partAt.get(p.time) ?? 0;
    const counted = rolling
      ? { total: stepTotal, part: stepPart }
      : { total: (sumTotal += stepTotal), part: (sumPart += stepPart) };
    const cut = removedBy(p.time);
    const kept = {
      total: Math.max(0, counted.total - cut.total),
      part: Math.max(0, counted.part - cut.part),
    };
    kept.part = Math.min(kept.part, kept.total);
    return q.good
      ? { good: kept.part, total: kept.total, time: p.time }
      : { bad: kept.part, total: kept.total, time: p.time };
  });
  return budgetBurnDown(points, target).map(p => ({
    time: new Date(p.time).toISOString(),
    remaining: p.remaining,
  }));
}

/**
 * The events inside corrections, per burn-down step (the same grid, two range queries per
 * correction): a step partly inside a correction counts its share of the step.
 */
async function correctedSteps(
  indicator: RatioIndicator,
  prometheus: PrometheusQueries,
  options: {
    corrections: Correction[];
    from: Date;
    to: Date;
    grid: number;
    stepSeconds: number;
  },
): Promise<Array<{ time: number; total: number; part: number }>> {
  const { grid, stepSeconds } = options;
  const stepMs = stepSeconds * 1000;
  const q = eventQueries(indicator, formatPrometheusDuration(stepSeconds));
  const cuts = overlaps(options, options.corrections);
  const steps = await Promise.all(
    cuts.map(async c => {
      const firstK = Math.ceil((c.from.getTime() - grid) / stepMs);
      const lastK = Math.ceil((c.to.getTime() - grid) / stepMs);
      const at = (k: number) => new Date(grid + k * stepMs);
      const [total, part] = await Promise.all([
        prometheus.range(q.total, at(firstK), at(lastK), stepSeconds),
        prometheus.range(
          (q.good ?? q.bad)!,
          at(firstK),
          at(lastK),
          stepSeconds,
        ),
      ]);
      const partAt = new Map(part.map(p => [p.time, p.value ?? 0]));
      return total.map(p => {
        const inside =
          Math.min(p.time, c.to.getTime()) -
          Math.max(p.time - stepMs, c.from.getTime());
        const share = Math.max(0, Math.min(1, inside / stepMs));
        return {
          time: p.time,
          total: (p.value ?? 0) * share,
          part: (partAt.get(p.time) ?? 0) * share,
        };
      });
    }),
  );
  return steps.flat();
}

/** What the status says of the path: the recorded series (written when) or raw queries (why). */
function evaluatedFrom(path: EvaluationPath): SloStatus['evaluatedFrom'] {
  return path.path === 'recorded'
    ? { source: 'recordingRules', recordedAt: path.recordedAt.toISOString() }
    : { source: 'raw', reason: path.reason };
}

/** An SLO that could not be evaluated (Prometheus unreachable, a query rejected): no data, with why. */
export function unevaluated(
  slo: SloDefinition,
  identity: SloIdentity,
  now: Date,
  message: string,
): Evaluation {
  const burn: BurnRateEvaluation = { status: 'no-data', checks: [], message };
  const objectives = slo.objectives.map(objective => ({
    objective,
    budget: errorBudget(undefined, objective.target),
    burn,
  }));
  const status = (target: number) => ({
    target,
    hasData: false,
    message,
    burn: { status: 'no-data' as const, message, rates: [] },
  });
  return {
    budget: objectives[0].budget,
    burn,
    objectives,
    status: {
      ...identity,
      ...status(slo.objectives[0].target),
      windowLabel: windowLabel(slo),
      budgetingMethod: slo.budgetingMethod,
      indicatorKind: slo.indicator.kind,
      evaluatedAt: now.toISOString(),
      objectives: slo.objectives.map(o => ({
        ...(o.displayName ? { displayName: o.displayName } : {}),
        ...status(o.target),
      })),
    },
  };
}

/** Breached when any objective's budget is spent or any burns at page level. */
export const isBreached = (e: Evaluation) =>
  (e.objectives?.length ? e.objectives : [e]).some(objectiveBreached);

/** SLOs evaluated at `at`; one SLO's failure (a bad query, a timeout) is that SLO's "no data", not the page's. */
export function evaluateEach(
  slos: LoadedSlo[],
  at: Date,
  prometheus: PrometheusQueries,
  correctionsOf?: (key: string) => Array<{ from: Date; to: Date }>,
  /** A recording-rules evaluation's path per SLO key (RecordedSeriesSource); absent: raw queries. */
  paths?: ReadonlyMap<string, EvaluationPath>,
): Promise<Array<{ loaded: LoadedSlo; evaluation: Evaluation }>> {
  return Promise.all(
    slos.map(async loaded => {
      const path = paths
        ? paths.get(loaded.identity.key) ?? {
            path: 'raw' as const,
            reason: 'no recorded series were read for it',
          }
        : undefined;
      try {
        return {
          loaded,
          evaluation: await evaluateSlo(
            loaded.definition,
            loaded.identity,
            // The data source this SLO's SLI reads, where there are several (slo.dataSources).
            prometheus.forSlo?.(loaded.definition) ?? prometheus,
            at,
            correctionsOf?.(loaded.identity.key),
            path,
          ),
        };
      } catch (error) {
        const evaluation = unevaluated(
          loaded.definition,
          loaded.identity,
          at,
          (error as Error).message,
        );
        if (path) evaluation.status.evaluatedFrom = evaluatedFrom(path);
        return { loaded, evaluation };
      }
    }),
  );
}
export { DAY_MS };
