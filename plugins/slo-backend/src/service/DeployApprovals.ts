import { NotFoundError } from '@backstage/errors';
import type {
  DeployApproval,
  DeployApprovals as DeployApprovalsAnswer,
  NewDeployApproval,
} from '@internal/slo-common';
import type { SloContext } from './context';

/** Gate calls shown with a component's approvals (the SLO tab). */
const RECENT_CALLS = 20;

/**
 * Approvals and exceptions of deploys the error-budget policy holds: recorded for a deploy the
 * gate has seen (who from the signed-in identity, why, until when), and the component's recent
 * gate calls and approvals.
 */
export class DeployApprovals {
  constructor(
    private readonly context: Pick<
      SloContext,
      'gateStore' | 'deployPolicy' | 'now'
    >,
  ) {}

  async list(
    componentRef: string,
    deployId?: string,
  ): Promise<DeployApprovalsAnswer> {
    const { gateStore } = this.context;
    const [deploy, calls, approvals] = await Promise.all([
      deployId ? gateStore.latestCall(componentRef, deployId) : undefined,
      gateStore.recentCalls(componentRef),
      gateStore.approvals({ componentRefs: [componentRef], deployId }),
    ]);
    return {
      componentRef,
      ...(deployId ? { deployId } : {}),
      ...(deploy ? { deploy } : {}),
      calls: deployId
        ? calls.filter(c => c.deployId === deployId)
        : calls.slice(0, RECENT_CALLS),
      approvals,
    };
  }

  /**
   * Records an approval for a deploy that asked the gate; the commit defaults to the one the
   * gate was asked about, so an approval never carries over to another build of the same run.
   */
  async approve(
    input: NewDeployApproval,
    approvedBy: string,
  ): Promise<DeployApproval> {
    const { gateStore, deployPolicy } = this.context;
    const call = await gateStore.latestCall(input.componentRef, input.deployId);
    if (!call)
      throw new NotFoundError(
        `No gate call for deploy '${input.deployId}' of ${input.componentRef}; its pipeline asks the gate with deployId first (GET /api/slo/gate?componentRef=...&deployId=...)`,
      );
    const now = this.context.now();
    const hours = deployPolicy.policies.approvalValidHours;
    return gateStore.addApproval({
      componentRef: input.componentRef,
      deployId: input.deployId,
      commit: input.commit ?? call.commit,
      kind: input.kind,
      reason: input.reason,
      approvedBy,
      approvedAt: now,
      expiresAt: new Date(now.getTime() + hours * 3_600_000),
    });
  }
}
