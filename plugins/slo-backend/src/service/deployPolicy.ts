import type { Config } from '@backstage/config';
import {
  type BudgetPolicies,
  type CanarySettings,
  readBudgetPolicies,
} from '@internal/slo-node';
import { readCanarySettings } from './canaryGate';

/** The error-budget policies the gate enforces and where approvers are sent. */
export interface DeployPolicySettings {
  policies: BudgetPolicies;
  /** The portal's frontend URL (app.baseUrl) for approval links; relative links without it. */
  appBaseUrl?: string;
  /** How a canary is judged on its own SLI (slo.canary; defaults when absent). */
  canary?: CanarySettings;
}

/** From config; a mistake in slo.budgetPolicies stops the backend with the key and the fix. */
export function readDeployPolicySettings(config: Config): DeployPolicySettings {
  return {
    policies: readBudgetPolicies(config.getOptional('slo.budgetPolicies')),
    appBaseUrl: config.getOptionalString('app.baseUrl')?.replace(/\/+$/, ''),
    canary: readCanarySettings(config),
  };
}

/** The frontend page where an approver sees the deploy's gate answer and approves it. */
export function approvalUrl(
  settings: DeployPolicySettings,
  componentRef: string,
  deployId: string,
): string {
  const query = new URLSearchParams({ componentRef, deployId });
  return `${settings.appBaseUrl ?? ''}/slo/approve?${query}`;
}
