import type {
  BudgetPolicy,
  BudgetPolicyRule,
  DeployChange,
} from './budgetPolicyConfig';
import {
  decideDeploy,
  type DeployReason,
  type DeployReasonCode,
  type SloHealth,
} from './deployGate';

/** A recorded approval or exception for one deploy (already matched to it and unexpired). */
export interface DeployApprovalGrant {
  kind: 'approval' | 'exception';
  approvedBy: string;
}

/**
 * What the policy made of a deploy: `allowed`, `approved` (an approval let it through),
 * `excepted` (an exception let it through), `needs-approval`, `only-fix-or-rollback` (and the
 * like, naming what may deploy), or `denied` (a hard rule: no data, a fast burn).
 */
export type BudgetPolicyOutcome =
  | 'allowed'
  | 'approved'
  | 'excepted'
  | 'needs-approval'
  | 'denied'
  | `only-${string}`;

export interface BudgetPolicyDecision {
  decision: 'allow' | 'deny';
  policy: { name: string; outcome: BudgetPolicyOutcome; message: string };
  /** decideDeploy's reasons, `blocking` saying whether each still blocks this deploy. */
  reasons: DeployReason[];
  /** The approval or exception this decision used, if any. */
  approvalUsed?: DeployApprovalGrant;
}

/** What the service's SLOs show, as the policy's conditions read them. */
interface BudgetFacts {
  noData: boolean;
  exhausted: boolean;
  fastBurn: boolean;
  slowBurn: boolean;
  worstRemaining?: number;
}

function factsOf(healths: readonly SloHealth[]): BudgetFacts {
  const measured = healths.flatMap(h => (h.budget.hasData ? [h.budget] : []));
  return {
    noData:
      healths.length === 0 ||
      healths.some(h => !h.budget.hasData || h.burn.status === 'no-data'),
    exhausted: measured.some(b => b.exhausted),
    fastBurn: healths.some(h => h.burn.status === 'page'),
    slowBurn: healths.some(h => h.burn.status === 'ticket'),
    worstRemaining: measured.length
      ? Math.min(...measured.map(b => b.remaining))
      : undefined,
  };
}

function holds(rule: BudgetPolicyRule, facts: BudgetFacts): boolean {
  if (rule.belowRemaining !== undefined)
    return (
      facts.worstRemaining !== undefined &&
      facts.worstRemaining < rule.belowRemaining
    );
  if (rule.exhausted) return facts.exhausted;
  if (rule.burn === 'page') return facts.fastBurn;
  if (rule.burn === 'ticket') return facts.fastBurn || facts.slowBurn;
  if (rule.noData) return facts.noData;
  return false;
}

function describe(rule: BudgetPolicyRule): string {
  if (rule.belowRemaining !== undefined)
    return `under ${Number(
      (rule.belowRemaining * 100).toFixed(2),
    )}% of the error budget left`;
  if (rule.exhausted) return 'the error budget is exhausted';
  if (rule.burn === 'page') return 'a page-level burn is in progress';
  if (rule.burn === 'ticket')
    return 'the budget is burning (ticket level or worse)';
  return 'an SLO has no data';
}

const joinOr = (kinds: readonly string[]) =>
  kinds.length <= 1
    ? kinds.join('')
    : `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`;

/** Whether a rule whose condition covers this hard rule explicitly lets the change through. */
function lifts(
  code: DeployReasonCode,
  rules: BudgetPolicyRule[],
  change: DeployChange,
): boolean {
  const covers = (rule: BudgetPolicyRule) => {
    if (code === 'fast-burn') return rule.burn !== undefined;
    if (code === 'budget-exhausted')
      return rule.exhausted === true || rule.belowRemaining !== undefined;
    return rule.noData === true;
  };
  return rules.some(rule => covers(rule) && rule.allows?.includes(change));
}

/**
 * Which hard rules (decideDeploy's blocking reasons) still block this change:
 * - no data (or no SLOs): always, except a rollback a matching `noData` threshold allows;
 * - a fast burn: except a rollback (the way out of a bad release) or a change a matching `burn`
 *   threshold allows; an exception does not lift it;
 * - an exhausted budget: except a rollback, a change a matching `exhausted` / `belowRemaining`
 *   threshold allows, or a deploy with an exception.
 */
function stillBlocking(
  reason: DeployReason,
  rules: BudgetPolicyRule[],
  change: DeployChange,
  exception: boolean,
): boolean {
  if (!reason.blocking) return false;
  if (reason.code === 'no-data' || reason.code === 'no-slos')
    return !(change === 'rollback' && lifts('no-data', rules, change));
  if (reason.code === 'fast-burn')
    return !(change === 'rollback' || lifts('fast-burn', rules, change));
  if (reason.code === 'budget-exhausted')
    return !(
      change === 'rollback' ||
      exception ||
      lifts('budget-exhausted', rules, change)
    );
  return true;
}

