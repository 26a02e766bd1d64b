import { createPermission } from '@backstage/plugin-permission-common';

/** Propose a change (upgrade or day-2) to a service's repository: the service's owners (and admins). */
export const goldenPathProposePermission = createPermission({
  name: 'golden-paths.proposal.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** Merge a proposed change into the service's default branch (local repositories): its owners. */
export const goldenPathMergePermission = createPermission({
  name: 'golden-paths.proposal.merge',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

export const goldenPathsPermissions = [
  goldenPathProposePermission,
  goldenPathMergePermission,
];
