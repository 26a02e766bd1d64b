import { createPermission } from '@backstage/plugin-permission-common';

/** Reading a service's DR readiness: scorecard, results, evidence, history; requesting a waiver. */
export const drReadPermission = createPermission({
  name: 'dr.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Approving or revoking a waiver of a control for a service (Component). The DR plugin also
 * refuses an approval by the waiver's requester or by a member of the service's owning team.
 */
export const drWaivePermission = createPermission({
  name: 'dr.waive',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Asking for an on-demand rescan of a service (Component) in AWS. */
export const drScanCreatePermission = createPermission({
  name: 'dr.scan.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Recording a failover drill of a service (Component): what its measured RTO and the
 * `failover-drill-within-rto` control rest on, so not everyone who reads it may write it.
 */
export const drDrillCreatePermission = createPermission({
  name: 'dr.drill.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

export const drPermissions = [
  drReadPermission,
  drWaivePermission,
  drScanCreatePermission,
  drDrillCreatePermission,
];
