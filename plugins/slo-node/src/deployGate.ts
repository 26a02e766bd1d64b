import type { BurnRateEvaluation } from './burnRate';
import type { ErrorBudget } from './errorBudget';

/** The current state of one SLO, as the deploy gate sees it. */
export interface SloHealth {
  slo: string;
  budget: ErrorBudget;
  burn: BurnRateEvaluation;
}

export interface DeployGateOptions {
  /** Let deploys through when an SLO has no data (e.g. a new service). Default false: unknown is not healthy. */
  allowOnNoData?: boolean;
}

export type DeployReasonCode =
  | 'budget-exhausted'
  | 'fast-burn'
  | 'no-data'
  | 'no-slos'
  | 'slow-burn'
  | 'low-traffic'
  | 'within-budget';

export interface DeployReason {
  code: DeployReasonCode;
  /** The SLO the reason is about; absent for no-slos. */
  slo?: string;
  /** Whether this reason alone denies the deploy. */
  blocking: boolean;
  message: string;
  /** The figures behind the reason, for the deploy log and the UI. */
  numbers: Record<string, number>;
}

export interface DeployDecision {
  decision: 'allow' | 'deny';
  reasons: DeployReason[];
}

function budgetNumbers(budget: ErrorBudget): Record<string, number> {
  if (!budget.hasData) return { target: budget.target };
  const { target, attainment, allowed, consumed, remaining, total } = budget;
  return { target, attainment, total, allowed, consumed, remaining };
}

function burnNumbers(burn: BurnRateEvaluation): Record<string, number> {
  const check = burn.decidedBy;
  if (!check) return {};
  const numbers: Record<string, number> = { factor: check.window.factor };
  if (check.longBurnRate !== null) numbers.longBurnRate = check.longBurnRate;
  if (check.shortBurnRate !== null) numbers.shortBurnRate = check.shortBurnRate;
  if (check.longEvents !== null) numbers.longEvents = check.longEvents;
  return numbers;
}

function reasonsFor(health: SloHealth, allowOnNoData: boolean): DeployReason[] {
  const { slo, budget, burn } = health;
  const reasons: DeployReason[] = [];
  const percent = (ratio: number) => `${Number((ratio * 100).toFixed(2))}%`;
  if (!budget.hasData) {
    reasons.push({
      code: 'no-data',
      slo,
      blocking: !allowOnNoData,
      message: `${slo}: error budget unknown (${budget.message})`,
      numbers: budgetNumbers(budget),
    });
  } else if (budget.exhausted) {
    reasons.push({
      code: 'budget-exhausted',
      slo,
      blocking: true,
      message: `${slo}: error budget exhausted: ${
        budget.consumed
      } bad events of ${budget.allowed} allowed (${percent(
        budget.remaining,
      )} left)`,
      numbers: budgetNumbers(budget),
    });
  }
  if (burn.status === 'page') {
    reasons.push({
      code: 'fast-burn',
      slo,
      blocking: true,
      message: `${slo}: burning fast enough to page: ${burn.message}`,
      numbers: burnNumbers(burn),
    });
  } else if (burn.status === 'no-data' && budget.hasData) {
    reasons.push({
      code: 'no-data',
      slo,
      blocking: !allowOnNoData,
      message: `${slo}: burn rate unknown (${burn.message})`,
      numbers: {},
    });
  } else if (burn.status === 'ticket') {
    const code =
      burn.decidedBy?.outcome === 'low-traffic' ? 'low-traffic' : 'slow-burn';
    reasons.push({
      code,
      slo,
      blocking: false,
      message: `${slo}: ${burn.message}`,
      numbers: burnNumbers(burn),
    });
  }
  if (reasons.length === 0 && budget.hasData) {
    reasons.push({
      code: 'within-budget',
      slo,
      blocking: false,
      message: `${slo}: ${percent(
        budget.remaining,
      )} of the error budget left, no fast burn`,
      numbers: budgetNumbers(budget),
    });
  }
  return reasons;
}

/**
 * Whether a deploy may go ahead given the service's SLOs: denied while a budget is exhausted,
 * while a page-level burn is in progress, or while an SLO has no data (unless allowOnNoData).
 * Slow burns and low-traffic downgrades are reported but do not block.
 */
export function decideDeploy(
  slos: readonly SloHealth[],
  options: DeployGateOptions = {},
): DeployDecision {
  const allowOnNoData = options.allowOnNoData ?? false;
  const reasons: DeployReason[] =
    slos.length === 0
      ? [
          {
            code: 'no-slos',
            blocking: !allowOnNoData,
            message: 'the service has no SLOs, so its health is unknown',
            numbers: {},
          },
        ]
      : slos.flatMap(health => reasonsFor(health, allowOnNoData));
  return {
    decision: reasons.some(reason => reason.blocking) ? 'deny' : 'allow',
    reasons,
  };
}
