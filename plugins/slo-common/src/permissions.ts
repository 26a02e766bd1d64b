import { createPermission } from '@backstage/plugin-permission-common';

/** Recording review notes and action items on an SLO (of a catalog Component). */
export const sloReviewNoteCreatePermission = createPermission({
  name: 'slo.review-note.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** Recording an approval or exception for a deploy the error-budget policy holds (on its Component). */
export const sloDeployApprovalCreatePermission = createPermission({
  name: 'slo.deploy-approval.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

export const sloPermissions = [
  sloReviewNoteCreatePermission,
  sloDeployApprovalCreatePermission,
];
