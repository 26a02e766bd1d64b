import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  taskCreatePermission,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { costReadPermission } from '@internal/cost-common';
import {
  drDrillCreatePermission,
  drReadPermission,
  drScanCreatePermission,
  drWaivePermission,
} from '@internal/dr-readiness-common';
import {
  goldenPathMergePermission,
  goldenPathProposePermission,
} from '@internal/golden-paths-common';
import { PaymentsPermissionPolicy } from './PaymentsPermissionPolicy';

const developer = {
  credentials: mockCredentials.user('user:default/amara.okafor'),
  info: { userEntityRef: 'user:default/amara.okafor', ownershipEntityRefs: [] },
};
const ownership = [
  'user:default/amara.okafor',
  'group:default/card-acquiring-team',
];

function policyFor(ownershipEntityRefs: string[]) {
  return new PaymentsPermissionPolicy({
    adminGroups: ['group:default/platform-team'],
    costReaders: ['group:default/finance'],
    sloReviewers: ['group:default/sre'],
    sloApprovers: ['group:default/sre-leads'],
    drApprovers: ['group:default/risk'],
    userInfo: mockServices.userInfo({ ownershipEntityRefs }),
    logger: mockServices.logger.mock(),
  });
}

const decide = (permission: Permission, ownershipEntityRefs = ownership) =>
  policyFor(ownershipEntityRefs).handle({ permission }, developer);

const sloNoteCreate = createPermission({
  name: 'slo.review-note.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});
const sloRead = createPermission({
  name: 'slo.dashboard.read',
  attributes: { action: 'read' },
});

describe('PaymentsPermissionPolicy', () => {
  it('denies everything to a caller who is not signed in', async () => {
    const policy = policyFor(ownership);
    await expect(
      policy.handle({ permission: catalogEntityReadPermission }),
    ).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets everyone signed in read the catalog, register components and run templates', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      catalogLocationCreatePermission,
      taskCreatePermission,
    ]) {
      await expect(decide(permission)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets only the owners delete an entity, as a condition on ownership', async () => {
    await expect(decide(catalogEntityDeletePermission)).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ownership },
      },
    });
  });

  it('shows the cost of every product to the cost readers, and to others the cost of what they own', async () => {
    await expect(
      decide(costReadPermission, [...ownership, 'group:default/finance']),
    ).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(decide(costReadPermission)).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_ENTITY_OWNER', params: { claims: ownership } },
    });
  });

  it('lets the SLO reviewers record review notes on any service', async () => {
    await expect(
      decide(sloNoteCreate, [...ownership, 'group:default/sre']),
    ).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('gives review notes on a service to its owners', async () => {
    await expect(decide(sloNoteCreate)).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_ENTITY_OWNER', params: { claims: ownership } },
    });
  });

  it('lets only the SLO approvers (and admins) approve a deploy the error-budget policy holds, not the owning team', async () => {
    const approve = createPermission({
      name: 'slo.deploy-approval.create',
      attributes: { action: 'create' },
      resourceType: 'catalog-entity',
    });
    await expect(decide(approve)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    await expect(
      decide(approve, ['user:default/ines', 'group:default/sre-leads']),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      decide(approve, ['user:default/ines', 'group:default/platform-team']),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets everyone read DR readiness but only DR approvers waive a control, not the owning team', async () => {
    await expect(decide(drReadPermission)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    await expect(decide(drWaivePermission)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
    await expect(
      decide(drWaivePermission, [...ownership, 'group:default/risk']),
    ).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
    // An admin of the portal who is not a DR approver does not approve waivers.
    await expect(
      decide(drWaivePermission, [...ownership, 'group:default/platform-team']),
    ).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('gives DR rescans of a service to its owners and admins only, not to DR approvers as such', async () => {
    await expect(decide(drScanCreatePermission)).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ownership },
      },
    });
    await expect(
      decide(drScanCreatePermission, [
        ...ownership,
        'group:default/risk',
        'group:default/finance',
      ]),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { rule: 'IS_ENTITY_OWNER' },
    });
    await expect(
      decide(drScanCreatePermission, [
        ...ownership,
        'group:default/platform-team',
      ]),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it.each([goldenPathProposePermission, goldenPathMergePermission])(
    "gives proposing and merging changes to a service's repository ($name) to its owners and admins only",
    async permission => {
      await expect(decide(permission)).resolves.toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ownership },
        },
      });
      await expect(
        decide(permission, [...ownership, 'group:default/sre-leads']),
      ).resolves.toMatchObject({ result: AuthorizeResult.CONDITIONAL });
      await expect(
        decide(permission, [...ownership, 'group:default/platform-team']),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    },
  );

  it("gives recording a service's failover drills to its owners and admins only", async () => {
    await expect(decide(drDrillCreatePermission)).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ownership },
      },
    });
    await expect(
      decide(drDrillCreatePermission, [
        ...ownership,
        'group:default/platform-team',
      ]),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('reserves location deletion, template management and unknown permissions to admins', async () => {
    const unknown = createPermission({
      name: 'kubernetes.proxy',
      attributes: {},
    });
    // Unknown permissions of the platform's own plugins too, even when they claim to read.
    const unknownCost = createPermission({
      name: 'cost.invoice.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    const unknownDr = createPermission({
      name: 'dr.evidence.delete',
      attributes: { action: 'delete' },
      resourceType: 'catalog-entity',
    });
    for (const permission of [
      catalogLocationDeletePermission,
      templateManagementPermission,
      unknown,
      sloRead,
      unknownCost,
      unknownDr,
    ]) {
      await expect(decide(permission)).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
      await expect(
        decide(permission, [...ownership, 'group:default/platform-team']),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    }
  });
});
