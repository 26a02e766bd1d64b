import type {
  SloDefinition,
  SloObjective,
  SloObjectiveStatus,
} from '@internal/slo-common';
import {
  BurnRateEvaluation,
  ErrorBudget,
  SloHealth,
  burnRateOptions,
  errorBudget,
  evaluateBurnRate,
} from '@internal/slo-node';
import type { Measurement } from './evaluateSlices';

/** One objective judged: its budget over the window and its burn-rate status. */
export interface ObjectiveEvaluation {
  objective: SloObjective;
  budget: ErrorBudget;
  burn: BurnRateEvaluation;
  status: SloObjectiveStatus;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Why the burn rate could not be judged, if it could not. */
function noDataMessage(burn: BurnRateEvaluation): string | undefined {
  return burn.status === 'no-data' ? burn.message : undefined;
}

/** An objective against its measurement: budget with the objective's target, burn per window. */
export function judgeObjective(
  slo: SloDefinition,
  objective: SloObjective,
  measurement: Measurement,
): ObjectiveEvaluation {
  const defaults = burnRateOptions(slo, objective);
  const options = {
    ...defaults,
    minEvents: measurement.minEvents ?? defaults.minEvents,
  };
  const labels = [
    ...new Set(options.windows.flatMap(w => [w.long.label, w.short.label])),
  ];
  const budget = errorBudget(measurement.window, objective.target);
  const burn = evaluateBurnRate(measurement.events, options);
  const worst = burn.checks
    .filter(c => c.longBurnRate !== null)
    .sort((a, b) => (b.longBurnRate ?? 0) - (a.longBurnRate ?? 0))[0];
  const rates = labels.map(label => {
    const counts = measurement.events[label];
    if (!counts || counts.total === 0) return { window: label, rate: null };
    const bad = 'bad' in counts ? counts.bad : counts.total - counts.good;
    return {
      window: label,
      rate: round2(bad / counts.total / (1 - objective.target)),
    };
  });
  const message = [
    budget.hasData ? noDataMessage(burn) : budget.message,
    measurement.note,
  ]
    .filter(Boolean)
    .join('; ');
  const status: SloObjectiveStatus = {
    ...(objective.displayName ? { displayName: objective.displayName } : {}),
    target: objective.target,
    ...(objective.timeSliceTarget !== undefined
      ? { timeSliceTarget: objective.timeSliceTarget }
      : {}),
    hasData: budget.hasData,
    ...(message ? { message } : {}),
    attainment: budget.hasData ? budget.attainment : undefined,
    budget: budget.hasData
      ? {
          remaining: budget.remaining,
          allowed: budget.allowed,
          consumed: budget.consumed,
          exhausted: budget.exhausted,
        }
      : undefined,
    burn: {
      status: burn.status,
      message: burn.message,
      worst: worst
        ? { window: worst.window.long.label, rate: round2(worst.longBurnRate!) }
        : undefined,
      rates,
    },
  };
  return { objective, budget, burn, status };
}

export const objectiveBreached = (o: {
  budget: ErrorBudget;
  burn: BurnRateEvaluation;
}) => (o.budget.hasData && o.budget.exhausted) || o.burn.status === 'page';

/** How bad an objective is: breached first, then unknown, then by budget left (lowest first). */
function rank(o: ObjectiveEvaluation): [number, number] {
  if (objectiveBreached(o))
    return [0, o.budget.hasData ? o.budget.remaining : -Infinity];
  if (!o.budget.hasData) return [1, 0];
  return [2, o.budget.remaining];
}

/** The objective the SLO's top-level status shows: the worst one. */
export function worstObjective(
  objectives: readonly ObjectiveEvaluation[],
): ObjectiveEvaluation {
  return [...objectives].sort((a, b) => {
    const [ra, ba] = rank(a);
    const [rb, bb] = rank(b);
    return ra - rb || ba - bb;
  })[0];
}

/** `99.9%` for 0.999. */
export const percentOf = (target: number) =>
  `${Number((target * 100).toFixed(4))}%`;

/**
 * What the deploy gate judges: one health per objective of each SLO, named `name (99.9%)` when
 * the SLO has several, so the strictest objective can deny a deploy.
 */
export function sloHealths(
  results: ReadonlyArray<{
    loaded: { identity: { name: string } };
    evaluation: {
      objectives: ReadonlyArray<{
        objective: SloObjective;
        budget: ErrorBudget;
        burn: BurnRateEvaluation;
      }>;
    };
  }>,
): SloHealth[] {
  return results.flatMap(({ loaded, evaluation }) =>
    evaluation.objectives.map(o => ({
      slo:
        evaluation.objectives.length > 1
          ? `${loaded.identity.name} (${percentOf(o.objective.target)})`
          : loaded.identity.name,
      budget: o.budget,
      burn: o.burn,
    })),
  );
}
