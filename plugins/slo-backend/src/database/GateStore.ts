import type {
  DeployApproval,
  DeployChangeKind,
  DeployGateAnswer,
  DeployTrack,
  GateCall,
  GateCallDetail,
} from '@internal/slo-common';
import type { Knex } from 'knex';

/** A gate call to record: the deploy asked about and what the gate answered. */
export interface NewGateCall {
  componentRef: string;
  deployId?: string;
  commit?: string;
  change: DeployChangeKind;
  decision: 'allow' | 'deny';
  policy?: { name: string; outcome: string; message: string };
  reasons: DeployGateAnswer['reasons'];
  approvalId?: string;
  calledAt: Date;
  track?: DeployTrack;
  canaryVerdict?: 'allow' | 'deny';
}

export type NewApproval = Omit<
  DeployApproval,
  'id' | 'approvedAt' | 'expiresAt'
> & {
  approvedAt: Date;
  expiresAt: Date;
};

/** Rows listed at most per answer (a component's recent calls and approvals). */
const LIST_LIMIT = 200;

/** The id of an inserted row (PostgreSQL and SQLite both return it with `returning`). */
async function inserted(query: Promise<any[]>): Promise<string> {
  const [row] = await query;
  return String(typeof row === 'object' ? row.id : row);
}

function callOf(row: any, approvedBy?: string): GateCall {
  return {
    id: String(row.id),
    componentRef: row.component_ref,
    ...(row.deploy_id ? { deployId: row.deploy_id } : {}),
    ...(row.commit_sha ? { commit: row.commit_sha } : {}),
    change: row.change_kind,
    decision: row.decision,
    ...(row.policy_outcome ? { policyOutcome: row.policy_outcome } : {}),
    calledAt: row.called_at,
    ...(approvedBy ? { approvedBy } : {}),
    ...(row.track ? { track: row.track } : {}),
    ...(row.canary_verdict ? { canaryVerdict: row.canary_verdict } : {}),
  };
}

function approvalOf(row: any): DeployApproval {
  return {
    id: String(row.id),
    componentRef: row.component_ref,
    deployId: row.deploy_id,
    ...(row.commit_sha ? { commit: row.commit_sha } : {}),
    kind: row.kind,
    reason: row.reason,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    expiresAt: row.expires_at,
  };
}

/**
 * Every deploy gate call and every approval or exception of a deploy (tables slo_gate_calls and
 * slo_deploy_approvals, migration 20261206a_budget_policy). Times are ISO strings (UTC), so they
 * compare as text on SQLite and PostgreSQL alike.
 */
export class GateStore {
  constructor(private readonly knex: Knex) {}

  async recordCall(call: NewGateCall): Promise<GateCall> {
    const row = {
      component_ref: call.componentRef,
      deploy_id: call.deployId ?? null,
      commit_sha: call.commit ?? null,
      change_kind: call.change,
      decision: call.decision,
      policy_name: call.policy?.name ?? null,
      policy_outcome: call.policy?.outcome ?? null,
      policy_message: call.policy?.message ?? null,
      reasons_json: JSON.stringify(call.reasons),
      approval_id: call.approvalId ? Number(call.approvalId) : null,
      called_at: call.calledAt.toISOString(),
      track: call.track ?? null,
      canary_verdict: call.canaryVerdict ?? null,
    };
    const id = await inserted(this.knex('slo_gate_calls').insert(row, ['id']));
    return callOf({ ...row, id });
  }

  /** Gate calls from `from` (inclusive) to `to` (exclusive), oldest first; of some components or all. */
  async calls(options: {
    componentRefs?: string[];
    from: Date;
    to: Date;
  }): Promise<GateCall[]> {
    if (options.componentRefs?.length === 0) return [];
    const query = this.knex('slo_gate_calls as c')
      .leftJoin('slo_deploy_approvals as a', 'a.id', 'c.approval_id')
      .select('c.*', 'a.approved_by')
      .where('c.called_at', '>=', options.from.toISOString())
      .andWhere('c.called_at', '<', options.to.toISOString())
      .orderBy('c.called_at', 'asc')
      .orderBy('c.id', 'asc');
    if (options.componentRefs)
      query.whereIn('c.component_ref', options.componentRefs);
    const rows = await query;
    return rows.map(row => callOf(row, row.approved_by ?? undefined));
  }

