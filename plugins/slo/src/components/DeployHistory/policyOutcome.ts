import type { DeployApproval, GateCall } from '@internal/slo-common';

/** The error-budget policy's outcome as the pages say it: needs-approval -> "Needs approval". */
export function outcomeLabel(outcome?: string): string {
  if (!outcome) return 'No policy';
  if (outcome.startsWith('only-'))
    return `Only ${outcome.slice('only-'.length).split('-or-').join(' or ')}`;
  const words = outcome.replace(/-/g, ' ');
  return words.charAt(0).toLocaleUpperCase('en-US') + words.slice(1);
}

/** The chip colour of an outcome: held deploys warn, let-through ones succeed. */
export function outcomeColor(
  outcome?: string,
): 'success' | 'warning' | 'error' | 'default' {
  if (outcome === 'allowed' || outcome === 'approved' || outcome === 'excepted')
    return 'success';
  if (outcome === 'needs-approval' || outcome?.startsWith('only-'))
    return 'warning';
  if (outcome === 'denied') return 'error';
  return 'default';
}

/** Whether an approval still counts at `now` (unexpired). */
export function isValidApproval(approval: DeployApproval, now: Date): boolean {
  return Date.parse(approval.expiresAt) > now.getTime();
}

/** The kind of record a held deploy needs: an exception where only other changes may deploy. */
export function neededKind(call?: Pick<GateCall, 'policyOutcome'>) {
  return call?.policyOutcome?.startsWith('only-') ? 'exception' : 'approval';
}

/** The SLO approval page's link for a deploy, under the SLO page's path. */
export function approvePath(
  approveBase: string,
  componentRef: string,
  deployId: string,
): string {
  return `${approveBase}?${new URLSearchParams({ componentRef, deployId })}`;
}
