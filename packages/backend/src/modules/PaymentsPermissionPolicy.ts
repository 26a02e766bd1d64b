import type {
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { costReadPermission } from '@internal/cost-common';
import {
  sloDeployApprovalCreatePermission,
  sloReviewNoteCreatePermission,
} from '@internal/slo-common';
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

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** Who is asking: the signed-in user and every entity they own through (group membership). */
interface Principal {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/** Catalog and scaffolder actions every signed-in person may take. */
const SIGNED_IN = new Set([
  'catalog.entity.read',
  'catalog.entity.refresh',
  'catalog.entity.validate',
  'catalog.entity.create',
  'catalog.location.read',
  'catalog.location.create',
  'catalog.location.analyze',
  'catalog.ingestion.read',
  'scaffolder.template.parameter.read',
  'scaffolder.template.step.read',
  'scaffolder.template.dry-run',
  'scaffolder.action.execute',
  'scaffolder.task.create',
  'scaffolder.task.read',
  'scaffolder.task.cancel',
  'techdocs.actions.read',
]);

/** Only owners of the entity (or platform admins) may remove it from the catalog. */
const OWNER_ONLY = new Set(['catalog.entity.delete']);

/**
 * Plugins of the payments platform whose permissions this policy decides. Their permission
 * names are `<plugin>.<subject>.<action>`, e.g. `slo.review-note.create`.
 */
const PLATFORM_PLUGINS = ['cost', 'slo', 'dr', 'golden-paths'];

/**
 * The portal's permission policy.
 *
 * - Nobody who is not signed in gets anything (service-to-service calls never reach a policy).
 * - Members of the configured admin groups may do everything.
 * - Everyone signed in reads the catalog, registers components and runs templates.
 * - Deleting an entity is for its owners.
 * - Cost: the configured cost readers (leads, finance) read every product's cost; everyone else
 *   the cost of the entities they own.
 * - SLO and DR readiness: reading is open to everyone signed in; review notes are for the
 *   owners of the service and the configured SLO reviewers; deploys an error-budget policy holds
 *   are approved by the configured SLO approvers (and admins); DR waivers are approved and revoked
 *   only by the configured DR approvers (the DR plugin also refuses an approval by the requester
 *   or by the owning team); on-demand DR rescans are for the owners of the service.
 * - Golden paths: proposing an upgrade or a day-2 change to a service's repository, and merging
 *   it, are for the service's owners (reading the fleet and the proposals is open).
 * - Anything else (catalog location deletion, ingestion management, template management,
 *   unknown permissions) is denied: a new plugin's permissions must be decided here on purpose.
 */
export class PaymentsPermissionPolicy implements PermissionPolicy {
  private readonly adminGroups: Set<string>;
  private readonly costReaders: Set<string>;
  private readonly sloReviewers: Set<string>;
  private readonly sloApprovers: Set<string>;
  private readonly drApprovers: Set<string>;
  private readonly userInfo: UserInfoService;
  private readonly logger: LoggerService;

  constructor(options: {
    adminGroups: string[];
    /** Groups or users who read the cost of every product (leads, finance). */
    costReaders?: string[];
    /** Groups or users who record weekly SLO review notes on any service. */
    sloReviewers?: string[];
    /** Groups or users who approve deploys an error-budget policy holds (leads, SRE). */
    sloApprovers?: string[];
    /** Groups or users who approve and revoke DR waivers (risk, platform leads). */
    drApprovers?: string[];
    userInfo: UserInfoService;
    logger: LoggerService;
  }) {
    this.adminGroups = new Set(options.adminGroups);
    this.costReaders = new Set(options.costReaders ?? []);
    this.sloReviewers = new Set(options.sloReviewers ?? []);
    this.sloApprovers = new Set(options.sloApprovers ?? []);
    this.drApprovers = new Set(options.drApprovers ?? []);
    this.userInfo = options.userInfo;
    this.logger = options.logger;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return DENY;
    }
    const info = await this.userInfo.getUserInfo(user.credentials);
    const principal: Principal = {
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs: info.ownershipEntityRefs,
    };
    const { permission } = request;
    // Separation of duties: a waiver is approved by a DR approver, whatever else the caller is
    // (being an admin of the portal does not make someone a risk approver).
    if (permission.name === drWaivePermission.name) {
      return principal.ownershipEntityRefs.some(ref =>
        this.drApprovers.has(ref),
      )
        ? ALLOW
        : DENY;
    }
    if (principal.ownershipEntityRefs.some(ref => this.adminGroups.has(ref))) {
      return ALLOW;
    }

    if (SIGNED_IN.has(permission.name)) {
      return ALLOW;
    }
    if (
      OWNER_ONLY.has(permission.name) &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      return this.ownersOfEntity(permission, principal);
    }
    if (
      PLATFORM_PLUGINS.some(plugin => permission.name.startsWith(`${plugin}.`))
    ) {
      return this.decidePlatformPermission(request, principal);
    }

    this.logger.debug(
      `Denied ${permission.name} to ${principal.userEntityRef}: the payments policy does not grant it`,
    );
    return DENY;
  }

  /** The cost, SLO, DR-readiness (`dr.*`) and golden-paths plugins' permissions. */
  private decidePlatformPermission(
    request: PolicyQuery,
    principal: Principal,
  ): PolicyDecision {
    const { permission } = request;
    if (
      permission.name === costReadPermission.name &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      const reader = principal.ownershipEntityRefs.some(ref =>
        this.costReaders.has(ref),
      );
      return reader ? ALLOW : this.ownersOfEntity(permission, principal);
    }
    if (
      permission.name === sloReviewNoteCreatePermission.name &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      const reviewer = principal.ownershipEntityRefs.some(ref =>
        this.sloReviewers.has(ref),
      );
      return reviewer ? ALLOW : this.ownersOfEntity(permission, principal);
    }
    if (permission.name === sloDeployApprovalCreatePermission.name) {
      // A deploy the error-budget policy holds is let through by a named approver, not its team.
      return principal.ownershipEntityRefs.some(ref =>
        this.sloApprovers.has(ref),
      )
        ? ALLOW
        : DENY;
    }
    if (
      permission.name === drScanCreatePermission.name &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      // A rescan calls AWS on demand: the service's owners (and admins, above) only.
      return this.ownersOfEntity(permission, principal);
    }
    if (
      permission.name === drDrillCreatePermission.name &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      // The team that runs a service's failover drills records them (recorded as themselves).
      return this.ownersOfEntity(permission, principal);
    }
    if (permission.name === drReadPermission.name) {
      return ALLOW;
    }
    if (
      (permission.name === goldenPathProposePermission.name ||
        permission.name === goldenPathMergePermission.name) &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      // A change to a service's repository is its team's to propose and to merge.
      return this.ownersOfEntity(permission, principal);
    }
    // A permission these plugins do not define (a typo, a newer plugin's) is denied like any
    // other unknown one, whatever its action.
    this.logger.debug(
      `Denied ${permission.name} to ${principal.userEntityRef}: not a permission of the cost, SLO, DR or golden-paths plugins this policy decides`,
    );
    return DENY;
  }

  private ownersOfEntity(
    permission: ResourcePermission<'catalog-entity'>,
    principal: Principal,
  ): PolicyDecision {
    return createCatalogConditionalDecision(
      permission,
      catalogConditions.isEntityOwner({
        claims: principal.ownershipEntityRefs,
      }),
    );
  }
}