/**
 * The deploy gate with an error-budget policy: decideDeploy's hard rules first (no data and fast
 * burns deny; see stillBlocking for what lifts them), then the policy's thresholds that hold now:
 * a change outside a threshold's `allows` is refused (an exception lets it through), and
 * `requires: approval` holds every change but a rollback until an approval (or an exception) for
 * this deploy is recorded. Never allows on missing evidence, except a rollback the policy's
 * `noData` threshold allows.
 */
export function applyBudgetPolicy(options: {
  policy: BudgetPolicy;
  healths: readonly SloHealth[];
  change: DeployChange;
  approval?: DeployApprovalGrant;
}): BudgetPolicyDecision {
  const { policy, healths, change, approval } = options;
  const base = decideDeploy(healths);
  const facts = factsOf(healths);
  const matching = policy.rules.filter(rule => holds(rule, facts));
  const exception = approval?.kind === 'exception';
  const reasons = base.reasons.map(reason => ({
    ...reason,
    blocking: stillBlocking(reason, matching, change, exception),
  }));
  const answer = (
    decision: 'allow' | 'deny',
    outcome: BudgetPolicyOutcome,
    message: string,
    approvalUsed?: DeployApprovalGrant,
  ): BudgetPolicyDecision => ({
    decision,
    policy: { name: policy.name, outcome, message },
    reasons,
    ...(approvalUsed ? { approvalUsed } : {}),
  });
  const missing = reasons.find(
    r => r.blocking && (r.code === 'no-data' || r.code === 'no-slos'),
  );
  if (missing)
    return answer(
      'deny',
      'denied',
      `Denied: ${missing.message}. Without evidence nothing deploys${
        change === 'rollback'
          ? ''
          : '; a rollback passes only where the policy has a noData threshold allowing it'
      }.`,
    );
  const restricting = matching.filter(
    rule => rule.allows && !rule.allows.includes(change),
  );
  if (restricting.length > 0 && !exception) {
    const allowed = restricting
      .map(rule => rule.allows!)
      .reduce((a, b) => a.filter(kind => b.includes(kind)));
    const kinds = allowed.length ? allowed : ['nothing'];
    return answer(
      'deny',
      `only-${kinds.join('-or-')}`,
      `Only ${joinOr(kinds)} may deploy while ${restricting
        .map(describe)
        .join(' and ')} (policy ${
        policy.name
      }); this deploy is a ${change}. An exception recorded for this deploy lets it through.`,
    );
  }
  const blocking = reasons.find(r => r.blocking);
  if (blocking)
    return answer(
      'deny',
      'denied',
      `Denied: ${blocking.message}.${
        change === 'rollback' ? '' : ' A rollback passes.'
      }`,
    );
  const approvers = matching.filter(rule => rule.requires === 'approval');
  if (approvers.length > 0 && change !== 'rollback') {
    const why = approvers.map(describe).join(' and ');
    if (!approval)
      return answer(
        'deny',
        'needs-approval',
        `Needs approval: ${why} (policy ${policy.name}); a ${change} deploys once an approver records an approval for this deploy.`,
      );
    return answer(
      'allow',
      exception ? 'excepted' : 'approved',
      `${exception ? 'Exception' : 'Approved'} by ${
        approval.approvedBy
      }: ${why} (policy ${policy.name}).`,
      approval,
    );
  }
  const exhaustedExcepted = base.reasons.some(
    r =>
      r.code === 'budget-exhausted' &&
      stillBlocking(r, matching, change, false),
  );
  if (exception && (restricting.length > 0 || exhaustedExcepted))
    return answer(
      'allow',
      'excepted',
      `Exception by ${approval!.approvedBy}: ${[
        ...restricting.map(describe),
        ...(exhaustedExcepted ? ['the error budget is exhausted'] : []),
      ].join(' and ')} (policy ${policy.name}).`,
      approval,
    );
  function allowedMessage(): string {
    if (change === 'rollback' && base.decision === 'deny')
      return `Allowed: a rollback always may deploy (${base.reasons
        .filter(r => r.blocking)
        .map(r => r.code)
        .join(', ')}).`;
    if (matching.length)
      return `Allowed: ${matching
        .map(describe)
        .join(' and ')}, and the policy ${
        policy.name
      } lets a ${change} through.`;
    return `Allowed: no threshold of the policy ${policy.name} holds.`;
  }
  return answer('allow', 'allowed', allowedMessage());
}
