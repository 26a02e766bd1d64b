import { createPermission } from '@backstage/plugin-permission-common';

/** Reading a service's DR readiness: scorecard, results, evidence, history; asking for a rescan. */
export const drReadPermission = createPermission({
  name: 'dr.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** Recording or revoking a waiver of a control for a service (Component). */
export const drWaivePermission = createPermission({
  name: 'dr.waive',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

export const drPermissions = [drReadPermission, drWaivePermission];