  /** A component's latest calls, newest first. */
  async recentCalls(componentRef: string): Promise<GateCall[]> {
    const rows = await this.knex('slo_gate_calls as c')
      .leftJoin('slo_deploy_approvals as a', 'a.id', 'c.approval_id')
      .select('c.*', 'a.approved_by')
      .where('c.component_ref', componentRef)
      .orderBy('c.called_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(LIST_LIMIT);
    return rows.map(row => callOf(row, row.approved_by ?? undefined));
  }

  /** The latest gate call of one deploy, with what the pipeline was told. */
  async latestCall(
    componentRef: string,
    deployId: string,
  ): Promise<GateCallDetail | undefined> {
    const row = await this.knex('slo_gate_calls as c')
      .leftJoin('slo_deploy_approvals as a', 'a.id', 'c.approval_id')
      .select('c.*', 'a.approved_by')
      .where({ 'c.component_ref': componentRef, 'c.deploy_id': deployId })
      .orderBy('c.called_at', 'desc')
      .orderBy('c.id', 'desc')
      .first();
    if (!row) return undefined;
    return {
      ...callOf(row, row.approved_by ?? undefined),
      ...(row.policy_name
        ? {
            policy: {
              name: row.policy_name,
              outcome: row.policy_outcome ?? '',
              message: row.policy_message ?? '',
            },
          }
        : {}),
      reasons: JSON.parse(row.reasons_json),
    };
  }

  async addApproval(approval: NewApproval): Promise<DeployApproval> {
    const row = {
      component_ref: approval.componentRef,
      deploy_id: approval.deployId,
      commit_sha: approval.commit ?? null,
      kind: approval.kind,
      reason: approval.reason,
      approved_by: approval.approvedBy,
      approved_at: approval.approvedAt.toISOString(),
      expires_at: approval.expiresAt.toISOString(),
    };
    // The weekly review lists the week's approvals: its data version moves with them.
    const id = await this.knex.transaction(async tx => {
      const inserting = inserted(
        tx('slo_deploy_approvals').insert(row, ['id']),
      );
      const approvalId = await inserting;
      await tx('slo_versions').where({ id: 1 }).increment('notes', 1);
      return approvalId;
    });
    return approvalOf({ ...row, id });
  }

  /**
   * The approval that counts for a deploy at `at`: unexpired, for that commit when both name one;
   * an exception before an approval (it lifts more), the latest first.
   */
  async approvalFor(
    componentRef: string,
    deployId: string,
    commit: string | undefined,
    at: Date,
  ): Promise<DeployApproval | undefined> {
    const rows = await this.knex('slo_deploy_approvals')
      .where({ component_ref: componentRef, deploy_id: deployId })
      .andWhere('approved_at', '<=', at.toISOString())
      .andWhere('expires_at', '>', at.toISOString())
      .orderBy('approved_at', 'desc')
      .orderBy('id', 'desc');
    const valid = rows
      .map(approvalOf)
      .filter(a => !a.commit || !commit || a.commit === commit);
    return valid.find(a => a.kind === 'exception') ?? valid[0];
  }

  /** Approvals of a component (newest first), or of every component approved from `from` to `to`. */
  async approvals(options: {
    componentRefs?: string[];
    deployId?: string;
    from?: Date;
    to?: Date;
  }): Promise<DeployApproval[]> {
    if (options.componentRefs?.length === 0) return [];
    const query = this.knex('slo_deploy_approvals')
      .orderBy('approved_at', 'desc')
      .orderBy('id', 'desc')
      .limit(LIST_LIMIT);
    if (options.componentRefs)
      query.whereIn('component_ref', options.componentRefs);
    if (options.deployId) query.where('deploy_id', options.deployId);
    if (options.from)
      query.where('approved_at', '>=', options.from.toISOString());
    if (options.to) query.where('approved_at', '<', options.to.toISOString());
    return (await query).map(approvalOf);
  }
}
