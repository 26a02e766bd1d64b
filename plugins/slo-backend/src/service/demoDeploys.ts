import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { DeployChangeKind } from '@internal/slo-common';
import type { SloService } from './SloService';
import { weekOf } from './weeks';

/** A deploy the demo keeps recorded (slo.demo.deploys): held by the policy, and approved or not. */
export interface DemoDeploy {
  componentRef: string;
  deployId: string;
  commit?: string;
  change: DeployChangeKind;
  /** Who approves it after the gate held it (a user entity ref); left pending without. */
  approvedBy?: string;
  reason?: string;
}

const HELD = new Set(['needs-approval']);

/** slo.demo.deploys (embedded default only); a mistake stops the backend naming the key. */
export function readDemoDeploys(config: Config): DemoDeploy[] {
  const entries = config.getOptionalConfigArray('slo.demo.deploys') ?? [];
  return entries.map((entry, n) => {
    const key = `slo.demo.deploys[${n}]`;
    const change = entry.getOptionalString('change') ?? 'feature';
    if (!['feature', 'fix', 'rollback'].includes(change))
      throw new Error(
        `Invalid config: ${key}.change must be feature, fix or rollback`,
      );
    const approvedBy = entry.getOptionalString('approvedBy');
    const reason = entry.getOptionalString('reason');
    if (approvedBy && !reason?.trim())
      throw new Error(
        `Invalid config: ${key}.reason is required with approvedBy: an approval says why`,
      );
    return {
      componentRef: entry.getString('componentRef'),
      deployId: entry.getString('deployId'),
      commit: entry.getOptionalString('commit'),
      change: change as DeployChangeKind,
      approvedBy,
      reason,
    };
  });
}

/**
 * Keeps the demo's policy-held deploys recorded in the current week (so the weekly review shows
 * its approvals on any day): for each one without a gate call of this week that the policy held
 * (or, when it has an approver, without an approval of this week), the gate is asked now; when the
 * policy holds the deploy, the approver's approval is recorded and the gate asked again, which now
 * lets it through naming the approver. A demo whose gate does not hold it (Prometheus not up yet,
 * the catalog not read yet) is tried again at the next evaluation. Runs after the scheduled
 * evaluation (one replica at a time).
 */
export async function recordDemoDeploys(
  service: SloService,
  demo: DemoDeploy[],
  options: { now: () => Date; logger: LoggerService },
): Promise<number> {
  const { logger } = options;
  let recorded = 0;
  for (const deploy of demo) {
    try {
      if (await recordDemoDeploy(service, deploy, options)) recorded += 1;
    } catch (error) {
      // The demo never fails the evaluation it follows; the next one tries again.
      logger.warn(
        `SLO demo: could not record ${deploy.deployId} of ${deploy.componentRef}: ${error}`,
      );
    }
  }
  return recorded;
}

async function recordDemoDeploy(
  service: SloService,
  deploy: DemoDeploy,
  options: { now: () => Date; logger: LoggerService },
): Promise<boolean> {
  const { logger } = options;
  const now = options.now();
  const monday = new Date(
    `${weekOf(now.toISOString().slice(0, 10))}T00:00:00Z`,
  );
  const { calls, approvals } = await service.approvals.list(
    deploy.componentRef,
    deploy.deployId,
  );
  const done = deploy.approvedBy
    ? approvals.some(a => Date.parse(a.approvedAt) >= monday.getTime())
    : calls.some(
        c =>
          Date.parse(c.calledAt) >= monday.getTime() &&
          HELD.has(c.policyOutcome ?? ''),
      );
  if (done) return false;
  const asked = {
    change: deploy.change,
    deployId: deploy.deployId,
    ...(deploy.commit ? { commit: deploy.commit } : {}),
  };
  const held = await service.gate(deploy.componentRef, asked);
  if (!HELD.has(held.policy?.outcome ?? '')) {
    logger.info(
      `SLO demo: the gate did not hold ${deploy.deployId} of ${deploy.componentRef} (${held.policy?.message}); trying again at the next evaluation`,
    );
    return false;
  }
  if (deploy.approvedBy) {
    await service.approvals.approve(
      {
        componentRef: deploy.componentRef,
        deployId: deploy.deployId,
        kind: 'approval',
        reason: deploy.reason!,
      },
      deploy.approvedBy,
    );
    await service.gate(deploy.componentRef, asked);
  }
  return true;
}
