import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Reading the cost of a catalog entity (a product System, a service Component, a team Group).
 * The default policy allows it to the entity's owners and to the configured lead/finance groups.
 */
export const costReadPermission = createPermission({
  name: 'cost.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

export const costPermissions = [costReadPermission];
