import type {
  DeployChangeKind,
  DeployGateAnswer,
  DeployTrack,
} from '@internal/slo-common';
import {
  DEFAULT_CANARY_SETTINGS,
  applyBudgetPolicy,
  budgetPolicyFor,
  decideDeploy,
  type BudgetPolicyDecision,
  type SloHealth,
} from '@internal/slo-node';
import type { SloContext } from './context';
import { canaryReasons, judgeCanaryDeploy } from './canaryGate';
import { approvalUrl } from './deployPolicy';
import { evaluateEach } from './evaluate';
import { sloHealths } from './evaluateObjectives';

/** The deploy the pipeline asks about (GET /gate deployId, commit, change). */
export interface DeployAsked {
  deployId?: string;
  commit?: string;
  change: DeployChangeKind;
  /** The pods asked about; with `canary`, the canary is also judged on its own SLI since `canarySince`. */
  track?: DeployTrack;
  canarySince?: Date;
}

/**
 * The deploy gate's answer: a component's SLOs evaluated now, not read from snapshots, judged by
 * the hard rules and the component's error-budget policy (its annotation's, its tier's, or the
 * default) with any approval recorded for this deploy. Every call is recorded.
 */
export class GateReader {
  constructor(
    private readonly context: Pick<
      SloContext,
      | 'definitions'
      | 'prometheus'
      | 'now'
      | 'reviewStore'
      | 'gateStore'
      | 'deployPolicy'
    >,
  ) {}

  /** The gate a pipeline asks before promoting a canary. */
  async gate(
    componentRef: string,
    deploy: DeployAsked = { change: 'feature' },
  ): Promise<DeployGateAnswer> {
    const { definitions, prometheus, gateStore, deployPolicy } = this.context;
    const now = this.context.now();
    const { slos, policyLabels } = await definitions.ofComponent(componentRef);
    const mine = slos.filter(s => s.identity.entityRef === componentRef);
    const corrections = prometheus
      ? await this.context.reviewStore.correctionRanges(
          mine.map(s => s.identity.key),
        )
      : new Map();
    const results = prometheus
      ? await evaluateEach(
          mine,
          now,
          prometheus,
          key => corrections.get(key) ?? [],
        )
      : [];
    const approval = deploy.deployId
      ? await gateStore.approvalFor(
          componentRef,
          deploy.deployId,
          deploy.commit,
          now,
        )
      : undefined;
    // One health per objective: the strictest objective can deny the deploy.
    const decision = this.decide(
      sloHealths(results),
      deploy.change,
      policyLabels?.get(componentRef) ?? {},
      approval,
    );
    // Track canary: the canary's own SLI must allow too, whatever the policy or an approval says.
    const canary =
      deploy.track === 'canary' && deploy.canarySince
        ? await judgeCanaryDeploy({
            slos: mine,
            prometheus,
            since: deploy.canarySince,
            now,
            settings: deployPolicy.canary ?? DEFAULT_CANARY_SETTINGS,
          })
        : undefined;
    const reasons = [
      ...decision.reasons.map(r => ({
        ...r,
        numbers: r.numbers as Record<string, number | string | null>,
      })),
      ...(canary ? canaryReasons(canary) : []),
    ];
    const verdict =
      decision.decision === 'allow' && canary?.verdict !== 'deny'
        ? 'allow'
        : 'deny';
    const used = decision.approvalUsed ? approval : undefined;
    const { canarySince: _since, ...asked } = deploy;
    await gateStore.recordCall({
      componentRef,
      ...asked,
      ...(canary ? { canaryVerdict: canary.verdict } : {}),
      decision: verdict,
      policy: decision.policy,
      reasons,
      approvalId: used?.id,
      calledAt: now,
    });
    return {
      componentRef,
      decision: verdict,
      reasons,
      slos: results.map(r => r.evaluation.status),
      evaluatedAt: now.toISOString(),
      ...asked,
      ...(canary ? { canary } : {}),
      policy: decision.policy,
      ...(used ? { approval: used } : {}),
      ...(deploy.deployId
        ? {
            approvalUrl: approvalUrl(
              deployPolicy,
              componentRef,
              deploy.deployId,
            ),
          }
        : {}),
    };
  }

  /** The policy's decision; an annotation naming an unknown policy denies with what to fix. */
  private decide(
    healths: SloHealth[],
    change: DeployChangeKind,
    labels: { tier?: string; policy?: string },
    approval?: { kind: 'approval' | 'exception'; approvedBy: string },
  ): BudgetPolicyDecision {
    const policy = budgetPolicyFor(this.context.deployPolicy.policies, {
      annotation: labels.policy,
      tier: labels.tier,
    });
    if ('error' in policy)
      return {
        decision: 'deny',
        policy: {
          name: labels.policy ?? 'unknown',
          outcome: 'denied',
          message: `Denied: ${policy.error}.`,
        },
        reasons: decideDeploy(healths).reasons,
      };
    return applyBudgetPolicy({ policy, healths, change, approval });
  }
}
